"""``flask screen [FILE]``: screen messages from the command line.

One message per line in, one JSON verdict per line out, in order, using the
pure ``moderation.screening.screen_many`` (batched, so large files are quick).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any, TextIO

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from moderation import screening

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


def init_cli(app: Flask) -> None:
    app.cli.add_command(screen_command)
