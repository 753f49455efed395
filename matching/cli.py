"""``flask match run``: one matching round from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from accounts.models import User
from db import db, utcnow
from matching import learned, scheduler, service
from matching.grouping import WAIT_REASONS
from profiles import service as profiles
from profiles.taxonomy import load_taxonomy

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

        now = utcnow()
        summary = service.run_round(dry_run=dry_run, seed=seed, progress=progress, now=now)
    if summary.skipped_locked:
        db.session.rollback()
        raise click.ClickException("Another process is running a matching round; nothing was done.")
    if dry_run:
        db.session.rollback()
    else:
        scheduler.record_manual_round(summary, now)
        db.session.commit()
        service.announce_round(summary)
        scheduler.announce_panel()
    data = summary.to_dict()
    click.echo(
        f"{'Dry run: would propose' if dry_run else 'Proposed'} {data['groups_formed']} groups "
        f"for {data['people_grouped']} of {data['pool_size']} people waiting "
        f"(mean similarity {data['quality']['mean_score']:.3f}, {data['duration_ms']} ms)."
    )
    if data["expired_proposals"]:
        click.echo(f"Closed {data['expired_proposals']} expired suggestions.")
    labels = load_taxonomy().labels()
    for group in data["groups"]:
        click.echo(
            f"  - {group['name']}: {len(group['member_ids'])} people, score {group['score']:.3f}"
        )
        for user_id in group["member_ids"]:
            click.echo(f"      {_member_line(user_id, labels)}")
    for code, count in sorted(data["waiting_reasons"].items()):
        click.echo(f"  {count} waiting: {WAIT_REASONS.get(code, code)}")


def _member_line(user_id: int, labels: dict[str, str]) -> str:
    """``handle: interest, interest`` for one member of a proposed group."""
    user = db.session.get(User, user_id)
    handle = user.handle if user is not None and user.handle else f"#{user_id}"
    interests = profiles.get_document(user_id).get("interests") or []
    named = ", ".join(labels.get(slug, slug) for slug in interests[:5])
    return f"{handle}: {named}" if named else handle


@match_cli.command("learn")
@click.option("--seed", default=0, show_default=True, help="Seed of the cross-validation folds.")
def learn_command(seed: int) -> None:
    """Train a compatibility model on after-meeting feedback; activate it only if better."""
    report = learned.learn(learned.feedback_examples(), seed=seed)
    db.session.commit()
    if report.model is not None:
        click.echo(f"Trained version {report.model.id} on {report.groups} groups with feedback.")
    click.echo(report.reason)


@match_cli.command("model")
def model_command() -> None:
    """Show the active compatibility model: version, sample, what it weighs, its figure."""
    info = learned.describe(learned.active_row())
    if info is None:
        click.echo("No compatibility model is active: groups are formed by similarity alone.")
        return
    click.echo(f"version: {info['version']}")
    click.echo(f"trained: {info['created_at']:%Y-%m-%d %H:%M} UTC")
    click.echo(
        f"groups: {info['groups']} ({info['training_groups']} to train, "
        f"{info['held_back_groups']} held back)"
    )
    previous = info["previous_rho"]
    against = f" (the model before: {previous:.2f})" if previous is not None else ""
    click.echo(f"held-back rank correlation: {info['held_back_rho']:.2f}{against}")
    click.echo(f"in use by rounds: {'yes' if info['in_use'] else 'no'}")
    click.echo("weighs most:")
    for words, share in info["effects"]:
        click.echo(f"  - {words} ({share:.0%})")
