"""Signal receivers: matching's part of the account export and deletion, and what
happens to a group when someone leaves its room."""

from __future__ import annotations

from typing import Any

import signals
from accounts.models import User
from db import utcnow
from matching import service


def _export(sender: Any, *, user: User, **_: Any) -> tuple[str, Any]:
    return ("matching", service.export_for(user))


def _delete(sender: Any, *, user: User, **_: Any) -> None:
    service.delete_for(user)


def _member_left(
    sender: Any,
    *,
    room_id: int,
    user_id: int,
    remaining_member_ids: list[int],
    name: str = "",
    kind: str = "group",
    **_: Any,
) -> None:
    if kind != "group":
        return  # care rooms are a moderator and one person; nothing to backfill
    service.member_left(
        room_id=room_id,
        user_id=user_id,
        remaining_member_ids=remaining_member_ids,
        name=name,
        now=utcnow(),
    )


def connect() -> None:
    # Module-level functions: connecting again (one app per test) is a no-op.
    signals.collect_export.connect(_export, weak=False)
    signals.account_deleting.connect(_delete, weak=False)
    signals.member_left_room.connect(_member_left, weak=False)
