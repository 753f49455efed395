"""Hearth's own words in queue excerpts, in the reader's language.

``reports.raise_concern`` and ``reports.file_report`` store a few excerpts Hearth
writes itself in English ("Concern about sam: …", "A member reported this room."),
and the stored text is part of the queue item's shape. The console translates them
when it shows them, by recognising the pattern Hearth wrote; whatever a person
wrote (a report note, a concern's note, a message) is shown as written.
"""

from __future__ import annotations

import re

from flask_babel import gettext

from moderation.models import QueueKind

#: ``raise_concern``'s excerpt: "Concern about <handle|the room>" then ": <note>" or ".".
_CONCERN = re.compile(r"Concern about (?P<about>[^:]+?)(?:: (?P<note>.*)|\.)\Z", re.DOTALL)
#: ``file_report``'s excerpt for a room reported without a note.
ROOM_REPORTED = "A member reported this room."


def excerpt(kind: str, text: str) -> str:
    """A queue item's stored excerpt, in the request's language where Hearth wrote it."""
    if kind == QueueKind.REPORT and text == ROOM_REPORTED:
        return gettext("A member reported this room.")
    if kind != QueueKind.CONCERN:
        return text
    match = _CONCERN.match(text)
    if match is None:
        return text
    about, note = match.group("about"), match.group("note")
    if about == "the room":
        if note is None:
            return gettext("Concern about the room.")
        return gettext("Concern about the room: %(note)s", note=note)
    if note is None:
        return gettext("Concern about %(name)s.", name=about)
    return gettext("Concern about %(name)s: %(note)s", name=about, note=note)
