"""The moderator console under ``/mod/`` (blueprint ``moderation``), moderators only.

Pages render server-side and work without JavaScript; ``static/js/console.js``
adds the live queue, room activity and room watching over ``/mod``. Every change
is a POST with a CSRF token (the forms here, or fetch with ``X-CSRFToken``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

import signals
from accounts.decorators import moderator_required
from accounts.models import User
from accounts.service import find_by_handle
from db import MAX_ID, db
from errors import ApiError, Text
from moderation import actions, care, queries, queue, reports, room_actions, sanctions, wording
from moderation.guards import MAX_REASON, ModerationError
from moderation.models import AuditEntry, Concern, QueueItem, QueueKind, ReportOutcome
from rooms.models import Message, Room

bp = Blueprint("moderation", __name__, url_prefix="/mod")

AUDIT_ACTIONS = (
    *actions.KINDS,
    "ack_item",
    "assign_item",
    "resolve_item",
    "mark_concern_bad_faith",
    "post_as_moderators",
    "care_checkin",
    "care_resources",
    "close_care_room",
    "join_care_room",
    "run_match_round",
    "label_message",
    "activate_screening_model",
)
#: The audit log's words for the stored action identifiers (which stay English).
AUDIT_ACTION_LABELS: dict[str, Text] = {
    "remove_message": _l("remove message"),
    "warn": _l("warn"),
    "mute": _l("mute"),
    "remove_from_room": _l("remove from room"),
    "ban": _l("ban"),
    "unban": _l("lift ban"),
    "pause_room": _l("pause room"),
    "resume_room": _l("resume room"),
    "close_room": _l("close room"),
    "ack_item": _l("acknowledge item"),
    "assign_item": _l("assign item"),
    "resolve_item": _l("resolve item"),
    "mark_concern_bad_faith": _l("mark concern bad faith"),
    "post_as_moderators": _l("post as the moderators"),
    "care_checkin": _l("private check-in"),
    "care_resources": _l("send resources privately"),
    "close_care_room": _l("close private check-in"),
    "join_care_room": _l("join private check-in"),
    "run_match_round": _l("run a matching round"),
    "label_message": _l("label message for screening"),
    "activate_screening_model": _l("activate screening model"),
    "retire_screening_models": _l("retire screening models"),
    "view_outcomes": _l("view outcomes"),
}
#: The audit log's words for the stored target types.
AUDIT_TARGET_LABELS: dict[str, Text] = {
    "message": _l("message"),
    "user": _l("member"),
    "room": _l("room"),
    "queue_item": _l("queue item"),
    "concern": _l("concern"),
    "screening_model": _l("screening model"),
    "match_round": _l("matching round"),
    "outcomes": _l("outcomes"),
}
#: The audit log's words for the stored detail keys (which stay English).
AUDIT_DETAIL_LABELS: dict[str, Text] = {
    "assignee_id": _l("assignee id"),
    "author_id": _l("author id"),
    "by_hand": _l("by hand"),
    "closed_before": _l("closed before"),
    "crisis": _l("crisis"),
    "duration_minutes": _l("duration in minutes"),
    "groups_formed": _l("groups suggested"),
    "labels": _l("labels"),
    "message_id": _l("message id"),
    "min_group": _l("smallest group shown"),
    "models": _l("models"),
    "outcome": _l("outcome"),
    "people_grouped": _l("people grouped"),
    "person_id": _l("person id"),
    "pool_size": _l("people waiting"),
    "previous": _l("previous status"),
    "previous_version": _l("previous version"),
    "queue_item_id": _l("queue item id"),
    "queue_item_ids": _l("queue item ids"),
    "report_ids": _l("report ids"),
    "reporter_id": _l("reporter id"),
    "room_created": _l("room opened"),
    "room_id": _l("room id"),
    "sanction_id": _l("sanction id"),
    "sanction_ids": _l("sanction ids"),
    "screener_flagged": _l("flagged by screening"),
    "status": _l("status"),
    "until": _l("until"),
    "version": _l("version"),
}
#: Who the audit log names for rows Hearth wrote itself (no acting user).
SYSTEM_ACTOR = _l("Hearth (automatic)")
#: Mute and ban lengths offered in the console, in minutes.
DURATION_MINUTES = (60, 24 * 60, 7 * 24 * 60, 30 * 24 * 60)


def _duration_label(minutes: int) -> str:
    """``1 hour``, ``1 day``, ``1 week`` or ``30 days`` in the reader's language."""
    if minutes % (7 * 24 * 60) == 0 and minutes < 30 * 24 * 60:
        weeks = minutes // (7 * 24 * 60)
        return ngettext("%(num)d week", "%(num)d weeks", weeks)
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return ngettext("%(num)d day", "%(num)d days", days)
    return ngettext("%(num)d hour", "%(num)d hours", minutes // 60)


def _actor() -> User:
    user: User = current_user._get_current_object()
    return user


def _back(default: str) -> str:
    target = request.form.get("next") or ""
    parts = urlsplit(target)
    if target.startswith("/mod") and not parts.scheme and not parts.netloc and "\\" not in target:
        return target
    return default


def _int_or_none(raw: Any) -> int | None:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if 0 < value <= MAX_ID else None


@bp.context_processor
def console_helpers() -> dict[str, Any]:
    return {
        "queue_kinds": [kind.value for kind in QueueKind],
        "durations": [(minutes, _duration_label(minutes)) for minutes in DURATION_MINUTES],
        "moderators_online": _moderators_online(),
        # The reader's language (their /account choice, else their browser's).
        "care_replies": care.care_replies(str(get_locale())),
        "care_outcomes": list(care.CARE_OUTCOME_LABELS.items()),
        "excerpt_of": wording.excerpt,
    }


def _moderators_online() -> int:
    from moderation import events

    return events.moderators_online()


@bp.get("/")
@moderator_required
def console() -> str:
    """Queue, rooms overview and the matching panel."""
    kind = request.args.get("kind") or None
    if kind not in {k.value for k in QueueKind}:
        kind = None
    severity = _int_or_none(request.args.get("severity"))
    severity = severity if severity and severity <= 4 else None
    room_id = _int_or_none(request.args.get("room_id"))
    items = queue.open_items(kind=kind, severity=severity, room_id=room_id)
    return render_template(
        "moderation/console.html",
        items=[queries.item_json(item) for item in items],
        rooms=queries.rooms_overview(),
        filters={"kind": kind, "severity": severity, "room_id": room_id},
    )


@bp.get("/items/<int:item_id>")
@moderator_required
def item(item_id: int) -> str:
    """One queue item: the message in context (five before), reports, actions."""
    found = db.session.get(QueueItem, item_id)
    if found is None:
        abort(404)
    return render_template("moderation/item.html", item=queries.item_detail(found))


@bp.get("/rooms/<int:room_id>")
@moderator_required
def room(room_id: int) -> str:
    """Read-only live view of a room, with posting as "Hearth moderators"."""
    found = db.session.get(Room, room_id)
    if found is None:
        abort(404)
    overview = next((r for r in queries.rooms_overview() if r["id"] == room_id), None)
    notes = [
        note
        for _receiver, answer in signals.collect_feedback_notes.send(
            current_user._get_current_object(), room_id=room_id
        )
        for note in answer or ()
    ]
    return render_template(
        "moderation/room.html",
        room=found,
        overview=overview,
        items=[queries.item_json(i) for i in queue.open_items(room_id=room_id)],
        feedback_notes=notes,
    )


@bp.get("/members")
@moderator_required
def find_member() -> ResponseReturnValue:
    handle = (request.args.get("handle") or "").strip()
    user = find_by_handle(handle) if handle else None
    if user is None:
        if handle:
            flash(_("No member has that handle."), "info")
        return render_template("moderation/find_member.html", handle=handle)
    return redirect(url_for("moderation.member", user_id=user.id))


@bp.get("/members/<int:user_id>")
@moderator_required
def member(user_id: int) -> str:
    """Reports, sanctions, history and the bad-faith concern count of one member."""
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return render_template(
        "moderation/member.html",
        summary=queries.member_summary(user),
        can_sanction=sanctions.can_sanction(_actor(), user),
    )


@bp.get("/audit")
@moderator_required
def audit_log() -> str:
    """The audit log, newest first, filterable by action, moderator and target."""
    action = request.args.get("action") or None
    if action not in AUDIT_ACTIONS:
        action = None
    actor_handle = (request.args.get("actor") or "").strip()
    actor = find_by_handle(actor_handle) if actor_handle else None
    target_type = request.args.get("target_type") or None
    if target_type not in ("message", "user", "room", "queue_item", "concern", "screening_model"):
        target_type = None
    target_id = _int_or_none(request.args.get("target_id"))
    entries: list[AuditEntry] = []
    if not actor_handle or actor is not None:
        entries = queries.audit_log(
            action=action,
            actor_id=actor.id if actor else None,
            target_type=target_type,
            target_id=target_id,
            before_id=_int_or_none(request.args.get("before")),
        )
    handles = {
        e.actor_id: queries._handle(e.actor_id) if e.actor_id is not None else str(SYSTEM_ACTOR)
        for e in entries
    }
    return render_template(
        "moderation/audit.html",
        entries=entries,
        handles=handles,
        details={e.id: queries.audit_details(e) for e in entries},
        actions=AUDIT_ACTIONS,
        action_labels=AUDIT_ACTION_LABELS,
        target_labels=AUDIT_TARGET_LABELS,
        detail_labels=AUDIT_DETAIL_LABELS,
        filters={
            "action": action,
            "actor": actor_handle,
            "target_type": target_type,
            "target_id": target_id,
        },
    )


@bp.get("/stats")
@moderator_required
def stats() -> str:
    """Charts: messages per day, items opened/resolved, time to acknowledge, crises."""
    return render_template("moderation/stats.html", stats=queries.statistics(14))


# -- form posts (the same services as the JSON API) ------------------------------


def _form_action() -> dict[str, Any]:
    form = request.form
    kind = form.get("kind", "")
    target: dict[str, Any] = {}
    for key in ("message_id", "user_id", "room_id"):
        value = form.get(key)
        if value:
            target[key] = _int_or_none(value) or value
    if form.get("handle"):
        target["handle"] = form["handle"]
    data: dict[str, Any] = {"kind": kind, "target": target, "reason": form.get("reason", "")}
    duration = form.get("duration_minutes")
    if duration:
        data["duration_minutes"] = _int_or_none(duration) or duration
    return data


def _flash_problem(problem: ApiError) -> None:
    details = " ".join(str(text) for text in problem.fields.values()) if problem.fields else ""
    flash(f"{problem.message} {details}".strip(), "error")


@bp.post("/actions")
@moderator_required
def take_action() -> ResponseReturnValue:
    """Console form for every moderator action; one audit entry each."""
    back = _back(url_for("moderation.console"))
    try:
        action = actions.parse(_form_action())
        actions.perform(action, by=_actor())
    except ApiError as problem:
        db.session.rollback()
        _flash_problem(problem)
        return redirect(back)
    db.session.commit()
    flash(_("Done. It's in the audit log."), "info")
    return redirect(back)


def _item_or_404(item_id: int) -> QueueItem:
    found = db.session.get(QueueItem, item_id)
    if found is None:
        abort(404)
    return found


def _run(change: Any, done: Text, back: str) -> ResponseReturnValue:
    try:
        change()
    except ModerationError as problem:
        db.session.rollback()
        flash(str(problem.message), "error")
        return redirect(back)
    db.session.commit()
    flash(str(done), "info")
    return redirect(back)


@bp.post("/items/<int:item_id>/ack")
@moderator_required
def ack_item(item_id: int) -> ResponseReturnValue:
    found = _item_or_404(item_id)
    back = _back(url_for("moderation.item", item_id=item_id))
    return _run(lambda: queue.ack_item(found, by=_actor()), _l("Acknowledged."), back)


@bp.post("/items/<int:item_id>/assign")
@moderator_required
def assign_item(item_id: int) -> ResponseReturnValue:
    """Take the item: it is assigned to the moderator who clicks."""
    found = _item_or_404(item_id)
    back = _back(url_for("moderation.item", item_id=item_id))
    return _run(lambda: queue.assign_item(found, _actor(), by=_actor()), _l("It's yours."), back)


@bp.post("/items/<int:item_id>/resolve")
@moderator_required
def resolve_item(item_id: int) -> ResponseReturnValue:
    found = _item_or_404(item_id)
    outcome = request.form.get("outcome", "")
    if outcome not in {o.value for o in ReportOutcome}:
        abort(400)
    back = _back(url_for("moderation.console"))
    reason = request.form.get("reason", "")[:MAX_REASON]
    return _run(
        lambda: queue.resolve_item(found, outcome, by=_actor(), reason=reason),
        _l("Closed. Anyone who reported it has been told, kindly."),
        back,
    )


@bp.post("/concerns/<int:concern_id>/bad-faith")
@moderator_required
def concern_bad_faith(concern_id: int) -> ResponseReturnValue:
    concern = db.session.get(Concern, concern_id)
    if concern is None:
        abort(404)
    back = _back(url_for("moderation.member", user_id=concern.reporter_id))
    reason = request.form.get("reason", "")
    return _run(
        lambda: reports.mark_concern_bad_faith(concern, by=_actor(), reason=reason),
        _l("Marked as raised in bad faith."),
        back,
    )


@bp.post("/rooms/<int:room_id>/post")
@moderator_required
def post_in_room(room_id: int) -> ResponseReturnValue:
    """Post as "Hearth moderators"."""
    found = db.session.get(Room, room_id)
    if found is None:
        abort(404)
    body = request.form.get("body", "")
    back = url_for("moderation.room", room_id=room_id)
    return _run(
        lambda: room_actions.post_as_moderators(found, body, by=_actor()),
        _l("Posted to the room."),
        back,
    )


@bp.post("/messages/<int:message_id>/crisis-label")
@moderator_required
def crisis_label(message_id: int) -> ResponseReturnValue:
    """The "this was a crisis" form (field ``crisis``: ``yes`` or ``no``), the same
    service as the JSON API."""
    message = db.session.get(Message, message_id)
    if message is None:
        abort(404)
    back = _back(url_for("moderation.room", room_id=message.room_id))
    answer = request.form.get("crisis", "")
    if answer not in ("yes", "no"):
        flash(_("Please choose whether the message was a crisis."), "error")
        return redirect(back)
    crisis = answer == "yes"
    done = (
        _l("Marked as a crisis. A crisis item is open for it, so they get care.")
        if crisis
        else _l("Marked as not a crisis.")
    )
    return _run(lambda: queue.mark_crisis(message, crisis, by=_actor()), done, back)
