"""Settings a serving process relies on for steady chat latency (see app.tune_for_sockets)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, request

import app as app_module
from tests.e2e.cluster import ROOT, ServerProcess, wait_healthy
from tests.e2e.conftest import free_port


@pytest.mark.parametrize(
    "headers",
    [{}, {"Upgrade": "websocket", "Connection": "Upgrade"}],
    ids=["polling", "websocket"],
)
def test_socket_event_contexts_match_a_rule(app: Flask, headers: dict[str, str]) -> None:
    # Flask-SocketIO builds each event's request context from the handshake URL; a
    # routing error there would keep a traceback cycle alive per event.
    with app.test_request_context("/socket.io/?EIO=4&transport=polling", headers=headers):
        assert request.routing_exception is None


def test_the_rule_never_serves_flask_pages(app: Flask) -> None:
    response = app.test_client().get("/socket.io/?EIO=4&transport=polling")
    # Engine.IO answers the handshake itself (a session id), never the 404 view.
    assert response.status_code == 200
    assert b'"sid"' in response.data


@pytest.fixture
def restored_interpreter() -> Iterator[None]:
    interval, thresholds = sys.getswitchinterval(), gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)
    sys.setswitchinterval(interval)


@pytest.mark.usefixtures("restored_interpreter")
def test_tune_for_sockets(app: Flask) -> None:
    app_module.tune_for_sockets()
    assert sys.getswitchinterval() == pytest.approx(app_module.SERVER_SWITCH_INTERVAL)
    assert gc.get_threshold() == app_module.SERVER_GC_THRESHOLDS
    assert gc.get_freeze_count() > 0
    assert "moderation.screening" in sys.modules


@pytest.mark.live
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_make_serve_starts_without_glibcs_per_thread_malloc_cache(tmp_path: Path) -> None:
    # Thousands of socket threads each kept a cache of freed blocks, and the
    # server's memory crept up for as long as it ran (docs/deploy.md).
    port = free_port()
    env = {
        **os.environ,
        "HEARTH_ENV": "testing",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
    }
    # An operator's own tunables are kept (the Makefile appends), but not checked
    # here: ld.so writes a NUL after the first tunable it parses, so /proc shows
    # only that one.
    env.pop("GLIBC_TUNABLES", None)
    env.pop("SOCKETIO_MESSAGE_QUEUE", None)
    log_path = tmp_path / "serve.log"
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "serve", "HOST=127.0.0.1", f"PORT={port}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = ServerProcess("serve", port, process, log_path)
    try:
        wait_healthy(server)
        group = [
            pid
            for pid in map(int, filter(str.isdigit, os.listdir("/proc")))
            if _process_group(pid) == process.pid
            and _is_python(pid)
            and "gunicorn" in _cmdline(pid)
        ]
        assert group, server.log()
        for pid in group:
            assert _environ(pid).get("GLIBC_TUNABLES") == "glibc.malloc.tcache_count=0"
    finally:
        server.kill()


def _process_group(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except ProcessLookupError:
        return None


def _is_python(pid: int) -> bool:
    """Not make's shell, whose command line names gunicorn too."""
    try:
        return Path(os.readlink(f"/proc/{pid}/exe")).name.startswith("python")
    except OSError:
        return False


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    pairs = (item.decode().partition("=") for item in raw.split(b"\0") if item)
    return {key: value for key, _, value in pairs}
