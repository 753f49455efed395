"""``flask screen [FILE]``: screen messages from the command line.

One message per line in, one JSON verdict per line out, in order, using the
pure ``moderation.screening.screen_many`` (batched, so large files are quick).

``flask screening status``: which screening layers are active, the learned
model's version, training data hash, operating points and the figures they
were accepted on.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any, TextIO

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from db import db
from moderation import crisis_model, crosslingual, labels, screening

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
    info = crisis_model.status()
    click.echo(f"version: {info['version'] if info['active'] else 'lexicon-only'}")
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


def init_cli(app: Flask) -> None:
    app.cli.add_command(screen_command)
    app.cli.add_command(screening_group)
