"""Moderator JSON API under ``/api/v1/mod`` (CONTRACT §3), moderators only.

Routes are thin: parse → authorise → service → commit once → respond. The
socket events the service queued go out after that commit.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from accounts.decorators import moderator_required
from accounts.models import User
from accounts.service import find_by_handle
from db import MAX_ID, db, is_id
from errors import ApiError
from moderation import actions, audit, care, payloads, queries
from moderation.guards import MAX_REASON, ModerationError
from moderation.models import Concern, QueueItem, QueueKind
from moderation.queue import OUTCOMES, ack_item, assign_item, mark_crisis, open_items, resolve_item
from moderation.reports import mark_concern_bad_faith
from moderation.room_actions import post_as_moderators
from rooms.models import Message, Room

bp = Blueprint("moderation_api", __name__, url_prefix="/api/v1/mod")


def _actor() -> User:
    user: User = current_user._get_current_object()
    return user


def _json_body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "invalid", _l("Send a JSON object."))
    return data


def commit_or_rollback(run: Any) -> Any:
    """Run a service call; commit, or roll back and answer its ModerationError as JSON."""
    try:
        result = run()
    except ModerationError as problem:
        db.session.rollback()
        fields = {problem.field: problem.message} if problem.field else None
        raise ApiError(problem.status, problem.code, problem.message, fields) from None
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    return result


@bp.post("/actions")
@moderator_required
def take_action() -> Response:
    """Body ``{"kind", "target", "reason", "duration_minutes"?}`` → the audit record."""
    action = actions.parse(request.get_json(silent=True))
    entry = commit_or_rollback(lambda: actions.perform(action, by=_actor()))
    return jsonify(audit.entry_json(entry, _actor()))


def _int_arg(name: str, low: int = 1, high: int = MAX_ID) -> int | None:
    raw = request.args.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(
            400, "invalid", _l("%(name)s must be a number.", name=name), {name: _l("Not a number.")}
        ) from None
    if not low <= value <= high:
        raise ApiError(
            400, "invalid", _l("%(name)s is out of range.", name=name), {name: _l("Out of range.")}
        )
    return value


@bp.get("/queue")
@moderator_required
def queue() -> Response:
    """Open items, most severe first, then oldest. Filters: kind, severity, room_id."""
    kind = request.args.get("kind") or None
    if kind is not None and kind not in {k.value for k in QueueKind}:
        raise ApiError(400, "invalid", _l("Unknown kind."), {"kind": _l("Unknown kind.")})
    items = open_items(kind=kind, severity=_int_arg("severity", 1, 4), room_id=_int_arg("room_id"))
    return jsonify({"items": [queries.item_json(item) for item in items]})


def _item(item_id: int) -> QueueItem:
    item = db.session.get(QueueItem, item_id)
    if item is None:
        raise ApiError(404, "not_found", _l("That queue item doesn't exist."))
    return item


@bp.get("/queue/<int:item_id>")
@moderator_required
def queue_item(item_id: int) -> Response:
    """One item with its context: the five messages before, reports and concerns."""
    return jsonify(queries.item_detail(_item(item_id)))


@bp.post("/queue/<int:item_id>/ack")
@moderator_required
def ack(item_id: int) -> Response:
    item = _item(item_id)
    entry = commit_or_rollback(lambda: ack_item(item, by=_actor()))
    return jsonify({"item": payloads.queue_item(item), "audit": audit.entry_json(entry)})


@bp.post("/queue/<int:item_id>/assign")
@moderator_required
def assign(item_id: int) -> Response:
    """Body ``{"handle"}`` or ``{"user_id"}`` of a moderator (default: me)."""
    item = _item(item_id)
    data = request.get_json(silent=True) or {}
    if not isinstance(data, dict):
        raise ApiError(400, "invalid", _l("Send a JSON object."))
    assignee: User | None = _actor()
    if isinstance(data.get("handle"), str):
        assignee = find_by_handle(data["handle"])
    elif "user_id" in data:
        value = data["user_id"]
        assignee = db.session.get(User, value) if is_id(value) else None
    if assignee is None:
        raise ApiError(
            404, "not_found", _l("No such moderator."), {"assignee": _l("No such moderator.")}
        )
    entry = commit_or_rollback(lambda: assign_item(item, assignee, by=_actor()))
    return jsonify({"item": payloads.queue_item(item), "audit": audit.entry_json(entry)})


@bp.post("/queue/<int:item_id>/resolve")
@moderator_required
def resolve(item_id: int) -> Response:
    """Body ``{"outcome": "actioned|no_action|followed_up|no_reply|referred", "reason"?}``;
    reporters are told calmly."""
    item = _item(item_id)
    data = _json_body()
    outcome = data.get("outcome")
    reason = data.get("reason", "")
    if outcome not in OUTCOMES:
        raise ApiError(
            400,
            "invalid",
            _l("Unknown outcome."),
            {"outcome": _l("One of: %(outcomes)s.", outcomes=", ".join(OUTCOMES))},
        )
    if not isinstance(reason, str) or len(reason) > MAX_REASON:
        raise ApiError(
            400, "invalid", _l("Reason is text up to 500."), {"reason": _l("Up to 500.")}
        )
    entry = commit_or_rollback(lambda: resolve_item(item, outcome, by=_actor(), reason=reason))
    return jsonify({"item": payloads.queue_item(item), "audit": audit.entry_json(entry)})


@bp.post("/queue/<int:item_id>/checkin")
@moderator_required
def checkin(item_id: int) -> Response:
    """Body ``{"body": 1..2000}`` → ``{"room_id"}``: check in privately with the person
    a crisis item or concern is about, in their care room (opened or reused)."""
    item = _item(item_id)
    body = _json_body().get("body")
    room, entry = commit_or_rollback(
        lambda: care.checkin(care.person_for(item), body, by=_actor(), item=item)
    )
    return jsonify({"room_id": room.id, "audit": audit.entry_json(entry)})


@bp.post("/queue/<int:item_id>/resources")
@moderator_required
def send_resources(item_id: int) -> Response:
    """→ ``{"room_id"}``: the person's crisis resources as a private line in their care room."""
    item = _item(item_id)
    room, entry = commit_or_rollback(
        lambda: care.send_resources(care.person_for(item), by=_actor(), item=item)
    )
    return jsonify({"room_id": room.id, "audit": audit.entry_json(entry)})


@bp.post("/members/<int:user_id>/checkin")
@moderator_required
def member_checkin(user_id: int) -> Response:
    """Body ``{"body"}`` → ``{"room_id"}``: a private check-in from the member page."""
    person = db.session.get(User, user_id)
    if person is None or not person.is_active:
        raise ApiError(404, "not_found", _l("That account doesn't exist."))
    body = _json_body().get("body")
    room, entry = commit_or_rollback(lambda: care.checkin(person, body, by=_actor()))
    return jsonify({"room_id": room.id, "audit": audit.entry_json(entry)})


@bp.post("/messages/<int:message_id>/crisis-label")
@moderator_required
def crisis_label(message_id: int) -> Response:
    """Body ``{"crisis": true|false}``: "this was a crisis" (or not) on a delivered
    message. Records a screening label; a crisis mark also opens (or raises) a
    crisis item so the person gets care → ``{"message_id", "crisis", "queue_item",
    "audit"}``."""
    message = db.session.get(Message, message_id)
    if message is None:
        raise ApiError(404, "not_found", _l("That message doesn't exist."))
    crisis = _json_body().get("crisis")
    if not isinstance(crisis, bool):
        raise ApiError(
            400,
            "invalid",
            _l('Say whether it was a crisis: {"crisis": true} or {"crisis": false}.'),
            {"crisis": _l("true or false.")},
        )
    entry, item = commit_or_rollback(lambda: mark_crisis(message, crisis, by=_actor()))
    return jsonify(
        {
            "message_id": message.id,
            "crisis": crisis,
            "queue_item": payloads.queue_item(item) if item is not None else None,
            "audit": audit.entry_json(entry),
        }
    )


@bp.get("/care-replies")
@moderator_required
def care_replies() -> Response:
    """The ready-made first messages (``?locale=``), from moderation/care_replies.json."""
    replies = care.care_replies(request.args.get("locale"))
    return jsonify({"replies": [{"id": r.id, "label": r.label, "body": r.body} for r in replies]})


@bp.post("/concerns/<int:concern_id>/bad-faith")
@moderator_required
def bad_faith(concern_id: int) -> Response:
    """Body ``{"reason"}``: mark a concern as raised in bad faith."""
    concern = db.session.get(Concern, concern_id)
    if concern is None:
        raise ApiError(404, "not_found", _l("That concern doesn't exist."))
    data = _json_body()
    reason = data.get("reason")
    if not isinstance(reason, str):
        raise ApiError(400, "invalid", _l("Please give a reason."), {"reason": _l("Required.")})
    entry = commit_or_rollback(lambda: mark_concern_bad_faith(concern, by=_actor(), reason=reason))
    return jsonify(audit.entry_json(entry))


@bp.post("/rooms/<int:room_id>/messages")
@moderator_required
def post_message(room_id: int) -> Response:
    """Body ``{"body"}``: post in the room as "Hearth moderators"."""
    room = db.session.get(Room, room_id)
    if room is None:
        raise ApiError(404, "not_found", _l("That room doesn't exist."))
    body = _json_body().get("body")
    if not isinstance(body, str):
        raise ApiError(400, "invalid", _l("A message is text."), {"body": _l("Required.")})
    entry, message = commit_or_rollback(lambda: post_as_moderators(room, body, by=_actor()))
    return jsonify({"message_id": message.id, "audit": audit.entry_json(entry)})


@bp.get("/rooms")
@moderator_required
def rooms() -> Response:
    """Rooms overview: activity, members online, open items."""
    return jsonify({"rooms": queries.rooms_overview()})


@bp.get("/stats")
@moderator_required
def stats() -> Response:
    days = _int_arg("days", 1, 90) or 14
    return jsonify(queries.statistics(days))
