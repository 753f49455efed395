"""Server → client events of /chat, sent only after the sender's transaction committed.

Socket.IO rooms used (one socket joins several):

- ``user:<id>``: every /chat socket of that user (private events: crisis_resources, notice);
- ``session:<hearth_sid>``: the sockets of one login, so a logout closes exactly those;
- ``room:<room_id>:user:<id>``: that user's sockets that joined the room. Room events go to
  the members' rooms, which lets personal mutes be honoured server-side and lets a removal
  close one room (``close_room`` is relayed by the message queue across processes);
- ``room:<room_id>:mods``: moderators who joined without being members;
- ``<either of the two>:lang:<code>``: the same sockets by the language they read in
  (``i18n.current_language`` when they joined): prompts and system lines Hearth wrote
  go out once per language, each socket getting them in its own (``rooms.texts``).

Room ``message`` events are also emitted to ``/mod`` room ``watch:<room_id>`` for the
console's read-only ``watch_room``.

Emits go through ``socketio.emit``/``close_room``, so with ``SOCKETIO_MESSAGE_QUEUE`` they
reach sockets on every process. Presence (who is online) and forced disconnects use this
process's own view of its sockets.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import bindparam, func, literal, select

from accounts.models import User
from db import db
from extensions import socketio
from i18n import LANGUAGES, StoredText
from rooms import payloads, texts
from rooms.models import Membership, Message, PersonalMute

log = logging.getLogger(__name__)

NAMESPACE = "/chat"
MOD_NAMESPACE = "/mod"


def user_room(user_id: int) -> str:
    return f"user:{user_id}"


def session_room(session_key: str) -> str:
    return f"session:{session_key}"


def member_room(room_id: int, user_id: int) -> str:
    return f"room:{room_id}:user:{user_id}"


def watchers_room(room_id: int) -> str:
    return f"room:{room_id}:mods"


def mod_watch_room(room_id: int) -> str:
    return f"watch:{room_id}"


def language_room(room: str, code: str) -> str:
    """The sockets of ``room`` (a member's or the watchers') that read in ``code``."""
    return f"{room}:lang:{code}"


# --- this process's sockets --------------------------------------------------------


@dataclass
class SocketInfo:
    user_id: int
    session_key: str | None
    rooms: set[int] = field(default_factory=set)


_lock = threading.Lock()
_sockets: dict[str, SocketInfo] = {}


def register_socket(sid: str, user_id: int, session_key: str | None) -> None:
    with _lock:
        _sockets[sid] = SocketInfo(user_id, session_key)


def forget_socket(sid: str) -> SocketInfo | None:
    with _lock:
        return _sockets.pop(sid, None)


def socket_info(sid: str) -> SocketInfo | None:
    with _lock:
        return _sockets.get(sid)


def socket_joined(sid: str, room_id: int) -> None:
    with _lock:
        info = _sockets.get(sid)
        if info is not None:
            info.rooms.add(room_id)


def socket_left(sid: str, room_id: int) -> None:
    with _lock:
        info = _sockets.get(sid)
        if info is not None:
            info.rooms.discard(room_id)


def online_user_ids(room_id: int, *, exclude_sid: str | None = None) -> set[int]:
    """Users with at least one socket in the room (this process's view)."""
    with _lock:
        return {
            info.user_id
            for sid, info in _sockets.items()
            if room_id in info.rooms and sid != exclude_sid
        }


def _local_sids(room: str) -> list[str]:
    server = getattr(socketio, "server", None)
    if server is None:
        return []
    return [sid for sid, _eio_sid in server.manager.get_participants(NAMESPACE, room)]


# --- emits -------------------------------------------------------------------------


def _emit(event: str, data: Any, to: str | list[str], *, skip_sid: str | None = None) -> None:
    if isinstance(to, list) and not to:
        return
    socketio.emit(event, data, to=to, namespace=NAMESPACE, skip_sid=skip_sid)


def _emit_each_language(
    event: str,
    data: dict[str, Any],
    field_name: str,
    text_of: Callable[[], str],
    targets: list[str],
    *,
    skip_sid: str | None = None,
) -> None:
    """``data`` with ``field_name`` set to ``text_of()`` in each language, to the
    sockets of ``targets`` reading in it."""
    for code in LANGUAGES:
        with force_locale(code):
            text = text_of()
        _emit(
            event,
            {**data, field_name: text},
            [language_room(target, code) for target in targets],
            skip_sid=skip_sid,
        )


def _translatable(payload: dict[str, Any]) -> Message | None:
    """The stored line behind a payload Hearth wrote in several languages, if any."""
    if payload.get("kind") not in ("prompt", "system") or payload.get("removed"):
        return None
    source = db.session.get(Message, int(payload["id"]))
    return source if source is not None and texts.stored_text(source) is not None else None


def _member_ids(room_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(Membership.user_id).where(
                Membership.room_id == room_id, Membership.left_at.is_(None)
            )
        )
    )


def _room_targets(room_id: int) -> list[str]:
    return [*(member_room(room_id, uid) for uid in _member_ids(room_id)), watchers_room(room_id)]


def _audience_statement(*, with_author: bool) -> Any:
    """Active members (with "has muted the author?") and the previous message id.

    Built once per shape: the send path runs it for every message, and building a
    statement and its cache key costs more than running it.
    """
    muted = (
        select(PersonalMute.id)
        .where(
            PersonalMute.room_id == bindparam("room_id"),
            PersonalMute.user_id == Membership.user_id,
            PersonalMute.muted_user_id == bindparam("author_id"),
        )
        .exists()
        if with_author
        else literal(False)
    )
    previous = (
        select(func.max(Message.id))
        .where(Message.room_id == bindparam("room_id"), Message.id < bindparam("message_id"))
        .scalar_subquery()
    )
    return select(Membership.user_id, muted, previous).where(
        Membership.room_id == bindparam("room_id"), Membership.left_at.is_(None)
    )


_AUDIENCE = _audience_statement(with_author=True)
_AUDIENCE_NO_AUTHOR = _audience_statement(with_author=False)
_PREVIOUS_ID = select(func.max(Message.id)).where(
    Message.room_id == bindparam("room_id"), Message.id < bindparam("message_id")
)


def _message_audience(
    room_id: int, message_id: int, author_id: int | None
) -> tuple[list[str], int | None]:
    """Targets for a new message and the room's previous message id, in one query.

    Members who personally muted ``author_id`` are left out. The send path runs this
    for every message, so it asks once instead of three times (members, mutes,
    previous id).
    """
    params = {"room_id": room_id, "message_id": message_id}
    if author_id is None:
        rows = db.session.execute(_AUDIENCE_NO_AUTHOR, params).all()
    else:
        rows = db.session.execute(_AUDIENCE, {**params, "author_id": author_id}).all()
    # With nobody left in the room, moderators watching still get it.
    prev_id = rows[0][2] if rows else db.session.scalar(_PREVIOUS_ID, params)
    targets = [member_room(room_id, uid) for uid, is_muter, _ in rows if not is_muter]
    return [*targets, watchers_room(room_id)], prev_id


def message(
    payload: dict[str, Any],
    *,
    author_id: int | None = None,
    skip_sid: str | None = None,
) -> None:
    """A new message to everyone in the room except those who personally muted its
    author (``author_id``) and the sending socket (it has the message in its ack)."""
    room_id = int(payload["room_id"])
    targets, prev_id = _message_audience(room_id, int(payload["id"]), author_id)
    # ``prev_id``: the room's previous message id (whoever may see it). A client whose
    # newest id is lower may have missed a broadcast (say, while a process lost its
    # message queue) and re-joins with its ``after_id`` to close the gap.
    payload = {**payload, "prev_id": prev_id}
    source = _translatable(payload)
    if source is None:
        _emit("message", payload, targets, skip_sid=skip_sid)
        watched = payload
    else:
        _emit_each_language(
            "message", payload, "body", lambda: texts.shown_body(source), targets, skip_sid=skip_sid
        )
        # Moderators watching see Hearth's lines in English, the stored body, as the
        # watch history does (moderation.events._watch_message).
        watched = {**payload, "body": source.body}
    socketio.emit("message", watched, to=mod_watch_room(room_id), namespace=MOD_NAMESPACE)


def message_removed(room_id: int, message_id: int) -> None:
    """A moderator removed a message: clients turn it into a placeholder."""
    _emit("message_removed", {"room_id": room_id, "id": message_id}, _room_targets(room_id))


def reactions(room_id: int, message_id: int, counts: dict[str, int]) -> None:
    full = payloads.empty_reactions()
    full.update(counts)
    _emit(
        "reactions",
        {"room_id": room_id, "message_id": message_id, "reactions": full},
        _room_targets(room_id),
    )


def members(room_id: int, *, exclude_sid: str | None = None) -> list[dict[str, Any]]:
    """Members with seat and online state: who is here, never who is typing or reading."""
    online = online_user_ids(room_id, exclude_sid=exclude_sid)
    rows = db.session.execute(
        select(User, Membership)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.room_id == room_id, Membership.left_at.is_(None))
        .order_by(Membership.joined_at, Membership.id)
    )
    return [
        payloads.member(user.display_handle, membership.seat.value, user.id in online)
        for user, membership in rows
    ]


def presence(room_id: int, *, exclude_sid: str | None = None) -> None:
    _emit(
        "presence",
        {"room_id": room_id, "members": members(room_id, exclude_sid=exclude_sid)},
        _room_targets(room_id),
    )


def prompt(room_id: int, text: str) -> None:
    """A check-in round started: members may answer or pass."""
    _emit("prompt", {"room_id": room_id, "text": text}, _room_targets(room_id))


def round_started(prompt_message: Message) -> None:
    """After ``rounds.start_round`` committed: the prompt as a message, then ``prompt``
    (Hearth's own prompts in each reader's language)."""
    message(payloads.message(prompt_message))
    if texts.stored_text(prompt_message) is None:
        prompt(prompt_message.room_id, prompt_message.body)
        return
    _emit_each_language(
        "prompt",
        {"room_id": prompt_message.room_id},
        "text",
        lambda: texts.shown_body(prompt_message),
        _room_targets(prompt_message.room_id),
    )


def crisis_resources(user_id: int, data: dict[str, Any]) -> None:
    """Privately, to every socket of the author only."""
    _emit("crisis_resources", data, user_room(user_id))


def peer_guidance(room_id: int, *, author_id: int, data: dict[str, Any]) -> None:
    """The guidance card to every other member of the room (never the author, and
    not those who personally muted the author: they did not see the message)."""
    targets, _prev_id = _message_audience(room_id, 0, author_id)
    own = member_room(room_id, author_id)
    _emit(
        "peer_guidance",
        data,
        [target for target in targets if target not in (own, watchers_room(room_id))],
    )


def peer_guidance_later(
    room_id: int, *, author_id: int, data: dict[str, Any], delay: float
) -> None:
    """:func:`peer_guidance` after ``delay`` seconds, from a background task with its
    own app context (at once when ``delay`` is 0). A restart in between loses the
    card for that day, never the message or the moderators' item."""
    if delay <= 0:
        peer_guidance(room_id, author_id=author_id, data=data)
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def later() -> None:
        socketio.sleep(delay)
        with app.app_context():
            try:
                peer_guidance(room_id, author_id=author_id, data=data)
            except Exception:  # a card that could not be sent is not worth a crash
                log.exception("peer guidance card for room %s was not sent", room_id)
            finally:
                db.session.remove()

    socketio.start_background_task(later)


def notice(
    *,
    user_id: int | None = None,
    room_id: int | None = None,
    level: str = "info",
    code: str,
    text: str | StoredText,
) -> None:
    """A calm note to one user (all their sockets) or to a whole room. A
    ``StoredText`` to a room reaches each socket in the language it reads; to one
    user, in the language of the request sending it."""
    shown = text.translated() if isinstance(text, StoredText) else text
    data: dict[str, Any] = {"level": level, "code": code, "text": shown}
    if room_id is not None:
        data["room_id"] = room_id
    if user_id is not None:
        _emit("notice", data, user_room(user_id))
    elif room_id is not None and isinstance(text, StoredText):
        _emit_each_language("notice", data, "text", text.translated, _room_targets(room_id))
    elif room_id is not None:
        _emit("notice", data, _room_targets(room_id))


def removed(user_id: int, room_id: int | None, reason: str) -> None:
    """Tell the user they were removed from a room (or from Hearth, ``room_id`` None),
    then take their sockets out of it (or disconnect them)."""
    _emit("removed", {"room_id": room_id, "reason": reason}, user_room(user_id))
    if room_id is None:
        disconnect_user(user_id)
        return
    removed_quietly(user_id, room_id)


def removed_quietly(user_id: int, room_id: int) -> None:
    """Take every socket of the user out of the room (they left it themselves)."""
    for sid in _local_sids(member_room(room_id, user_id)):
        socket_left(sid, room_id)
    socketio.close_room(member_room(room_id, user_id), namespace=NAMESPACE)
    for code in LANGUAGES:
        socketio.close_room(language_room(member_room(room_id, user_id), code), namespace=NAMESPACE)
    presence(room_id)


def disconnect_user(user_id: int) -> None:
    for sid in _local_sids(user_room(user_id)):
        socketio.server.disconnect(sid, namespace=NAMESPACE)


def disconnect_session(session_key: str) -> None:
    for sid in _local_sids(session_room(session_key)):
        socketio.server.disconnect(sid, namespace=NAMESPACE)
