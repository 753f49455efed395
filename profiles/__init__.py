"""Profiles: interest taxonomy (a data file), the profile document, the setup
wizard and the waiting pool."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from profiles import api, receivers, routes
    from profiles import models as _models  # noqa: F401  # registers the tables

    app.register_blueprint(routes.bp)
    app.register_blueprint(api.bp)
    receivers.connect()
