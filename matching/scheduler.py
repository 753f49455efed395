"""Matching rounds on a schedule (``MATCH_INTERVAL_MINUTES``).

Every serving process (``python app.py``, each gunicorn worker) runs one small
loop; CLI commands and tests never start it (``app.start_background_work`` does).
It runs even with ``MATCH_INTERVAL_MINUTES=0``: that turns scheduled rounds off, not
the expiry, the reminders and the other packages' periodic work that ride on the loop.
Each pass of the loop is a *tick*:

1. take the round lease (``service.acquire_round_lock``): if another process holds
   it, this tick does nothing;
2. read the shared schedule row (``MatchSchedule``) and, unless rounds are off, run a
   round when the next round is due, or when the waiting pool has just become large
   enough to form a group (so the first people of a new installation are not left
   waiting);
3. otherwise close expired suggestions and send the reminders that are due;
4. commit, and only then announce (proposal notices, the console's panel).

Because the decision is made while holding the lease and the next round's time is
stored in the database, two processes never run two rounds for the same tick. A
round that fails is logged with its cause, kept as ``last_error`` for the console,
and tried again at the next tick; the loop itself never stops.
"""

from __future__ import annotations

import logging
import threading
import traceback
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import func, select, update

import signals
from db import db, utcnow
from extensions import socketio
from matching import service
from matching.models import MatchLock, MatchRound, MatchSchedule
from profiles.models import PoolEntry

log = logging.getLogger("hearth.matching.scheduler")

SCHEDULE = "match-round"
#: How often each process looks at the pool between scheduled rounds, so a round
#: starts well within a minute of the pool first holding enough people.
POLL_SECONDS = 15.0
#: A round started by the pool reaching quorum comes at least this long after the last.
QUORUM_MIN_GAP = timedelta(seconds=30)
#: Seconds the grouping search may take in a scheduled round (the round's time bound).
ROUND_TIME_BUDGET = 30.0
#: People often arrive together (a group of friends, a link shared in a class): a round
#: waits until nobody has joined for this long, so it sees them all at once...
POOL_SETTLE = timedelta(seconds=5)
#: ...but a scheduled round is never held back longer than this.
MAX_SETTLE_DELAY = timedelta(minutes=1)

_lock = threading.Lock()
#: Each app's loop and the event that stops it, by ``id(app)``.
_running: dict[int, tuple[threading.Thread, threading.Event]] = {}


@dataclass
class TickResult:
    """What one tick did: ``action`` is "round", "maintenance", "locked" or "failed"."""

    action: str
    trigger: str | None = None
    summary: service.RoundSummary | None = None
    error: str | None = None
    reminded: int = 0


def interval_minutes(app: Flask | None = None) -> float:
    config = (app or current_app).config
    return float(config.get("MATCH_INTERVAL_MINUTES") or 0)


def schedule_row() -> MatchSchedule:
    """The shared schedule row (created on first use; flushed, not committed)."""
    row = db.session.get(MatchSchedule, SCHEDULE)
    if row is None:
        row = MatchSchedule(name=SCHEDULE, interval_minutes=0.0)
        db.session.add(row)
        db.session.flush()
    return row


def quorum_ready(now: datetime) -> bool:
    """The pool has just become large enough for a group: newcomers since the last
    round, which itself left fewer than a group's worth of people waiting."""
    count, newest = db.session.execute(
        select(func.count(PoolEntry.id), func.max(PoolEntry.joined_at))
    ).one()
    if int(count or 0) < service.QUORUM:
        return False
    last = db.session.scalars(
        select(MatchRound).order_by(MatchRound.started_at.desc(), MatchRound.id.desc()).limit(1)
    ).first()
    if last is None:
        return True
    if now - last.started_at < QUORUM_MIN_GAP:
        return False
    return last.people_waiting < service.QUORUM and newest is not None and newest > last.started_at


def _pool_settling(now: datetime) -> bool:
    """Someone joined the pool moments ago (others may be joining with them)."""
    newest = db.session.scalar(select(func.max(PoolEntry.joined_at)))
    return newest is not None and now - POOL_SETTLE < newest <= now


def _release_in_transaction() -> None:
    db.session.execute(
        update(MatchLock)
        .where(MatchLock.name == service.ROUND_LOCK, MatchLock.holder == service._holder())
        .values(holder=None, until=None)
    )


def tick(*, now: datetime | None = None, interval: float | None = None) -> TickResult:
    """One tick of the schedule, inside an app context. Commits; announces after commit."""
    now = now or utcnow()
    minutes = interval_minutes() if interval is None else interval
    if not service.acquire_round_lock(now):
        return TickResult("locked")
    trigger: str | None = None
    try:
        row = schedule_row()
        row.interval_minutes = minutes
        row.last_tick_at = now
        row.ticked_by = service._holder()
        if minutes > 0 and (row.next_round_at is None or row.next_round_at <= now):
            trigger = "schedule"
        elif minutes > 0 and quorum_ready(now):
            trigger = "quorum"
        if trigger is not None and _pool_settling(now):
            overdue = row.next_round_at is not None and now - row.next_round_at > MAX_SETTLE_DELAY
            if trigger == "quorum" or not overdue:
                trigger = None  # the next tick, once the arrivals have settled
        if trigger is not None:
            summary = service.run_round(lock_held=True, now=now, time_budget=ROUND_TIME_BUDGET)
            row.last_round_at = now
            row.last_round_id = summary.round_id
            row.last_error = None
            row.last_error_at = None
            if minutes > 0:
                row.next_round_at = now + timedelta(minutes=minutes)
            result = TickResult("round", trigger, summary)
        else:
            service.expire_due_proposals(now=now)
            _release_in_transaction()
            result = TickResult("maintenance")
        result.reminded = service.remind_expiring(now=now)
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        service.release_round_lock()
        cause = "".join(traceback.format_exception_only(type(error), error)).strip()
        log.exception("Matching round failed (%s); it will be tried again at the next tick", cause)
        _record_failure(now, minutes, cause)
        announce_panel()
        return TickResult("failed", trigger, error=cause)
    if result.summary is not None:
        service.announce_round(result.summary)
        log.info(
            "Matching round %s (%s): %d groups for %d of %d people in %d ms",
            result.summary.round_id,
            trigger,
            len(result.summary.groups),
            result.summary.grouped,
            result.summary.pool_size,
            result.summary.duration_ms,
        )
        announce_panel()
    return result


def _record_failure(now: datetime, minutes: float, cause: str) -> None:
    """Keep the failure for the console (its own transaction: the round's rolled back)."""
    try:
        row = schedule_row()
        row.interval_minutes = minutes
        row.last_tick_at = now
        row.last_error = cause[:2000]
        row.last_error_at = now
        row.ticked_by = service._holder()
        if minutes > 0:
            row.next_round_at = now + timedelta(minutes=minutes)
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("Could not record the failed matching round")


def record_manual_round(summary: service.RoundSummary, now: datetime) -> None:
    """A round from the console or the CLI counts as the last round (caller commits)."""
    row = schedule_row()
    row.last_round_at = now
    row.last_round_id = summary.round_id
    row.last_error = None
    row.last_error_at = None


def state(app: Flask | None = None) -> dict[str, Any]:
    """The schedule as the console shows it (the same from every process)."""
    row = db.session.get(MatchSchedule, SCHEDULE)
    minutes = interval_minutes(app)

    def iso(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "enabled": minutes > 0,
        "interval_minutes": minutes,
        "next_round_at": iso(row.next_round_at) if row and minutes > 0 else None,
        "last_tick_at": iso(row.last_tick_at) if row else None,
        "last_round_at": iso(row.last_round_at) if row else None,
        "last_error": row.last_error if row else None,
        "last_error_at": iso(row.last_error_at) if row else None,
        "ticked_by": row.ticked_by if row else None,
    }


def announce_panel() -> None:
    """Ask open consoles to refresh their matching panel (everyone on /mod is a moderator)."""
    try:
        socketio.emit("matching_panel", {"changed": True}, namespace="/mod")
    except Exception:  # a console refresh is a courtesy; never fail a round for it
        log.warning("Could not tell the consoles about the round", exc_info=True)


def _loop(app: Flask, poll_seconds: float, stop: threading.Event) -> None:
    while not stop.is_set():
        with app.app_context():
            try:
                tick()
            except Exception:  # belt and braces: the schedule never stops
                log.exception("Matching scheduler tick failed")
            try:
                # Other packages' periodic work rides on this loop rather than a
                # thread of their own (check-in reminders); each commits its own.
                signals.periodic_work.send(app, now=utcnow())
            except Exception:
                db.session.rollback()
                log.exception("Periodic work after the matching tick failed")
            finally:
                db.session.remove()
        stop.wait(poll_seconds)


def start(app: Flask) -> bool:
    """Start this process's loop (once per app); False when it was already running.

    With ``MATCH_INTERVAL_MINUTES=0`` the loop runs no rounds but still closes
    expired suggestions, sends reminders and runs ``signals.periodic_work``.
    """
    minutes = interval_minutes(app)
    poll = max(1.0, min(minutes * 60, POLL_SECONDS)) if minutes > 0 else POLL_SECONDS
    with _lock:
        running = _running.get(id(app))
        if running is not None and running[0].is_alive():
            return False
        stop = threading.Event()
        thread = threading.Thread(
            target=_loop, args=(app, poll, stop), name="hearth-matching-schedule", daemon=True
        )
        _running[id(app)] = (thread, stop)
        thread.start()
    if minutes > 0:
        log.info("Matching rounds every %g minutes (checking every %g s)", minutes, poll)
    else:
        log.info("Scheduled matching rounds are off; reminders and expiry every %g s", poll)
    return True


def stop(app: Flask, wait: float = 10.0) -> None:
    """Stop ``app``'s loop after its current pass (waiting up to ``wait`` seconds)."""
    with _lock:
        running = _running.pop(id(app), None)
    if running is not None:
        thread, event = running
        event.set()
        thread.join(wait)
