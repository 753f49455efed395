"""``flask create-user``: make an account from the command line."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import with_appcontext

from accounts import service
from accounts.models import Role
from db import db


@click.command("create-user")
@with_appcontext
@click.argument("handle")
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    default=Role.MEMBER.value,
    show_default=True,
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user_command(handle: str, role: str, password_stdin: bool) -> None:
    """Create an account HANDLE with the given role."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = service.register_user(handle, password, role=Role(role))
    except service.AccountError as problem:
        db.session.rollback()
        raise click.ClickException(f"{problem.field}: {problem.message}") from None
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.handle} (id {user.id}).")


def init_cli(app: Flask) -> None:
    app.cli.add_command(create_user_command)
