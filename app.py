"""Hearth's composition root: ``create_app`` binds config, database, extensions
and each package; ``python app.py`` serves it through Flask-SocketIO."""

from __future__ import annotations

from typing import Any

from flask import Flask

import accounts
import db
import demo
import errors
import matching
import moderation
import pages
import profiles
import rooms
from config import Config, load_config
from extensions import csrf, limiter, login_manager, migrate, socketio, talisman

#: No inline script anywhere; styles only from our own files.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def create_app(config: Config | str | None = None, **overrides: Any) -> Flask:
    """Build the app. ``config`` is a Config object or an environment name."""
    app = Flask(__name__, instance_relative_config=True)
    if not isinstance(config, Config):
        config = load_config(config)
    app.config.from_mapping(config.as_mapping())
    app.config.update(overrides)

    db.init_app(app)
    migrate.init_app(app, db.db, directory=str(_here("migrations")), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="same-origin",
    )
    socketio.init_app(
        app,
        async_mode="threading",
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        max_http_buffer_size=app.config["SOCKETIO_MAX_HTTP_BUFFER_SIZE"],
        # None: only the app's own origin may open a socket.
        cors_allowed_origins=app.config.get("SOCKETIO_CORS_ALLOWED_ORIGINS"),
        manage_session=False,
    )
    errors.init_app(app)

    accounts.init_app(app)
    pages.init_app(app)
    profiles.init_app(app)
    matching.init_app(app)
    rooms.init_app(app)
    moderation.init_app(app)
    demo.init_app(app)
    return app


def _here(name: str) -> Any:
    from pathlib import Path

    return Path(__file__).resolve().parent / name


if __name__ == "__main__":
    application = create_app()
    socketio.run(
        application,
        host=application.config["HOST"],
        port=application.config["PORT"],
        # The embedded default is one process for a small community; `make serve`
        # runs the production server.
        allow_unsafe_werkzeug=True,
    )
