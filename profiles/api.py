"""Profile JSON API: the taxonomy, the profile document and the waiting pool.

Thin: parse → authorize → call the service → commit once → respond.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from accounts.decorators import login_required
from db import db
from errors import ApiError
from profiles import service
from profiles.localized import interests_document
from profiles.validation import ProfileInvalid

bp = Blueprint("profiles_api", __name__, url_prefix="/api/v1")

_INVALID = _l("Some of your profile needs a look; nothing was saved.")


def _json_body() -> Any:
    data = request.get_json(silent=True)
    if data is None:
        raise ApiError(
            400,
            "invalid",
            _l("Please send the profile as JSON."),
            {"document": _l("Please send the profile as a JSON object.")},
        )
    return data


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/interests")
def interests() -> Response:
    """The interest taxonomy, avoidable topics, reasons and categories (public)."""
    response = jsonify(interests_document())
    response.headers["Cache-Control"] = "public, max-age=3600"
    # The labels follow the reader's language: their browser's, or their /account choice.
    response.vary.update(("Accept-Language", "Cookie"))
    return response


@bp.get("/profile")
@login_required
def get_profile() -> Response:
    """The caller's profile document; defaults when it was never saved."""
    return _no_store(jsonify(service.get_document(current_user.id)))


@bp.put("/profile")
@login_required
def put_profile() -> Response:
    """Replace the caller's whole profile document."""
    try:
        document = service.save_profile(current_user._get_current_object(), _json_body())
    except ProfileInvalid as problem:
        db.session.rollback()
        raise ApiError(400, "invalid", _INVALID, problem.fields) from None
    db.session.commit()
    return _no_store(jsonify(document))


@bp.patch("/profile")
@login_required
def patch_profile() -> Response:
    """Change some fields of the caller's profile (the wizard saves each step this way)."""
    try:
        document = service.patch_profile(current_user._get_current_object(), _json_body())
    except ProfileInvalid as problem:
        db.session.rollback()
        raise ApiError(400, "invalid", _INVALID, problem.fields) from None
    db.session.commit()
    return _no_store(jsonify(document))


@bp.get("/profile/status")
@login_required
def profile_status() -> Response:
    """Whether the profile is complete, and what is missing if not."""
    missing = service.profile_missing_fields(current_user.id)
    return _no_store(jsonify({"complete": not missing, "missing": missing}))


@bp.get("/pool")
@login_required
def pool() -> Response:
    return _no_store(jsonify(service.pool_status(current_user.id)))


@bp.post("/pool")
@login_required
def join_pool() -> Response:
    """Join the waiting pool; joining again while waiting changes nothing."""
    try:
        service.join_pool(current_user._get_current_object())
    except service.ProfileIncomplete as problem:
        db.session.rollback()
        raise ApiError(
            409,
            "profile_incomplete",
            _l(
                "A few parts of your profile are still open. Once they're filled in, "
                "you can join the waiting pool."
            ),
            {name: _l("This is still needed.") for name in problem.missing},
        ) from None
    db.session.commit()
    return _no_store(jsonify(service.pool_status(current_user.id)))


@bp.delete("/pool")
@login_required
def leave_pool() -> Response:
    """Leave the waiting pool (harmless when not waiting)."""
    service.leave_pool(current_user._get_current_object())
    db.session.commit()
    return _no_store(jsonify(service.pool_status(current_user.id)))
