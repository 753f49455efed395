"""The audit log is append-only: no code path updates or deletes an entry."""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import delete, update

from accounts.models import User
from db import db
from moderation import audit
from moderation.models import AuditEntry

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def entry_id(app: Flask, make_user: Callable[..., User]) -> int:
    keeper = make_user("keeper", role="moderator")
    with app.app_context():
        actor = db.session.get(User, keeper.id)
        assert actor is not None
        entry = audit.record(actor, "warn", "user", 1, "be kind", room_id=None)
        db.session.commit()
        return entry.id


def test_entries_cannot_be_changed(app: Flask, entry_id: int) -> None:
    with app.app_context():
        entry = db.session.get(AuditEntry, entry_id)
        assert entry is not None
        entry.reason = "rewritten"
        with pytest.raises(audit.AuditLogIsAppendOnly):
            db.session.flush()
        db.session.rollback()
        with pytest.raises(audit.AuditLogIsAppendOnly):
            db.session.execute(update(AuditEntry).values(reason="bulk rewrite"))
        db.session.rollback()
        assert db.session.get(AuditEntry, entry_id).reason == "be kind"  # type: ignore[union-attr]


def test_entries_cannot_be_deleted(app: Flask, entry_id: int) -> None:
    with app.app_context():
        entry = db.session.get(AuditEntry, entry_id)
        db.session.delete(entry)
        with pytest.raises(audit.AuditLogIsAppendOnly):
            db.session.flush()
        db.session.rollback()
        with pytest.raises(audit.AuditLogIsAppendOnly):
            db.session.execute(delete(AuditEntry))
        db.session.rollback()
        assert db.session.get(AuditEntry, entry_id) is not None


def test_no_moderation_code_offers_to_change_the_log() -> None:
    """No function in the package is named for updating or deleting audit entries,
    and none but ``audit.record`` constructs them."""
    for path in sorted((ROOT / "moderation").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                name = node.name.lower()
                assert not (
                    "audit" in name
                    and any(w in name for w in ("update", "delete", "edit", "remove"))
                ), name
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "AuditEntry":
                assert path.name == "audit.py", f"{path.name} builds AuditEntry directly"
    public = [n for n, f in inspect.getmembers(audit, inspect.isfunction) if not n.startswith("_")]
    assert set(public) <= {"record", "entry_json", "install"}
