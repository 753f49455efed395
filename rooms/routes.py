"""The chat page and the history API (CONTRACT.md §3)."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user

import signals
from accounts.decorators import login_required
from accounts.models import User
from db import MAX_ID, parse_whole
from errors import ApiError
from rooms import payloads, queries, reactions
from rooms.constants import HISTORY_PAGE, LATEST_ON_JOIN, REPORT_REASON_LABELS, REPORT_REASONS
from rooms.models import Room, RoomStatus

bp = Blueprint("rooms", __name__)


def _viewable_room(room_id: int, *, api: bool) -> Room:
    """The room if the current user may read it. Members who aren't in it get 403
    whether or not it exists, so room ids reveal nothing."""
    user: User = current_user._get_current_object()
    room = queries.get_room(room_id)
    if room is not None and queries.can_view(room, user):
        return room
    if room is None and user.is_moderator:
        if api:
            raise ApiError(404, "not_found", _l("There's no such room."))
        abort(404)
    if api:
        raise ApiError(403, "forbidden", _l("Only members of this room can read it."))
    abort(403)


@bp.get("/rooms/<int:room_id>")
@login_required
def room_page(room_id: int) -> ResponseReturnValue:
    room = _viewable_room(room_id, api=False)
    user: User = current_user._get_current_object()
    membership = queries.membership_of(room, user)
    # A moderator opening a care room joins it on connecting (audited), to write in it.
    joins_care = room.is_care and user.is_moderator and room.status != RoomStatus.CLOSED
    on_shift = sum(
        count for _receiver, count in signals.moderators_online.send(None) if isinstance(count, int)
    )
    return render_template(
        "rooms/room.html",
        room=room,
        moderators_on_shift=on_shift > 0,
        is_member=membership is not None or joins_care,
        is_care=room.is_care,
        is_care_person=room.is_care and room.care_for_id == user.id,
        report_reasons=[(reason, REPORT_REASON_LABELS[reason]) for reason in REPORT_REASONS],
    )


def _query_int(name: str, default: int, minimum: int, maximum: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    value = parse_whole(raw, maximum=maximum)
    if value is None or value < minimum:
        raise ApiError(
            400,
            "invalid",
            _l("Something in that request didn't look right."),
            {
                name: _l(
                    "Use a whole number from %(minimum)s to %(maximum)s.",
                    minimum=minimum,
                    maximum=maximum,
                )
            },
        )
    return value


@bp.get("/api/v1/rooms/<int:room_id>/messages")
@login_required
def messages_api(room_id: int) -> ResponseReturnValue:
    """``?after=<message_id>&limit=<1..200>`` → the messages after ``after``, oldest first."""
    after = _query_int("after", 0, 0, MAX_ID)
    limit = _query_int("limit", LATEST_ON_JOIN, 1, HISTORY_PAGE)
    room = _viewable_room(room_id, api=True)
    user: User = current_user._get_current_object()
    messages, has_more = queries.history(room, user, after_id=after, limit=limit)
    counts = reactions.reaction_counts([m.id for m in messages])
    return jsonify(
        messages=[payloads.message(m, counts.get(m.id)) for m in messages], has_more=has_more
    )
