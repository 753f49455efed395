"""The /notifications page: everything Hearth told you, newest first."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from accounts.decorators import login_required
from db import db
from notifications import service

bp = Blueprint("notifications", __name__)


def _unread_for_current_user() -> int:
    if not current_user.is_authenticated:
        return 0
    return service.unread_count(current_user.id)


def template_helpers() -> dict[str, Any]:
    """``unread_notifications()`` for the bell in base.html (asked only when drawn), and
    ``notification_text(row)``: a stored text in the reader's language."""
    return {
        "unread_notifications": _unread_for_current_user,
        "notification_text": service.shown_text,
    }


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
        flash(_("All caught up. Everything is marked as read."), "info")
    return redirect("/notifications", code=303)
