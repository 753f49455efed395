"""Matching pages: ``GET /groups`` shows whether you're waiting, your proposed
groups and your rooms."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from accounts.decorators import login_required
from db import db, utcnow
from matching import meet_again, service
from profiles import service as profiles

bp = Blueprint("matching", __name__)


def waited_for(since: datetime, now: datetime | None = None) -> str:
    """How long someone has waited, in calm, rounded words."""
    seconds = max(0, int(((now or utcnow()) - since).total_seconds()))
    minutes = seconds // 60
    if minutes < 1:
        return "less than a minute"
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = minutes // 60
    if hours < 24:
        return f"about {hours} hour{'s' if hours != 1 else ''}"
    days = hours // 24
    return f"{days} day{'s' if days != 1 else ''}"


@bp.get("/groups")
@login_required
def groups_page() -> str:
    """Looking for your group, proposed groups, your rooms."""
    user = current_user._get_current_object()
    entry = profiles.get_pool_entry(user.id)
    missing = profiles.profile_missing_fields(user.id)
    return render_template(
        "matching/groups.html",
        entry=entry,
        waited=waited_for(entry.joined_at) if entry else None,
        profile_complete=not missing,
        proposals=[service.proposal_payload(p, user) for p in service.proposals_for(user)],
        rooms=service.member_rooms(user),
        checkins=meet_again.due_checkins(user),
    )


def _answer(proposal_id: int, *, accept: bool) -> ResponseReturnValue:
    user = current_user._get_current_object()
    proposal = service.get_proposal(proposal_id)
    if proposal is None or not any(m.user_id == user.id for m in proposal.members):
        abort(404)
    try:
        outcome = service.accept(proposal, user) if accept else None
        if not accept:
            service.decline(proposal, user)
    except service.MatchingError as problem:
        db.session.rollback()
        flash(problem.message, "warning")
        return redirect(url_for("matching.groups_page"))
    db.session.commit()
    if outcome is not None and outcome.opened_room:
        others = [m.user_id for m in proposal.members if m.user_id != user.id]
        service.notify(
            others, "Your group is ready: the room is open whenever you are.", "room_opened"
        )
    if outcome is not None and outcome.room_id is not None:
        flash("You're in. Your group's room is open.", "info")
        return redirect(url_for("rooms.room_page", room_id=outcome.room_id))
    if accept:
        flash("Thanks for saying yes. The room opens as soon as three people have.", "info")
    else:
        flash("That's fine. You're back in the waiting pool, first in line.", "info")
    return redirect(url_for("matching.groups_page"))


@bp.post("/groups/<int:proposal_id>/accept")
@login_required
def accept_proposal(proposal_id: int) -> ResponseReturnValue:
    """Say yes to a suggested group (the form on /groups)."""
    return _answer(proposal_id, accept=True)


@bp.post("/groups/<int:proposal_id>/decline")
@login_required
def decline_proposal(proposal_id: int) -> ResponseReturnValue:
    """Say no to a suggested group; no reason is asked."""
    return _answer(proposal_id, accept=False)


@bp.post("/groups/rooms/<int:room_id>/meet-again")
@login_required
def answer_meet_again(room_id: int) -> ResponseReturnValue:
    """The private, skippable meet-again question (the form on /groups)."""
    form = request.form
    body: dict[str, object] = {"skip": form.get("skip") == "1"}
    if not body["skip"]:
        if form.get("comfort", "").isdigit():
            body["comfort"] = int(form["comfort"])
        if form.get("meet_again") in ("yes", "no"):
            body["meet_again"] = form["meet_again"] == "yes"
    try:
        meet_again.record_answer(current_user._get_current_object(), room_id, body)
    except meet_again.CheckinError as problem:
        db.session.rollback()
        if problem.status == 404:
            abort(404)
        flash(problem.message, "warning")
        return redirect(url_for("matching.groups_page"))
    db.session.commit()
    flash("Thank you. Only you and the moderators' statistics see this.", "info")
    return redirect(url_for("matching.groups_page"))


@bp.post("/groups/leave-pool")
@login_required
def leave_pool() -> ResponseReturnValue:
    """Stop waiting for a group (the form on /groups)."""
    if profiles.leave_pool(current_user._get_current_object()):
        flash(
            "You've left the waiting pool. Your profile is kept; join again whenever you like.",
            "info",
        )
    db.session.commit()
    return redirect(url_for("matching.groups_page"))
