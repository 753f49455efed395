"""The /notifications page: everything Hearth told you, newest first."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from accounts.decorators import login_required
from db import db
from notifications import service

bp = Blueprint("notifications", __name__)


@bp.get("/notifications")
@login_required
def page() -> str:
    user = current_user._get_current_object()
    rows = service.list_for(user, limit=service.MAX_LIMIT)
    return render_template(
        "notifications/list.html",
        notifications=rows,
        unread=service.unread_count(user),
    )


@bp.post("/notifications/read")
@login_required
def mark_all_read() -> ResponseReturnValue:
    """The no-JavaScript way to mark everything read (the form carries a CSRF token)."""
    user = current_user._get_current_object()
    changed = service.mark_read(user, everything=True)
    db.session.commit()
    if changed:
        flash("All caught up. Everything is marked as read.", "info")
    return redirect("/notifications", code=303)
