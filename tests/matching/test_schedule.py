"""Rounds on a schedule: the setting, ticks, the quorum trigger, failures, reminders."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select, text

from config import load_config
from db import db, utcnow
from matching import scheduler, service
from matching.models import (
    MatchLock,
    MatchRound,
    MatchSchedule,
    Proposal,
    ProposalMember,
    ProposalStatus,
)
from notifications.models import Notification
from profiles.models import PoolEntry
from tests.matching.test_service import answer, run_round

#: A tick this long after the last arrival: the pool has settled (scheduler.POOL_SETTLE).
SETTLED = timedelta(seconds=10)


def rounds(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(MatchRound)) or 0)


def tick(app: Flask, **kw: object) -> scheduler.TickResult:
    with app.app_context():
        return scheduler.tick(**kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("env", "name", "expected"),
    [
        (None, "development", 10.0),
        (None, "production", 10.0),
        (None, "testing", 0.0),
        ("0.1", "testing", 0.1),
        ("0", "development", 0.0),
        ("2.5", "production", 2.5),
    ],
)
def test_match_interval_minutes_is_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, env: str | None, name: str, expected: float
) -> None:
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    if env is None:
        monkeypatch.delenv("MATCH_INTERVAL_MINUTES", raising=False)
    else:
        monkeypatch.setenv("MATCH_INTERVAL_MINUTES", env)
    assert expected == load_config(name).MATCH_INTERVAL_MINUTES


@pytest.mark.parametrize("bad", ["soon", "-1", "nan", "inf"])
def test_a_bad_match_interval_is_refused_clearly(monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    monkeypatch.setenv("MATCH_INTERVAL_MINUTES", bad)
    with pytest.raises(RuntimeError, match="MATCH_INTERVAL_MINUTES"):
        load_config("testing")


def test_with_rounds_off_the_loop_still_expires_and_reminds_but_runs_no_round(
    app: Flask, waiting_people: Callable[..., list[int]]
) -> None:
    assert app.config["MATCH_INTERVAL_MINUTES"] == 0  # the testing default: rounds off
    people = waiting_people(4)
    # A suggestion made 49 hours ago closed an hour ago; nobody answered it.
    run_round(app, now=utcnow() - timedelta(hours=49))
    assert scheduler.start(app) is True
    try:
        assert scheduler.start(app) is False  # one loop per app
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _open_suggestions(app):
            time.sleep(0.05)
    finally:
        scheduler.stop(app)
    assert _open_suggestions(app) == 0
    # The four are back in the pool, a quorum, yet rounds are off: no round.
    assert tick(app, now=utcnow() + SETTLED, interval=0).action == "maintenance"
    assert rounds(app) == 1
    with app.app_context():
        waiting = db.session.scalars(select(PoolEntry.user_id)).all()
    assert sorted(waiting) == sorted(people)


def _open_suggestions(app: Flask) -> int:
    with app.app_context():
        query = select(func.count()).where(Proposal.status == ProposalStatus.PENDING)
        return int(db.session.scalar(query) or 0)


def test_a_tick_runs_a_round_when_due_and_only_then(
    app: Flask, waiting_people: Callable[..., list[int]]
) -> None:
    waiting_people(4)
    start = utcnow() + SETTLED
    first = tick(app, now=start, interval=10)
    assert first.action == "round"
    assert first.trigger == "schedule"
    assert first.summary is not None
    assert len(first.summary.groups) == 1
    assert tick(app, now=start + timedelta(minutes=1), interval=10).action == "maintenance"
    assert rounds(app) == 1
    with app.app_context():
        row = db.session.get(MatchSchedule, scheduler.SCHEDULE)
        assert row is not None
        assert row.next_round_at == start + timedelta(minutes=10)
        assert row.last_round_at == start
        state = scheduler.state()
    assert state["last_error"] is None
    assert tick(app, now=start + timedelta(minutes=10, seconds=1), interval=10).action == "round"
    assert rounds(app) == 2
    with app.app_context():  # the lease is free again after every tick
        lock = db.session.get(MatchLock, service.ROUND_LOCK)
        assert lock is not None
        assert lock.holder is None


def test_a_tick_finds_the_lease_taken_and_does_nothing(
    app: Flask, waiting_people: Callable[..., list[int]]
) -> None:
    waiting_people(3)
    with app.app_context():
        assert service.acquire_round_lock()
    assert tick(app, interval=10).action == "locked"
    assert rounds(app) == 0


def test_the_pool_reaching_quorum_starts_a_round_before_the_next_tick(
    app: Flask, waiting_people: Callable[..., list[int]]
) -> None:
    start = utcnow()
    assert tick(app, now=start, interval=10).action == "round"  # an empty pool's round
    waiting_people(2)
    assert tick(app, now=start + timedelta(minutes=1), interval=10).action == "maintenance"
    waiting_people(1)
    later = tick(app, now=start + timedelta(minutes=2), interval=10)
    assert later.action == "round"
    assert later.trigger == "quorum"
    assert later.summary is not None
    assert len(later.summary.groups) == 1
    # The pool is empty again; nothing more happens until the next scheduled tick.
    assert tick(app, now=start + timedelta(minutes=3), interval=10).action == "maintenance"


def test_a_round_waits_for_people_arriving_together_but_not_for_ever(
    app: Flask, waiting_people: Callable[..., list[int]]
) -> None:
    start = utcnow() - timedelta(minutes=1)
    assert tick(app, now=start, interval=10).action == "round"  # an empty pool's round
    waiting_people(3)
    arrived = utcnow()
    # Someone joined a moment ago: the quorum round waits for the arrivals to settle.
    assert tick(app, now=arrived + timedelta(seconds=1), interval=10).action == "maintenance"
    assert tick(app, now=arrived + SETTLED, interval=10).trigger == "quorum"
    # A due scheduled round waits too, but never more than MAX_SETTLE_DELAY.
    waiting_people(1)
    with app.app_context():
        row = scheduler.schedule_row()
        row.next_round_at = utcnow() - scheduler.MAX_SETTLE_DELAY - timedelta(seconds=1)
        db.session.commit()
    overdue = tick(app, now=utcnow(), interval=10)
    assert overdue.action == "round"
    assert overdue.trigger == "schedule"


def test_quorum_never_restarts_rounds_for_people_who_could_not_be_grouped(
    app: Flask, waiting_people: Callable[..., list[int]]
) -> None:
    waiting_people(1, languages=["de"])
    waiting_people(1, languages=["fr"])
    waiting_people(1, languages=["es"])
    start = utcnow() + SETTLED
    assert tick(app, now=start, interval=10).action == "round"
    assert tick(app, now=start + timedelta(minutes=2), interval=10).action == "maintenance"
    assert rounds(app) == 1


def test_a_failed_round_is_logged_kept_and_retried_at_the_next_tick(
    app: Flask, waiting_people: Callable[..., list[int]], caplog: pytest.LogCaptureFixture
) -> None:
    waiting_people(3)
    with app.app_context():  # a real failure: a table the round needs is gone
        db.session.execute(text("ALTER TABLE match_cooldowns RENAME TO match_cooldowns_away"))
        db.session.commit()
    start = utcnow() + SETTLED
    with caplog.at_level(logging.ERROR, logger="hearth.matching.scheduler"):
        failed = tick(app, now=start, interval=10)
    assert failed.action == "failed"
    assert failed.error is not None
    assert "match_cooldowns" in failed.error
    assert any("tried again at the next tick" in r.getMessage() for r in caplog.records)
    assert any("match_cooldowns" in r.getMessage() for r in caplog.records)
    with app.app_context():
        state = scheduler.state()
        assert "match_cooldowns" in (state["last_error"] or "")
        lock = db.session.get(MatchLock, service.ROUND_LOCK)
        assert lock is not None
        assert lock.holder is None  # the lease was given back
        db.session.execute(text("ALTER TABLE match_cooldowns_away RENAME TO match_cooldowns"))
        db.session.commit()
    assert rounds(app) == 0
    retried = tick(app, now=start + timedelta(minutes=10), interval=10)
    assert retried.action == "round"
    assert rounds(app) == 1
    with app.app_context():
        assert scheduler.state()["last_error"] is None


def test_reminders_go_24_and_2_hours_before_a_suggestion_closes_once_each(
    app: Flask, waiting_people: Callable[..., list[int]]
) -> None:
    people = waiting_people(4, timezone="Asia/Tokyo")
    start = utcnow()
    run_round(app, now=start)
    with app.app_context():
        proposal_id = db.session.scalars(select(Proposal.id)).one()
    answer(app, proposal_id, people[0])  # said yes: no reminder for them

    def reminders() -> list[Notification]:
        with app.app_context():
            return list(
                db.session.scalars(
                    select(Notification)
                    .where(Notification.kind == "proposal_expiring")
                    .order_by(Notification.id)
                )
            )

    assert tick(app, now=start + timedelta(hours=23), interval=0).reminded == 0
    assert tick(app, now=start + timedelta(hours=25), interval=0).reminded == 3
    assert tick(app, now=start + timedelta(hours=26), interval=0).reminded == 0
    first = reminders()
    assert sorted(n.user_id for n in first) == sorted(people[1:])
    assert all(n.url == "/groups" for n in first)
    # Tokyo time: the proposal closes at start + 48 h, shown in the person's own zone.
    assert "until " in first[0].text
    assert "in 23 hours" in first[0].text
    assert tick(app, now=start + timedelta(hours=46, minutes=30), interval=0).reminded == 3
    assert tick(app, now=start + timedelta(hours=47), interval=0).reminded == 0
    assert len(reminders()) == 6


def test_deadline_text_is_in_the_persons_time_zone_with_relative_time() -> None:
    from datetime import datetime

    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # a Tuesday
    closes = now + timedelta(days=2, hours=6, minutes=53)  # Thursday 18:53 UTC
    assert service.deadline_text(closes, "UTC", now=now) == "until Thursday 18:53, in 2 days"
    assert (
        service.deadline_text(closes, "Europe/Berlin", now=now) == "until Thursday 19:53, in 2 days"
    )
    assert service.deadline_text(closes, "Asia/Tokyo", now=now).startswith("until Friday 03:53")
    assert service.deadline_text(closes, "Not/AZone", now=now).startswith("until Thursday 18:53")


def test_flask_match_run_prints_groups_by_member_handles_and_interests(
    app: Flask, waiting_people: Callable[..., list[int]]
) -> None:
    from accounts.models import User

    people = waiting_people(3)
    result = app.test_cli_runner().invoke(args=["match", "run"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        handles = [db.session.get(User, uid).handle for uid in people]  # type: ignore[union-attr]
        assert scheduler.state()["last_round_at"] is not None
        members = db.session.scalar(select(func.count()).select_from(ProposalMember))
    assert members == 3
    for handle in handles:
        assert f"{handle}: " in result.output
    assert "Board games" in result.output or "board" in result.output.lower()
