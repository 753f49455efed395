"""Account services. They change state and flush; the caller commits once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

import i18n
import signals
from accounts.handles import handle_problem, normalise_handle
from accounts.models import Role, User, new_session_token
from accounts.passwords import hash_password, needs_rehash, password_problem, verify_password
from db import db, utcnow


class AccountError(ValueError):
    """A request about an account that cannot be honoured; ``field`` names the culprit."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def find_by_handle(handle: str) -> User | None:
    key = normalise_handle(handle)
    if not key:
        return None
    return db.session.scalars(select(User).where(User.handle_key == key)).first()


def is_handle_taken(handle: str) -> bool:
    return find_by_handle(handle) is not None


def register_user(
    handle: str, password: str, *, role: Role = Role.MEMBER, password_hash: str | None = None
) -> User:
    """Create an account. Raises AccountError with the field at fault.

    ``password_hash`` may carry an already computed hash of ``password`` (bulk demo data).
    """
    handle = handle.strip()
    problem = handle_problem(handle)
    if problem:
        raise AccountError("handle", problem)
    problem = password_problem(password, handle=handle)
    if problem:
        raise AccountError("password", problem)
    if is_handle_taken(handle):
        raise AccountError("handle", _l("That handle is taken. Please try another."))
    user = User(
        handle=handle,
        handle_key=normalise_handle(handle),
        password_hash=password_hash or hash_password(password),
        role=role,
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(handle: str, password: str) -> User | None:
    """The user with these credentials, or None (never saying which part was wrong)."""
    user = find_by_handle(handle)
    if not verify_password(user.password_hash if user else None, password):
        return None
    assert user is not None  # verify_password is False for a missing hash
    if not user.is_active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def set_role(user: User, role: Role) -> None:
    user.role = role
    db.session.flush()


def set_locale(user: User, locale: str | None) -> None:
    """Remember the interface language ``user`` chose; None follows their browser."""
    if locale is not None and not i18n.is_supported(locale):
        raise AccountError("locale", _("Please choose one of the languages in the list."))
    user.locale = locale
    db.session.flush()


def export_account(user: User) -> dict[str, Any]:
    """Everything Hearth holds about ``user``, as JSON-ready data.

    Each package contributes its own section through ``signals.collect_export``,
    so this stays complete as packages are added.
    """
    document: dict[str, Any] = {
        "format": "hearth-account-export/1",
        "exported_at": utcnow().isoformat(),
        "account": {
            "id": user.id,
            "handle": user.handle,
            "role": user.role.value,
            "created_at": user.created_at.isoformat(),
            "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None,
            "locale": user.locale,
        },
    }
    for _receiver, section in signals.collect_export.send(user, user=user):
        if section:
            name, data = section
            document[name] = data
    return document


def delete_account(user: User, *, password: str) -> None:
    """Remove the person's account and personal data after re-checking the password.

    The user row stays as a tombstone without handle or password, so rooms keep
    their history with the author shown as "former member".
    """
    if not verify_password(user.password_hash, password):
        raise AccountError("password", _l("That password isn't right, so nothing was deleted."))
    signals.account_deleting.send(user, user=user)
    user.handle = None
    user.handle_key = None
    user.password_hash = ""
    user.last_login_at = None
    user.role = Role.MEMBER
    user.deleted_at = utcnow()
    user.session_token = new_session_token()
    db.session.flush()


def end_all_sessions(user: User) -> None:
    """Sign the user out on every device (their login cookies stop matching)."""
    user.session_token = new_session_token()
    db.session.flush()


def set_ban(user: User, until: datetime | None) -> None:
    """Ban until ``until`` (BAN_FOREVER for no end) or lift the ban with None.

    A ban also ends every login session, so open pages and sockets lose access.
    """
    user.banned_until = until
    if until is not None:
        user.session_token = new_session_token()
    db.session.flush()


def set_mute(user: User, until: datetime | None) -> None:
    """Mute site-wide until ``until``, or lift the mute with None."""
    user.muted_until = until
    db.session.flush()
