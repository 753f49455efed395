"""Landing, crisis help, peer guidance, community guidelines and the health check."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

import crisis
from crisis_regions import INTL, normalise_region
from errors import ApiError
from pages.health import database_ok, queue_state
from profiles.service import get_profile

bp = Blueprint("pages", __name__)


def _profile_timezone() -> str | None:
    if not current_user.is_authenticated:
        return None
    profile = get_profile(current_user.id)
    return profile.timezone if profile is not None else None


def request_region() -> str:
    """This visitor's region: their choice on the help page, their profile's time
    zone, their browser's language region, else international."""
    return crisis.region_for(
        chosen=crisis.chosen_region(session),
        timezone=_profile_timezone(),
        accept_language=request.headers.get("Accept-Language"),
    )


def _region_choices() -> list[tuple[str, str]]:
    names = crisis.country_names()
    countries = [(code, names.get(code, code)) for code in crisis.regions_covered()]
    ordered = sorted(countries, key=lambda pair: crisis.alphabetical(pair[1]))
    return [*ordered, (INTL, gettext("Somewhere else"))]


def _help_context(region: str) -> dict[str, object]:
    return {
        "region": region,
        "region_name": crisis.country_names().get(region) if region != INTL else None,
        "resources": crisis.resources_for_region(region),
        "region_choices": _region_choices(),
    }


@bp.get("/")
def home() -> str:
    return render_template("pages/home.html")


@bp.get("/help")
def crisis_help() -> str:
    return render_template("pages/crisis.html", **_help_context(request_region()))


@bp.get("/crisis")
def crisis_alias() -> BaseResponse:
    """The address people guess first."""
    return redirect(url_for("pages.crisis_help"))


@bp.post("/help/region")
def choose_region() -> BaseResponse:
    """Remember the region picked on the help page for this session (a preference:
    it only changes which lines are listed first)."""
    region = normalise_region(request.form.get("region"))
    if region is None:
        # Only a hand-made request gets here; show the page with their lines as before.
        return redirect(url_for("pages.crisis_help"))
    session[crisis.SESSION_REGION_KEY] = region
    return redirect(url_for("pages.crisis_help"))


@bp.get("/help/someone-shares")
def peer_guidance() -> str:
    """When someone shares something hard: what helps, what not to say, looking after
    yourself, and the lines for the reader's own region."""
    return render_template("pages/peer_guidance.html", **_help_context(request_region()))


@bp.get("/api/v1/crisis-resources")
def crisis_resources_api() -> Response:
    """``?region=DE``: that region's lines first, then international (CONTRACT §6.5).
    Without ``region``: the caller's own region."""
    raw = request.args.get("region")
    if raw is None:
        region = request_region()
    else:
        normalised = normalise_region(raw)
        if normalised is None:
            raise ApiError(
                400,
                "invalid",
                _l(
                    "That region isn't one we know. Use a two-letter country code such as "
                    "DE, or INTL for international lines."
                ),
                {"region": _l("Use an ISO 3166-1 alpha-2 code (for example DE) or INTL.")},
            )
        region = normalised
    response = jsonify(crisis.api_document(region))
    response.headers["Cache-Control"] = "no-store" if raw is None else "public, max-age=300"
    return response


@bp.get("/guidelines")
def guidelines() -> str:
    return render_template("pages/guidelines.html")


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    db_state = "ok" if database_ok() else "error"
    queue = queue_state()
    healthy = db_state == "ok" and queue in ("ok", "none")
    response = jsonify({"status": "ok" if healthy else "error", "db": db_state, "queue": queue})
    response.headers["Cache-Control"] = "no-store"
    return response, 200 if healthy else 503
