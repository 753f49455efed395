"""The ``/chat`` Socket.IO namespace (CONTRACT.md §4).

Members' browsers (``static/js/chat.js``) send these events; every one answers with
an acknowledgement ``{"ok": true, ...}`` or ``{"ok": false, "error": {"code",
"message"}}``. An open socket keeps the session it connected with, so each event
re-loads the user from the database and re-checks login, ban, membership, room
status and mute. Handlers are thin: parse → authorize → service → commit once →
ack and broadcast (nothing is sent for a transaction that did not commit).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import current_app, request, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, Namespace, join_room

import crisis
from accounts.models import User
from accounts.routes import SESSION_KEY
from db import MAX_ID, db
from i18n import current_language
from notifications import service as notes
from profiles.service import get_profile
from rooms import (
    broadcast,
    care,
    guards,
    guidance,
    payloads,
    posting,
    queries,
    reactions,
    reports,
    rounds,
)
from rooms.guards import ChatError
from rooms.membership import leave_room, mark_read, set_personal_mute, set_seat
from rooms.models import Membership, Message, Room

F = TypeVar("F", bound=Callable[..., Any])

SERVER_ERROR_TEXT = _l("Something went wrong on our side. Nothing you did caused this.")


def _crisis_payload_for(user: User, result: posting.PostResult) -> dict[str, Any]:
    """The author's ``crisis_resources``: their region's lines first (their choice on
    the help page, their profile's time zone, their browser's language), and the
    gentle text when the verdict is severity 1 (past hard times, strong distress)."""
    profile = get_profile(user.id)
    region = crisis.region_for(
        chosen=crisis.chosen_region(session),
        timezone=profile.timezone if profile is not None else None,
        accept_language=request.headers.get("Accept-Language"),
    )
    severity = getattr(result.verdict, "crisis_severity", None)
    return crisis.crisis_payload(region, severity=int(severity) if severity is not None else None)


def _sid() -> str:
    """This socket's id (Flask-SocketIO adds ``sid`` to the request)."""
    return str(getattr(request, "sid", ""))


def _rollback() -> None:
    try:
        db.session.rollback()
    except Exception:  # the session may be unusable; the error is logged by the caller
        current_app.logger.exception("rollback failed")


def handler(event: str) -> Callable[[F], F]:
    """Turn every outcome of a /chat handler into an acknowledgement.

    ChatError → its code; any other exception → ``server_error`` with a rollback
    and a log line. Nothing escapes to the Socket.IO server.
    """

    def decorate(fn: F) -> F:
        @wraps(fn)
        def wrapped(self: ChatNamespace, *args: Any) -> dict[str, Any]:
            try:
                data = args[0] if len(args) == 1 else None
                if not isinstance(data, dict):
                    raise ChatError("invalid", _l("That request had an unexpected shape."))
                return cast(dict[str, Any], fn(self, data))
            except ChatError as problem:
                _rollback()
                return payloads.error(problem.code, problem.message, **problem.extra)
            except Exception:
                _rollback()
                current_app.logger.exception("/chat %s failed (sid %s)", event, _sid())
                return payloads.error("server_error", SERVER_ERROR_TEXT)

        return cast(F, wrapped)

    return decorate


# --- parsing -----------------------------------------------------------------------


def _int(data: dict[str, Any], key: str, *, required: bool = True, minimum: int = 1) -> int | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= MAX_ID:
        raise ChatError("invalid", _l("%(key)s should be a whole number.", key=key))
    return value


def _required_int(data: dict[str, Any], key: str) -> int:
    value = _int(data, key)
    assert value is not None
    return value


# --- authorization -----------------------------------------------------------------


def _socket_user_id() -> int:
    info = broadcast.socket_info(_sid())
    if info is None or not isinstance(session.get("_user_id"), str):
        raise ChatError("not_authenticated", _l("Please log in again."))
    return info.user_id


def _checked(user: User | None) -> User:
    """Deleted, signed-out or banned users lose access, whatever their socket says."""
    if user is None or not user.is_active:
        raise ChatError("not_authenticated", _l("Please log in again."))
    if user.is_banned():
        raise ChatError("banned", _l("Your account can't take part right now."))
    if session.get("_user_id") != user.get_id():
        raise ChatError("not_authenticated", _l("You were signed out. Please log in again."))
    return user


def _user() -> User:
    """The socket's user, re-loaded and re-checked."""
    return _checked(db.session.get(User, _socket_user_id()))


def _room(room_id: int, user: User) -> Room:
    room = queries.get_room(room_id)
    return _existing(room, user)


def _existing(room: Room | None, user: User) -> Room:
    if room is None:
        if user.is_moderator:
            raise ChatError("invalid", _l("There's no such room."))
        raise ChatError("not_member", _l("You're not a member of this room."))
    return room


def _member(data: dict[str, Any]) -> tuple[User, Room, Membership]:
    """User, room and active membership, re-loaded in one query and re-checked."""
    user_id = _socket_user_id()
    try:
        room_id = _required_int(data, "room_id")
    except ChatError:
        _user()  # who may not act at all hears that first
        raise
    user, room, membership = queries.member_context(user_id, room_id)
    user = _checked(user)
    room = _existing(room, user)
    if membership is None:
        raise ChatError("not_member", _l("You're not a member of this room."))
    return user, room, membership


def _visible_message(data: dict[str, Any], user: User) -> tuple[Message, Room]:
    message = queries.get_message(_required_int(data, "message_id"))
    if message is None:
        raise ChatError("invalid", _l("There's no such message."))
    room = _room(message.room_id, user)
    guards.require_viewer(room, user)
    if message.held and message.author_id != user.id:
        raise ChatError("invalid", _l("There's no such message."))
    return message, room


def _message_payload(message: Message, *, new: bool = False) -> dict[str, Any]:
    # A message stored in this very event has no reactions yet: skip the query.
    counts = None if new else reactions.reaction_counts([message.id]).get(message.id)
    return payloads.message(message, counts)


class ChatNamespace(Namespace):
    """Members' live rooms."""

    def on_connect(self, auth: Any = None) -> None:
        """A browser opens /chat with its session cookie; refused unless logged in."""
        raw = session.get("_user_id")
        if not current_user.is_authenticated:
            user_id, _sep, _token = raw.partition(":") if isinstance(raw, str) else ("", "", "")
            user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
            if user is not None and user.is_active and user.is_banned():
                raise ConnectionRefusedError(
                    {"code": "banned", "message": _("Your account can't take part right now.")}
                )
            raise ConnectionRefusedError(
                {"code": "not_authenticated", "message": _("Please log in first.")}
            )
        user = current_user._get_current_object()
        session_key = session.get(SESSION_KEY)
        broadcast.register_socket(
            _sid(), user.id, session_key if isinstance(session_key, str) else None
        )
        join_room(broadcast.user_room(user.id))
        if isinstance(session_key, str):
            join_room(broadcast.session_room(session_key))
        try:  # connected anywhere: no room_activity notices while this socket is open
            notes.socket_opened(user.id)
            db.session.commit()
        except Exception:
            _rollback()
            current_app.logger.exception("/chat presence bookkeeping failed")

    def on_disconnect(self, reason: Any = None) -> None:
        """The socket went away: update the others' presence, remember what was read."""
        info = broadcast.forget_socket(_sid())
        if info is None:
            return
        try:
            notes.socket_closed(info.user_id)
            for room_id in info.rooms:
                membership = queries.membership_of(room_id, info.user_id)
                if membership is not None:
                    mark_read(membership)
            db.session.commit()
            for room_id in info.rooms:
                broadcast.presence(room_id)
        except Exception:
            _rollback()
            current_app.logger.exception("/chat disconnect bookkeeping failed")

    @handler("join")
    def on_join(self, data: dict[str, Any]) -> dict[str, Any]:
        """``join {room_id, after_id?}``: history (catch-up) and who is here."""
        user = _user()
        room = _room(_required_int(data, "room_id"), user)
        after_id = _int(data, "after_id", required=False, minimum=0)
        if room.is_care and user.is_moderator:
            care.join_as_moderator(room, user)  # any moderator may; audited
        membership = guards.require_viewer(room, user)
        messages, has_more = queries.history(room, user, after_id=after_id)
        counts = reactions.reaction_counts([m.id for m in messages])
        if membership is not None:
            mark_read(membership)
        muted = queries.muted_handles(room.id, user.id)
        db.session.commit()
        audience = (
            broadcast.member_room(room.id, user.id)
            if membership is not None
            else broadcast.watchers_room(room.id)
        )
        join_room(audience)
        # Hearth's own lines reach this socket in the language it reads (rooms.texts).
        join_room(broadcast.language_room(audience, current_language()))
        broadcast.socket_joined(_sid(), room.id)
        members = broadcast.members(room.id)
        broadcast.presence(room.id)
        return payloads.ok(
            room=payloads.room(room, members, round_text=rounds.round_text(room)),
            messages=[payloads.message(m, counts.get(m.id)) for m in messages],
            has_more=has_more,
            muted=muted,
            me={
                "handle": user.display_handle,
                "seat": membership.seat.value if membership else None,
                "member": membership is not None,
            },
        )

    @handler("send")
    def on_send(self, data: dict[str, Any]) -> dict[str, Any]:
        """``send {room_id, body, client_msg_id}``: ok only once the message is stored."""
        user, room, membership = _member(data)
        try:
            result = posting.post_message(
                room, user, data.get("body"), data.get("client_msg_id"), membership=membership
            )
        except posting.DuplicateSend as clash:
            db.session.rollback()
            winner = posting.find_retry(room, clash)
            if winner is None:
                raise
            result = winner
        payload = _message_payload(result.message, new=result.created)
        # The other members hear once a day that someone is having a hard time; the
        # claim is stored in this transaction, so only one process ever sends it.
        guide_peers = (
            result.crisis
            and result.created
            and not result.held
            and guidance.claim_peer_guidance(room)
        )
        db.session.commit()
        if result.held:
            if result.crisis:
                broadcast.crisis_resources(user.id, _crisis_payload_for(user, result))
            return payloads.error("held_for_review", posting.HELD_TEXT, held_message=payload)
        if result.created:
            broadcast.message(payload, author_id=user.id, skip_sid=_sid())
            if result.crisis:
                broadcast.crisis_resources(user.id, _crisis_payload_for(user, result))
            if guide_peers:
                broadcast.peer_guidance_later(
                    room.id,
                    author_id=user.id,
                    data=payloads.peer_guidance(room.id, **guidance.card()),
                    delay=guidance.delay_seconds(),
                )
        return payloads.ok(message=payload, created=result.created)

    @handler("react")
    def on_react(self, data: dict[str, Any]) -> dict[str, Any]:
        """``react {message_id, kind}``: toggle a heart / me_too / hug / thanks."""
        user = _user()
        message, room = _visible_message(data, user)
        guards.require_member(room, user)
        guards.require_writable(room)
        guards.require_may_post(user)
        on, counts = reactions.toggle_reaction(message, user, data.get("kind"))
        db.session.commit()
        full = payloads.empty_reactions()
        full.update(counts)
        broadcast.reactions(room.id, message.id, counts)
        return payloads.ok(message_id=message.id, kind=data.get("kind"), on=on, reactions=full)

    @handler("seat")
    def on_seat(self, data: dict[str, Any]) -> dict[str, Any]:
        """``seat {room_id, seat}``: listening or sharing; both are welcome."""
        _user_obj, room, membership = _member(data)
        guards.require_writable(room)
        seat = set_seat(membership, data.get("seat"))
        db.session.commit()
        broadcast.presence(room.id)
        return payloads.ok(seat=seat.value)

    @handler("pass")
    def on_pass(self, data: dict[str, Any]) -> dict[str, Any]:
        """``pass {room_id}``: skip this round, with a calm line for the room."""
        user, room, _membership = _member(data)
        guards.require_writable(room)
        line = rounds.pass_round(room, user)
        payload = _message_payload(line) if line is not None else None
        db.session.commit()
        if payload is not None:
            broadcast.message(payload, skip_sid=_sid())
        return payloads.ok(message=payload)

    @handler("mute_member")
    def on_mute_member(self, data: dict[str, Any]) -> dict[str, Any]:
        """``mute_member {room_id, handle, muted}``: hide someone for yourself only."""
        user, room, _membership = _member(data)
        muted = set_personal_mute(room, user, data.get("handle"), data.get("muted"))
        db.session.commit()
        return payloads.ok(muted=muted)

    @handler("report")
    def on_report(self, data: dict[str, Any]) -> dict[str, Any]:
        """``report {message_id, reason, note?}``: to the moderators' queue."""
        user = _user()
        message, _room_obj = _visible_message(data, user)
        report_id = reports.file_report(user, message, data.get("reason"), data.get("note"))
        db.session.commit()
        return payloads.ok(report_id=report_id)

    @handler("concern")
    def on_concern(self, data: dict[str, Any]) -> dict[str, Any]:
        """``concern {room_id, about_handle?, note?}``: "I'm worried about someone"."""
        user = _user()
        room = _room(_required_int(data, "room_id"), user)
        guards.require_viewer(room, user)
        concern_id = reports.raise_concern(user, room, data.get("about_handle"), data.get("note"))
        db.session.commit()
        return payloads.ok(concern_id=concern_id)

    @handler("leave")
    def on_leave(self, data: dict[str, Any]) -> dict[str, Any]:
        """``leave {room_id}``: leave the group (every socket of the user leaves the room)."""
        user, room, membership = _member(data)
        leave_room(membership)
        db.session.commit()
        broadcast.removed_quietly(user.id, room.id)
        return payloads.ok(room_id=room.id)
