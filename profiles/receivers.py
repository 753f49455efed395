"""Signal receivers: the account export, account deletion and demo data."""

from __future__ import annotations

import random
from typing import Any

import signals
from accounts.models import User
from profiles import demo, service


def _export(sender: Any, *, user: User, **_: Any) -> tuple[str, dict[str, Any]]:
    return "profile", service.export_for(user)


def _delete(sender: Any, *, user: User, **_: Any) -> None:
    service.delete_for(user)


def _demo(sender: random.Random, *, members: list[User], **_: Any) -> str:
    return demo.seed_profiles(sender, members)


def connect() -> None:
    """Connect once per process; blinker keeps strong references with weak=False."""
    signals.collect_export.connect(_export, weak=False)
    signals.account_deleting.connect(_delete, weak=False)
    signals.demo_population_created.connect(_demo, weak=False)
