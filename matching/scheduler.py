"""Optional periodic matching rounds (``MATCH_INTERVAL_MINUTES``).

Every server process may run the loop; the database lease in
``service.acquire_round_lock`` lets exactly one of them run each round.
"""

from __future__ import annotations

import threading

from flask import Flask

from db import db
from extensions import socketio
from matching import service

_started = threading.Event()


def _loop(app: Flask, interval_seconds: float) -> None:
    while True:
        socketio.sleep(interval_seconds)
        with app.app_context():
            try:
                summary = service.run_round()
                if summary.skipped_locked:
                    db.session.rollback()
                    continue
                db.session.commit()
                service.notify(summary.notify_user_ids, service.NEW_PROPOSAL_TEXT)
                app.logger.info("scheduled matching round: %s", summary.to_dict() | {"groups": "…"})
            except Exception:  # a failed round must not stop the schedule
                db.session.rollback()
                app.logger.exception("scheduled matching round failed")


def start_if_configured(app: Flask) -> None:
    """Start the loop once per process, on the first request (not for CLI commands)."""
    minutes = float(app.config.get("MATCH_INTERVAL_MINUTES") or 0)
    if minutes <= 0:
        return

    @app.before_request
    def _start_scheduler() -> None:
        if not _started.is_set():
            _started.set()
            socketio.start_background_task(_loop, app, minutes * 60)
