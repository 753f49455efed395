"""Error responses shared by every blueprint.

JSON clients get the CONTRACT shape ``{"error": {"code", "message", "fields"?}}``;
browsers get a calm page. No handler here imports a project module.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

_KIND_MESSAGES = {
    400: "Something in that request didn't look right.",
    401: "Please log in first.",
    403: "This page isn't available to your account.",
    404: "We couldn't find that page.",
    405: "That action isn't available here.",
    409: "That can't be done right now.",
    413: "That was more than we can take in one go.",
    415: "Please send JSON.",
    429: "That was a lot of tries in a short time. Please take a breath and try again in a minute.",
    500: "Something went wrong on our side. Nothing you did caused this.",
    503: "Hearth is taking a short pause. Please try again in a moment.",
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


class ApiError(Exception):
    """Raised by API routes; rendered as the CONTRACT error body."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields


def error_body(code: str, message: str, fields: dict[str, str] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def json_error(
    status: int, code: str, message: str, fields: dict[str, str] | None = None
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


def _render(status: int, message: str, code: str) -> tuple[Any, int]:
    if wants_json():
        return json_error(status, code, message)
    return render_template("errors/error.html", status=status, message=message), status


def init_app(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def handle_api_error(error: ApiError) -> tuple[Response, int]:
        return json_error(error.status, error.code, error.message, error.fields)

    @app.errorhandler(CSRFError)
    def handle_csrf_error(error: CSRFError) -> tuple[Any, int]:
        message = (
            "Your form expired or was sent from somewhere else. "
            "Please reload the page and try again."
        )
        return _render(400, message, "csrf_failed")

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException) -> tuple[Any, int]:
        status = error.code or 500
        message = _KIND_MESSAGES.get(status, error.description or "Something went wrong.")
        return _render(status, message, _CODES.get(status, "error"))

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception) -> tuple[Any, int]:
        app.logger.exception("unhandled error", exc_info=error)
        return _render(500, _KIND_MESSAGES[500], "server_error")
