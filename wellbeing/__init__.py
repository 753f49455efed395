"""Wellbeing: private loneliness check-ins, after-meeting feedback in rooms, and
k-anonymous outcomes for operators (issue 16, CONTRACT §6.6).

Nobody but the person reads their check-ins or feedback; matching reads room-level
outcomes through ``service.group_outcomes``; operators see only aggregates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    from wellbeing import api, models, receivers, routes

    del models  # imported so the tables are part of the metadata
    app.register_blueprint(api.bp)
    app.register_blueprint(routes.bp)
    app.context_processor(routes.template_helpers)
    receivers.connect()
