"""Wellbeing JSON API (CONTRACT §6.6): own check-ins, room feedback, outcomes."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

import signals
from accounts.decorators import admin_required, login_required
from db import db
from errors import ApiError
from wellbeing import service

bp = Blueprint("wellbeing_api", __name__, url_prefix="/api/v1")


def _body() -> Any:
    body = request.get_json(silent=True)
    if body is None:
        raise ApiError(400, "invalid", _l("Please send a JSON object."))
    return body


def _refused(problem: service.WellbeingError) -> ApiError:
    db.session.rollback()
    return ApiError(problem.status, problem.code, problem.message, problem.fields)


@bp.get("/checkins")
@login_required
def checkins() -> Response:
    """The caller's own check-ins; there is no way to ask for anyone else's."""
    response = jsonify(service.state_payload(current_user._get_current_object()))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/checkins")
@login_required
def record_checkin() -> tuple[Response, int]:
    user = current_user._get_current_object()
    body = _body()
    if not isinstance(body, dict) or set(body) != {"items"}:
        fields = {"items": "Send exactly three answers, each 1, 2 or 3."}
        if isinstance(body, dict):
            fields.update({str(k): "Not a known field." for k in body if k != "items"})
        raise ApiError(400, "invalid", _l('Send {"items": [a, b, c]}.'), fields)
    try:
        checkin = service.record_checkin(user, body["items"])
    except service.WellbeingError as problem:
        raise _refused(problem) from None
    db.session.commit()
    return jsonify({"score": checkin.score, "at": checkin.at.isoformat()}), 201


@bp.put("/checkins/settings")
@login_required
def checkin_settings() -> Response:
    user = current_user._get_current_object()
    try:
        enabled, snooze_days = service.validate_settings(_body())
        service.update_settings(user, enabled, snooze_days)
    except service.WellbeingError as problem:
        raise _refused(problem) from None
    db.session.commit()
    state = service.state_payload(user)
    return jsonify({key: state[key] for key in ("enabled", "due", "next_due_at")})


def _room_feedback_error(problem: service.WellbeingError) -> ApiError:
    return _refused(problem)


@bp.get("/rooms/<int:room_id>/feedback")
@login_required
def feedback_state(room_id: int) -> Response:
    """Whether to show the after-meeting card, and the caller's own answer this week."""
    try:
        state = service.feedback_state(current_user._get_current_object(), room_id)
    except service.WellbeingError as problem:
        raise _room_feedback_error(problem) from None
    response = jsonify(state)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/rooms/<int:room_id>/feedback")
@login_required
def give_feedback(room_id: int) -> tuple[Response, int]:
    """201 for the week's first answer, 200 when it replaces this week's answer."""
    user = current_user._get_current_object()
    try:
        row, created = service.give_feedback(user, room_id, _body())
    except service.WellbeingError as problem:
        raise _room_feedback_error(problem) from None
    payload = service.feedback_payload(row)
    db.session.commit()
    return jsonify(payload), 201 if created else 200


def outcomes_for_admin() -> dict[str, Any]:
    """The aggregates, with the audit row for this view in the same transaction."""
    user = current_user._get_current_object()
    minimum = int(current_app.config["OUTCOMES_MIN_GROUP"])
    document = service.outcomes_document(min_group=minimum)
    signals.moderator_acted.send(
        user,
        action="view_outcomes",
        target_type="outcomes",
        target_id=0,
        details={"min_group": minimum, "closed_before": document["closed_before"]},
    )
    db.session.commit()
    return document


@bp.get("/mod/outcomes")
@admin_required
def outcomes() -> Response:
    response = jsonify(outcomes_for_admin())
    response.headers["Cache-Control"] = "no-store"
    return response
