"""Notifications JSON API (CONTRACT §6.2)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from accounts.decorators import login_required
from db import db, is_id, parse_whole
from errors import ApiError
from notifications import service

bp = Blueprint("notifications_api", __name__, url_prefix="/api/v1")


def _flag(name: str) -> bool:
    raw = request.args.get(name, "0")
    if raw not in ("0", "1"):
        raise ApiError(
            400, "invalid", _l("%(name)s must be 0 or 1.", name=name), {name: _l("Use 0 or 1.")}
        )
    return raw == "1"


def _limit() -> int:
    raw = request.args.get("limit", str(service.DEFAULT_LIMIT))
    limit = parse_whole(raw, maximum=service.MAX_LIMIT)
    if limit is None or limit < 1:
        raise ApiError(
            400,
            "invalid",
            _l("limit must be a whole number from 1 to %(limit)s.", limit=service.MAX_LIMIT),
            {"limit": _l("Use a number from 1 to %(limit)s.", limit=service.MAX_LIMIT)},
        )
    return limit


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
            400, "invalid", _l('Send a JSON object, for example {"ids": [1, 2]} or {"all": true}.')
        )
    unknown = set(body) - {"ids", "all"}
    if unknown:
        raise ApiError(
            400,
            "invalid",
            _l("Unexpected fields."),
            {key: _l("Not a known field.") for key in sorted(map(str, unknown))},
        )
    if ("ids" in body) == ("all" in body):
        raise ApiError(400, "invalid", _l('Send either "ids" or "all", not both.'))
    if "all" in body:
        if body["all"] is not True:
            raise ApiError(400, "invalid", _l('"all" must be true.'), {"all": _l("Must be true.")})
        return None, True
    ids = body["ids"]
    if not isinstance(ids, list) or not all(is_id(i) for i in ids):
        raise ApiError(
            400,
            "invalid",
            _l('"ids" must be a list of notification ids.'),
            {"ids": _l("Use whole numbers.")},
        )
    if len(ids) > service.MAX_IDS:
        raise ApiError(
            400,
            "invalid",
            _l("Please mark at most %(limit)s notifications at a time.", limit=service.MAX_IDS),
            {"ids": _l("At most %(limit)s.", limit=service.MAX_IDS)},
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
