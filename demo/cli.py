"""``flask seed-demo``: a living system for a new installation."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from accounts.models import User
from db import db
from demo.population import DEMO_PASSWORD, seed_population
from demo.welcome import welcome_block


@click.command("seed-demo")
@with_appcontext
@click.option("--users", default=60, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--seed", default=7, show_default=True, help="Random seed, for repeatable data.")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has accounts.")
def seed_demo_command(users: int, seed: int, if_empty: bool) -> None:
    """Create demo members with varied profiles, moderators and a few open rooms."""
    if if_empty and db.session.scalar(select(func.count()).select_from(User)):
        click.echo("The database already has accounts; no demo data added.")
        return
    summary = seed_population(users=users, seed=seed)
    db.session.commit()
    click.echo(summary.describe())
    click.echo(f"Every demo account's password is: {DEMO_PASSWORD}")


@click.command("welcome")
@with_appcontext
@click.option(
    "--url", default="http://127.0.0.1:5000", show_default=True, help="Where Hearth is served."
)
def welcome_command(url: str) -> None:
    """Print the block `make run` ends with: the URL, the demo accounts and their password."""
    click.echo(welcome_block(url))
