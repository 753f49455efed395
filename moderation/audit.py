"""The append-only audit log: every moderator action is one row, written in the
same transaction as the action. There is deliberately no function here (or
anywhere) that changes or deletes an entry, and the session refuses to flush one.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from accounts.models import User
from db import db
from moderation.models import AuditEntry


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete an audit entry."""


def record(
    actor: User | None,
    action: str,
    target_type: str,
    target_id: int,
    reason: str = "",
    **details: Any,
) -> AuditEntry:
    """Append one entry for ``action`` by ``actor`` on ``target_type``/``target_id``.

    ``actor`` None is Hearth itself (a model the learning schedule activated).
    """
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        reason=reason,
        details=json.dumps(details, default=str, sort_keys=True),
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def entry_json(entry: AuditEntry, actor: User | None = None) -> dict[str, Any]:
    """The audit record as the API returns it."""
    if actor is None and entry.actor_id is not None:
        actor = db.session.get(User, entry.actor_id)
    return {
        "id": entry.id,
        "actor": {"id": entry.actor_id, "handle": actor.display_handle if actor else None},
        "action": entry.action,
        "target": {"type": entry.target_type, "id": entry.target_id},
        "reason": entry.reason,
        "details": json.loads(entry.details or "{}"),
        "created_at": entry.created_at.isoformat(),
    }


def _refuse_changes(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    for obj in session.deleted:
        if isinstance(obj, AuditEntry):
            raise AuditLogIsAppendOnly("audit entries are never deleted")
    for obj in session.dirty:
        if isinstance(obj, AuditEntry) and session.is_modified(obj):
            raise AuditLogIsAppendOnly("audit entries are never changed")


def _refuse_bulk_changes(state: ORMExecuteState) -> None:
    if (state.is_update or state.is_delete) and any(
        getattr(mapper, "class_", None) is AuditEntry for mapper in state.all_mappers
    ):
        raise AuditLogIsAppendOnly("audit entries are never changed or deleted")


def install() -> None:
    if not event.contains(Session, "before_flush", _refuse_changes):
        event.listen(Session, "before_flush", _refuse_changes)
    if not event.contains(Session, "do_orm_execute", _refuse_bulk_changes):
        event.listen(Session, "do_orm_execute", _refuse_bulk_changes)
