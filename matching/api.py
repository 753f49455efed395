"""Matching JSON API: my suggestions and rooms, accept/decline, and running a round."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from accounts.decorators import login_required, moderator_required
from db import db, utcnow
from errors import ApiError
from matching import meet_again, scheduler, service
from matching.view import groups_view

bp = Blueprint("matching_api", __name__, url_prefix="/api/v1")


def _proposal_or_404(proposal_id: int) -> Any:
    proposal = service.get_proposal(proposal_id)
    if proposal is None or not any(m.user_id == current_user.id for m in proposal.members):
        raise ApiError(404, "not_found", _l("We couldn't find that group suggestion."))
    return proposal


@bp.get("/groups")
@login_required
def groups() -> Response:
    view = groups_view(current_user._get_current_object())
    # The page's story adds a local deadline; the API keeps CONTRACT §3's proposal shape.
    proposals = [
        {k: v for k, v in p.items() if k not in ("deadline", "about_your_room")}
        for p in view["proposals"]
    ]
    return jsonify({"proposals": proposals, "rooms": view["rooms"], "checkins": view["checkins"]})


@bp.post("/groups/<int:proposal_id>/accept")
@login_required
def accept(proposal_id: int) -> Response:
    user = current_user._get_current_object()
    proposal = _proposal_or_404(proposal_id)
    try:
        outcome = service.accept(proposal, user)
    except service.MatchingError as problem:
        db.session.rollback()
        raise ApiError(problem.status, problem.code, problem.message) from None
    db.session.commit()
    if outcome.opened_room:
        others = [m.user_id for m in proposal.members if m.user_id != user.id]
        service.notify(others, service.ROOM_OPENED_TEXT, "room_opened")
    return jsonify(
        {"proposal": service.proposal_payload(proposal, user), "room_id": outcome.room_id}
    )


@bp.post("/groups/<int:proposal_id>/decline")
@login_required
def decline(proposal_id: int) -> Response:
    user = current_user._get_current_object()
    proposal = _proposal_or_404(proposal_id)
    try:
        service.decline(proposal, user)
    except service.MatchingError as problem:
        db.session.rollback()
        raise ApiError(problem.status, problem.code, problem.message) from None
    db.session.commit()
    return jsonify({"proposal": service.proposal_payload(proposal, user)})


def _dry_run_flag() -> bool:
    if not request.content_length:
        return False
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "invalid", _l('Send a JSON object, for example {"dry_run": true}.'))
    unknown = set(body) - {"dry_run"}
    if unknown:
        raise ApiError(
            400,
            "invalid",
            _l("Unexpected fields."),
            {key: _l("Not a known field.") for key in sorted(unknown)},
        )
    dry_run = body.get("dry_run", False)
    if not isinstance(dry_run, bool):
        raise ApiError(
            400,
            "invalid",
            _l("dry_run must be true or false."),
            {"dry_run": _l("Must be true or false.")},
        )
    return dry_run


@bp.post("/mod/match-rounds")
@moderator_required
def run_round() -> tuple[Response, int]:
    dry_run = _dry_run_flag()
    now = utcnow()
    summary = service.run_round(dry_run=dry_run, by=current_user._get_current_object(), now=now)
    if summary.skipped_locked:
        db.session.rollback()
        raise ApiError(
            409,
            "round_running",
            _l("Another matching round is running. Please try again in a minute."),
        )
    if dry_run:
        db.session.rollback()
    else:
        scheduler.record_manual_round(summary, now)
        db.session.commit()
        service.announce_round(summary)
        scheduler.announce_panel()
    return jsonify(summary.to_dict()), 200


@bp.post("/rooms/<int:room_id>/meet-again")
@login_required
def answer_meet_again(room_id: int) -> Response:
    """A member's private, skippable answer after the room's first week."""
    user = current_user._get_current_object()
    try:
        answer = meet_again.record_answer(user, room_id, request.get_json(silent=True))
    except meet_again.CheckinError as problem:
        db.session.rollback()
        code = "not_found" if problem.status == 404 else "invalid"
        raise ApiError(problem.status, code, problem.message, problem.fields or None) from None
    db.session.commit()
    return jsonify(
        {
            "room_id": room_id,
            "comfort": answer.comfort,
            "meet_again": answer.meet_again,
            "skipped": answer.skipped,
            "room": meet_again.room_decision(room_id),
        }
    )
