"""Accounts: pseudonymous users, roles, login, export and deletion."""

from __future__ import annotations

from flask import Flask, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from errors import json_error, wants_json
from extensions import login_manager


def init_app(app: Flask) -> None:
    from accounts import api, cli, routes
    from accounts.models import User
    from db import db

    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(cookie_id: str) -> User | None:
        user_id, _, token = cookie_id.partition(":")
        if not user_id.isdigit() or not token:
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not user.is_active or user.session_token != token or user.is_banned():
            return None
        return user

    @login_manager.unauthorized_handler
    def unauthorized() -> Response | tuple[Response, int]:
        if wants_json():
            return json_error(401, "not_authenticated", _l("Please log in first."))
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))

    app.register_blueprint(routes.bp)
    app.register_blueprint(api.bp)
    cli.init_cli(app)
