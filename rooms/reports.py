"""Reports and concerns: a member hands them to moderation through signals.

Rooms never import moderation's services; moderation's receivers store the item
and return its id, which comes back here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

import signals
from accounts.models import User
from db import db
from rooms.constants import MAX_NOTE, REPORT_REASONS
from rooms.guards import ChatError
from rooms.models import Message, Room
from rooms.queries import active_memberships


def _stored_id(results: Iterable[tuple[Any, Any]]) -> int | None:
    for _receiver, value in results:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def validate_note(note: object) -> str | None:
    if note is None:
        return None
    if not isinstance(note, str):
        raise ChatError("invalid", _l("A note should be text."))
    text = note.strip()
    if len(text) > MAX_NOTE:
        raise ChatError("too_long", _l("Notes can be up to %(limit)s characters.", limit=MAX_NOTE))
    return text or None


def file_report(reporter: User, message: Message, reason: object, note: object) -> int:
    """Hand a report to moderation (``signals.report_filed``); returns its stored id."""
    if not isinstance(reason, str) or reason not in REPORT_REASONS:
        raise ChatError("invalid", _l("Please pick one of the listed reasons."))
    text = validate_note(note)
    report_id = _stored_id(
        signals.report_filed.send(
            current_app._get_current_object(),  # type: ignore[attr-defined]  # werkzeug LocalProxy
            reporter_id=reporter.id,
            message_id=message.id,
            room_id=message.room_id,
            reason=reason,
            note=text,
        )
    )
    if report_id is None:
        raise ChatError(
            "server_error",
            _l("Reports can't be taken right now. Please try again soon, or use the help page."),
        )
    db.session.flush()
    return report_id


def raise_concern(reporter: User, room: Room, about_handle: object, note: object) -> int:
    """Tell moderators someone may need care. Never notifies or acts on that person."""
    about_user_id: int | None = None
    if about_handle is not None:
        if not isinstance(about_handle, str):
            raise ChatError("invalid", _l("about_handle should be a member's handle."))
        wanted = about_handle.strip().lower()
        if wanted:
            about = next(
                (
                    m.user
                    for m in active_memberships(room)
                    if m.user.handle and m.user.handle.lower() == wanted
                ),
                None,
            )
            if about is None:
                raise ChatError("invalid", _l("There's no member with that handle in this room."))
            about_user_id = about.id
    text = validate_note(note)
    concern_id = _stored_id(
        signals.concern_raised.send(
            current_app._get_current_object(),  # type: ignore[attr-defined]  # werkzeug LocalProxy
            reporter_id=reporter.id,
            room_id=room.id,
            about_user_id=about_user_id,
            note=text,
        )
    )
    if concern_id is None:
        raise ChatError(
            "server_error",
            _l("We couldn't pass this on right now. Please try again soon, or use the help page."),
        )
    db.session.flush()
    return concern_id
