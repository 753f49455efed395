"""Load test of the live chat: a swarm of python-socketio clients on loopback.

Run ``python -m bench.chat_load --n 200``. Every client holds a session cookie
(minted at seeding as a login would set it; ``--http-login`` logs in over HTTP),
opens ``/chat`` with it, joins its room of five and sends messages
(lognormal lengths, mean ≈ 70 chars, p99 ≈ 300; exponential gaps, mean
``--interval`` seconds). Each delivery is timed from the sender's emit to the
receipt at every other member (matched by ``client_msg_id``). The bench starts its
own servers on free ports with fresh databases and stops them at the end:

* ``sqlite``: one ``python app.py`` on a fresh SQLite file (the default);
* ``postgres``: one ``python app.py`` on a fresh ``hearth_bench`` database;
* ``redis2``: two ``make serve`` processes on PostgreSQL and a private redis-server;
* ``baseline``: a bare Flask-SocketIO broadcast server (threading mode, no
  database, no checks) speaking the same protocol subset, for the ratios.

``--targets URL,...`` measures already-running servers instead (seeding through
``--database-url``), ``--find-max`` steps N up to the largest N with p99 ≤ 150 ms and
nothing lost, and ``--soak SECONDS`` reports server RSS and open files over time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import math
import os
import random
import resource
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "lanterns on the water"  # noqa: S105  # bench accounts on a throwaway database
ROOM_SIZE = 5
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
PG_DATABASE = "hearth_bench"
ALL_MODES = ("sqlite", "postgres", "redis2")
FIND_MAX_STEPS = "100,250,500,1000,1500,2000,3000"
P99_LIMIT_MS = 150.0

#: Lognormal body lengths: mean exp(mu + s²/2) = 70, p99 exp(mu + 2.326 s) ≈ 300.
LENGTH_SIGMA = 0.745
LENGTH_MU = math.log(70) - LENGTH_SIGMA**2 / 2
MAX_BODY = 2000
#: Plain, calm words: nothing the contact-details, crisis or profanity screens act on.
_CALM_TEXT = (
    "thanks for sharing that today I went for a short walk in the park and the "
    "evening felt quiet and kind we made tea listened to music read a book about "
    "gardens it rained all morning my friend called later I think small steps help "
    "sometimes it is hard to start but talking here makes the week feel lighter"
)
WORDS = tuple(_CALM_TEXT.split())

START_TIMEOUT = 120.0
CALL_TIMEOUT = 10.0
CONNECT_TIMEOUT = 60.0  # one client's whole handshake, queued behind the others
MAX_OUTSTANDING = 8  # unacknowledged sends per client; beyond that a send is skipped


# --- results -------------------------------------------------------------------------


@dataclass
class RunResult:
    """What one run against one deployment measured."""

    label: str
    n: int
    connected: int = 0
    login_failures: int = 0
    connect_failures: int = 0
    join_failures: int = 0
    disconnects: int = 0
    login_s: float = 0.0
    connect_s: float = 0.0
    seconds: float = 0.0
    sent_ok: int = 0
    send_errors: Counter[str] = field(default_factory=Counter)
    skipped: int = 0
    deliveries: int = 0
    expected: int = 0
    lost: int = 0
    duplicates: int = 0
    latency_ms: dict[str, float] = field(default_factory=dict)
    ack_ms: dict[str, float] = field(default_factory=dict)
    rss_peak_mb: float | None = None
    rss_end_mb: float | None = None
    fds_end: int | None = None
    client_cpu_pct: float = 0.0
    server_cpu_pct: float | None = None
    #: Server CPU per accepted message: what one message costs, whatever N is.
    server_cpu_ms_per_msg: float | None = None

    @property
    def msgs_per_s(self) -> float:
        return self.sent_ok / self.seconds if self.seconds else 0.0

    @property
    def deliveries_per_s(self) -> float:
        return self.deliveries / self.seconds if self.seconds else 0.0

    def passes(self) -> bool:
        """The --find-max criterion: everyone connected, p99 ≤ 150 ms, nothing lost."""
        p99 = self.latency_ms.get("p99", math.inf)
        return (
            self.connected == self.n
            and self.lost == 0
            and not self.send_errors
            and self.sent_ok > 0
            and p99 <= P99_LIMIT_MS
        )


@dataclass
class SoakSample:
    elapsed: float
    rss_mb: float | None
    fds: int | None
    connected: int
    sent_ok: int


@dataclass
class Deployment:
    """Servers under test: the URLs clients spread over and the process trees to watch."""

    label: str
    urls: list[str]
    pids: list[int] = field(default_factory=list)
    database_url: str | None = None
    needs_login: bool = True
    #: Sessions may be minted (the servers use the testing config's key); not for --targets.
    can_mint: bool = True


@dataclass
class Settings:
    n: int
    interval: float
    duration: float
    drain: float
    seed: int
    workdir: Path
    postgres: str
    http_login: bool = False
    sample_every: float = 1.0
    soak_report: Callable[[SoakSample], None] | None = None


# --- processes -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def require_loopback(url: str) -> str:
    host = urlsplit(url).hostname or ""
    if host not in LOOPBACK:
        raise SystemExit(f"only loopback addresses are allowed, not {url!r}")
    return url


def stop_process(process: subprocess.Popen[bytes], grace: float = 15.0) -> None:
    """SIGTERM the process group, SIGKILL it after ``grace`` seconds."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def spawn(
    stack: contextlib.ExitStack, argv: list[str], env: dict[str, str], log: Path
) -> subprocess.Popen[bytes]:
    """Start ``argv`` in its own process group; the stack stops it."""
    with log.open("ab") as out:
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    stack.callback(stop_process, process)
    return process


def wait_http(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early; see {log}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(url, timeout=2) as response,  # noqa: S310  # loopback
        ):
            if response.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {START_TIMEOUT:.0f} s; see {log}")


def wait_tcp(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and process.poll() is None:
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", port), 0.2),
        ):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


def hearth_env(database_url: str, port: int, redis_url: str | None = None) -> dict[str, str]:
    env = {
        **os.environ,
        "HEARTH_ENV": "testing",
        "DATABASE_URL": database_url,
        "RATELIMIT_ENABLED": "false",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("SOCKETIO_MESSAGE_QUEUE", None)
    env.pop("RATELIMIT_STORAGE_URI", None)
    if redis_url:
        env["SOCKETIO_MESSAGE_QUEUE"] = redis_url
        env["RATELIMIT_STORAGE_URI"] = redis_url
    return env


def migrate(database_url: str, log: Path) -> None:
    env = hearth_env(database_url, 0)
    with log.open("ab") as out:
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "app", "db", "upgrade"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=True,
            timeout=300,
        )


def fresh_postgres(server: str) -> str:
    """Drop and re-create ``hearth_bench`` on ``server``; its URL."""
    import sqlalchemy as sa

    engine = sa.create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)"))
            conn.execute(sa.text(f"CREATE DATABASE {PG_DATABASE}"))
    finally:
        engine.dispose()
    return f"{server}/{PG_DATABASE}"


def start_app_py(
    stack: contextlib.ExitStack, label: str, database_url: str, work: Path
) -> Deployment:
    """One ``python app.py`` process on a free port, started as ``make run`` starts it."""
    port = free_port()
    log = work / f"{label}.log"
    env = hearth_env(database_url, port)
    # The Makefile's SERVER_ENV (``make serve``, used for redis2, sets it itself).
    tunables = [t for t in env.get("GLIBC_TUNABLES", "").split(":") if t]
    env["GLIBC_TUNABLES"] = ":".join([*tunables, "glibc.malloc.tcache_count=0"])
    process = spawn(stack, [sys.executable, "app.py"], env, log)
    wait_http(f"http://127.0.0.1:{port}/healthz", process, log)
    return Deployment(label, [f"http://127.0.0.1:{port}"], [process.pid], database_url)


def start_make_serve(
    stack: contextlib.ExitStack, label: str, database_url: str, redis_url: str, work: Path
) -> tuple[subprocess.Popen[bytes], int, Path]:
    port = free_port()
    log = work / f"{label}.log"
    argv = ["make", "--no-print-directory", "serve", "HOST=127.0.0.1", f"PORT={port}"]
    process = spawn(stack, argv, hearth_env(database_url, port, redis_url), log)
    return process, port, log


def start_redis(stack: contextlib.ExitStack, work: Path) -> str:
    port = free_port()
    argv = [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    argv += ["--appendonly", "no", "--dir", str(work)]
    process = spawn(stack, argv, dict(os.environ), work / "redis.log")
    wait_tcp(port, process)
    return f"redis://127.0.0.1:{port}/0"


def deploy_sqlite(stack: contextlib.ExitStack, s: Settings) -> Deployment:
    url = f"sqlite:///{s.workdir / 'sqlite.db'}"
    migrate(url, s.workdir / "migrate.log")
    return start_app_py(stack, "sqlite", url, s.workdir)


def deploy_postgres(stack: contextlib.ExitStack, s: Settings) -> Deployment:
    url = fresh_postgres(s.postgres)
    migrate(url, s.workdir / "migrate.log")
    return start_app_py(stack, "postgres", url, s.workdir)


def deploy_redis2(stack: contextlib.ExitStack, s: Settings) -> Deployment:
    url = fresh_postgres(s.postgres)
    migrate(url, s.workdir / "migrate.log")
    redis_url = start_redis(stack, s.workdir)
    started = [start_make_serve(stack, f"serve{i}", url, redis_url, s.workdir) for i in (1, 2)]
    for process, port, log in started:
        wait_http(f"http://127.0.0.1:{port}/healthz", process, log)
    urls = [f"http://127.0.0.1:{port}" for _, port, _ in started]
    return Deployment("redis2", urls, [p.pid for p, _, _ in started], url)


def deploy_baseline(stack: contextlib.ExitStack, s: Settings) -> Deployment:
    port = free_port()
    log = s.workdir / "baseline.log"
    argv = [sys.executable, "-m", "bench.chat_load", "--serve-baseline", str(port)]
    process = spawn(stack, argv, dict(os.environ), log)
    wait_http(f"http://127.0.0.1:{port}/healthz", process, log)
    return Deployment("baseline", [f"http://127.0.0.1:{port}"], [process.pid], needs_login=False)


DEPLOYERS: dict[str, Callable[[contextlib.ExitStack, Settings], Deployment]] = {
    "sqlite": deploy_sqlite,
    "postgres": deploy_postgres,
    "redis2": deploy_redis2,
    "baseline": deploy_baseline,
}


# --- /proc ---------------------------------------------------------------------------


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    return children


def process_tree(roots: Sequence[int]) -> list[int]:
    children = _children_map()
    seen: list[int] = []
    todo = list(roots)
    while todo and len(seen) < 10_000:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.append(pid)
        todo.extend(children.get(pid, ()))
    return seen


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _fd_count(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


def _cpu_ticks(pid: int) -> int:
    try:
        # Fields after the parenthesised command: utime and stime are the 12th and 13th.
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return 0


def tree_cpu_seconds(roots: Sequence[int]) -> float | None:
    """User + system CPU seconds used so far by the process trees (live processes only)."""
    if not roots:
        return None
    return sum(_cpu_ticks(p) for p in process_tree(roots)) / os.sysconf("SC_CLK_TCK")


def tree_usage(roots: Sequence[int]) -> tuple[float | None, int | None]:
    """(RSS in MB, open file descriptors) summed over the process trees."""
    if not roots:
        return None, None
    pids = process_tree(roots)
    return sum(_rss_kb(p) for p in pids) / 1024, sum(_fd_count(p) for p in pids)


# --- seeding -------------------------------------------------------------------------


def handles_for(n: int) -> list[str]:
    tag = "".join(random.choices(string.ascii_lowercase, k=5))
    return [f"lb_{tag}_{i:05d}" for i in range(n)]


def seed(database_url: str, handles: list[str], *, mint: bool) -> tuple[list[int], list[str]]:
    """Users (one precomputed hash) and rooms of five: the room id of each handle and,
    with ``mint``, the session cookie a login would have set for it.

    Minting skips only the password check: an argon2 verification costs the server
    a tenth of a second or more by design, so thousands of HTTP logins would measure
    the hash, not the chat. The cookie is signed with the key of the servers this
    bench starts (the testing config's) and checked by them like any other.
    """
    from flask import session

    from accounts.models import Role
    from accounts.passwords import hash_password
    from accounts.routes import start_session
    from accounts.service import register_user
    from app import create_app
    from db import db
    from rooms.admin import create_room

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    password_hash = hash_password(PASSWORD)
    room_of: list[int] = []
    cookies: list[str] = []
    signer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    with app.app_context():
        for start in range(0, len(handles), ROOM_SIZE):
            group = handles[start : start + ROOM_SIZE]
            users = [
                register_user(h, PASSWORD, role=Role.MEMBER, password_hash=password_hash)
                for h in group
            ]
            room = create_room(f"Bench room {start // ROOM_SIZE}", users)
            db.session.flush()
            room_of.extend([room.id] * len(group))
            for user in users if mint else ():
                with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"}):
                    start_session(user)
                    cookies.append(f"{cookie_name}={signer.dumps(dict(session))}")
        db.session.commit()
        db.engine.dispose()
    return room_of, cookies


# --- the swarm -----------------------------------------------------------------------


def body_of_length(rng: random.Random) -> str:
    length = int(min(MAX_BODY, max(1, rng.lognormvariate(LENGTH_MU, LENGTH_SIGMA))))
    words: list[str] = []
    size = 0
    while size < length and len(words) < MAX_BODY:
        word = rng.choice(WORDS)
        words.append(word)
        size += len(word) + 1
    return " ".join(words)[:length].strip() or "hi"


@dataclass
class Sent:
    t0: float
    room_id: int
    sender: int
    ok: bool = False


@dataclass
class Member:
    index: int
    handle: str
    room_id: int
    url: str
    cookie: str = ""
    client: Any = None
    outstanding: int = 0


class Swarm:
    """All clients of one run, and every send and receipt they saw."""

    def __init__(self, members: list[Member], settings: Settings) -> None:
        self.members = members
        self.settings = settings
        self.rng = random.Random(settings.seed)
        self.sent: dict[str, Sent] = {}
        self.receipts: Counter[tuple[str, int]] = Counter()
        self.latencies: list[float] = []
        self.acks: list[float] = []
        self.result = RunResult("", len(members))
        self.room_members: dict[int, list[int]] = {}
        self.sending = True

    def use_live(self, live: list[Member]) -> None:
        """Only connected, joined members are expected to receive anything."""
        self.result.connected = len(live)
        for m in live:
            self.room_members.setdefault(m.room_id, []).append(m.index)

    # connection ---------------------------------------------------------------------

    async def connect(self, member: Member) -> bool:
        import socketio

        client = socketio.AsyncClient(reconnection=False)
        member.client = client

        async def on_message(data: Any) -> None:
            self.on_message(member, data)

        async def on_disconnect(*_: Any) -> None:
            if self.sending:  # not the bench's own goodbye at the end
                self.result.disconnects += 1

        client.on("message", on_message, namespace="/chat")
        client.on("disconnect", on_disconnect, namespace="/chat")
        headers = {"Cookie": member.cookie} if member.cookie else {}
        try:
            # A server out of threads (THREADS per process) accepts the TCP
            # connection but never answers the upgrade; count it as failed.
            await asyncio.wait_for(
                client.connect(
                    member.url,
                    namespaces=["/chat"],
                    headers=headers,
                    transports=["websocket"],
                    wait_timeout=CALL_TIMEOUT,
                ),
                CONNECT_TIMEOUT,
            )
        except Exception:
            self.result.connect_failures += 1
            return False
        ack = await self.call(member, "join", {"room_id": member.room_id})
        if not (isinstance(ack, dict) and ack.get("ok")):
            self.result.join_failures += 1
            return False
        return True

    async def call(self, member: Member, event: str, data: dict[str, Any]) -> Any:
        try:
            return await member.client.call(event, data, namespace="/chat", timeout=CALL_TIMEOUT)
        except Exception as problem:
            return {"ok": False, "error": {"code": type(problem).__name__}}

    async def close(self, member: Member) -> None:
        if member.client is None:
            return
        if member.client.connected:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(member.client.disconnect(), 5)
        # engineio keeps its aiohttp session when the line was dropped or the goodbye
        # timed out; close it so the run ends without a page of "Unclosed" warnings.
        http = getattr(member.client.eio, "http", None)
        if http is not None and not http.closed:
            with contextlib.suppress(Exception):
                await http.close()

    # traffic ------------------------------------------------------------------------

    def on_message(self, member: Member, data: Any) -> None:
        now = time.perf_counter()
        cid = data.get("client_msg_id") if isinstance(data, dict) else None
        sent = self.sent.get(cid) if isinstance(cid, str) else None
        if sent is None:
            return
        key = (cid, member.index)
        self.receipts[key] += 1
        if self.receipts[key] == 1:
            self.latencies.append(now - sent.t0)

    async def send(self, member: Member) -> None:
        cid = str(uuid.uuid4())
        payload = {
            "room_id": member.room_id,
            "body": body_of_length(self.rng),
            "client_msg_id": cid,
        }
        record = Sent(time.perf_counter(), member.room_id, member.index)
        self.sent[cid] = record
        member.outstanding += 1
        try:
            ack = await self.call(member, "send", payload)
        finally:
            member.outstanding -= 1
        if isinstance(ack, dict) and ack.get("ok"):
            record.ok = True
            self.acks.append(time.perf_counter() - record.t0)
        else:
            error = ack.get("error") if isinstance(ack, dict) else None
            code = error.get("code") if isinstance(error, dict) else "bad_ack"
            self.result.send_errors[str(code)] += 1

    async def talk(self, member: Member, until: float, tasks: set[asyncio.Task[None]]) -> None:
        """Send at exponential gaps until ``until`` (open loop, at most 8 in flight)."""
        rng = random.Random(self.settings.seed * 100_003 + member.index)
        limit = int(self.settings.duration / max(self.settings.interval, 0.01) * 10) + 100
        for _ in range(limit):
            gap = rng.expovariate(1 / self.settings.interval)
            left = until - time.perf_counter()
            await asyncio.sleep(max(0.0, min(gap, left)))
            if gap >= left or not self.sending:
                return
            if member.outstanding >= MAX_OUTSTANDING:
                self.result.skipped += 1
                continue
            task = asyncio.create_task(self.send(member))
            tasks.add(task)
            task.add_done_callback(tasks.discard)

    # accounting ---------------------------------------------------------------------

    def missing(self) -> int:
        got = {key for key, count in self.receipts.items() if count}
        lost = 0
        for cid, sent in self.sent.items():
            if not sent.ok:
                continue
            receivers = self.room_members[sent.room_id]
            lost += sum(1 for r in receivers if r != sent.sender and (cid, r) not in got)
        return lost

    def expected(self) -> int:
        return sum(len(self.room_members[s.room_id]) - 1 for s in self.sent.values() if s.ok)

    def finish(self, seconds: float) -> RunResult:
        r = self.result
        r.seconds = seconds
        r.sent_ok = sum(1 for s in self.sent.values() if s.ok)
        r.deliveries = sum(1 for count in self.receipts.values() if count)
        r.duplicates = sum(count - 1 for count in self.receipts.values() if count > 1)
        r.expected = self.expected()
        r.lost = self.missing()
        r.latency_ms = percentiles(self.latencies)
        r.ack_ms = percentiles(self.acks)
        return r


def percentiles(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {}
    ordered = sorted(samples)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))] * 1000

    return {"p50": at(0.50), "p95": at(0.95), "p99": at(0.99), "max": ordered[-1] * 1000}


# --- logins --------------------------------------------------------------------------


async def login_one(connector: Any, member: Member, gate: asyncio.Semaphore) -> bool:
    import aiohttp

    async with gate:
        jar = aiohttp.CookieJar(unsafe=True)  # unsafe: cookies from an IP address
        timeout = aiohttp.ClientTimeout(total=30)
        async with aiohttp.ClientSession(
            connector=connector, connector_owner=False, cookie_jar=jar, timeout=timeout
        ) as http:
            try:
                async with http.get(f"{member.url}/api/v1/csrf") as response:
                    token = (await response.json())["csrf_token"]
                form = {"handle": member.handle, "password": PASSWORD, "csrf_token": token}
                async with http.post(
                    f"{member.url}/account/login", data=form, allow_redirects=False
                ) as response:
                    if response.status != 302:
                        return False
            except (aiohttp.ClientError, TimeoutError, KeyError, ValueError):
                return False
            member.cookie = "; ".join(f"{c.key}={c.value}" for c in jar)
            return True


async def login_all(members: list[Member]) -> int:
    """Log every member in, 32 at a time; the number of failures."""
    import aiohttp

    gate = asyncio.Semaphore(32)
    connector = aiohttp.TCPConnector(limit=64)
    try:
        results = await asyncio.gather(*(login_one(connector, m, gate) for m in members))
    finally:
        await connector.close()
    return sum(1 for ok in results if not ok)


# --- one run -------------------------------------------------------------------------


async def gated(gate: asyncio.Semaphore, coro: Any) -> Any:
    async with gate:
        return await coro


async def watch_usage(
    deployment: Deployment, swarm: Swarm, started: float, stop: asyncio.Event
) -> None:
    """Sample the servers' RSS (peak) and, in soak runs, print a row every period."""
    s = swarm.settings
    next_report = s.sample_every
    for _ in range(int((s.duration + s.drain + 3600) / 0.5)):
        rss, fds = tree_usage(deployment.pids)
        if rss is not None:
            swarm.result.rss_peak_mb = max(swarm.result.rss_peak_mb or 0.0, rss)
        elapsed = time.perf_counter() - started
        if s.soak_report is not None and elapsed >= next_report:
            connected = sum(1 for m in swarm.members if m.client and m.client.connected)
            ok = sum(1 for x in swarm.sent.values() if x.ok)
            s.soak_report(SoakSample(elapsed, rss, fds, connected, ok))
            next_report += s.sample_every
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 1.0 if s.soak_report is None else 0.5)
        if stop.is_set():
            return


async def drain(swarm: Swarm, tasks: set[asyncio.Task[None]]) -> None:
    """Wait for the acks in flight, then until every delivery arrived (bounded)."""
    if tasks:
        await asyncio.wait(set(tasks), timeout=CALL_TIMEOUT + 2)
    deadline = time.perf_counter() + swarm.settings.drain
    while time.perf_counter() < deadline and swarm.missing():
        await asyncio.sleep(0.2)


async def run_swarm(deployment: Deployment, members: list[Member], s: Settings) -> RunResult:
    swarm = Swarm(members, s)
    t0 = time.perf_counter()
    if deployment.needs_login and not all(m.cookie for m in members):
        swarm.result.login_failures = await login_all(members)
    t1 = time.perf_counter()
    gate = asyncio.Semaphore(50)
    joined = await asyncio.gather(*(gated(gate, swarm.connect(m)) for m in members))
    swarm.result.login_s = t1 - t0
    swarm.result.connect_s = time.perf_counter() - t1
    live = [m for m, ok in zip(members, joined, strict=True) if ok]
    swarm.use_live(live)
    # The swarm's own collector would pause every client at once and show up as server
    # latency: freeze what connecting built and collect young objects rarely.
    gc.freeze()
    thresholds = gc.get_threshold()
    gc.set_threshold(*CLIENT_GC_THRESHOLDS)
    started = time.perf_counter()
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    server_cpu0 = tree_cpu_seconds(deployment.pids)
    stop = asyncio.Event()
    watcher = asyncio.create_task(watch_usage(deployment, swarm, started, stop))
    tasks: set[asyncio.Task[None]] = set()
    try:
        until = started + s.duration
        await asyncio.gather(*(swarm.talk(m, until, tasks) for m in live))
        seconds = time.perf_counter() - started
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        server_cpu1 = tree_cpu_seconds(deployment.pids)
        await drain(swarm, tasks)
        result = swarm.finish(seconds)
        result.rss_end_mb, result.fds_end = tree_usage(deployment.pids)
    finally:
        swarm.sending = False
        stop.set()
        watcher.cancel()
        await asyncio.gather(watcher, return_exceptions=True)
        await asyncio.gather(*(swarm.close(m) for m in members), return_exceptions=True)
        gc.unfreeze()  # the next step's swarm starts from a collected heap
        gc.set_threshold(*thresholds)
    used = (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)
    result.client_cpu_pct = 100 * used / max(seconds, 1e-9)
    if server_cpu0 is not None and server_cpu1 is not None:
        server_used = server_cpu1 - server_cpu0
        result.server_cpu_pct = 100 * server_used / max(seconds, 1e-9)
        if result.sent_ok:
            result.server_cpu_ms_per_msg = 1000 * server_used / result.sent_ok
    result.label = deployment.label
    return result


#: Young-generation thresholds while the swarm talks (CPython's default is 700, 10, 10).
CLIENT_GC_THRESHOLDS = (50_000, 20, 100)


def build_members(deployment: Deployment, n: int, *, http_login: bool) -> list[Member]:
    handles = handles_for(n)
    cookies: list[str] = []
    if deployment.database_url is not None:
        mint = deployment.needs_login and deployment.can_mint and not http_login
        rooms, cookies = seed(deployment.database_url, handles, mint=mint)
    else:
        rooms = [1 + i // ROOM_SIZE for i in range(n)]
    urls = deployment.urls
    members = [Member(i, h, rooms[i], urls[i % len(urls)]) for i, h in enumerate(handles)]
    for member, cookie in zip(members, cookies, strict=False):
        member.cookie = cookie
    return members


def run_mode(mode: str, s: Settings, targets: Deployment | None = None) -> RunResult:
    """Start the servers of ``mode`` (unless given), run the swarm, stop them."""
    with contextlib.ExitStack() as stack:
        deployment = targets or DEPLOYERS[mode](stack, s)
        members = build_members(deployment, s.n, http_login=s.http_login)
        print(f"  {deployment.label}: {s.n} clients on {', '.join(deployment.urls)}", flush=True)
        return asyncio.run(run_swarm(deployment, members, s))


# --- the baseline server -------------------------------------------------------------


def serve_baseline(port: int) -> None:
    """A bare Flask-SocketIO broadcast server: join → room, send → ack + emit to room."""
    import itertools
    import threading
    from datetime import UTC, datetime

    from flask import Flask, request
    from flask_socketio import SocketIO, join_room

    app = Flask("baseline")
    sio = SocketIO(app, async_mode="threading")
    ids = itertools.count(1)
    lock = threading.Lock()

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @sio.on("connect", namespace="/chat")
    def connect(auth: Any = None) -> None:
        return None

    @sio.on("join", namespace="/chat")
    def join(data: dict[str, Any]) -> dict[str, Any]:
        join_room(str(data["room_id"]))
        return {"ok": True, "messages": [], "has_more": False}

    @sio.on("send", namespace="/chat")
    def send(data: dict[str, Any]) -> dict[str, Any]:
        with lock:
            message_id = next(ids)
        message = {
            "id": message_id,
            "room_id": data["room_id"],
            "author": {"handle": "someone", "role": "member"},
            "body": str(data["body"]).strip(),
            "created_at": datetime.now(UTC).isoformat(),
            "kind": "user",
            "client_msg_id": data["client_msg_id"],
        }
        sid = getattr(request, "sid", None)
        sio.emit("message", message, to=str(data["room_id"]), namespace="/chat", skip_sid=sid)
        return {"ok": True, "message": message}

    sio.run(app, host="127.0.0.1", port=port, allow_unsafe_werkzeug=True, log_output=False)


# --- output --------------------------------------------------------------------------


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


ROWS: list[tuple[str, Callable[[RunResult], str]]] = [
    ("clients", lambda r: str(r.n)),
    ("connected", lambda r: str(r.connected)),
    (
        "login/connect/join fail",
        lambda r: f"{r.login_failures}/{r.connect_failures}/{r.join_failures}",
    ),
    ("HTTP login s (all clients)", lambda r: _fmt(r.login_s)),
    ("connect+join s (all clients)", lambda r: _fmt(r.connect_s)),
    ("disconnects while sending", lambda r: str(r.disconnects)),
    ("seconds", lambda r: _fmt(r.seconds)),
    ("messages acked", lambda r: str(r.sent_ok)),
    ("send errors", lambda r: ",".join(f"{k}:{v}" for k, v in r.send_errors.items()) or "0"),
    ("sends skipped (8 in flight)", lambda r: str(r.skipped)),
    ("messages in/s", lambda r: _fmt(r.msgs_per_s, 2)),
    ("deliveries/s", lambda r: _fmt(r.deliveries_per_s, 2)),
    ("delivery p50 ms", lambda r: _fmt(r.latency_ms.get("p50"))),
    ("delivery p95 ms", lambda r: _fmt(r.latency_ms.get("p95"))),
    ("delivery p99 ms", lambda r: _fmt(r.latency_ms.get("p99"))),
    ("delivery max ms", lambda r: _fmt(r.latency_ms.get("max"))),
    ("ack p50 ms", lambda r: _fmt(r.ack_ms.get("p50"))),
    ("ack p99 ms", lambda r: _fmt(r.ack_ms.get("p99"))),
    ("expected deliveries", lambda r: str(r.expected)),
    ("received deliveries", lambda r: str(r.deliveries)),
    ("lost deliveries", lambda r: str(r.lost)),
    ("duplicated deliveries", lambda r: str(r.duplicates)),
    ("server RSS peak MB", lambda r: _fmt(r.rss_peak_mb)),
    ("server RSS end MB", lambda r: _fmt(r.rss_end_mb)),
    ("server open fds end", lambda r: "-" if r.fds_end is None else str(r.fds_end)),
    ("server CPU %", lambda r: _fmt(r.server_cpu_pct, 0)),
    ("server CPU ms per message", lambda r: _fmt(r.server_cpu_ms_per_msg, 2)),
    ("bench client CPU %", lambda r: _fmt(r.client_cpu_pct, 0)),
]


def _ratio(a: float | None, b: float | None) -> str:
    return "-" if not a or not b else f"{a / b:.2f}x"


def ratio_rows(results: list[RunResult]) -> list[tuple[str, list[str]]]:
    base = next((r for r in results if r.label == "baseline"), None)
    if base is None:
        return []
    rows = [
        ("deliveries/s vs baseline", lambda r: _ratio(r.deliveries_per_s, base.deliveries_per_s)),
        (
            "p99 vs baseline",
            lambda r: _ratio(r.latency_ms.get("p99"), base.latency_ms.get("p99")),
        ),
    ]
    return [(name, [fn(r) if r is not base else "1.00x" for r in results]) for name, fn in rows]


def print_table(results: list[RunResult]) -> None:
    body = [(name, [fn(r) for r in results]) for name, fn in ROWS] + ratio_rows(results)
    width = max(len(name) for name, _ in body)
    cols = [max(len(r.label), *(len(vals[i]) for _, vals in body)) for i, r in enumerate(results)]
    header = " | ".join(r.label.rjust(w) for r, w in zip(results, cols, strict=True))
    print(f"{'metric'.ljust(width)} | {header}")
    print("-" * (width + 3 + len(header)))
    for name, vals in body:
        cells = " | ".join(v.rjust(w) for v, w in zip(vals, cols, strict=True))
        print(f"{name.ljust(width)} | {cells}")


# --- commands ------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m bench.chat_load",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--n", type=int, default=200, help="clients (rooms of five)")
    p.add_argument("--interval", type=float, default=20.0, help="mean seconds between sends")
    p.add_argument("--duration", type=float, default=60.0, help="seconds of sending")
    p.add_argument("--drain", type=float, default=5.0, help="seconds to wait for stragglers")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--modes", default="sqlite", help=f"comma-separated of {','.join(ALL_MODES)}")
    p.add_argument("--no-baseline", action="store_true", help="skip the bare broadcast server")
    p.add_argument(
        "--postgres",
        default="postgresql+psycopg://postgres@127.0.0.1:5432",
        help="PostgreSQL server URL (no database); hearth_bench is dropped and re-created",
    )
    p.add_argument("--targets", help="comma-separated URLs of running servers to measure")
    p.add_argument("--database-url", help="the database of --targets, for seeding")
    p.add_argument("--pids", default="", help="server pids of --targets, for RSS and fds")
    p.add_argument("--find-max", action="store_true", help="step N; largest N that passes")
    p.add_argument("--steps", default=FIND_MAX_STEPS, help="N values for --find-max")
    p.add_argument("--soak", type=float, metavar="SECONDS", help="long run reporting RSS/fds")
    p.add_argument("--soak-every", type=float, default=30.0, help="seconds between soak rows")
    p.add_argument("--warmup", type=float, default=60.0, help="soak seconds before growth counts")
    p.add_argument(
        "--http-login",
        action="store_true",
        help="log every client in over HTTP (argon2 per login) instead of minting sessions",
    )
    p.add_argument("--keep", action="store_true", help="keep the work directory (logs, db)")
    p.add_argument("--serve-baseline", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if not 1 <= args.n <= 20_000 or args.interval <= 0 or args.duration <= 0:
        p.error("--n must be 1..20000, --interval and --duration positive")
    if args.targets and not args.database_url:
        p.error("--targets needs --database-url (for seeding)")
    unknown = set(args.modes.split(",")) - set(ALL_MODES)
    if unknown:
        p.error(f"unknown modes: {', '.join(sorted(unknown))}")
    return args


def labels(args: argparse.Namespace) -> list[str]:
    runs = ["targets"] if args.targets else args.modes.split(",")
    return runs if args.no_baseline else [*runs, "baseline"]


def target_deployment(args: argparse.Namespace) -> Deployment:
    urls = [require_loopback(u.strip().rstrip("/")) for u in args.targets.split(",")]
    require_loopback(args.database_url.replace("sqlite:///", "sqlite://127.0.0.1/"))
    pids = [int(p) for p in args.pids.split(",") if p.strip()]
    return Deployment("targets", urls, pids, args.database_url, can_mint=False)


def run_all(args: argparse.Namespace, s: Settings) -> list[RunResult]:
    results = []
    for label in labels(args):
        target = target_deployment(args) if label == "targets" else None
        results.append(run_mode(label, s, target))
    return results


def find_max(args: argparse.Namespace, s: Settings) -> None:
    steps = sorted({int(x) for x in args.steps.split(",") if x.strip()})[:20]
    best: dict[str, int] = {}
    for label in labels(args):
        best[label] = 0
        tried: list[RunResult] = []
        for n in steps:
            s.n = n
            target = target_deployment(args) if label == "targets" else None
            result = run_mode(label, s, target)
            result.label = f"{label}@{n}"
            tried.append(result)
            if not result.passes():
                break
            best[label] = n
        print_table(tried)
        print()
    print(f"largest N with p99 ≤ {P99_LIMIT_MS:.0f} ms, 0 lost, all connected:")
    for label, n in best.items():
        print(f"  {label}: {n or 'none of ' + args.steps}")


def soak(args: argparse.Namespace, s: Settings) -> None:
    samples: list[SoakSample] = []

    def report(sample: SoakSample) -> None:
        samples.append(sample)
        print(
            f"  t={sample.elapsed:7.0f}s  RSS {_fmt(sample.rss_mb)} MB  fds {sample.fds}"
            f"  connected {sample.connected}  acked {sample.sent_ok}",
            flush=True,
        )

    s.duration = args.soak
    s.sample_every = args.soak_every
    s.soak_report = report
    label = labels(args)[0]
    target = target_deployment(args) if label == "targets" else None
    print_table([run_mode(label, s, target)])
    warm = [x for x in samples if x.elapsed >= args.warmup]
    if len(warm) >= 2 and warm[0].rss_mb is not None and warm[-1].rss_mb is not None:
        hours = (warm[-1].elapsed - warm[0].elapsed) / 3600
        grow = warm[-1].rss_mb - warm[0].rss_mb
        fds = (warm[-1].fds or 0) - (warm[0].fds or 0)
        print(
            f"after warm-up ({args.warmup:.0f} s): RSS {grow:+.1f} MB ({grow / hours:+.1f} MB/h),"
        )
        print(f"  open fds {fds:+d}, over {warm[-1].elapsed - warm[0].elapsed:.0f} s")
    else:
        print("soak too short for a growth figure (needs two samples after warm-up)")


@contextlib.contextmanager
def workdir(keep: bool) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="hearth-chat-load-"))
    failed = True
    try:
        yield path
        failed = False
    finally:
        if keep or failed:
            print(f"logs and databases kept in {path}", file=sys.stderr)
        else:
            shutil.rmtree(path, ignore_errors=True)


def _terminate(_signum: int, _frame: Any) -> None:
    """SIGTERM behaves as Ctrl-C (asyncio.run then cancels the swarm cleanly)."""
    os.kill(os.getpid(), signal.SIGINT)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.serve_baseline:
        serve_baseline(args.serve_baseline)
        return 0
    require_loopback(args.postgres)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        run_command(args)
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("interrupted: every server this bench started has been stopped", file=sys.stderr)
        return 130
    return 0


def run_command(args: argparse.Namespace) -> None:
    with workdir(args.keep) as work:
        s = Settings(
            args.n, args.interval, args.duration, args.drain, args.seed, work, args.postgres
        )
        s.http_login = args.http_login
        size = f"N in {args.steps}" if args.find_max else f"n={args.n}"
        seconds = args.soak or args.duration
        print(f"chat load: {size}, mean interval {args.interval} s, {seconds} s of sending")
        if args.find_max:
            find_max(args, s)
        elif args.soak:
            soak(args, s)
        else:
            print_table(run_all(args, s))


if __name__ == "__main__":
    sys.exit(main())
