"""The escalation loop: crisis items nobody acknowledged within CRISIS_ACK_MINUTES.

Every serving process runs the loop (started by ``app.start_background_work``,
so CLI commands and test apps never do); ``care.escalate_overdue`` claims each
item atomically, so one process alerts. ``CRISIS_ESCALATION_CHECK_SECONDS`` is
how often it looks (0 turns the loop off; it is off under tests unless set).

This is the second step after the console's re-alert (``MOD_REALERT_SECONDS``,
``moderation.events``), which only reaches consoles that are open; escalation
reaches every moderator and admin through notifications (and Web Push).
"""

from __future__ import annotations

import threading

from flask import Flask

from db import db
from extensions import socketio
from moderation import care

_started: set[int] = set()
_lock = threading.Lock()


def _loop(app: Flask, interval: float) -> None:
    while True:
        socketio.sleep(interval)
        with app.app_context():
            try:
                care.escalate_overdue(app)
            except Exception:  # an alert that failed once must be tried again
                db.session.rollback()
                app.logger.exception("crisis escalation round failed")
            finally:
                db.session.remove()


def start(app: Flask) -> None:
    """Start the loop once for this serving process (``app.start_background_work``).

    Not from a request hook: every app a test or a CLI command builds would then
    leave a thread polling a database that may be gone.
    """
    interval = float(app.config.get("CRISIS_ESCALATION_CHECK_SECONDS") or 0)
    if interval <= 0 or float(app.config.get("CRISIS_ACK_MINUTES") or 0) <= 0:
        return
    with _lock:
        if id(app) in _started:
            return
        _started.add(id(app))
    socketio.start_background_task(_loop, app, max(interval, 0.05))
