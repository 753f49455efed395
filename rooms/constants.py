"""Closed vocabularies of the rooms package, shared by models, payloads and pages."""

from __future__ import annotations

from typing import Final

from flask_babel import lazy_gettext as _l

#: The reactions a member can leave on a message (CONTRACT §4 ``reactions``).
REACTION_KINDS: Final = ("heart", "me_too", "hug", "thanks")

#: Report reasons: a closed list, so the moderation queue can sort and count them.
REPORT_REASONS: Final = (
    "harassment",
    "hate",
    "sexual_content",
    "contact_details",
    "spam",
    "self_harm_risk",
    "other",
)

#: Labels for the report dialog (calm, short), in the reader's language when shown.
REPORT_REASON_LABELS: Final = {
    "harassment": _l("Unkind or harassing"),
    "hate": _l("Hateful"),
    "sexual_content": _l("Sexual content"),
    "contact_details": _l("Sharing contact details"),
    "spam": _l("Spam or advertising"),
    "self_harm_risk": _l("Someone may be at risk"),
    "other": _l("Something else"),
}

SEATS: Final = ("listening", "sharing")

MAX_BODY: Final = 2000
MAX_NOTE: Final = 500  # moderation stores notes of at most 500 characters
MAX_CLIENT_MSG_ID: Final = 64
HISTORY_PAGE: Final = 200
LATEST_ON_JOIN: Final = 50

#: Shown as the author of messages posted by the moderation team.
MODERATORS_HANDLE: Final = "Hearth moderators"
#: Shown as the author of prompts and system lines.
SYSTEM_HANDLE: Final = "Hearth"
