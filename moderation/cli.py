"""``flask screen [FILE]``: screen messages from the command line.

One message per line in, one JSON verdict per line out, in order, using the
pure ``moderation.screening.screen_many`` (batched, so large files are quick).

``flask screening status``: which screening layers are active, the learned
model's version, when it was trained, its training data hash, operating points,
the figures it was accepted on and its figures now (development set and the
installation's held-back labels).

``flask screening learn``: retrain the English model with the installation's
labels; prints "activated <version>: <why>" or "kept <version>: <why>" and the
figures (``moderation.model_store``, ``moderation.crisis_learn``).

``flask screening activate VERSION --reason TEXT``: go back to a stored learned
model (the one before the active one keeps its pipeline), with an audit entry.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from db import db, utcnow
from moderation import crisis_learn, crisis_model, crisis_train, crosslingual, labels, screening

BATCH = 500


def verdict_dict(verdict: Any) -> dict[str, Any]:
    if hasattr(verdict, "to_dict"):
        data: dict[str, Any] = dict(verdict.to_dict())
        return data
    return dataclasses.asdict(verdict)


def _lines(stream: TextIO) -> list[str]:
    return [line.rstrip("\r\n") for line in stream]


@click.command("screen")
@click.argument("file", type=click.File("r", encoding="utf-8"), default="-")
@with_appcontext
def screen_command(file: TextIO) -> None:
    """Read one message per line from FILE (or standard input); print one JSON verdict each.

    Links are judged by the app's ``LINK_POLICY``.
    """
    batch: list[str] = []
    policy = screening.ScreeningPolicy(
        link_policy=current_app.config.get("LINK_POLICY", "block_contact")
    )

    def flush() -> None:
        for verdict in screening.screen_many(batch, policy=policy):
            click.echo(json.dumps(verdict_dict(verdict), ensure_ascii=False))
        batch.clear()

    for line in file:
        batch.append(line.rstrip("\r\n"))
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()


@click.group("screening")
def screening_group() -> None:
    """The screening layers: lexicon and learned models."""


@screening_group.command("status")
@with_appcontext
def status_command() -> None:
    """Print the active layers, the model version, its data hash and operating points."""
    from moderation import model_store

    info = crisis_model.status()
    click.echo(f"version: {info['version'] if info['active'] else 'lexicon-only'}")
    click.echo(f"trained: {_trained_at(info)}")
    counts = labels.label_counts(db.session())
    click.echo(
        f"labels: {counts['total']} ({counts['positive']} crisis, {counts['negative']} not; "
        "moderators' decisions recorded as labels)"
    )
    click.echo("lexicon: active (English crisis, offensive and contact patterns)")
    if info["active"]:
        click.echo(f"english model: active ({info['layer']})")
    else:
        click.echo(f"english model: inactive, {info['problem']}; the lexicon screens alone")
    origin = "database (learned from this installation's labels)"
    click.echo(f"english model source: {origin if info['origin'] == 'database' else 'file'}")
    if info["source_problem"]:
        click.echo(f"english model problem: {info['source_problem']}")
    for name, value in _figures_now(model_store.held_back_labels).items():
        click.echo(f"{name}: {value}")
    lease = model_store.lease_row()
    hours = float(current_app.config.get("SCREENING_LEARN_HOURS") or 0)
    click.echo(f"learn schedule: {f'every {hours:g} hours' if hours > 0 else 'off'}")
    if lease is not None and lease.last_result:
        when = lease.last_finished_at.isoformat() if lease.last_finished_at else "running"
        click.echo(f"last learn: {lease.last_result} ({when})")
    click.echo(f"english model file: {info['path']}")
    click.echo(f"training data sha256: {info['training_data_sha256']}")
    for name, value in sorted(info["sources"].items()):
        click.echo(f"training data {name}: {value}")
    click.echo(
        f"operating points: crisis p >= {info['crisis_point']:.2f} (severity 2, crisis:model), "
        f"gentle p >= {info['gentle_point']:.2f} (severity 1, crisis:model_gentle)"
    )
    for name, value in info["accepted_on"].items():
        click.echo(f"accepted on {name}: {value}")
    for name, value in crosslingual.status().items():
        if name != "layer":
            click.echo(f"crosslingual {name}: {value}")


def _trained_at(info: dict[str, Any]) -> str:
    """When the model in use was trained: its own record, else the file's time."""
    if info.get("trained_at"):
        return str(info["trained_at"])
    path = Path(info["path"])
    if info["active"] and info["origin"] == "file" and path.exists():
        stamp = datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(microsecond=0)
        return f"{stamp.isoformat()} (at setup)"
    return "never (no model)"


def _figures_now(held_back: Any) -> dict[str, str]:
    """The model in use, scored now on the development set and the held-back labels."""
    try:
        dev = crisis_learn.dev_set()
    except OSError as problem:
        return {"dev recall": f"not measured ({problem})"}
    model, _meta = crisis_model.current()
    return crisis_learn.evaluate(model, dev, held_back()).summary()


@screening_group.command("learn")
@click.option(
    "--lease-holder",
    hidden=True,
    help="Run under the lease this holder took (the schedule's child process).",
)
@with_appcontext
def learn_command(lease_holder: str | None) -> None:
    """Retrain the English crisis model with moderators' labels; activate it only if
    it is no worse (see docs/moderation.md). Prints what was done and why."""
    from moderation import model_store

    if lease_holder is not None and not model_store.holds_lease(lease_holder, utcnow()):
        raise click.ClickException("the schedule's learning lease has lapsed; nothing was run")
    try:
        report = model_store.learn(lease_held=lease_holder is not None, holder=lease_holder)
    except (crisis_train.BaseDataMissing, model_store.LearnBusy) as problem:
        raise click.ClickException(str(problem)) from None
    except OSError as problem:  # a development file of the gate is missing or unreadable
        raise click.ClickException(
            f"the development lines the gate measures on could not be read: {problem}"
        ) from None
    click.echo(report.line)
    meta = report.outcome.meta
    counts = meta.get("labels", {})
    click.echo(
        f"labels: {counts.get('english', 0)} English ({counts.get('training', 0)} to train on, "
        f"{counts.get('held_back', 0)} held back; {counts.get('positive', 0)} crisis, "
        f"{counts.get('negative', 0)} not), {counts.get('other_languages', 0)} in other languages"
    )
    figures = meta.get("figures")
    if figures:
        for side, title in (("old", report.outcome.old_version), ("new", report.outcome.version)):
            summary = crisis_learn.Figures.from_dict(figures[side]).summary()
            for name, value in summary.items():
                click.echo(f"{side} {name}: {value} [{title}]")
    if report.outcome.trained:
        click.echo(f"training data sha256: {meta.get('training_data_sha256')}")


@screening_group.command("activate")
@click.argument("version")
@click.option("--reason", required=True, help="Why, for the audit log (up to 500 characters).")
@with_appcontext
def activate_command(version: str, reason: str) -> None:
    """Make the stored learned model VERSION the active one again (a rollback).

    Every process uses it within SCREENING_MODEL_REFRESH_SECONDS. `flask screening
    status` names the active version; docs/moderation.md says which ones are kept.
    """
    from moderation import model_store

    if not reason.strip() or len(reason.strip()) > 500:
        raise click.BadParameter("give a reason of 1 to 500 characters", param_hint="--reason")
    try:
        changed = model_store.activate(version.strip(), reason=reason.strip())
    except model_store.CannotActivate as problem:
        raise click.ClickException(str(problem)) from None
    click.echo(f"{'activated' if changed else 'already active'} {version.strip()}")


def init_cli(app: Flask) -> None:
    app.cli.add_command(screen_command)
    app.cli.add_command(screening_group)
