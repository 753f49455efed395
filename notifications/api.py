"""Notifications JSON API (CONTRACT §6.2)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from flask_login import current_user

from accounts.decorators import login_required
from db import db
from errors import ApiError
from notifications import service

bp = Blueprint("notifications_api", __name__, url_prefix="/api/v1")


def _flag(name: str) -> bool:
    raw = request.args.get(name, "0")
    if raw not in ("0", "1"):
        raise ApiError(400, "invalid", f"{name} must be 0 or 1.", {name: "Use 0 or 1."})
    return raw == "1"


def _limit() -> int:
    raw = request.args.get("limit", str(service.DEFAULT_LIMIT))
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= service.MAX_LIMIT:
        raise ApiError(
            400,
            "invalid",
            f"limit must be a whole number from 1 to {service.MAX_LIMIT}.",
            {"limit": f"Use a number from 1 to {service.MAX_LIMIT}."},
        )
    return int(raw)


@bp.get("/notifications")
@login_required
def list_notifications() -> Response:
    user = current_user._get_current_object()
    rows = service.list_for(user, unread_only=_flag("unread"), limit=_limit())
    return jsonify(
        {
            "notifications": [service.payload(row) for row in rows],
            "unread": service.unread_count(user),
        }
    )


def _read_request() -> tuple[list[int] | None, bool]:
    body: Any = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(
            400, "invalid", 'Send a JSON object, for example {"ids": [1, 2]} or {"all": true}.'
        )
    unknown = set(body) - {"ids", "all"}
    if unknown:
        raise ApiError(
            400,
            "invalid",
            "Unexpected fields.",
            {key: "Not a known field." for key in sorted(map(str, unknown))},
        )
    if ("ids" in body) == ("all" in body):
        raise ApiError(400, "invalid", 'Send either "ids" or "all", not both.')
    if "all" in body:
        if body["all"] is not True:
            raise ApiError(400, "invalid", '"all" must be true.', {"all": "Must be true."})
        return None, True
    ids = body["ids"]
    if not isinstance(ids, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) and i > 0 for i in ids
    ):
        raise ApiError(
            400,
            "invalid",
            '"ids" must be a list of notification ids.',
            {"ids": "Use whole numbers."},
        )
    if len(ids) > service.MAX_IDS:
        raise ApiError(
            400,
            "invalid",
            f"Please mark at most {service.MAX_IDS} notifications at a time.",
            {"ids": f"At most {service.MAX_IDS}."},
        )
    return ids, False


@bp.post("/notifications/read")
@login_required
def mark_read() -> Response:
    user = current_user._get_current_object()
    ids, everything = _read_request()
    try:
        service.mark_read(user, ids, everything=everything)
    except service.NotificationError as problem:
        db.session.rollback()
        raise ApiError(problem.status, problem.code, problem.message) from None
    db.session.commit()
    return jsonify({"unread": service.unread_count(user)})
