"""Parsing and dispatch of ``POST /api/v1/mod/actions`` (also used by the console forms).

Every field is checked before anything is looked up, every target is looked up
before anything changes, and the service writes the one audit entry; so a bad
request writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from accounts.models import User
from accounts.service import find_by_handle
from db import db, is_id
from errors import ApiError, Text
from moderation import room_actions, sanctions
from moderation.guards import MAX_REASON, ModerationError
from moderation.models import AuditEntry
from rooms.models import Message, Room

KINDS = (
    "remove_message",
    "warn",
    "mute",
    "remove_from_room",
    "ban",
    "unban",
    "pause_room",
    "resume_room",
    "close_room",
)
USER_KINDS = ("warn", "mute", "ban", "unban")
ROOM_KINDS = ("pause_room", "resume_room", "close_room")

#: Which target keys each kind takes (a user is ``handle`` or ``user_id``).
_TARGET_HELP = {
    "remove_message": '{"message_id": int}',
    "warn": '{"handle": str} or {"user_id": int}, optionally "room_id"',
    "mute": '{"handle": str} or {"user_id": int}',
    "ban": '{"handle": str} or {"user_id": int}',
    "unban": '{"handle": str} or {"user_id": int}',
    "remove_from_room": '{"handle" or "user_id", "room_id": int}',
    "pause_room": '{"room_id": int}',
    "resume_room": '{"room_id": int}',
    "close_room": '{"room_id": int}',
}


@dataclass
class Action:
    kind: str
    reason: str
    duration_minutes: int | None
    message_id: int | None = None
    user_id: int | None = None
    handle: str | None = None
    room_id: int | None = None


def _user_target(target: dict[str, Any], errors: dict[str, Text], action: Action) -> set[str]:
    has_handle, has_id = "handle" in target, "user_id" in target
    if has_handle == has_id:
        errors["target"] = _l("Give exactly one of handle or user_id.")
    elif has_handle:
        handle = target["handle"]
        if not isinstance(handle, str) or not handle.strip() or len(handle) > 64:
            errors["target"] = _l("handle must be a member's handle.")
        else:
            action.handle = handle.strip()
    elif not is_id(target["user_id"]):
        errors["target"] = _l("user_id must be a positive integer.")
    else:
        action.user_id = target["user_id"]
    return {"handle", "user_id"}


def _room_target(target: dict[str, Any], errors: dict[str, Text], action: Action) -> set[str]:
    if "room_id" not in target or not is_id(target["room_id"]):
        errors.setdefault("target", _l("room_id must be a positive integer."))
    else:
        action.room_id = target["room_id"]
    return {"room_id"}


def parse(data: Any) -> Action:
    """Validate the request body; raises ApiError(400) listing every bad field."""
    if not isinstance(data, dict):
        raise ApiError(400, "invalid", _l("Send a JSON object."))
    errors: dict[str, Text] = {}
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        errors["kind"] = _l("kind must be one of: %(kinds)s.", kinds=", ".join(KINDS))
        kind = None

    reason = data.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        errors["reason"] = _l("Please give a reason (1–500 characters).")
    elif len(reason.strip()) > MAX_REASON:
        errors["reason"] = _l("Please keep the reason to 500 characters.")

    duration: int | None = None
    if "duration_minutes" in data and data["duration_minutes"] is not None:
        value = data["duration_minutes"]
        if kind is not None and kind not in ("mute", "ban"):
            errors["duration_minutes"] = _l("%(kind)s takes no duration.", kind=kind)
        elif isinstance(value, bool) or not isinstance(value, int):
            errors["duration_minutes"] = _l("duration_minutes must be a whole number of minutes.")
        elif not 0 < value <= sanctions.MAX_DURATION_MINUTES:
            errors["duration_minutes"] = _l("duration_minutes must be 1 to 525600.")
        else:
            duration = value
    elif kind == "mute":
        errors["duration_minutes"] = _l("A mute needs duration_minutes.")

    action = Action(
        kind=kind or "",
        reason=reason.strip() if isinstance(reason, str) else "",
        duration_minutes=duration,
    )
    target = data.get("target")
    if not isinstance(target, dict):
        errors["target"] = _l("target must be an object.")
    elif kind is not None:
        allowed: set[str] = set()
        if kind == "remove_message":
            allowed = {"message_id"}
            if not is_id(target.get("message_id")):
                errors["target"] = _l("message_id must be a positive integer.")
            else:
                action.message_id = target["message_id"]
        elif kind in USER_KINDS:
            allowed = _user_target(target, errors, action)
            if kind == "warn" and "room_id" in target:
                allowed |= _room_target(target, errors, action)
        elif kind == "remove_from_room":
            allowed = _user_target(target, errors, action) | _room_target(target, errors, action)
        else:
            allowed = _room_target(target, errors, action)
        extra = set(target) - allowed
        if extra and "target" not in errors:
            errors["target"] = _l(
                "Unexpected %(fields)s; use %(shape)s.",
                fields=", ".join(sorted(extra)),
                shape=_TARGET_HELP[kind],
            )
    if errors:
        raise ApiError(400, "invalid", _l("Some fields need a look."), errors)
    return action


#: Whole sentences per target, so each language can word (and inflect) its own.
_NOT_FOUND = {
    "member": (_l("We couldn't find that member."), _l("No such member.")),
    "room": (_l("We couldn't find that room."), _l("No such room.")),
    "message": (_l("We couldn't find that message."), _l("No such message.")),
}


def _not_found(what: str) -> ApiError:
    message, field = _NOT_FOUND[what]
    return ApiError(404, "not_found", message, {"target": field})


def _user(action: Action) -> User:
    user: User | None
    if action.user_id is not None:
        user = db.session.get(User, action.user_id)
    else:
        user = find_by_handle(action.handle or "")
    if user is None or not user.is_active:
        raise _not_found("member")
    return user


def _room(action: Action) -> Room:
    room = db.session.get(Room, action.room_id) if action.room_id else None
    if room is None:
        raise _not_found("room")
    return room


def perform(action: Action, *, by: User) -> AuditEntry:
    """Look the targets up and run the action (flushes; the caller commits).

    Raises ApiError (404 unknown target, 403 not allowed, 409 not possible now).
    """
    try:
        if action.kind == "remove_message":
            message = db.session.get(Message, action.message_id)
            if message is None:
                raise _not_found("message")
            return room_actions.remove_message(message, by=by, reason=action.reason)
        if action.kind in ROOM_KINDS:
            room = _room(action)
            handler = getattr(room_actions, action.kind)
            entry: AuditEntry = handler(room, by=by, reason=action.reason)
            return entry
        user = _user(action)
        if action.kind == "remove_from_room":
            return sanctions.remove_from_room(user, _room(action), by=by, reason=action.reason)
        if action.kind == "warn":
            warn_room = _room(action) if action.room_id else None
            return sanctions.warn(user, by=by, reason=action.reason, room=warn_room)
        if action.kind == "mute":
            assert action.duration_minutes is not None
            return sanctions.mute(user, action.duration_minutes, by=by, reason=action.reason)
        if action.kind == "ban":
            return sanctions.ban(user, action.duration_minutes, by=by, reason=action.reason)
        return sanctions.unban(user, by=by, reason=action.reason)
    except ModerationError as problem:
        fields = {problem.field: problem.message} if problem.field else None
        raise ApiError(problem.status, problem.code, problem.message, fields) from None
