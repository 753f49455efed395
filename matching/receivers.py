"""Signal receivers: matching's part of the account export and deletion."""

from __future__ import annotations

from typing import Any

import signals
from accounts.models import User
from matching import service


def _export(sender: Any, *, user: User, **_: Any) -> tuple[str, Any]:
    return ("matching", service.export_for(user))


def _delete(sender: Any, *, user: User, **_: Any) -> None:
    service.delete_for(user)


def connect() -> None:
    # Module-level functions: connecting again (one app per test) is a no-op.
    signals.collect_export.connect(_export, weak=False)
    signals.account_deleting.connect(_delete, weak=False)
