"""Health checks for load balancers and operators (CONTRACT.md §3 ``/healthz``)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import text

from db import db


def database_ok() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:  # any failure means "not healthy"; the reason goes to the log
        current_app.logger.warning("health check: database unreachable", exc_info=True)
        db.session.rollback()
        return False


def queue_state() -> str:
    """``ok`` or ``error`` for a configured message queue, ``none`` when there is none."""
    url = current_app.config.get("SOCKETIO_MESSAGE_QUEUE")
    if not url:
        return "none"
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            client.ping()
        finally:
            client.close()
        return "ok"
    except Exception:  # any failure means "not healthy"; the reason goes to the log
        current_app.logger.warning("health check: message queue unreachable", exc_info=True)
        return "error"
