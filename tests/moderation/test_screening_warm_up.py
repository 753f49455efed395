"""The server loads the screening models on its first request, off the request path."""

from __future__ import annotations

import threading

from flask import Flask

import moderation
from moderation import crosslingual


def _warm_up_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "screening-warm-up"]


def test_the_first_request_starts_one_warm_up_that_loads_the_encoder() -> None:
    app = Flask("warm-up-test")
    app.add_url_rule("/", "index", lambda: "ok")
    moderation._warm_screening_on_first_request(app)
    assert not _warm_up_threads()
    client = app.test_client()
    assert client.get("/").status_code == 200
    threads = _warm_up_threads()
    assert len(threads) == 1
    assert client.get("/").status_code == 200  # a second request starts no second one
    assert len(_warm_up_threads()) <= 1
    threads[0].join()
    # Loaded once for the process: the next call hands back the same encoder.
    assert crosslingual._encoder() is crosslingual._encoder()
    assert crosslingual.load_model() is crosslingual.load_model()


def test_the_test_app_does_not_warm_up(app: Flask) -> None:
    assert app.testing
    assert not any(
        getattr(f, "__name__", "") == "start_warming"
        for f in app.before_request_funcs.get(None, [])
    )
