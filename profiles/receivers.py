"""Signal receivers: the account export, account deletion and demo data."""

from __future__ import annotations

import random
from typing import Any

from flask_babel import gettext

import signals
from accounts.export_view import ExportWords
from accounts.models import User
from profiles import demo, service


def _export(sender: Any, *, user: User, **_: Any) -> tuple[str, dict[str, Any]]:
    return "profile", service.export_for(user)


def _delete(sender: Any, *, user: User, **_: Any) -> None:
    service.delete_for(user)


def _demo(sender: random.Random, *, members: list[User], **_: Any) -> str:
    return demo.seed_profiles(sender, members)


def _export_words(sender: Any, **_: Any) -> ExportWords:
    """The profile's field names and the words for its choices, in the reader's language."""
    from profiles import localized
    from profiles.routes import AGE_LABELS, CHOICES, FIELD_LABELS, SLOT_LABELS

    taxonomy = localized.labels()
    choices = {key: {slug: label for slug, label, _hint in rows} for key, rows in CHOICES.items()}
    return ExportWords(
        labels=FIELD_LABELS,
        values={
            (None, "talk_style"): choices["talk_style"],
            (None, "pace"): choices["pace"],
            (None, "support_style"): choices["support_style"],
            (None, "availability"): SLOT_LABELS,
            (None, "age_band"): AGE_LABELS,
            (None, "interests"): taxonomy,
            (None, "reasons"): taxonomy,
            (None, "avoid_topics"): taxonomy,
            (None, "languages"): localized.language_names(),
        },
        # Stored as its English msgid, like the wait reason on /groups.
        whole={("profile", "last_reason"): lambda text: gettext(text) if text else text},
    )


def connect() -> None:
    """Connect once per process; blinker keeps strong references with weak=False."""
    signals.collect_export.connect(_export, weak=False)
    signals.account_deleting.connect(_delete, weak=False)
    signals.demo_population_created.connect(_demo, weak=False)
    signals.describe_export.connect(_export_words, weak=False)
