"""The setup wizard (``GET /profile``): short steps, each a plain POST form that
saves and moves on, progressively enhanced by ``static/js/wizard.js``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import available_timezones

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from accounts.decorators import login_required
from db import db, parse_whole
from errors import Text
from profiles import localized, service
from profiles.validation import (
    AGE_BANDS,
    MAX_ABOUT,
    MAX_INTERESTS,
    SLOTS,
    ProfileInvalid,
    missing_fields,
)

bp = Blueprint("profiles", __name__)


@dataclass(frozen=True)
class Step:
    name: str
    title: Text
    why: Text
    #: Document fields this step saves, with how the form sends them.
    fields: tuple[tuple[str, str], ...]


STEPS = (
    Step(
        "reasons",
        _l("What brings you here"),
        _l(
            "Knowing a little of why you came helps us find people in a similar place. "
            "It's optional."
        ),
        (("reasons", "list"),),
    ),
    Step(
        "interests",
        _l("Things you enjoy"),
        _l("Shared interests give your group something easy to talk about."),
        (("interests", "list"),),
    ),
    Step(
        "about",
        _l("A line about you"),
        _l("A sentence or two helps others feel they know who they're talking to. Optional."),
        (("about", "text"),),
    ),
    Step(
        "comfort",
        _l("How you like to talk"),
        _l("So your group feels comfortable: the right size, the right pace, no topics that hurt."),
        (
            ("talk_style", "choice"),
            ("max_group_size", "int"),
            ("pace", "choice"),
            ("support_style", "choice"),
            ("avoid_topics", "list"),
        ),
    ),
    Step(
        "practical",
        _l("Languages and times"),
        _l("So you can understand each other and meet when you're all free."),
        (
            ("languages", "list"),
            ("timezone", "choice"),
            ("availability", "list"),
            ("age_band", "choice"),
        ),
    ),
    Step(
        "review",
        _l("Your profile"),
        _l("Check it over. You can change anything now or later."),
        (),
    ),
)
STEP_NAMES = tuple(step.name for step in STEPS)
FIELD_STEP = {name: step.name for step in STEPS for name, _kind in step.fields}

#: Shown as checkboxes; every other ISO 639-1 language is in the "another" list.
COMMON_LANGUAGES = (
    "en", "es", "fr", "de", "it", "pt", "nl", "pl", "uk", "ru",
    "tr", "ar", "hi", "zh", "ja", "ko", "sv", "el",
)  # fmt: skip

CHOICES: dict[str, list[tuple[str, str, str]]] = {
    "talk_style": [
        ("listen_first", _l("I like to listen first"), _l("Quiet is welcome; listening counts.")),
        ("share_some", _l("I share a bit"), _l("I'll join in when something speaks to me.")),
        ("talk_freely", _l("I talk freely"), _l("I'm happy to get conversations going.")),
    ],
    "pace": [
        ("live", _l("Live chats"), _l("Meet at set times and talk in real time.")),
        ("slow", _l("Slow and steady"), _l("Drop in when you can; replies can take hours.")),
    ],
    "support_style": [
        ("just_listen", _l("Just listen, please"), _l("I mostly want to be heard.")),
        ("open_to_advice", _l("Open to advice"), _l("Ideas and suggestions are welcome.")),
    ],
}
SLOT_LABELS = {
    "weekday_morning": _l("Weekday mornings"),
    "weekday_afternoon": _l("Weekday afternoons"),
    "weekday_evening": _l("Weekday evenings"),
    "weekend_morning": _l("Weekend mornings"),
    "weekend_afternoon": _l("Weekend afternoons"),
    "weekend_evening": _l("Weekend evenings"),
}
AGE_LABELS = {band: band for band in AGE_BANDS} | {"65+": _l("65 and over")}
FIELD_LABELS = {  # in the order the steps ask
    "reasons": _l("What brings you here"),
    "interests": _l("Interests"),
    "about": _l("About you"),
    "talk_style": _l("How you like to talk"),
    "max_group_size": _l("Largest group"),
    "pace": _l("Pace"),
    "support_style": _l("Support"),
    "avoid_topics": _l("Topics to avoid"),
    "languages": _l("Languages"),
    "timezone": _l("Time zone"),
    "availability": _l("Good times"),
    "age_band": _l("Age range"),
}
_REGIONS = (
    "Africa/", "America/", "Antarctica/", "Asia/", "Atlantic/", "Australia/",
    "Europe/", "Indian/", "Pacific/",
)  # fmt: skip


def _timezone_choices() -> list[str]:
    zones = sorted(z for z in available_timezones() if z.startswith(_REGIONS))
    return ["UTC", *zones]


def _step(name: str | None) -> Step:
    for step in STEPS:
        if step.name == name:
            return step
    return STEPS[0]


def _neighbours(step: Step) -> tuple[Step | None, Step | None]:
    index = STEP_NAMES.index(step.name)
    before = STEPS[index - 1] if index > 0 else None
    after = STEPS[index + 1] if index + 1 < len(STEPS) else None
    return before, after


def _starting_step(document: dict[str, Any], saved: bool) -> Step:
    if not saved:
        return STEPS[0]
    missing = missing_fields(document)
    if not missing:
        return _step("review")
    return _step(FIELD_STEP[missing[0]])


def _changes_from_form(step: Step) -> dict[str, Any]:
    """The document fields of ``step`` as the plain form sent them."""
    form = request.form
    changes: dict[str, Any] = {}
    for name, kind in step.fields:
        if kind == "list":
            values = [v for v in form.getlist(name) if v]
            if name == "languages":
                other = (form.get("other_language") or "").strip()
                if other and other not in values:
                    values.append(other)
            changes[name] = values
        elif kind == "text":
            changes[name] = form.get(name, "")
        elif kind == "int":
            raw = (form.get(name) or "").strip()
            number = parse_whole(raw)
            changes[name] = number if number is not None else (raw or None)
        else:
            changes[name] = form.get(name) or None
    return changes


def _render(
    step: Step,
    document: dict[str, Any],
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
    edit: bool = False,
) -> tuple[str, int]:
    before, after = _neighbours(step)
    taxonomy = localized.taxonomy()
    all_languages = localized.language_names()
    chosen_languages = document.get("languages") or []
    shown_languages = [
        *COMMON_LANGUAGES,
        *(c for c in chosen_languages if c not in COMMON_LANGUAGES),
    ]
    missing = missing_fields(document)
    # The error summary lists problems in the order the fields stand on the page.
    order = [name for name, _kind in step.fields]
    problems = sorted(
        (errors or {}).items(),
        key=lambda item: order.index(item[0]) if item[0] in order else len(order),
    )
    body = render_template(
        "profiles/wizard.html",
        step=step,
        steps=STEPS,
        step_number=STEP_NAMES.index(step.name) + 1,
        before=before,
        after=after,
        edit=edit,
        document=document,
        errors=dict(problems),
        missing=missing,
        taxonomy=taxonomy,
        labels=taxonomy.labels(),
        choices=CHOICES,
        slots=[(slot, SLOT_LABELS[slot]) for slot in SLOTS],
        slot_labels=SLOT_LABELS,
        age_bands=[(band, AGE_LABELS[band]) for band in AGE_BANDS],
        age_labels=AGE_LABELS,
        # Resolved here, in the request's language: the form also carries them as JSON.
        field_labels={name: str(label) for name, label in FIELD_LABELS.items()},
        field_step=FIELD_STEP,
        language_names=all_languages,
        shown_languages=shown_languages,
        other_languages=[
            (code, name) for code, name in all_languages.items() if code not in shown_languages
        ],
        timezones=_timezone_choices(),
        max_about=MAX_ABOUT,
        max_interests=MAX_INTERESTS,
        pool=service.pool_status(current_user.id),
        groups_url=url_for("matching.groups_page")
        if "matching.groups_page" in current_app.view_functions
        else None,
    )
    return body, status


@bp.get("/profile")
@login_required
def wizard() -> ResponseReturnValue:
    """The setup wizard; ``?step=<name>`` opens one step (edit mode)."""
    profile = service.get_profile(current_user.id)
    document = service.document_of(profile)
    requested = request.args.get("step")
    if requested in STEP_NAMES:
        step = _step(requested)
    else:
        step = _starting_step(document, saved=profile is not None)
    edit = request.args.get("edit") == "1"
    return _render(step, document, edit=edit)


@bp.post("/profile")
@login_required
def save_step() -> ResponseReturnValue:
    """Save one step from the plain form and go on to the next (or back to review)."""
    if request.form.get("step") not in STEP_NAMES:
        abort(400)
    step = _step(request.form.get("step"))
    edit = request.form.get("edit") == "1"
    if step.name == "review":
        return redirect(url_for("profiles.wizard", step="review"))
    changes = _changes_from_form(step)
    try:
        service.patch_profile(current_user._get_current_object(), changes)
    except ProfileInvalid as problem:
        db.session.rollback()
        document = service.get_document(current_user.id) | changes
        return _render(step, document, errors=problem.fields, status=400, edit=edit)
    db.session.commit()
    _before, after = _neighbours(step)
    target = "review" if edit or after is None else after.name
    return redirect(url_for("profiles.wizard", step=target))


@bp.post("/profile/pool")
@login_required
def join_pool() -> ResponseReturnValue:
    """The review step's "Join the waiting pool" button."""
    try:
        _entry, created = service.join_pool(current_user._get_current_object())
    except service.ProfileIncomplete as problem:
        db.session.rollback()
        errors = {name: _("This is still needed.") for name in problem.missing}
        document = service.get_document(current_user.id)
        return _render(_step("review"), document, errors=errors, status=409)
    db.session.commit()
    if created:
        flash(
            _("You're in the waiting pool. We'll look for people you'll feel at ease with."), "info"
        )
    if "matching.groups_page" in current_app.view_functions:
        return redirect(url_for("matching.groups_page"))
    return redirect(url_for("profiles.wizard", step="review"))
