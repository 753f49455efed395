"""Care-room routes (issue 14, CONTRACT §6.4).

``POST /api/v1/rooms/<room_id>/close`` lives here rather than in rooms because a
moderator's close writes an audit row, and rooms never imports moderation. The
console's plain form posts for checking in, sending resources and closing with an
outcome are here too; they use the same services as the JSON API.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from accounts.decorators import login_required, moderator_required
from accounts.models import User
from db import db
from errors import ApiError, Text
from moderation import audit, care
from moderation.api import commit_or_rollback
from moderation.guards import ModerationError
from moderation.models import QueueItem
from rooms import queries as room_queries
from rooms.models import Room

bp = Blueprint("care", __name__)


def _actor() -> User:
    user: User = current_user._get_current_object()
    return user


@bp.post("/api/v1/rooms/<int:room_id>/close")
@login_required
def close_room(room_id: int) -> ResponseReturnValue:
    """Close a care room. The person it is for: no body needed ("I'm okay for now,
    thank you"). A moderator: ``{"outcome": "followed_up|no_reply|referred"}``.
    Anyone else: 403, and room ids reveal nothing to members."""
    user = _actor()
    room = db.session.get(Room, room_id)
    if room is None and user.is_moderator:
        raise ApiError(404, "not_found", _l("There's no such room."))
    if room is None or not room_queries.can_view(room, user):
        raise ApiError(403, "forbidden", _l("Only the person this check-in is for can close it."))
    if room.care_for_id == user.id:
        commit_or_rollback(lambda: care.close_by_member(room, user))
        return jsonify({"room_id": room.id, "status": room.status.value})
    if not user.is_moderator:
        raise ApiError(403, "forbidden", _l("Only the person this check-in is for can close it."))
    data = request.get_json(silent=True)
    outcome = data.get("outcome") if isinstance(data, dict) else None
    entry = commit_or_rollback(lambda: care.close_care_room(room, outcome, by=user))
    return jsonify(
        {"room_id": room.id, "status": room.status.value, "audit": audit.entry_json(entry, user)}
    )


# -- console form posts -------------------------------------------------------------------


def _item_or_404(item_id: int) -> QueueItem:
    found = db.session.get(QueueItem, item_id)
    if found is None:
        abort(404)
    return found


def _form_run(change: Any, done: Text, back: str) -> tuple[bool, Any]:
    try:
        result = change()
    except ModerationError as problem:
        db.session.rollback()
        flash(str(problem.message), "error")
        return False, redirect(back)
    db.session.commit()
    flash(str(done), "info")
    return True, result


@bp.post("/mod/items/<int:item_id>/checkin")
@moderator_required
def item_checkin(item_id: int) -> ResponseReturnValue:
    """Check in privately from the queue; on success, go to the care room."""
    item = _item_or_404(item_id)
    body = request.form.get("body", "")
    ok, result = _form_run(
        lambda: care.checkin(care.person_for(item), body, by=_actor(), item=item),
        _l("Your message is in their private check-in. They've been told."),
        url_for("moderation.item", item_id=item_id),
    )
    return redirect(url_for("rooms.room_page", room_id=result[0].id)) if ok else result


@bp.post("/mod/items/<int:item_id>/resources")
@moderator_required
def item_resources(item_id: int) -> ResponseReturnValue:
    item = _item_or_404(item_id)
    back = url_for("moderation.item", item_id=item_id)
    ok, result = _form_run(
        lambda: care.send_resources(care.person_for(item), by=_actor(), item=item),
        _l("The resources are in their private check-in. Nothing was posted in the group."),
        back,
    )
    return redirect(back) if ok else result


@bp.post("/mod/members/<int:user_id>/checkin")
@moderator_required
def member_checkin(user_id: int) -> ResponseReturnValue:
    person = db.session.get(User, user_id)
    if person is None or not person.is_active:
        abort(404)
    body = request.form.get("body", "")
    ok, result = _form_run(
        lambda: care.checkin(person, body, by=_actor()),
        _l("Your message is in their private check-in. They've been told."),
        url_for("moderation.member", user_id=user_id),
    )
    return redirect(url_for("rooms.room_page", room_id=result[0].id)) if ok else result


@bp.post("/mod/rooms/<int:room_id>/care-close")
@moderator_required
def care_close(room_id: int) -> ResponseReturnValue:
    room = db.session.get(Room, room_id)
    if room is None:
        abort(404)
    back = url_for("rooms.room_page", room_id=room_id)
    ok, result = _form_run(
        lambda: care.close_care_room(room, request.form.get("outcome"), by=_actor()),
        _l("The check-in is closed. Thank you for looking after them."),
        back,
    )
    return redirect(back) if ok else result


@bp.post("/rooms/<int:room_id>/care-close")
@login_required
def member_care_close(room_id: int) -> ResponseReturnValue:
    """The person's own "I'm okay for now, thank you" (a plain form on the room page)."""
    room = db.session.get(Room, room_id)
    user = _actor()
    if room is None or room.care_for_id != user.id:
        abort(403)
    back = url_for("rooms.room_page", room_id=room_id)
    ok, result = _form_run(
        lambda: care.close_by_member(room, user),
        _l("Thank you for letting us know. We're glad you're okay for now."),
        back,
    )
    return redirect(url_for("matching.groups_page")) if ok else result
