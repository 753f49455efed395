"""Pages: the person's own /me/wellbeing, and /mod/outcomes for admins.

Every form posts with a CSRF token; the JSON API (``api.py``) does the same things
for scripts. Nobody but the person can reach their check-ins: the page only ever
shows the logged-in person's own rows.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from typing import Any

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

import crisis
import signals
from accounts.decorators import admin_required, login_required
from accounts.redirects import same_site_path
from db import db, utcnow
from wellbeing import api, outcomes, service

bp = Blueprint("wellbeing", __name__)

#: The Three-Item Loneliness Scale, worded exactly as published (Hughes et al., 2004).
QUESTIONS = (
    ("companionship", _l("How often do you feel that you lack companionship?")),
    ("left_out", _l("How often do you feel left out?")),
    ("isolated", _l("How often do you feel isolated from others?")),
)
ANSWERS = ((1, _l("Hardly ever")), (2, _l("Some of the time")), (3, _l("Often")))
#: The highest score: the page offers the crisis resources beside it (never an alert).
MAX_SCORE = 9
#: Crisis language in the person's own messages this recently also brings the crisis
#: lines to their check-in page (a kindness on their own page, never an alert).
RECENT_CRISIS = timedelta(days=14)


def _recent_crisis_language(user: Any, now: datetime) -> bool:
    answers = signals.recent_crisis_language.send(user, user=user, since=now - RECENT_CRISIS)
    return any(bool(answer) for _receiver, answer in answers)


def template_helpers() -> dict[str, Any]:
    """``wellbeing_setup_offer()`` for the profile review: True while the person has
    neither answered nor skipped the optional check-in."""

    def offer() -> bool:
        if not current_user.is_authenticated:
            return False
        return service.settings_for(current_user.id) is None

    return {"wellbeing_setup_offer": offer}


def _page(status: int = 200, errors: dict[str, str] | None = None, **extra: Any) -> Any:
    user = current_user._get_current_object()
    rows = service.history(user.id)
    settings = service.settings_for(user.id)
    now = utcnow()
    latest = rows[-1] if rows else None
    joins = service.group_join_dates(user.id)
    chart = {
        "points": [{"at": c.at.isoformat(), "score": c.score} for c in rows],
        "joins": [j.isoformat() for j in joins],
    }
    return (
        render_template(
            "wellbeing/page.html",
            questions=QUESTIONS,
            answers=ANSWERS,
            history=rows,
            latest=latest,
            max_score=MAX_SCORE,
            offer_support=bool(
                latest and (latest.score >= MAX_SCORE or _recent_crisis_language(user, now))
            ),
            settings=settings,
            due=service.is_due(settings, now),
            due_at=service.due_at(settings),
            joins=joins,
            chart=chart,
            resources=crisis.resources_for_region(
                crisis.region_for(
                    chosen=crisis.chosen_region(session),
                    accept_language=request.headers.get("Accept-Language"),
                )
            ),
            errors=errors or {},
            from_setup=request.values.get("from") == "setup",
            snooze_choices=(3, 7, 14),
            **extra,
        ),
        status,
    )


@bp.get("/me/wellbeing")
@login_required
def page() -> ResponseReturnValue:
    return _page()


@bp.post("/me/wellbeing/checkin")
@login_required
def checkin() -> ResponseReturnValue:
    user = current_user._get_current_object()
    raw = [request.form.get(name, "") for name, _question in QUESTIONS]
    errors = {
        name: _("Please choose one answer.")
        for (name, _question), value in zip(QUESTIONS, raw, strict=True)
        if value not in ("1", "2", "3")
    }
    if errors:
        return _page(400, errors)
    try:
        service.record_checkin(user, [int(value) for value in raw])
    except service.WellbeingError as problem:
        db.session.rollback()
        return _page(400, {"items": problem.message})
    db.session.commit()
    flash(_("Thank you. Your check-in is saved, and only you can see it."), "info")
    return redirect(url_for("wellbeing.page", _anchor="result"), code=303)


@bp.post("/me/wellbeing/skip")
@login_required
def skip() -> ResponseReturnValue:
    """Skip the check-in (at setup or later): offered again in 14 days."""
    service.skip_checkin(current_user._get_current_object())
    db.session.commit()
    target = same_site_path(request.form.get("next"))
    if target:
        return redirect(target, code=303)
    flash(_("No problem. We'll offer it again in two weeks."), "info")
    return redirect(url_for("wellbeing.page"), code=303)


@bp.post("/me/wellbeing/reminders")
@login_required
def reminders() -> ResponseReturnValue:
    """One click: switch reminders off or on, or snooze the next one."""
    user = current_user._get_current_object()
    action = request.form.get("action", "")
    settings = service.settings_for(user.id)
    enabled = settings.enabled if settings else True
    if action == "off":
        service.update_settings(user, False)
        message = _("Check-in reminders are off. You can still check in here whenever you like.")
    elif action == "on":
        service.update_settings(user, True)
        message = _("Check-in reminders are on: one every two weeks at most.")
    elif action == "snooze" and request.form.get("days", "") in ("3", "7", "14"):
        days = int(request.form["days"])
        service.update_settings(user, enabled, days)
        message = ngettext(
            "Snoozed. We'll remind you %(num)d day later.",
            "Snoozed. We'll remind you %(num)d days later.",
            days,
        )
    else:
        return _page(400, {"reminders": _("Please choose one of the reminder options.")})
    db.session.commit()
    flash(message, "info")
    return redirect(url_for("wellbeing.page", _anchor="reminders"), code=303)


@bp.get("/mod/outcomes")
@admin_required
def outcomes_page() -> str:
    document = api.outcomes_for_admin()
    return render_template("wellbeing/outcomes.html", outcomes=document)


@bp.get("/mod/outcomes.csv")
@admin_required
def outcomes_csv() -> Response:
    document = api.outcomes_for_admin()
    buffer = io.StringIO()
    csv.writer(buffer).writerows(outcomes.csv_rows(document))
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={
            "Content-Disposition": 'attachment; filename="hearth-outcomes.csv"',
            "Cache-Control": "no-store",
        },
    )
