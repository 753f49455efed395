"""Web Push API (CONTRACT §6.3) and the installable app's files.

``/api/v1/push``: the VAPID public key and the caller's subscriptions. The site root
serves the web app manifest, the service worker (scope /), the favicon and the page
the service worker shows when the network is gone.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from accounts.decorators import login_required
from db import db
from errors import ApiError
from notifications import push

bp = Blueprint("push_api", __name__, url_prefix="/api/v1/push")
install_bp = Blueprint("install", __name__)

#: A subscription is well under 1 kB; anything far larger is refused unread.
MAX_BODY = 16 * 1024

_UNAVAILABLE = _l("Notifications on your devices aren't switched on for this Hearth yet.")


def _body() -> Any:
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise ApiError(413, "too_large", _l("That was more than a subscription needs."))
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(
            400,
            "invalid",
            _l("Please send the subscription as a JSON object."),
            {"subscription": _l("Send a JSON object.")},
        )
    return data


def _settings() -> push.PushSettings:
    settings = push.current_settings()
    if settings is None:
        raise ApiError(404, "push_unavailable", _UNAVAILABLE)
    return settings


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/key")
def key() -> Response:
    """The VAPID public key for ``pushManager.subscribe({applicationServerKey})``."""
    return _no_store(jsonify({"public_key": _settings().public_key}))


@bp.get("/subscriptions")
@login_required
def list_subscriptions() -> Response:
    """The caller's subscribed endpoints, so a page can tell whether this browser is one."""
    return _no_store(jsonify({"endpoints": push.endpoints_of(current_user)}))


@bp.post("/subscriptions")
@login_required
def subscribe() -> tuple[Response, int]:
    """Store the browser's PushSubscription JSON for the caller (201, also when renewed)."""
    settings = _settings()
    try:
        info = push.validate_subscription(_body(), settings.prefixes)
    except push.SubscriptionInvalid as problem:
        raise ApiError(400, problem.code, problem.message, problem.fields) from None
    user = current_user._get_current_object()
    try:
        push.subscribe(user, info)
        db.session.commit()
    except IntegrityError:
        # The same browser subscribing twice at the same moment: the other request
        # stored the row; this one updates it.
        db.session.rollback()
        push.subscribe(user, info)
        db.session.commit()
    return _no_store(jsonify({"ok": True})), 201


@bp.delete("/subscriptions")
@login_required
def unsubscribe() -> Response:
    """Forget one of the caller's subscriptions (idempotent: unknown is fine)."""
    endpoint = _body().get("endpoint")
    if not isinstance(endpoint, str) or not endpoint or len(endpoint) > push.ENDPOINT_MAX:
        raise ApiError(
            400,
            "invalid",
            _l("Please say which subscription to remove."),
            {"endpoint": _l("The subscription's endpoint URL is needed.")},
        )
    removed = push.unsubscribe(current_user, endpoint)
    db.session.commit()
    return _no_store(jsonify({"ok": True, "removed": removed}))


# --- the installable app ------------------------------------------------------------

THEME_COLOUR = "#8a4b2a"
BACKGROUND_COLOUR = "#fbf8f3"
#: What the service worker keeps for offline use: the look of the site, never content.
SHELL = (
    "css/hearth.css",
    "js/push.js",
    "icons/icon-192.png",
    "icons/icon-512.png",
    "icons/icon-maskable-512.png",
    "icons/icon-32.png",
)


@install_bp.get("/manifest.webmanifest")
def manifest() -> Response:
    """The web app manifest, so Hearth can be added to a home screen."""

    def icon(name: str, size: int, purpose: str = "any") -> dict[str, str]:
        return {
            "src": url_for("static", filename=f"icons/{name}"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": purpose,
        }

    document = {
        "id": "/groups",
        "name": "Hearth",
        "short_name": "Hearth",
        "description": "Small, moderated peer-support groups for people who feel lonely.",
        "lang": "en",
        "start_url": "/groups",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            icon("icon-192.png", 192),
            icon("icon-512.png", 512),
            icon("icon-maskable-512.png", 512, "maskable"),
        ],
    }
    response = jsonify(document)
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def _shell_version() -> str:
    """Changes whenever a shell file changes, so a deploy renews the cache."""
    cached = current_app.extensions.get("hearth_shell_version")
    if isinstance(cached, str):
        return cached
    digest = hashlib.sha256()
    static = Path(current_app.static_folder or "static")
    for name in SHELL:
        path = static / name
        digest.update(name.encode())
        if path.exists():
            digest.update(path.read_bytes())
    version = digest.hexdigest()[:12]
    current_app.extensions["hearth_shell_version"] = version
    return version


@install_bp.get("/service-worker.js")
def service_worker() -> Response:
    """The service worker, from the site root so its scope is the whole site."""
    body = render_template(
        "notifications/service-worker.js",
        version=_shell_version(),
        shell=[url_for("static", filename=name) for name in SHELL] + [url_for("install.offline")],
        offline_url=url_for("install.offline"),
        icon_url=url_for("static", filename="icons/icon-192.png"),
        badge_url=url_for("static", filename="icons/icon-96-monochrome.png"),
    )
    response = Response(body, mimetype="text/javascript")
    # Browsers check for a new worker on navigation; never let a cache delay that.
    response.headers["Cache-Control"] = "no-cache"
    return response


@install_bp.get("/offline")
def offline() -> str:
    """What an installed Hearth shows when the network is gone (no personal data)."""
    return render_template("notifications/offline.html")


@install_bp.get("/favicon.ico")
def favicon() -> Response:
    response = send_from_directory(
        Path(current_app.static_folder or "static") / "icons",
        "favicon.ico",
        mimetype="image/vnd.microsoft.icon",
        max_age=86400,
    )
    return response
