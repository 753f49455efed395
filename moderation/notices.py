"""Outcome notices on the reporter's next page view.

A report's outcome is also sent live to the reporter's open /chat sockets, but
someone who reported and then closed the tab (common for an anxious person who
just wanted it handled) would otherwise never hear back. The first full page
they open afterwards shows each pending notice once, as a calm banner.
"""

from __future__ import annotations

from flask import Flask, flash, request
from flask_babel import gettext
from flask_babel import gettext as _
from flask_login import current_user

from db import db
from moderation.reports import mark_notices_delivered, pending_notices

#: Paths that are not pages a person reads: JSON, assets, the socket transport.
_NOT_PAGES = ("/api/", "/static/", "/socket.io", "/healthz")


def _show_pending_notices() -> None:
    if request.method != "GET" or request.path.startswith(_NOT_PAGES):
        return
    if not current_user.is_authenticated or not request.accept_mimetypes.accept_html:
        return
    pending = pending_notices(current_user)
    if not pending:
        return
    for notice in pending:
        flash(_("About a report you made: %(text)s", text=gettext(notice.text)), "info")
    mark_notices_delivered(pending)
    db.session.commit()


def init_app(app: Flask) -> None:
    app.before_request(_show_pending_notices)
