"""What a reader sees of a message: people's words as written, Hearth's own lines
(prompts, system lines) in the reader's language.

A line Hearth writes stores its English ``body`` and, beside it, the msgid and values
(``Message.body_i18n``, an ``i18n.StoredText``); it is translated when read, in the
language of the request or socket that reads it. Older lines without one are
translated when their body is exactly one of our msgids.
"""

from __future__ import annotations

from flask_babel import gettext

from i18n import StoredText
from rooms.models import Message, MessageKind

#: Kinds whose words Hearth writes itself.
HEARTH_KINDS = frozenset({MessageKind.PROMPT, MessageKind.SYSTEM})


def stored_fields(text: str | StoredText) -> tuple[str, str | None]:
    """What a message Hearth writes stores for ``text``: its English ``body`` and its
    ``body_i18n`` (None for a string, shown as written)."""
    if isinstance(text, StoredText):
        return text.english(), text.to_json()
    return str(text), None


def stored_text(message: Message) -> StoredText | None:
    if message.body_i18n is None or message.kind not in HEARTH_KINDS:
        return None
    return StoredText.from_json(message.body_i18n)


def shown_body(message: Message) -> str:
    """The body in the current locale (the request's, the socket's, or one forced)."""
    if message.kind not in HEARTH_KINDS or not message.body:
        return message.body
    text = stored_text(message)
    if text is not None:
        return text.translated()
    return gettext(message.body)
