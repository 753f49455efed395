"""Error responses shared by every blueprint.

JSON clients get the CONTRACT shape ``{"error": {"code", "message", "fields"?}}``;
browsers get a calm page. No handler here imports a project module.

Messages are written in English at the call site, marked with ``lazy_gettext``
(``_l``), and become text in the request's locale only here, when the body is
rendered: so a message raised deep in a service still reaches the person in their
language, while ``code`` stays an English identifier that clients branch on.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeAlias

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

_KIND_MESSAGES = {
    400: _l("Something in that request didn't look right."),
    401: _l("Please log in first."),
    403: _l("This page isn't available to your account."),
    404: _l("We couldn't find that page."),
    405: _l("That action isn't available here."),
    409: _l("That can't be done right now."),
    413: _l("That was more than we can take in one go."),
    415: _l("Please send JSON."),
    429: _l(
        "That was a lot of tries in a short time. Please take a breath and try again in a minute."
    ),
    500: _l("Something went wrong on our side. Nothing you did caused this."),
    503: _l("Hearth is taking a short pause. Please try again in a moment."),
}

_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}


#: A person-facing message: a plain string or a lazily translated one (``_l``).
Text: TypeAlias = "str | LazyString"


class ApiError(Exception):
    """Raised by API routes; rendered as the CONTRACT error body."""

    def __init__(
        self,
        status: int,
        code: str,
        message: Text,
        fields: Mapping[str, Text] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields


def error_body(
    code: str, message: Text, fields: Mapping[str, Text] | None = None
) -> dict[str, Any]:
    """The CONTRACT error body; lazy messages are turned into the request's language here."""
    error: dict[str, Any] = {"code": code, "message": str(message)}
    if fields:
        error["fields"] = {name: str(text) for name, text in fields.items()}
    return {"error": error}


def json_error(
    status: int, code: str, message: Text, fields: Mapping[str, Text] | None = None
) -> tuple[Response, int]:
    return jsonify(error_body(code, message, fields)), status


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def _render(status: int, message: Text, code: str) -> tuple[Any, int]:
    if wants_json():
        return json_error(status, code, message)
    return render_template("errors/error.html", status=status, message=str(message)), status


def init_app(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def handle_api_error(error: ApiError) -> tuple[Response, int]:
        return json_error(error.status, error.code, error.message, error.fields)

    @app.errorhandler(CSRFError)
    def handle_csrf_error(error: CSRFError) -> tuple[Any, int]:
        message = _l(
            "Your form expired or was sent from somewhere else. "
            "Please reload the page and try again."
        )
        return _render(400, message, "csrf_failed")

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException) -> tuple[Any, int]:
        status = error.code or 500
        message = _KIND_MESSAGES.get(status, error.description or _l("Something went wrong."))
        return _render(status, message, _CODES.get(status, "error"))

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception) -> tuple[Any, int]:
        app.logger.exception("unhandled error", exc_info=error)
        return _render(500, _KIND_MESSAGES[500], "server_error")
