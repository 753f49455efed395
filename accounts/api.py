"""Account JSON API: who am I, and the CSRF token for unsafe calls."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from accounts.decorators import login_required

bp = Blueprint("accounts_api", __name__, url_prefix="/api/v1")


@bp.get("/csrf")
def csrf_token() -> Response:
    response = jsonify({"csrf_token": generate_csrf()})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/me")
@login_required
def me() -> Response:
    return jsonify(
        {"id": current_user.id, "handle": current_user.handle, "role": current_user.role.value}
    )
