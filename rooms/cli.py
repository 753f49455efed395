"""``flask room create NAME --members HANDLE,...``: the admin's way to open a room."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from accounts.service import find_by_handle
from db import db
from rooms import admin

room_cli = AppGroup("room", help="Manage rooms.")


@room_cli.command("create")
@click.argument("name")
@click.option("--members", required=True, help="Comma-separated handles of existing users.")
@click.option("--prompt", "opening_prompt", default=None, help="An opening prompt (optional).")
def create_room_command(name: str, members: str, opening_prompt: str | None) -> None:
    """Open a room called NAME for existing users; prints the room id."""
    handles = [h.strip() for h in members.split(",") if h.strip()]
    if not handles:
        raise click.BadParameter("give at least one handle", param_hint="--members")
    users = []
    missing = []
    for handle in dict.fromkeys(handles):
        user = find_by_handle(handle)
        if user is None or not user.is_active:
            missing.append(handle)
        else:
            users.append(user)
    if missing:
        raise click.ClickException(f"no such user: {', '.join(missing)}")
    if not name.strip():
        raise click.BadParameter("the name can't be empty", param_hint="NAME")
    room = admin.create_room(name, users, opening_prompt=opening_prompt)
    db.session.commit()
    click.echo(room.id)


def init_cli(app: Flask) -> None:
    app.cli.add_command(room_cli)
