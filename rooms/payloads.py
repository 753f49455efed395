"""Every wire shape of the rooms package, in one place (CONTRACT.md §3–4).

Messages, rooms and error acknowledgements are built here and nowhere else, so
the socket events, the history API and the broadcasts can never drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from accounts.models import User
from errors import Text
from rooms import texts
from rooms.constants import MODERATORS_HANDLE, REACTION_KINDS, REPORT_REASONS, SYSTEM_HANDLE
from rooms.models import Message, MessageKind, Room

__all__ = ["REPORT_REASONS", "error", "message", "ok", "room"]

#: The CONTRACT's error codes for /chat acknowledgements.
ERROR_CODES = frozenset(
    {
        "not_authenticated",
        "forbidden",
        "not_member",
        "invalid",
        "too_long",
        "rate_limited",
        "muted",
        "banned",
        "room_closed",
        "room_paused",
        "contact_details",
        "held_for_review",
        "server_error",
    }
)

REMOVED_TEXT = "This message was removed by a moderator."


def ok(**fields: Any) -> dict[str, Any]:
    """A successful acknowledgement: ``{"ok": true, ...}``."""
    return {"ok": True, **fields}


def error(code: str, text: Text, /, **extra: Any) -> dict[str, Any]:
    """A failed acknowledgement: ``{"ok": false, "error": {"code", "message", ...}}``.

    A lazily translated ``text`` becomes the socket's locale here (the JSON encoder
    of the socket layer knows nothing of lazy strings).

    ``extra`` goes into the error object (e.g. ``retry_after``, or the held ``message``).
    """
    assert code in ERROR_CODES, code
    return {"ok": False, "error": {"code": code, "message": str(text), **extra}}


def author(msg: Message) -> dict[str, str]:
    if msg.kind == MessageKind.MODERATOR:
        return {"handle": MODERATORS_HANDLE, "role": "moderator"}
    if msg.kind in (MessageKind.PROMPT, MessageKind.SYSTEM) or msg.author is None:
        return {"handle": SYSTEM_HANDLE, "role": "system"}
    user: User = msg.author
    return {"handle": user.display_handle, "role": user.role.value}


def empty_reactions() -> dict[str, int]:
    return dict.fromkeys(REACTION_KINDS, 0)


def message(msg: Message, reactions: Mapping[str, int] | None = None) -> dict[str, Any]:
    """The CONTRACT message object.

    Extra fields: ``client_msg_id`` (lets the sender match a resend), ``removed``
    (a removed message is a placeholder with an empty body, the same thing the
    ``message_removed`` event turns a live message into) and ``held`` (only ever
    true in the author's own copy). A prompt or system line Hearth wrote has its
    body in the current locale (``rooms.texts``).
    """
    counts = empty_reactions()
    if reactions:
        counts.update({kind: int(n) for kind, n in reactions.items() if kind in counts})
    removed = msg.is_removed
    return {
        "id": msg.id,
        "room_id": msg.room_id,
        "author": author(msg),
        "body": "" if removed else texts.shown_body(msg),
        "created_at": msg.created_at.isoformat(),
        "reactions": counts,
        "kind": msg.kind.value,
        "client_msg_id": msg.client_msg_id,
        "removed": removed,
        "held": bool(msg.held),
    }


def member(handle: str, seat: str, online: bool) -> dict[str, Any]:
    return {"handle": handle, "seat": seat, "online": online}


def room(
    r: Room,
    members: Iterable[dict[str, Any]],
    *,
    round_text: str | None = None,
) -> dict[str, Any]:
    """The CONTRACT room object, plus ``slow_mode_seconds`` and the open ``round``."""
    return {
        "id": r.id,
        "name": r.name,
        "status": r.status.value,
        "kind": r.kind.value,
        "members": list(members),
        "slow_mode_seconds": r.slow_mode_seconds,
        "round": (
            {"message_id": r.round_message_id, "text": round_text}
            if r.round_message_id is not None
            else None
        ),
    }


def room_summary(r: Room, unread: int) -> dict[str, Any]:
    """A room as listed on /groups (``signals.collect_member_rooms``), with its ``kind``."""
    return {
        "id": r.id,
        "name": r.name,
        "status": r.status.value,
        "unread": unread,
        "kind": r.kind.value,
    }


def peer_guidance(room_id: int, *, text: str, title: str, url: str) -> dict[str, Any]:
    """``peer_guidance``: the calm card for the other members after a crisis message.
    Names nobody and carries nothing of the message or its verdict."""
    return {"room_id": room_id, "title": title, "text": text, "url": url}
