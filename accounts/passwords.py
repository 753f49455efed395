"""Password hashing (argon2id, argon2-cffi defaults) and strength rules."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from errors import Text

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256

_hasher = PasswordHasher()

#: Verified against when the handle is unknown, so a wrong handle costs the same
#: time as a wrong password and timing does not reveal who has an account.
_DUMMY_HASH = _hasher.hash("hearth-timing-equaliser")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    # zxcvbn ships the 30,000 most common leaked passwords, maintained with the library.
    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"])


def password_problem(password: str, *, handle: str = "") -> Text | None:
    """A kind sentence saying what is wrong with ``password``, or None if it is fine."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _l("Please use at least %(minimum)s characters.", minimum=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        return _l("Please use at most %(maximum)s characters.", maximum=MAX_PASSWORD_LENGTH)
    lowered = password.lower()
    if lowered in _common_passwords():
        return _l("That password is on lists attackers try first. Please choose another.")
    if len(set(lowered)) < 4:
        return _l("That password repeats too few characters to be safe. Please choose another.")
    if handle and handle.lower() in lowered:
        return _l("Please don't include your handle in your password.")
    return None
