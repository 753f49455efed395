"""The account export as a page (``/account/export/view``), in the reader's language.

The JSON download keeps its English keys and stored values (its shape is the
contract). The page names each key in the reader's language and shows Hearth's own
values (profile choices, roles, kinds, statuses) with the words the rest of Hearth
uses for them; what the person wrote (notes, messages, their "about") is shown as
written. A key without a label still shows, as its English name.

Accounts imports no other package: each package names its own keys and values by
answering ``signals.describe_export`` (its ``receivers.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

import signals
from errors import Text
from i18n import LANGUAGES

#: The export's keys (sections and fields) that the wizard does not already name.
KEY_LABELS: dict[str, Text] = {
    "account": _l("Account"),
    "id": _l("Number"),
    "handle": _l("Handle"),
    "role": _l("Role"),
    "created_at": _l("Created"),
    "last_login_at": _l("Last signed in"),
    "locale": _l("Language"),
    "profile": _l("Profile"),
    "saved": _l("Saved"),
    "updated_at": _l("Last changed"),
    "pool": _l("Waiting pool"),
    "waiting": _l("Waiting"),
    "since": _l("Since"),
    "last_reason": _l("Last note from the matching round"),
    "last_round_at": _l("Last matching round"),
    "matching": _l("Matching"),
    "meet_again_answers": _l("Would you meet again"),
    "answered_at": _l("Answered"),
    "comfort": _l("At ease"),
    "meet_again": _l("Meet again"),
    "skipped": _l("Skipped"),
    "proposals": _l("Suggested groups"),
    "proposal_id": _l("Suggestion number"),
    "response": _l("Your answer"),
    "responded_at": _l("Answered"),
    "notifications": _l("Notifications"),
    "kind": _l("Kind"),
    "text": _l("Text"),
    "url": _l("Link"),
    "read": _l("Read"),
    "read_at": _l("Read"),
    "push_subscriptions": _l("Notifications on your devices"),
    "endpoint": _l("Device address"),
    "last_success_at": _l("Last delivered"),
    "rooms": _l("Rooms"),
    "memberships": _l("Memberships"),
    "room_id": _l("Room number"),
    "room_name": _l("Room name"),
    "joined_at": _l("Joined"),
    "left_at": _l("Left"),
    "seat": _l("Seat"),
    "messages": _l("Messages"),
    "body": _l("Message"),
    "held": _l("Held back"),
    "removed": _l("Removed"),
    "wellbeing": _l("Wellbeing"),
    "checkins": _l("Check-ins"),
    "at": _l("When"),
    "items": _l("Answers"),
    "score": _l("Score"),
    "checkin_settings": _l("Check-in reminders"),
    "enabled": _l("On"),
    "next_due_at": _l("Next one due"),
    "snoozed_until": _l("Snoozed until"),
    "room_feedback": _l("After-meeting answers"),
    "week_start": _l("Week of"),
    "at_ease": _l("At ease"),
    "note": _l("Note"),
    "moderation": _l("Moderation"),
    "flags_about_me": _l("Flags about you"),
    "severity": _l("Severity"),
    "status": _l("Status"),
    "outcome": _l("Outcome"),
    "resolved_at": _l("Closed"),
    "reports_filed": _l("Reports you made"),
    "message_id": _l("Message number"),
    "reason": _l("Reason"),
    "concerns_raised": _l("Concerns you raised"),
    "messages_labelled_for_screening": _l("Your messages labelled for the crisis screener"),
    "sanctions": _l("Sanctions"),
    "starts_at": _l("From"),
    "ends_at": _l("Until"),
    "lifted_at": _l("Lifted"),
}

#: Values Hearth stores as identifiers, by key (and, where a key means different
#: things in different sections, by the section's key).
ROLE_LABELS: dict[str, Text] = {
    "member": _l("member"),
    "moderator": _l("moderator"),
    "admin": _l("admin"),
}
QUEUE_KIND_LABELS: dict[str, Text] = {
    "crisis": _l("Crisis"),
    "report": _l("Report"),
    "concern": _l("Concern"),
    "filter": _l("Automatic filter"),
}
SANCTION_LABELS: dict[str, Text] = {
    "warn": _l("warning"),
    "mute": _l("mute"),
    "ban": _l("ban"),
    "remove_from_room": _l("removed from a room"),
}
STATUS_LABELS: dict[str, Text] = {
    "open": _l("open"),
    "acknowledged": _l("acknowledged"),
    "resolved": _l("resolved"),
    "dismissed": _l("dismissed"),
}
OUTCOME_LABELS: dict[str, Text] = {
    "actioned": _l("Resolved: action taken"),
    "no_action": _l("Dismiss: no action needed"),
}
RESPONSE_LABELS: dict[str, Text] = {
    "pending": _l("not answered yet"),
    "accepted": _l("joined"),
    "declined": _l("said no"),
    "expired": _l("expired"),
}
SEAT_LABELS: dict[str, Text] = {
    "listening": _l("likes to listen first"),
    "sharing": _l("happy to share"),
}
MEET_AGAIN_LABELS: dict[str, Text] = {
    "yes": _l("Yes"),
    "not_sure": _l("Not sure"),
    "no": _l("No"),
}


@dataclass(frozen=True)
class ExportWords:
    """One package's words for the readable export (``signals.describe_export``)."""

    #: key → its name on the page.
    labels: Mapping[str, Text] = field(default_factory=dict)
    #: (section key, or None for any section, key) → stored identifier → its word.
    values: Mapping[tuple[str | None, str], Mapping[str, Text]] = field(default_factory=dict)
    #: (section key, key) → how to word that key's whole stored value (a list, a text).
    whole: Mapping[tuple[str, str], Callable[[Any], Any]] = field(default_factory=dict)


#: The words accounts itself knows: its own keys and what moderation and matching
#: store under keys every section shares.
_OWN_WORDS = ExportWords(
    labels=KEY_LABELS,
    values={
        (None, "role"): ROLE_LABELS,
        (None, "locale"): LANGUAGES,
        (None, "seat"): SEAT_LABELS,
        (None, "response"): RESPONSE_LABELS,
        (None, "meet_again"): MEET_AGAIN_LABELS,
        (None, "status"): STATUS_LABELS,
        (None, "outcome"): OUTCOME_LABELS,
        ("flags_about_me", "kind"): QUEUE_KIND_LABELS,
        ("sanctions", "kind"): SANCTION_LABELS,
    },
)


def _all_words() -> ExportWords:
    """Accounts' own words and every package's, merged (value tables key by key)."""
    labels: dict[str, Text] = {}
    values: dict[tuple[str | None, str], dict[str, Text]] = {}
    whole: dict[tuple[str, str], Callable[[Any], Any]] = {}
    contributed = [words for _receiver, words in signals.describe_export.send(None)]
    for words in (_OWN_WORDS, *contributed):
        labels.update(words.labels)
        for where, table in words.values.items():
            values.setdefault(where, {}).update(table)
        whole.update(words.whole)
    return ExportWords(labels=labels, values=values, whole=whole)


def readable(document: Mapping[str, Any]) -> list[tuple[str, str, Any]]:
    """The export's sections as ``(key, heading, data)``: every key of ``data`` named
    in the reader's language and Hearth's stored identifiers worded."""
    words = _all_words()

    def label(key: str) -> str:
        known = words.labels.get(key)
        return str(known) if known is not None else key.replace("_", " ").capitalize()

    def walk(value: Any, key: str, section: str) -> Any:
        # ``section`` is the nearest list's key (a sanction's "kind" is not a flag's).
        if isinstance(value, Mapping):
            return {
                label(k): words.whole[(section, k)](v)
                if (section, k) in words.whole
                else walk(v, k, k if isinstance(v, list) else section)
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [walk(item, key, section) for item in value]
        table = words.values.get((section, key)) or words.values.get((None, key))
        if table is not None and isinstance(value, str) and value in table:
            return str(table[value])
        return value

    return [
        (name, label(name), walk(data, name, name))
        for name, data in document.items()
        if name not in ("format", "exported_at")
    ]
