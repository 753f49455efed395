"""Matching pages: ``GET /groups`` shows whether you're waiting, your proposed
groups and your rooms."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

import signals
from accounts.decorators import login_required, moderator_required
from db import db, parse_whole, utcnow
from matching import meet_again, scheduler, service
from matching.view import groups_view, waited_for
from profiles import service as profiles

__all__ = ["bp", "waited_for"]

bp = Blueprint("matching", __name__)


@bp.get("/groups")
@login_required
def groups_page() -> str:
    """Where you stand: waiting, a suggestion to answer, your rooms.

    ``?partial=1`` returns just the live part, which static/js/groups.js swaps in
    when a group notification arrives (no reload).
    """
    view = groups_view(current_user._get_current_object())
    if request.args.get("partial") == "1":
        return render_template("matching/_groups_body.html", **view)
    return render_template("matching/groups.html", **view)


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
        flash(str(problem.message), "warning")
        return redirect(url_for("matching.groups_page"))
    db.session.commit()
    if outcome is not None and outcome.opened_room:
        others = [m.user_id for m in proposal.members if m.user_id != user.id]
        service.notify(others, service.ROOM_OPENED_TEXT, "room_opened")
    if outcome is not None and outcome.room_id is not None:
        flash(_("You're in. Your group's room is open."), "info")
        return redirect(url_for("rooms.room_page", room_id=outcome.room_id))
    if accept:
        flash(_("Thanks for saying yes. The room opens as soon as three people have."), "info")
    else:
        flash(_("That's fine. You're back in the waiting pool, first in line."), "info")
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
        raw_comfort = form.get("comfort", "")
        if raw_comfort:
            # Anything that is not a plain number goes on as text, so the validator
            # names the field rather than the answer being saved without it.
            comfort = parse_whole(raw_comfort)
            body["comfort"] = raw_comfort if comfort is None else comfort
        if form.get("meet_again") in ("yes", "no"):
            body["meet_again"] = form["meet_again"] == "yes"
    try:
        meet_again.record_answer(current_user._get_current_object(), room_id, body)
    except meet_again.CheckinError as problem:
        db.session.rollback()
        if problem.status == 404:
            abort(404)
        flash(str(problem.message), "warning")
        return redirect(url_for("matching.groups_page"))
    db.session.commit()
    flash(_("Thank you. Only you and the moderators' statistics see this."), "info")
    return redirect(url_for("matching.groups_page"))


@bp.post("/groups/leave-pool")
@login_required
def leave_pool() -> ResponseReturnValue:
    """Stop waiting for a group (the form on /groups)."""
    if profiles.leave_pool(current_user._get_current_object()):
        flash(
            _("You've left the waiting pool. Your profile is kept; join again whenever you like."),
            "info",
        )
    db.session.commit()
    return redirect(url_for("matching.groups_page"))


# --- the console's matching panel (moderators) ------------------------------------


@bp.get("/mod/matching")
@moderator_required
def console_panel() -> str:
    """The matching panel alone, for the console's live refresh."""
    return render_template("matching/_console_panel.html")


@bp.post("/mod/matching/rounds")
@moderator_required
def run_round_now() -> ResponseReturnValue:
    """ "Run a round now" on the console: one round, audited, then back to the console."""
    actor = current_user._get_current_object()
    now = utcnow()
    try:
        summary = service.run_round(by=actor, now=now)
    except Exception:
        db.session.rollback()
        current_app.logger.exception("Matching round from the console failed")
        flash(_("The round couldn't finish. Nothing was changed; please try again."), "warning")
        return redirect(url_for("moderation.console") + "#matching-panel")
    if summary.skipped_locked:
        db.session.rollback()
        flash(_("Another matching round is running. Please try again in a minute."), "warning")
        return redirect(url_for("moderation.console") + "#matching-panel")
    scheduler.record_manual_round(summary, now)
    signals.moderator_acted.send(
        actor,
        action="run_match_round",
        target_type="match_round",
        target_id=summary.round_id or 0,
        details={
            "groups_formed": len(summary.groups),
            "people_grouped": summary.grouped,
            "pool_size": summary.pool_size,
        },
    )
    db.session.commit()
    service.announce_round(summary)
    scheduler.announce_panel()
    flash(
        ngettext(
            "Round done: %(num)d group suggested for %(grouped)d of %(pool)d people waiting.",
            "Round done: %(num)d groups suggested for %(grouped)d of %(pool)d people waiting.",
            len(summary.groups),
            grouped=summary.grouped,
            pool=summary.pool_size,
        ),
        "info",
    )
    return redirect(url_for("moderation.console") + "#matching-panel")
