"""``flask match run``: one matching round from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from db import db
from matching import service
from matching.grouping import WAIT_REASONS

match_cli = AppGroup("match", help="Matching rounds.")


@match_cli.command("run")
@click.option(
    "--dry-run", is_flag=True, help="Show the groups a round would propose; save nothing."
)
@click.option("--seed", default=0, show_default=True, help="Random seed (rounds are repeatable).")
def run_command(dry_run: bool, seed: int) -> None:
    """Run one matching round over the waiting pool and print a summary."""
    with click.progressbar(length=4, label="Matching", show_eta=False, file=None) as bar:
        done = 0

        def progress(label: str, step: int, total: int) -> None:
            nonlocal done
            bar.label = f"Matching: {label}"
            bar.update(step - done)
            done = step

        summary = service.run_round(dry_run=dry_run, seed=seed, progress=progress)
    if summary.skipped_locked:
        db.session.rollback()
        raise click.ClickException("Another process is running a matching round; nothing was done.")
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
        service.notify(summary.notify_user_ids, service.NEW_PROPOSAL_TEXT)
    data = summary.to_dict()
    click.echo(
        f"{'Dry run: would propose' if dry_run else 'Proposed'} {data['groups_formed']} groups "
        f"for {data['people_grouped']} of {data['pool_size']} people waiting "
        f"(mean similarity {data['quality']['mean_score']:.3f}, {data['duration_ms']} ms)."
    )
    if data["expired_proposals"]:
        click.echo(f"Closed {data['expired_proposals']} expired suggestions.")
    for group in data["groups"]:
        click.echo(
            f"  - {group['name']}: {len(group['member_ids'])} people, score {group['score']:.3f}"
        )
    for code, count in sorted(data["waiting_reasons"].items()):
        click.echo(f"  {count} waiting: {WAIT_REASONS.get(code, code)}")
