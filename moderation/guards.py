"""The error moderation actions raise, and the check on a moderator's stated reason."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

#: The longest reason a moderator may give; it is kept in the audit log.
MAX_REASON = 500


class ModerationError(Exception):
    """An action that cannot be done; ``status``/``code`` follow the CONTRACT errors."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field


def check_reason(reason: str) -> str:
    """The reason, trimmed; every sanction and room action needs one for the audit log."""
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError(400, "invalid", _l("Please give a reason."), "reason")
    if len(reason) > MAX_REASON:
        raise ModerationError(400, "invalid", _l("Please keep the reason under 500 characters."))
    return reason
