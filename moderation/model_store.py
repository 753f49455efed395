"""Learned screening models in the database: learn, gate, activate, and read back.

``flask screening learn`` and the schedule (``SCREENING_LEARN_HOURS``) call
:func:`learn`: it reads the installation's labels (``moderation.labels``), lets the
pure ``moderation.crisis_learn`` train and gate a new English crisis model, stores
a ``screening_models`` row for every model it trained (with the pipeline itself
only when activated) and writes the audit entry of an activation. One run at a
time across every process: a lease row (``screening_learn_lease``), taken in its
own short transaction the way the matching round's lease is.

:func:`install` gives ``moderation.crisis_model`` its :class:`~moderation.crisis_model.Source`:
a read of the active version on a connection of its own (never the request's
transaction) at most every ``SCREENING_MODEL_REFRESH_SECONDS``, and of the blob
when that version changed. Outside an app context the source says so, and the
model in use stays.
"""

from __future__ import annotations

import io
import logging
import os
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import joblib
from flask import Flask, current_app, has_app_context
from sqlalchemy import insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from db import db, utcnow
from moderation import audit, crisis_learn, crisis_model, crisis_train
from moderation import labels as label_store
from moderation.models import ScreeningLearnLease, ScreeningModel

log = logging.getLogger("hearth.moderation.learning")

LEASE = "screening-learn"
#: A run takes a few minutes at most (one fit, two scorings); a lease this long
#: outlives any run, and a crashed process's lease lapses by itself.
LEASE_LENGTH = timedelta(minutes=30)
#: Activated models whose pipeline is kept: the active one and the one before it
#: (to go back to with ``flask screening activate``). Older ones keep their figures,
#: not their pipeline.
KEEP_BLOBS = 2
#: Each run's "activated/kept ..." line is kept this long in the lease row.
RESULT_CHARS = 1000
#: Where the scheduled run's child process starts ``flask --app app``.
APP_ROOT = Path(__file__).resolve().parents[1]


class LearnBusy(RuntimeError):
    """Another process is learning right now."""


class CannotActivate(ValueError):
    """``activate`` was given a version it cannot make active; the message says why."""


@dataclass
class LearnReport:
    """What a learning run did, for ``flask screening learn`` and the schedule's log."""

    activated: bool
    version: str
    reason: str
    outcome: crisis_learn.Outcome

    @property
    def line(self) -> str:
        return f"{'activated' if self.activated else 'kept'} {self.version}: {self.reason}"


# --- the source every process reads ------------------------------------------------


def _engine() -> Any:
    if not has_app_context():
        raise crisis_model.SourceUnavailable("no app context")
    return db.engine


def active_version() -> str | None:
    """The active learned version (None: the base model file). Own connection."""
    with _engine().connect() as connection:
        version: str | None = connection.scalar(
            select(ScreeningModel.version).where(ScreeningModel.active.is_(True))
        )
        return version


def fetch(version: str) -> bytes:
    """The stored pipeline bundle of ``version`` (LookupError when it has none)."""
    with _engine().connect() as connection:
        blob = connection.scalar(
            select(ScreeningModel.blob).where(ScreeningModel.version == version)
        )
    if blob is None:
        raise LookupError(f"screening model {version} has no stored pipeline")
    return bytes(blob)


def install(app: Flask) -> None:
    """Let ``crisis_model`` look up the active version through this app's database."""
    crisis_model.install_source(
        crisis_model.Source(
            active_version=active_version,
            fetch=fetch,
            refresh_seconds=float(app.config["SCREENING_MODEL_REFRESH_SECONDS"]),
        )
    )


# --- reading -----------------------------------------------------------------------


def active_row() -> ScreeningModel | None:
    return db.session.scalars(select(ScreeningModel).where(ScreeningModel.active.is_(True))).first()


def lease_row() -> ScreeningLearnLease | None:
    return db.session.get(ScreeningLearnLease, LEASE)


def held_back_labels() -> list[Any]:
    """The installation's held-back English labels (what status scores the model on)."""
    _train, held = crisis_learn.split_labels(label_store.training_labels(db.session()))
    return held


# --- the lease ------------------------------------------------------------------------


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def acquire(now: datetime, *, due_hours: float | None = None) -> bool:
    """Take the learning lease in its own transaction (visible to other processes).

    With ``due_hours`` the lease is taken only when the last run started at least
    that long ago, so the schedule runs once per period across all processes.
    """
    with db.engine.begin() as connection:
        try:
            with connection.begin_nested():
                connection.execute(insert(ScreeningLearnLease).values(name=LEASE))
        except IntegrityError:
            pass  # the row exists already
        query = (
            update(ScreeningLearnLease)
            .where(ScreeningLearnLease.name == LEASE)
            .where(or_(ScreeningLearnLease.until.is_(None), ScreeningLearnLease.until < now))
        )
        if due_hours is not None:
            query = query.where(
                or_(
                    ScreeningLearnLease.last_started_at.is_(None),
                    ScreeningLearnLease.last_started_at <= now - timedelta(hours=due_hours),
                )
            )
        taken = connection.execute(
            query.values(holder=_holder(), until=now + LEASE_LENGTH, last_started_at=now)
        )
        return bool(taken.rowcount == 1)


def holds_lease(holder: str, now: datetime) -> bool:
    """Whether ``holder`` still holds an unexpired learning lease."""
    with db.engine.connect() as connection:
        until = connection.scalar(
            select(ScreeningLearnLease.until).where(
                ScreeningLearnLease.name == LEASE, ScreeningLearnLease.holder == holder
            )
        )
    return until is not None and until > now


def release(result: str | None, *, holder: str | None = None) -> None:
    """Give the lease back (if ``holder``, by default this thread, still holds it)
    and keep the run's result line."""
    with db.engine.begin() as connection:
        connection.execute(
            update(ScreeningLearnLease)
            .where(
                ScreeningLearnLease.name == LEASE,
                ScreeningLearnLease.holder == (holder or _holder()),
            )
            .values(
                holder=None,
                until=None,
                last_finished_at=utcnow(),
                last_result=result[:RESULT_CHARS] if result else None,
            )
        )


# --- deletion ----------------------------------------------------------------------


def retire_learned_models(deleted_user_id: int) -> int:
    """Stop using, and drop, every learned model: a deleted person's words may be in them.

    The word and character features of a learned model are its training texts' own
    words, so deleting a person's labels is not enough while a model trained on
    them is stored. Every stored pipeline goes (screening falls back to the base
    model from setup within ``SCREENING_MODEL_REFRESH_SECONDS``) and the schedule
    is due at its next pass, so it retrains on the labels that remain. Runs in the
    deletion's transaction. Returns how many stored models were dropped.
    """
    dropped = db.session.execute(
        update(ScreeningModel)
        .where(or_(ScreeningModel.active.is_(True), ScreeningModel.blob.is_not(None)))
        .values(active=False, blob=None)
        .execution_options(synchronize_session=False)
    )
    count = int(getattr(dropped, "rowcount", 0) or 0)
    if count:
        db.session.execute(
            update(ScreeningLearnLease)
            .where(ScreeningLearnLease.name == LEASE)
            .values(last_started_at=None)
        )
        audit.record(
            None,
            "retire_screening_models",
            "user",
            deleted_user_id,
            "A deleted account's messages were among the labels learned models were trained on.",
            models=count,
        )
    return count


# --- learning ----------------------------------------------------------------------


def _known_versions() -> dict[str, str]:
    """Versions trained before and not active now, with what became of them."""
    rows = db.session.execute(
        select(ScreeningModel.version, ScreeningModel.meta).where(ScreeningModel.active.is_(False))
    )
    return {
        version: (
            "it was activated and has since been replaced"
            if (meta or {}).get("was_active")
            else f"refused, {(meta or {}).get('reason', 'by the gate')}"
        )
        for version, meta in rows
    }


def _bundle(model: Any, meta: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    joblib.dump({"model": model, "meta": meta}, buffer, compress=3)
    return buffer.getvalue()


def learn(
    *, now: datetime | None = None, lease_held: bool = False, holder: str | None = None
) -> LearnReport:
    """Retrain, gate and (maybe) activate; commits. Raises LearnBusy or BaseDataMissing.

    The old model is the one this process screens with (the active version, read
    fresh from the database when due), so what is compared is what is in use.
    ``holder``: with ``lease_held``, who took the lease for this run (the schedule's
    thread in the server that started this process), if not this thread.
    """
    now = now or utcnow()
    if not lease_held and not acquire(now):
        raise LearnBusy("another process is learning right now; try again in a few minutes")
    result: str | None = None
    try:
        report = _learn(now)
        result = report.line
        return report
    except Exception as problem:
        db.session.rollback()
        result = f"failed: {type(problem).__name__}: {problem}"
        raise
    finally:
        release(result, holder=holder)


def _learn(now: datetime) -> LearnReport:
    base = crisis_train.base_data(crisis_train.CACHE_DIR, download=False)
    dev = crisis_learn.dev_set()
    labels = label_store.training_labels(db.session())
    # Whatever version the database names active now, not what this process last saw.
    crisis_model.refresh_now()
    old_model, old_meta = crisis_model.current()
    old_version = str(old_meta.get("version", "lexicon-only"))
    outcome = crisis_learn.learn(
        base,
        labels,
        old_model,
        old_version,
        dev=dev,
        min_labels=int(current_app.config["SCREENING_LEARN_MIN_LABELS"]),
        known=_known_versions(),
    )
    if not outcome.trained:
        db.session.commit()
        return LearnReport(False, old_version, outcome.reason, outcome)
    trained_at = utcnow()
    meta = {**outcome.meta, "trained_at": trained_at.isoformat(), "was_active": outcome.activated}
    row = ScreeningModel(
        version=outcome.version,
        created_at=now,
        trained_at=trained_at,
        active=False,
        blob=_bundle(outcome.model, meta) if outcome.activated else None,
        meta=meta,
    )
    if outcome.activated:
        db.session.execute(
            update(ScreeningModel).where(ScreeningModel.active.is_(True)).values(active=False)
        )
        db.session.flush()
        row.active = True
    db.session.add(row)
    db.session.flush()
    if outcome.activated:
        audit.record(
            None,
            "activate_screening_model",
            "screening_model",
            row.id,
            outcome.reason[:500],
            version=outcome.version,
            previous_version=old_version,
            labels=outcome.meta["labels"],
        )
        _drop_old_blobs()
    db.session.commit()
    version = outcome.version if outcome.activated else old_version
    log.info("screening learn: %s", f"{'activated' if outcome.activated else 'kept'} {version}")
    return LearnReport(outcome.activated, version, outcome.reason, outcome)


def activate(version: str, *, reason: str) -> bool:
    """Make the stored learned model ``version`` the active one again (a rollback, from
    ``flask screening activate``), with its audit entry; commits. False when it is
    active already (nothing changes). Raises CannotActivate for a version never
    stored, or one whose pipeline is gone (refused by the gate, or retired).
    """
    row = db.session.scalars(
        select(ScreeningModel).where(ScreeningModel.version == version)
    ).first()
    if row is None:
        stored = db.session.scalars(
            select(ScreeningModel.version)
            .where(ScreeningModel.blob.is_not(None))
            .order_by(ScreeningModel.id.desc())
        ).all()
        choices = ", ".join(stored) if stored else "none"
        raise CannotActivate(f"no learned screening model {version}; stored models: {choices}")
    if row.active:
        return False
    if row.blob is None:
        if (row.meta or {}).get("was_active"):
            raise CannotActivate(
                f"{version} was retired: its pipeline is no longer stored (only the newest "
                f"{KEEP_BLOBS} activated models keep theirs; deleting an account whose labels "
                "trained a model drops every one)"
            )
        refused = (row.meta or {}).get("reason", "by the gate")
        raise CannotActivate(
            f"{version} was never activated (refused, {refused}) and has no stored pipeline"
        )
    previous = active_row()
    db.session.execute(
        update(ScreeningModel).where(ScreeningModel.active.is_(True)).values(active=False)
    )
    db.session.flush()
    row.active = True
    try:
        db.session.flush()
    except IntegrityError:  # at most one active row: a learning run activated one just now
        db.session.rollback()
        raise CannotActivate(
            "another model was activated at the same moment; see `flask screening status`"
        ) from None
    audit.record(
        None,
        "activate_screening_model",
        "screening_model",
        row.id,
        reason[:500],
        version=version,
        previous_version=previous.version if previous is not None else None,
        by_hand=True,
    )
    db.session.commit()
    log.info("screening activate: %s (was %s)", version, previous.version if previous else None)
    return True


def _drop_old_blobs() -> None:
    """Keep the pipelines of the newest KEEP_BLOBS activated models only."""
    keep = db.session.scalars(
        select(ScreeningModel.id)
        .where(ScreeningModel.blob.is_not(None))
        .order_by(ScreeningModel.id.desc())
        .limit(KEEP_BLOBS)
    ).all()
    db.session.execute(
        update(ScreeningModel)
        .where(ScreeningModel.blob.is_not(None), ScreeningModel.id.not_in(keep))
        .values(blob=None)
    )


# --- the schedule --------------------------------------------------------------------


def start_scheduled(app: Flask, now: datetime) -> threading.Thread | None:
    """From the periodic loop: start a learning run in a child process when one is due.

    The due check and the lease are one statement, so of all processes exactly one
    starts a run per ``SCREENING_LEARN_HOURS``. The run is ``flask screening learn``
    in a process of its own: a fit holds its interpreter's lock for a minute or two,
    which in a server's own process would stall every chat thread. A thread here only
    waits for the child (and keeps its outcome if the child dies without recording
    one); it is returned so a caller can wait for the run.
    """
    hours = float(app.config.get("SCREENING_LEARN_HOURS") or 0)
    if hours <= 0 or not acquire(now, due_hours=hours):
        return None
    holder = _holder()
    command = [sys.executable, "-m", "flask", "--app", "app", "screening", "learn"]
    command += ["--lease-holder", holder]
    env = {
        **os.environ,
        "HEARTH_ENV": str(app.config["ENV_NAME"]),
        "DATABASE_URL": str(app.config["SQLALCHEMY_DATABASE_URI"]),
        "SCREENING_LEARN_MIN_LABELS": str(app.config["SCREENING_LEARN_MIN_LABELS"]),
    }

    def run() -> None:
        pid = None
        try:
            with subprocess.Popen(  # noqa: S603  # our own interpreter and command, no shell
                command,
                cwd=APP_ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            ) as child:
                pid = child.pid
                try:
                    stdout, stderr = child.communicate(timeout=LEASE_LENGTH.total_seconds())
                except subprocess.TimeoutExpired:
                    child.kill()
                    raise
            outcome = (stdout.strip().splitlines() or [""])[0]
            problem = (stderr.strip().splitlines() or [""])[-1]
            failed = child.returncode != 0
            detail = f"child exited with {child.returncode}: {problem or outcome}"
        except (OSError, subprocess.TimeoutExpired) as error:
            failed, detail, outcome = True, f"{type(error).__name__}: {error}", ""
        if not failed:
            log.info("scheduled screening learn in process %s: %s", pid, outcome)
            return
        log.error("scheduled screening learn failed (%s); tried again next period", detail)
        with app.app_context():
            try:  # the child records its own failures; this only when it could not
                release(f"failed: {detail}", holder=holder)
            except Exception:
                log.exception("could not record the failed screening learn")
            finally:
                db.session.remove()

    thread = threading.Thread(target=run, name="hearth-screening-learn", daemon=True)
    thread.start()
    return thread
