"""The audit log is append-only: no code path updates or deletes an entry."""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext
from sqlalchemy import delete, select, update

from accounts.models import User
from db import db
from moderation import audit
from moderation.models import AuditEntry
from tests.conftest import text_of

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


def _written_detail_keys() -> set[str]:
    """Every detail key Hearth's code writes: ``audit.record``'s keywords, the
    ``details`` dicts sent with ``signals.moderator_acted`` and ``details[...]`` keys."""
    keys: set[str] = set()
    for path in sorted(ROOT.glob("*/*.py")):
        if path.parts[len(ROOT.parts)] in ("tests", "bench", "migrations") or ".venv" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr == "record" and getattr(node.func.value, "id", "") == "audit":
                    keys |= {k.arg for k in node.keywords if k.arg and k.arg != "reason"}
                for k in node.keywords:
                    if k.arg == "details" and isinstance(k.value, ast.Dict):
                        keys |= {c.value for c in k.value.keys if isinstance(c, ast.Constant)}
            if (
                isinstance(node, ast.AnnAssign)
                and getattr(node.target, "id", "") == "details"
                and isinstance(node.value, ast.Dict)
            ):
                keys |= {c.value for c in node.value.keys if isinstance(c, ast.Constant)}
            if (
                isinstance(node, ast.Subscript)
                and getattr(node.value, "id", "") == "details"
                and isinstance(node.slice, ast.Constant)
                and isinstance(node.slice.value, str)
            ):
                keys.add(node.slice.value)
    return keys


def test_every_detail_key_hearth_writes_is_named_in_words() -> None:
    from moderation.routes import AUDIT_DETAIL_LABELS

    written = _written_detail_keys()
    assert {"assignee_id", "room_id", "author_id", "pool_size", "min_group"} <= written
    assert written <= set(AUDIT_DETAIL_LABELS), written - set(AUDIT_DETAIL_LABELS)


def test_details_column_names_keys_in_the_readers_language(
    app: Flask, client: FlaskClient, login_as: Callable[..., User]
) -> None:
    """The stored keys stay English; the German page words them."""
    keeper = login_as("moderator")
    with app.app_context():
        actor = db.session.get(User, keeper.id)
        assert actor is not None
        audit.record(actor, "assign_item", "queue_item", 7, assignee_id=keeper.id, room_id=3)
        db.session.commit()
        stored = db.session.scalars(select(AuditEntry)).one().details
    assert '"assignee_id"' in stored
    page = text_of(client.get("/mod/audit", headers={"Accept-Language": "de"}))
    with app.test_request_context(), force_locale("de"):
        room_words = gettext("room id")
    assert room_words != "room id"
    assert f"{room_words}: 3" in page
    assert "assignee id" not in page
    assert "room id" not in page


def test_every_action_and_target_type_hearth_writes_is_named_in_words() -> None:
    """``audit.record``'s literal action and target type, and those sent with
    ``signals.moderator_acted`` from other packages, each have their words."""
    from moderation.routes import AUDIT_ACTION_LABELS, AUDIT_TARGET_LABELS

    actions: set[str] = set()
    targets: set[str] = set()
    for path in sorted(ROOT.glob("*/*.py")):
        if path.parts[len(ROOT.parts)] in ("tests", "bench", "migrations"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr == "record" and getattr(node.func.value, "id", "") == "audit":
                literal = [a.value for a in node.args[1:3] if isinstance(a, ast.Constant)]
                if len(literal) == 2:
                    actions.add(literal[0])
                    targets.add(literal[1])
            for k in node.keywords:
                if isinstance(k.value, ast.Constant) and node.func.attr == "send":
                    if k.arg == "action":
                        actions.add(k.value.value)
                    if k.arg == "target_type":
                        targets.add(k.value.value)
    assert {"view_outcomes", "run_match_round", "ack_item"} <= actions
    assert {"match_round", "outcomes", "queue_item"} <= targets
    assert actions <= set(AUDIT_ACTION_LABELS), actions - set(AUDIT_ACTION_LABELS)
    assert targets <= set(AUDIT_TARGET_LABELS), targets - set(AUDIT_TARGET_LABELS)
