"""Signal receivers: notifications' part of the account export and deletion."""

from __future__ import annotations

from typing import Any

import signals
from accounts.models import User
from notifications import service


def _export(sender: Any, *, user: User, **_: Any) -> tuple[str, Any]:
    return ("notifications", service.export_for(user))


def _delete(sender: Any, *, user: User, **_: Any) -> None:
    service.delete_for(user)


def connect() -> None:
    signals.collect_export.connect(_export, weak=False)
    signals.account_deleting.connect(_delete, weak=False)
