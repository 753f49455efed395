"""Moderation: screening, reports, the queue, sanctions and the audit log.

`screening` is pure so that rooms, benchmarks and evaluators can import it
without Flask or a database; everything else is imported inside ``init_app``.
"""

from __future__ import annotations

from typing import Any


def init_app(app: Any) -> None:
    """Register the models, signal receivers, /mod namespace, console and CLI."""
    from moderation import (
        api,
        audit,
        care_routes,
        cli,
        events,
        model_store,
        models,  # noqa: F401  # registers the tables with the metadata
        notices,
        outbox,
        receivers,
        routes,
    )

    app.config.setdefault("MOD_REALERT_CHECK_SECONDS", 15)
    app.config.setdefault("CRISIS_ACK_MINUTES", 5.0)
    app.config.setdefault("CRISIS_ESCALATION_CHECK_SECONDS", 0)

    outbox.install()
    audit.install()
    receivers.connect()
    model_store.install(app)
    events.init_app(app)
    notices.init_app(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(routes.bp)
    app.register_blueprint(care_routes.bp)
    cli.init_cli(app)
    if not app.testing:
        _warm_screening_on_first_request(app)


def _warm_screening_on_first_request(app: Any) -> None:
    """Load the screening models in the background when the server gets its first request.

    The profanity model and the cross-lingual encoder take seconds to load; without
    this, the first message (the first non-English one, for the encoder) would wait
    for them. CLI commands never serve a request, so they never pay for it.
    """
    import threading

    started = threading.Event()

    def warm() -> None:
        from moderation import abuse_model, crosslingual, screening

        screening.screen_many(["hello"])
        crosslingual.warm_up()
        # The learned abuse layer trains on first use (under a lock every screening
        # thread would wait on): here, rather than inside a member's first message.
        abuse_model.load()

    @app.before_request
    def start_warming() -> None:
        if not started.is_set():
            started.set()
            threading.Thread(target=warm, name="screening-warm-up", daemon=True).start()
