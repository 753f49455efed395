"""Check-in rounds: a gentle prompt members may answer or pass."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from accounts.models import User
from db import db
from i18n import N_, StoredText
from rooms import texts
from rooms.constants import MAX_BODY
from rooms.guards import ChatError
from rooms.models import Message, MessageKind, Room

#: The room's line when someone passes a round (shown in each reader's language).
PASSED_TEXT = N_("%(handle)s is listening this round.")


def round_text(room: Room) -> str | None:
    """The open round's question, in the reader's language."""
    if room.round_message_id is None:
        return None
    prompt = db.session.get(Message, room.round_message_id)
    return texts.shown_body(prompt) if prompt is not None else None


def start_round(room: Room, text: str | StoredText, *, started_by: User | None) -> Message:
    """Post a gentle check-in prompt; members may answer or pass. A ``StoredText``
    (Hearth's own prompts) is shown in each reader's language; a string as written.

    The caller broadcasts ``prompt`` and ``message`` after committing.
    """
    english, body_i18n = texts.stored_fields(text)
    body = " ".join(english.split())[:MAX_BODY]
    if not body:
        raise ChatError("invalid", _l("A round needs a prompt."))
    prompt = Message(
        room_id=room.id,
        author_id=None,
        kind=MessageKind.PROMPT,
        body=body,
        body_i18n=body_i18n,
    )
    db.session.add(prompt)
    db.session.flush()
    room.round_message_id = prompt.id
    db.session.flush()
    return prompt


def pass_round(room: Room, user: User) -> Message | None:
    """Pass on the open round: a calm system line, once per round. None if already passed."""
    if room.round_message_id is None:
        raise ChatError("invalid", _l("There's no round going right now."))
    already = db.session.scalar(
        select(Message.id).where(
            Message.room_id == room.id,
            Message.kind == MessageKind.SYSTEM,
            Message.author_id == user.id,
            Message.id > room.round_message_id,
            Message.client_msg_id.is_(None),
        )
    )
    if already is not None:
        return None
    body, body_i18n = texts.stored_fields(StoredText(PASSED_TEXT, {"handle": user.display_handle}))
    line = Message(
        room_id=room.id,
        author_id=user.id,
        kind=MessageKind.SYSTEM,
        body=body,
        body_i18n=body_i18n,
    )
    db.session.add(line)
    db.session.flush()
    return line
