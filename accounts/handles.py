"""Handle (pseudonym) rules.

A handle is the only name anyone sees. It must not smuggle out a way to find the
person elsewhere, so anything that looks like an email, phone number or web
address is refused, as the guidelines promise.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from errors import Text

MIN_HANDLE_LENGTH = 3
MAX_HANDLE_LENGTH = 24

_ALLOWED = re.compile(r"[A-Za-z0-9_-]+")
_MAIL_PROVIDERS = re.compile(
    r"(gmail|googlemail|yahoo|hotmail|outlook|icloud|proton(mail)?|gmx|aol|live|mail)",
    re.IGNORECASE,
)
_EMAIL_SHAPE = re.compile(r"(^|[_-])at([_-]|$)|[_-]dot[_-]", re.IGNORECASE)
_DOMAIN_SUFFIX = re.compile(
    r"([_-]|dot)(com|net|org|io|co|uk|de|fr|info|me|app|xyz)$", re.IGNORECASE
)
_URL_WORDS = re.compile(r"(https?|www)", re.IGNORECASE)
_SEVEN_DIGITS = re.compile(r"(\d[^\d]{0,1}){7,}")


def normalise_handle(handle: str) -> str:
    """The key that makes handles unique case-insensitively."""
    return handle.strip().lower()


def handle_problem(handle: str) -> Text | None:
    """A kind sentence saying what is wrong with ``handle``, or None if it is fine."""
    handle = handle.strip()
    if not handle:
        return _l("Please choose a handle.")
    if not MIN_HANDLE_LENGTH <= len(handle) <= MAX_HANDLE_LENGTH:
        return _l(
            "Handles are %(minimum)s to %(maximum)s characters long; yours has %(length)s.",
            minimum=MIN_HANDLE_LENGTH,
            maximum=MAX_HANDLE_LENGTH,
            length=len(handle),
        )
    if not _ALLOWED.fullmatch(handle):
        return _l("Please use only letters, digits, underscores (_) and hyphens (-).")
    if _SEVEN_DIGITS.search(handle):
        return _l("That looks like a phone number. Please pick a handle that can't identify you.")
    if _URL_WORDS.search(handle) or _DOMAIN_SUFFIX.search(handle):
        return _l("That looks like a web address. Please pick a handle that can't identify you.")
    if _MAIL_PROVIDERS.search(handle) and (
        _EMAIL_SHAPE.search(handle) or _DOMAIN_SUFFIX.search(handle)
    ):
        return _l("That looks like an email address. Please pick a handle that can't identify you.")
    return None
