"""Signal receivers: notifications' part of the account export and deletion."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext

import signals
from accounts.export_view import ExportWords
from accounts.models import User
from notifications import service


def _export(sender: Any, *, user: User, **_: Any) -> tuple[str, Any]:
    return ("notifications", service.export_for(user))


def _delete(sender: Any, *, user: User, **_: Any) -> None:
    service.delete_for(user)


def _export_words(sender: Any, **_: Any) -> ExportWords:
    # Texts are stored as their English msgid (docs/i18n.md), kinds as identifiers.
    return ExportWords(
        values={("notifications", "kind"): service.KIND_LABELS},
        whole={("notifications", "text"): lambda text: gettext(text) if text else text},
    )


def connect() -> None:
    signals.collect_export.connect(_export, weak=False)
    signals.account_deleting.connect(_delete, weak=False)
    signals.describe_export.connect(_export_words, weak=False)
