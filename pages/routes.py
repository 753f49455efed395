"""Landing, crisis help, community guidelines and the health check."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template

from crisis import crisis_resources
from pages.health import database_ok, queue_state

bp = Blueprint("pages", __name__)


@bp.get("/")
def home() -> str:
    return render_template("pages/home.html")


@bp.get("/help")
def crisis_help() -> str:
    return render_template("pages/crisis.html", resources=crisis_resources())


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
