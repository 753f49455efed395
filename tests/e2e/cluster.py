"""A small Hearth cluster for the multi-process tests: several `make serve`
processes on one PostgreSQL database and a private Redis, plus a TCP proxy in
front of PostgreSQL so a test can take the database away and give it back.

Everything runs on loopback and is torn down by the fixtures that use it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, free_port

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def require(condition: bool, reason: str) -> None:
    """Skip with a reason outside CI; fail under CI, where these tests must run."""
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}. CI must run the multi-process tests.")
    pytest.skip(reason)


class RedisServer:
    """A private redis-server on a free port, so restarting it disturbs nobody else."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), 0.2),
            ):
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


class TcpProxy:
    """Forwards a local port to an upstream address until told to cut the line."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._cut = threading.Event()
        self._closed = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self._cut.is_set():
                client.close()
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open.update((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                target.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with contextlib.suppress(OSError):
                    sock.close()
                with self._lock:
                    self._open.discard(sock)

    def cut(self) -> None:
        """The database is gone: live connections drop, new ones are refused."""
        self._cut.set()
        with self._lock:
            for sock in list(self._open):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                    sock.close()
            self._open.clear()

    def restore(self) -> None:
        self._cut.clear()

    def close(self) -> None:
        self._closed.set()
        self.cut()
        self.listener.close()


@dataclass
class ServerProcess:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """kill -9 the whole process group (make, gunicorn master and its worker)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def alive(self) -> bool:
        return self.process.poll() is None


@dataclass
class Cluster:
    database_url: str
    redis: RedisServer
    workdir: Path
    proxy: TcpProxy | None = None
    servers: list[ServerProcess] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "HEARTH_ENV": "testing",
            "DATABASE_URL": self.database_url,
            "SOCKETIO_MESSAGE_QUEUE": self.redis.url,
            "RATELIMIT_STORAGE_URI": self.redis.url,
            "RATELIMIT_ENABLED": "true",
            "PYTHONUNBUFFERED": "1",
        }

    def start(self, name: str, port: int | None = None) -> ServerProcess:
        port = port or free_port()
        log_path = self.workdir / f"{name}.log"
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                ["make", "--no-print-directory", "serve", "HOST=127.0.0.1", f"PORT={port}"],
                cwd=ROOT,
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, for kill -9
            )
        server = ServerProcess(name, port, process, log_path)
        self.servers.append(server)
        wait_healthy(server)
        return server

    def stop_all(self) -> None:
        for server in self.servers:
            if server.alive():
                server.kill()


def wait_healthy(server: ServerProcess, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not server.alive():
            raise RuntimeError(f"{server.name} exited:\n{server.log()}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{server.url}/healthz", timeout=2) as response,  # noqa: S310  # loopback
        ):
            if response.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{server.name} did not become healthy:\n{server.log()}")


def health(server: ServerProcess) -> tuple[int, dict[str, str]]:
    try:
        with urllib.request.urlopen(f"{server.url}/healthz", timeout=5) as response:  # noqa: S310  # loopback
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
