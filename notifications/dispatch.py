"""The notifications outbox: delivers stored rows live, from whichever process runs.

Rows are created undelivered (``dispatched_at`` NULL). A dispatcher claims a batch
with one UPDATE … WHERE dispatched_at IS NULL (so two processes never deliver one
row twice), commits the claim, then emits Socket.IO ``notification`` on ``/chat`` to
the person's ``user:<id>`` room (through the message queue when one is configured,
so it reaches sockets held by other processes) and hands the batch to every
``on_dispatch`` callback (Web Push).

Each server process runs one dispatcher thread, started with its first request
(never for CLI commands). It is woken right after a local commit that stored
notifications, and otherwise looks every ``NOTIFICATIONS_POLL_SECONDS`` so rows
written by the CLI or another process go out too.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Flask, current_app, has_app_context
from flask_babel import force_locale, gettext
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session, SessionTransaction

import i18n
from accounts.models import User
from db import db, utcnow
from extensions import socketio
from notifications.models import Notification

log = logging.getLogger(__name__)

#: Rows claimed per pass.
BATCH = 200
#: Rows older than this when first seen (a server was down) are marked delivered
#: without being sent: a day-old "new group" arriving live would only confuse.
STALE_AFTER = timedelta(hours=24)

EXTENSION_KEY = "hearth_notifications"
_PENDING = "notifications.dispatch.pending"
_READY = "notifications.dispatch.ready"

Callback = Callable[[list[dict[str, Any]]], Any]
_callbacks: list[Callback] = []


def on_dispatch(callback: Callback) -> Callback:
    """Call ``callback(items)`` after each delivered batch, in the dispatcher thread
    inside an app context. Each item: {"id", "user_id", "kind", "text", "url",
    "created_at"}. Registering the same callback again is a no-op."""
    if callback not in _callbacks:
        _callbacks.append(callback)
    return callback


def claim(limit: int = BATCH) -> list[dict[str, Any]]:
    """Mark up to ``limit`` undelivered rows as delivered and return them (no commit).

    The WHERE clause re-checks ``dispatched_at IS NULL`` on each row, so when two
    processes race, each row is returned to exactly one of them.
    """
    candidates = (
        select(Notification.id)
        .where(Notification.dispatched_at.is_(None))
        .order_by(Notification.id)
        .limit(limit)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    statement = (
        update(Notification)
        .where(
            Notification.id.in_(candidates.scalar_subquery()),
            Notification.dispatched_at.is_(None),
        )
        .values(dispatched_at=utcnow())
        .returning(
            Notification.id,
            Notification.user_id,
            Notification.kind,
            Notification.text,
            Notification.url,
            Notification.created_at,
        )
        .execution_options(synchronize_session=False)
    )
    rows = db.session.execute(statement).all()
    return sorted(
        (
            {
                "id": row.id,
                "user_id": row.user_id,
                "kind": row.kind.value,
                "text": row.text,
                "url": row.url,
                "created_at": row.created_at.isoformat(),
                "_created": row.created_at,
            }
            for row in rows
        ),
        key=lambda item: item["id"],
    )


def _in_their_language(items: list[dict[str, Any]]) -> None:
    """Put each item's stored English text in the language its person chose on
    /account. Without a choice ("as my browser asks") it stays English: this thread
    has no browser to ask, and the /notifications page shows it in theirs."""
    ids = {item["user_id"] for item in items}
    chosen = {
        row.id: row.locale
        for row in db.session.execute(
            select(User.id, User.locale).where(User.id.in_(ids), User.locale.is_not(None))
        )
    }
    for item in items:
        locale = chosen.get(item["user_id"])
        if i18n.is_supported(locale) and locale != i18n.DEFAULT_LOCALE:
            with force_locale(locale):
                item["text"] = gettext(item["text"])


def deliver(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Emit claimed items and run the callbacks; returns the items actually sent."""
    oldest = utcnow() - STALE_AFTER
    fresh = [
        {key: value for key, value in item.items() if key != "_created"}
        for item in items
        if item.get("_created") is None or item["_created"] >= oldest
    ]
    if fresh:
        _in_their_language(fresh)
    for item in fresh:
        socketio.emit(
            "notification",
            {key: item[key] for key in ("id", "kind", "text", "url", "created_at")},
            to=f"user:{item['user_id']}",
            namespace="/chat",
        )
    if fresh:
        for callback in list(_callbacks):
            try:
                callback(fresh)
            except Exception:  # one failing channel must not stop the others
                log.exception("notification dispatch callback failed")
    return fresh


def dispatch_pending(limit: int = BATCH) -> list[dict[str, Any]]:
    """One pass: claim, commit the claim, deliver. Needs an app context."""
    try:
        items = claim(limit)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return deliver(items) if items else []


class Dispatcher:
    """This process's delivery loop for one app."""

    def __init__(self, app: Flask, poll_seconds: float) -> None:
        self.app = app
        self.poll_seconds = poll_seconds
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._task: Any = None
        self.started = False

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        with self._lock:
            if self.started or self.poll_seconds <= 0:
                return
            self.started = True
        self._task = socketio.start_background_task(self._run)

    def stop(self, wait: float = 0) -> None:
        """Stop the loop; with ``wait`` > 0, also wait (that long) for a pass in progress."""
        self._stop.set()
        self._wake.set()
        if wait > 0 and self._task is not None:
            self._task.join(wait)

    def _run(self) -> None:
        from notifications import service

        refreshed = utcnow() - service.PRESENCE_REFRESH
        while not self._stop.is_set():
            self._wake.wait(self.poll_seconds)
            self._wake.clear()
            if self._stop.is_set():
                break
            with self.app.app_context():
                try:
                    if utcnow() - refreshed >= service.PRESENCE_REFRESH:
                        refreshed = utcnow()
                        service.refresh_presence()
                        db.session.commit()
                    while len(dispatch_pending()) == BATCH:
                        pass
                except Exception:  # a failed pass is retried at the next one
                    db.session.rollback()
                    log.exception("notification dispatch failed")
                finally:
                    db.session.remove()


def current_dispatcher() -> Dispatcher | None:
    if not has_app_context():
        return None
    found = current_app.extensions.get(EXTENSION_KEY)
    return found if isinstance(found, Dispatcher) else None


def wake_after_commit() -> None:
    """Wake this process's dispatcher once the current transaction commits."""
    dispatcher = current_dispatcher()
    if dispatcher is not None:
        db.session.info.setdefault(_PENDING, set()).add(dispatcher)


def _mark_ready(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        session.info.setdefault(_READY, set()).update(pending)


def _wake_ready(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None or transaction.nested:
        return
    session.info.pop(_PENDING, None)  # belonged to a transaction that did not commit
    for dispatcher in session.info.pop(_READY, None) or ():
        dispatcher.wake()


def _install_session_hooks() -> None:
    if not event.contains(Session, "after_commit", _mark_ready):
        event.listen(Session, "after_commit", _mark_ready)
    if not event.contains(Session, "after_transaction_end", _wake_ready):
        event.listen(Session, "after_transaction_end", _wake_ready)


def init_app(app: Flask) -> None:
    """Give the app its dispatcher; it starts with the first request when
    ``NOTIFICATIONS_POLL_SECONDS`` > 0 (never for CLI commands)."""
    _install_session_hooks()
    dispatcher = Dispatcher(app, float(app.config.get("NOTIFICATIONS_POLL_SECONDS") or 0))
    app.extensions[EXTENSION_KEY] = dispatcher
    if dispatcher.poll_seconds <= 0:
        return

    @app.before_request
    def _start_notification_dispatcher() -> None:
        if not dispatcher.started:
            dispatcher.start()
