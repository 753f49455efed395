"""Notifications: a per-person store of calm notices, the outbox that delivers them
live over Socket.IO from any process, the bell and the /notifications page.

Other packages create notifications with ``notifications.service.notify`` inside their
own transaction; ``notifications.dispatch`` delivers the rows after commit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    from notifications import api, dispatch, push, receivers, routes

    app.register_blueprint(api.bp)
    app.register_blueprint(routes.bp)
    app.context_processor(routes.template_helpers)
    receivers.connect()
    dispatch.init_app(app)
    push.init_app(app)
