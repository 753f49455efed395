"""Hearth's composition root: ``create_app`` binds config, database, extensions
and each package; ``python app.py`` serves it through Flask-SocketIO."""

from __future__ import annotations

import gc
import sys
from typing import Any

from flask import Flask, abort

import accounts
import crisis
import db
import demo
import errors
import i18n
import matching
import moderation
import notifications
import pages
import profiles
import rooms
import wellbeing
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
        # Each client's events run in order on the thread already reading its socket,
        # instead of a new thread per event: at 1,500 clients on two processes this
        # took delivery p99 from 218 to 123 ms and CPU per message from 12.0 to 10.8 ms
        # (bench/chat_load.py). No handler waits for another event of its own client.
        async_handlers=False,
    )
    # Flask-SocketIO runs every event inside a request context built from the
    # handshake's URL. With no rule for that URL each event raised a NotFound
    # whose traceback held the context in a reference cycle; freeing those in
    # the cyclic GC paused a 1,000-client server for 70-300 ms at a time. The
    # Engine.IO middleware answers /socket.io/ before Flask, so this never serves.
    for websocket in (False, True):
        app.add_url_rule(
            "/socket.io/",
            endpoint=f"socketio_{'websocket' if websocket else 'polling'}",
            view_func=_not_for_flask,
            websocket=websocket,
        )
    i18n.init_app(app)
    errors.init_app(app)
    crisis.init_app(app)

    accounts.init_app(app)
    pages.init_app(app)
    profiles.init_app(app)
    matching.init_app(app)
    rooms.init_app(app)
    moderation.init_app(app)
    notifications.init_app(app)
    wellbeing.init_app(app)
    demo.init_app(app)
    return app


#: CPython hands the GIL to a waiting thread only every 5 ms by default. A chat
#: message crosses several threads (handler, then each recipient's writer) and each
#: takes the GIL back after every socket or SQLite call, so behind one busy thread
#: it waits up to 5 ms per call.
SERVER_SWITCH_INTERVAL = 0.0005

#: Young-generation GC thresholds for a serving process (CPython's are 700, 10, 10).
#: A cyclic collection holds the GIL for its whole run: with the default, a server
#: with 1,000 sockets paused every few seconds, and the full collections for
#: 70-300 ms. Socket events now leave almost no cycles (see the /socket.io/ rule
#: in create_app), so collecting less often costs little memory.
SERVER_GC_THRESHOLDS = (10_000, 20, 20)


def tune_for_sockets() -> None:
    """Settings for a serving process, applied once its app is built.

    ``python -m bench.chat_load --modes sqlite --n 1000`` measured them together:
    delivery p99 from 250-500 ms to about 60 ms at the same CPU per message.
    """
    sys.setswitchinterval(SERVER_SWITCH_INTERVAL)
    # Load screening's model and patterns now (the first message would otherwise
    # wait for them), then freeze everything loaded so far: the app, its models and
    # libraries live as long as the process, and no collection need scan them again
    # (a full collection of them alone takes about 100 ms).
    from moderation import screening

    screening.screen("hello")
    gc.freeze()
    gc.set_threshold(*SERVER_GC_THRESHOLDS)


def start_background_work(app: Flask) -> None:
    """What a serving process runs besides requests (``python app.py`` and each
    gunicorn worker; never CLI commands or tests): the matching schedule and the
    crisis escalation loop."""
    from matching import scheduler
    from moderation import escalation

    scheduler.start(app)
    escalation.start(app)


def _not_for_flask() -> Any:
    abort(404)


def _here(name: str) -> Any:
    from pathlib import Path

    return Path(__file__).resolve().parent / name


if __name__ == "__main__":
    application = create_app()
    tune_for_sockets()
    start_background_work(application)
    from demo.welcome import replace_server_banner, startup_block

    replace_server_banner(startup_block(application))
    socketio.run(
        application,
        host=application.config["HOST"],
        port=application.config["PORT"],
        # The embedded default is one process for a small community; `make serve`
        # runs the production server.
        allow_unsafe_werkzeug=True,
    )
