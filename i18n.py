"""Which language a page speaks, and the Flask-Babel binding that serves it.

The order is: the person's own choice on /account, else the best match for their
browser's ``Accept-Language``, else English. Catalogues live in ``translations/``;
``make i18n`` extracts and updates them, and setup compiles them (the .mo files are
build output, never committed).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from flask import Flask, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

from extensions import babel

#: Languages Hearth ships, in the order the /account select lists them. Each name is
#: written in its own language, so a person who cannot read the current page can
#: still find theirs.
LANGUAGES: dict[str, str] = {"en": "English", "es": "Español", "de": "Deutsch"}
DEFAULT_LOCALE = "en"
TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"


def N_(text: str) -> str:
    """Mark ``text`` for extraction and return it unchanged.

    For English that is stored and translated when read (notification texts), where
    translating when written would fix one reader's language for everyone.
    """
    return text


def is_supported(code: str | None) -> bool:
    return code in LANGUAGES


def chosen_locale() -> str | None:
    """The language the signed-in person picked on /account, if any."""
    if not current_user or not current_user.is_authenticated:
        return None
    choice = getattr(current_user, "locale", None)
    return choice if is_supported(choice) else None


def select_locale() -> str:
    """Flask-Babel's locale selector: the person's choice, the browser's, or English.

    Outside a request (the notification dispatcher, the scheduler) there is no
    browser to ask: English, unless the caller forces a locale.
    """
    if not has_request_context():
        return DEFAULT_LOCALE
    choice = chosen_locale()
    if choice:
        return choice
    return browser_locale(request.accept_languages)


def browser_locale(accepted: Iterable[tuple[str, float]]) -> str:
    """The first language the browser accepts (highest quality first) that Hearth
    speaks, comparing by primary subtag: "de-AT" is German, "es-419" Spanish.

    Werkzeug's best_match looks for exact tags across the whole list before falling
    back to primary subtags, so "en-GB,de;q=0.5" would pick German; people mean the
    first language they list.
    """
    for tag, quality in accepted:
        if quality <= 0:
            continue
        primary = tag.replace("_", "-").split("-", 1)[0].lower()
        if is_supported(primary):
            return primary
    return DEFAULT_LOCALE


def current_language() -> str:
    """The language code of this request, for ``<html lang>`` and the JS catalogue."""
    return str(get_locale() or DEFAULT_LOCALE)


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    # Absolute, so the app finds its catalogues whatever the working directory.
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))
    babel.init_app(app, locale_selector=select_locale)
    # {% trans %} blocks wrap like the HTML around them; trimming makes their msgids
    # one line, the same at extraction (babel.cfg: trimmed) and at render time.
    app.jinja_env.policies["ext.i18n.trimmed"] = True

    @app.context_processor
    def language() -> dict[str, object]:
        return {"html_lang": current_language(), "languages": LANGUAGES}
