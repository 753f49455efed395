"""gunicorn settings for ``make serve`` (the Makefile passes bind, threads and workers)."""

from __future__ import annotations

from typing import Any


def post_worker_init(worker: Any) -> None:
    # The worker serves every socket on threads; see app.tune_for_sockets.
    from app import start_background_work, tune_for_sockets

    tune_for_sockets()
    # worker.wsgi is the app `app:create_app()` built for this worker.
    start_background_work(worker.wsgi)
