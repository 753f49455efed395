"""Work that must happen only once the database transaction has committed.

Receivers and services run inside someone else's transaction (the rooms handler
or the moderation route commits). They queue socket emits and signals here; the
queue runs after the outermost commit and is dropped on rollback, so nothing is
sent for a transaction that did not commit.

SQLAlchemy forbids SQL inside ``after_commit``, so that hook only marks the work
ready; it runs in ``after_transaction_end``, when the session may be used again
(read-only: callbacks must not write, nobody would commit it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from db import db

log = logging.getLogger(__name__)

_PENDING = "moderation.outbox.pending"
_READY = "moderation.outbox.ready"


def after_commit(callback: Callable[[], Any]) -> None:
    """Run ``callback`` once the current transaction commits (never if it rolls back)."""
    db.session.info.setdefault(_PENDING, []).append(callback)


def _mark_ready(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        session.info.setdefault(_READY, []).extend(pending)


def _run_ready(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None or transaction.nested:
        return
    # Anything still pending belonged to a transaction that did not commit.
    session.info.pop(_PENDING, None)
    ready = session.info.pop(_READY, None)
    for callback in ready or ():
        try:
            callback()
        except Exception:  # one failed emit must not hide the others
            log.exception("after-commit callback failed")


def install() -> None:
    """Listen on every session (idempotent)."""
    if not event.contains(Session, "after_commit", _mark_ready):
        event.listen(Session, "after_commit", _mark_ready)
    if not event.contains(Session, "after_transaction_end", _run_ready):
        event.listen(Session, "after_transaction_end", _run_ready)
