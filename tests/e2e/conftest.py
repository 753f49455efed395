"""Live-server and browser fixtures.

The server is the real thing (``python app.py``) in a subprocess on a free port,
on a migrated SQLite copy. The browser is Debian's Chromium driven by Playwright;
Playwright cannot download browsers here. Outside CI a missing Chromium skips
with a reason; under CI=true it fails, because CI must run these tests.
"""

from __future__ import annotations

import gc
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("HEARTH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    port: int
    database_url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    env: dict[str, str]

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def wait_until_healthy(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 90  # importing scikit-learn takes 20 s+ on a busy machine
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log_path.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:  # noqa: S310  # loopback test server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server did not become healthy:\n{log_path.read_text(errors='replace')}")


def start_server(
    database_url: str, log_path: Path, port: int | None = None, **env: str
) -> LiveServer:
    port = port or free_port()
    environment = {
        **os.environ,
        "HEARTH_ENV": "testing",
        "DATABASE_URL": database_url,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "PYTHONUNBUFFERED": "1",
        **env,
    }
    with log_path.open("ab") as log:  # the child keeps its own descriptor
        process = subprocess.Popen(
            [sys.executable, "app.py"],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process, log_path)
    except Exception:
        process.kill()
        process.wait(timeout=10)
        raise
    return LiveServer(url, port, database_url, process, log_path, environment)


@pytest.fixture
def start_live_server(database_url: str, tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    servers: list[LiveServer] = []

    def start(**env: str) -> LiveServer:
        server = start_server(database_url, tmp_path / f"server{len(servers)}.log", **env)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def live_server(start_live_server: Callable[..., LiveServer]) -> LiveServer:
    return start_live_server()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return CHROMIUM
    reason = f"Chromium not found at {CHROMIUM}; install it with `make browser` (Debian's chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}. Browser tests must run under CI.")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser: Any, live_server: LiveServer) -> Iterator[Callable[..., Any]]:
    """Factory: a page in a fresh browser context (its own cookies) on the live server."""
    contexts: list[Any] = []

    def make(**options: Any) -> Any:
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    return new_page()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Live tests kill servers under their clients; those clients' sockets are freed
    late. Their teardown collects them (below), under a filter for exactly that."""
    for item in items:
        if item.get_closest_marker("live"):
            item.add_marker(
                pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
            )
            item.add_marker(pytest.mark.filterwarnings("ignore::ResourceWarning"))


@pytest.fixture(autouse=True)
def _collect_sockets_of_live_tests(request: pytest.FixtureRequest) -> Iterator[None]:
    """A client thread that outlives its test (a socket.io reader still draining a
    dead server, a proxy pump) holds its socket; wait for those threads, then
    collect, so the socket is freed here and not in some later, unrelated test."""
    before = set(threading.enumerate())
    yield
    if not request.node.get_closest_marker("live"):
        return
    deadline = time.monotonic() + 10
    for thread in set(threading.enumerate()) - before:
        # enumerate() also lists a thread another thread is still starting; it
        # can't be joined yet (RuntimeError) and holds nothing of this test's.
        if thread.is_alive():
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
    gc.collect()
    gc.collect()
