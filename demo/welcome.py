"""The calm block ``make run`` ends with: where Hearth is, and how to log in.

Printed on every start of the embedded server (``python app.py``), in place of
Werkzeug's red development-server banner, and by ``flask welcome``.
"""

from __future__ import annotations

import logging
import textwrap
from dataclasses import dataclass, field

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from accounts.models import Role, User
from accounts.passwords import verify_password
from db import db
from demo.population import DEMO_PASSWORD

RULE = "─" * 72
#: The start-up message Werkzeug logs (red "WARNING: This is a development server…",
#: "Running on …", "Press CTRL+C to quit"), and Flask-SocketIO's production hint: the
#: block replaces them.
_BANNER_MARKERS = (
    "This is a development server",
    "Werkzeug appears to be used in a production",
    "Press CTRL+C to quit",  # the block says it once, calmly
)


@dataclass
class DemoAccounts:
    admins: list[str] = field(default_factory=list)
    moderators: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.admins or self.moderators or self.members)


def demo_accounts() -> DemoAccounts:
    """Accounts that log in with the shared demo password.

    Demo members share one password hash (see population.py), so it is verified
    once per distinct hash, never once per account.
    """
    found = DemoAccounts()
    staff = db.session.scalars(
        select(User)
        .where(User.deleted_at.is_(None), User.role != Role.MEMBER)
        .order_by(User.handle_key)
    ).all()
    for user in staff:
        if user.handle and verify_password(user.password_hash, DEMO_PASSWORD):
            (found.admins if user.role is Role.ADMIN else found.moderators).append(user.handle)
    shared = db.session.scalars(
        select(User.password_hash)
        .where(User.deleted_at.is_(None), User.role == Role.MEMBER)
        .group_by(User.password_hash)
        .having(func.count(User.id) > 1)
    ).all()
    for password_hash in shared:
        if verify_password(password_hash, DEMO_PASSWORD):
            found.members.extend(
                handle
                for handle in db.session.scalars(
                    select(User.handle)
                    .where(User.password_hash == password_hash, User.deleted_at.is_(None))
                    .order_by(User.id)
                )
                if handle
            )
    return found


def welcome_block(url: str, accounts: DemoAccounts | None = None) -> str:
    """The closing block: URL, every demo handle and the shared password."""
    accounts = demo_accounts() if accounts is None else accounts
    lines = [
        "",
        RULE,
        f"  Hearth is running at {url}",
        "",
        "  This is the embedded server: one process, fine for trying Hearth and for a",
        "  small community. `make serve` runs the production server (see docs/deploy.md).",
        "",
    ]
    if accounts:
        lines.append(f'  Demo accounts all use the password: "{DEMO_PASSWORD}"')
        for label, handles in (
            ("admin", accounts.admins),
            ("moderators", accounts.moderators),
            (f"members ({len(accounts.members)})", accounts.members),
        ):
            if not handles:
                continue
            text = ", ".join(handles)
            wrapped = textwrap.wrap(
                text, width=70, initial_indent=f"  {label}: ", subsequent_indent="    "
            )
            lines.extend(wrapped)
    else:
        lines.append(f"  No demo accounts here. Create an account at {url}/account/register")
    lines.extend(["", "  Press Ctrl+C to stop.", RULE, ""])
    return "\n".join(lines)


def startup_block(app: Flask) -> str:
    """The block for this server's address; without the accounts if the database
    cannot be read yet (the server itself then explains what is wrong)."""
    host = str(app.config["HOST"])
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104  # display only
    url = f"http://{shown}:{app.config['PORT']}"
    with app.app_context():
        try:
            return welcome_block(url)
        except SQLAlchemyError:
            db.session.rollback()
            return welcome_block(url, DemoAccounts())
        finally:
            db.session.remove()


class _WelcomeInsteadOfBanner(logging.Filter):
    def __init__(self, block: str) -> None:
        super().__init__()
        self.block = block

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if not any(marker in message for marker in _BANNER_MARKERS):
            return True
        if "This is a development server" in message:
            print(self.block, flush=True)  # the one block `make run` ends with
        return False


def replace_server_banner(block: str) -> None:
    """Print ``block`` where Werkzeug would print its start-up banner, instead of it."""
    logging.getLogger("werkzeug").addFilter(_WelcomeInsteadOfBanner(block))
