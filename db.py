"""Database foundation: declarative base, UTC timestamps and the session lifecycle.

Flask-SQLAlchemy owns the session lifecycle (one session per app context, removed
at teardown); this module gives it a typed 2.0-style base whose constraint names
are stable across SQLite and PostgreSQL, so Alembic migrations stay portable.
"""

from __future__ import annotations

import enum
import threading
import weakref
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, Enum, MetaData, event
from sqlalchemy.engine import Dialect, Engine, make_url
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator
from werkzeug.routing import IntegerConverter, Map

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


#: The largest id a row can have: id columns are INTEGER, 32-bit signed in
#: PostgreSQL (SQLite's are 64-bit). A bigger number sent to the database raises
#: DataError (PostgreSQL) or OverflowError (SQLite, past 2**63-1) instead of
#: matching nothing, so it is refused before any query.
MAX_ID = 2**31 - 1


def is_id(value: object) -> bool:
    """Whether ``value`` (from a JSON body or a socket payload) can be a row's id."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def parse_whole(text: str, *, maximum: int = MAX_ID) -> int | None:
    """``text`` (a query string or form field) as a whole number in 0..``maximum``, else None.

    ``str.isdigit`` alone is not enough: it accepts "²", which ``int`` then refuses,
    and ``int`` refuses numbers of more than 4,300 digits; either would be a 500.
    """
    if not (text.isascii() and text.isdigit()) or len(text.lstrip("0")) > len(str(maximum)):
        return None
    value = int(text.lstrip("0") or "0")  # int() refuses 4,301 zeros too
    return value if value <= maximum else None


def digits_at_most(limit: int) -> str:
    """A regular expression for the numbers 1..``limit`` written without leading zeros.

    The bound goes in the pattern itself, not only in ``to_python``: werkzeug answers a
    path whose converter refuses the value with 405 when another rule on the same path
    takes other methods, and "no such id" should be a 404 for every method.
    """
    digits = str(limit)
    shorter = rf"[1-9][0-9]{{0,{len(digits) - 2}}}" if len(digits) > 1 else ""
    same_length = []
    for i, digit in enumerate(digits):
        lowest = 1 if i == 0 else 0
        if int(digit) > lowest:
            rest = len(digits) - i - 1
            same_length.append(rf"{digits[:i]}[{lowest}-{int(digit) - 1}][0-9]{{{rest}}}")
    same_length.append(digits)
    return "(?:" + "|".join(filter(None, [shorter, *same_length])) + ")"


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: every such part of a path is a row's id, so a
    number outside 1..MAX_ID is a 404 like any other id that names nothing."""

    regex = digits_at_most(MAX_ID)

    def __init__(
        self, map: Map, fixed_digits: int = 0, min: int = 1, max: int = MAX_ID, signed: bool = False
    ) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC, always returns aware datetimes.

    SQLite has no time zones and PostgreSQL returns whatever the session zone is;
    normalising here means no code ever compares naive with aware times.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; use db.utcnow()")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def value_enum(cls: type[enum.Enum], name: str) -> Enum:
    """A named database enum that stores members' values ("listen_first"), which
    are what the API speaks, rather than their Python names."""
    return Enum(cls, name=name, values_callable=lambda members: [m.value for m in members])


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})


def _tune_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
    # Foreign keys are off by default in SQLite; WAL lets readers (history,
    # catch-up) proceed while a message is being written.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class SQLiteWriterQueue:
    """Let one connection of this process write to SQLite at a time, in turn.

    SQLite allows one writer; the others get SQLITE_BUSY and its busy handler
    sleeps 1, 2, 5, 10 … up to 100 ms between tries, so under a steady stream of
    chat messages an unlucky send waits half a second while others overtake it.
    Queueing on a lock here before the first write of a transaction, and leaving
    when the connection goes back to the pool (after commit or rollback), gives
    the same one-writer order without the sleeps. A connection that can't get
    its turn within the busy timeout goes ahead and lets SQLite decide, so a
    stuck writer can't wedge the others.
    """

    WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")

    def __init__(self, timeout: float) -> None:
        self._lock = threading.Lock()
        self._timeout = timeout

    def attach(self, engine: Engine) -> None:
        _writer_queues[engine] = self
        event.listen(engine, "before_cursor_execute", self._before_execute)
        for name in ("checkin", "invalidate", "close"):
            event.listen(engine.pool, name, self._release)

    def _before_execute(self, conn: Any, cursor: Any, statement: str, *_args: Any) -> None:
        info = conn.connection.info if conn.connection is not None else None
        if info is None or info.get("hearth_writer") is not None:
            return
        if statement.lstrip()[:7].upper().startswith(self.WRITES):
            info["hearth_writer"] = self._lock.acquire(timeout=self._timeout)

    def held(self) -> bool:
        """True while some connection of this process is between its first write and
        the end of its transaction."""
        return self._lock.locked()

    def _release(self, dbapi_connection: Any, connection_record: Any, *_args: Any) -> None:
        info = getattr(connection_record, "info", None)
        if info is not None and info.pop("hearth_writer", None):
            self._lock.release()


_writer_queues: weakref.WeakKeyDictionary[Engine, SQLiteWriterQueue] = weakref.WeakKeyDictionary()


def sqlite_writer_queue(engine: Engine) -> SQLiteWriterQueue | None:
    """The writer queue of a SQLite file engine (None for other databases)."""
    return _writer_queues.get(engine)


#: Connections kept open per process. Every socket event runs on a thread of its own
#: with its own connection; SQLAlchemy's default of 5 (+10 overflow, closed again
#: after use) made a busy chat server open a new PostgreSQL connection, a new server
#: process on the database side, for many of its messages.
POOL_SIZE = 20
POOL_OVERFLOW = 10


def init_app(app: Flask) -> None:
    # Before any blueprint adds a rule: a rule takes its converters when it is added.
    app.url_map.converters["int"] = IdConverter
    uri: str = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    # In-memory SQLite has neither a connection pool nor other processes' writers.
    in_memory = make_url(uri).database in (None, "", ":memory:")
    if not in_memory:
        options.setdefault("pool_size", POOL_SIZE)
        options.setdefault("max_overflow", POOL_OVERFLOW)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if uri.startswith("sqlite"):
        connect_args = dict(options.get("connect_args", {}))
        # Socket handlers run on worker threads; each uses its own pooled connection.
        connect_args.setdefault("check_same_thread", False)
        connect_args.setdefault("timeout", 10)
        options["connect_args"] = connect_args
        # A file on this machine can't drop the line, so a pre-ping would only add a
        # round trip to every socket event; servers over a network keep it.
        options["pool_pre_ping"] = False
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite" and not event.contains(engine, "connect", _tune_sqlite):
            event.listen(engine, "connect", _tune_sqlite)
            if not in_memory:
                SQLiteWriterQueue(timeout=5.0).attach(engine)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
