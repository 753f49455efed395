"""Which language a page speaks, and the Flask-Babel binding that serves it.

The order is: the person's own choice on /account, else the best match for their
browser's ``Accept-Language``, else English. Catalogues live in ``translations/``;
``make i18n`` extracts and updates them, and setup compiles them (the .mo files are
build output, never committed).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.lists import format_list
from babel.messages.extract import extract_from_dir
from flask import Flask, Response, has_request_context, request
from flask_babel import force_locale, get_locale, get_translations
from flask_babel import gettext as _gettext
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from extensions import babel

#: Languages Hearth ships, in the order the /account select lists them. Each name is
#: written in its own language, so a person who cannot read the current page can
#: still find theirs.
LANGUAGES: dict[str, str] = {"en": "English", "es": "Español", "de": "Deutsch"}
DEFAULT_LOCALE = "en"
TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
SCRIPTS_DIR = Path(__file__).resolve().parent / "static" / "js"


def N_(text: str) -> str:
    """Mark ``text`` for extraction and return it unchanged.

    For English that is stored and translated when read (notification texts), where
    translating when written would fix one reader's language for everyone.
    """
    return text


@dataclass(frozen=True)
class StoredText:
    """A sentence Hearth writes once (a room's prompt, a system line) and shows in
    each reader's language: the English msgid (marked with ``N_``) and its values.

    A value that is a string goes in as it is (a handle); a tuple is a list of msgids
    (interest labels), each translated and joined the reader's way ("A and B",
    "A und B"). ``to_json`` is what a message stores beside its English body.
    """

    msgid: str
    params: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)

    def translated(self) -> str:
        """The text in the current locale (the request's, or one forced)."""
        values = {
            name: format_list([_gettext(item) for item in value], locale=current_language())
            if isinstance(value, tuple)
            else value
            for name, value in self.params.items()
        }
        return _gettext(self.msgid, **values) if values else _gettext(self.msgid)

    def english(self) -> str:
        with force_locale(DEFAULT_LOCALE):
            return self.translated()

    def to_data(self) -> dict[str, Any]:
        """The JSON-ready shape: ``{"msgid": ..., "params": {...}}``."""
        return {
            "msgid": self.msgid,
            "params": {
                name: list(value) if isinstance(value, tuple) else value
                for name, value in self.params.items()
            },
        }

    def to_json(self) -> str:
        return json.dumps(self.to_data(), ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str) -> StoredText | None:
        """The stored text, or None when ``raw`` is not one (then show the body)."""
        try:
            data: Any = json.loads(raw)
        except ValueError:
            return None
        return cls.from_data(data)

    @classmethod
    def from_data(cls, data: Any) -> StoredText | None:
        """:meth:`from_json` for data already parsed (None when it is not one)."""
        if not isinstance(data, dict) or not isinstance(data.get("msgid"), str):
            return None
        params: dict[str, str | tuple[str, ...]] = {}
        for name, value in (data.get("params") or {}).items():
            if isinstance(value, str):
                params[str(name)] = value
            elif isinstance(value, list) and all(isinstance(item, str) for item in value):
                params[str(name)] = tuple(value)
            else:
                return None
        return cls(data["msgid"], params)


def is_supported(code: str | None) -> bool:
    return code in LANGUAGES


def chosen_locale() -> str | None:
    """The language the signed-in person picked on /account, if any."""
    try:
        if not current_user or not current_user.is_authenticated:
            return None
        choice = getattr(current_user, "locale", None)
    except SQLAlchemyError:
        # Loading the person needs the database. When it is what failed (the error
        # page for a broken session is being rendered), the error must still be
        # shown: in the browser's language rather than not at all.
        return None
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


@functools.cache
def script_messages() -> tuple[str | tuple[str, str], ...]:
    """Every string static/js/*.js passes to gettext() or ngettext(), read once per
    process with the extractor `make i18n` uses, so the catalogue a page carries
    always matches the scripts being served."""
    found: dict[str | tuple[str, str], None] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(SCRIPTS_DIR), [("**.js", "javascript")]
    ):
        if isinstance(message, tuple):
            found[(message[0], message[1])] = None
        else:
            found[message] = None
    return tuple(found)


def script_catalogue() -> dict[str, str | list[str]]:
    """The page's JavaScript strings in its language: msgid -> translation, and a
    plural's singular -> [form for one, form for other] (static/js/i18n.js chooses
    with Intl.PluralRules). Empty in English, where the msgids are the text."""
    if current_language() == DEFAULT_LOCALE:
        return {}
    translations = get_translations()
    catalogue: dict[str, str | list[str]] = {}
    for message in script_messages():
        if isinstance(message, tuple):
            singular, plural = message
            catalogue[singular] = [
                translations.ngettext(singular, plural, 1),
                translations.ngettext(singular, plural, 2),
            ]
        else:
            catalogue[message] = translations.gettext(message)
    return catalogue


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    # Absolute, so the app finds its catalogues whatever the working directory.
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))
    babel.init_app(app, locale_selector=select_locale)
    # {% trans %} blocks wrap like the HTML around them; trimming makes their msgids
    # one line, the same at extraction (babel.cfg: trimmed) and at render time.
    app.jinja_env.policies["ext.i18n.trimmed"] = True

    @app.after_request
    def vary_on_language(response: Response) -> Response:
        # Pages follow Accept-Language: a shared cache must not serve one person's
        # language to everyone.
        response.vary.add("Accept-Language")
        return response

    @app.context_processor
    def language() -> dict[str, object]:
        return {
            "html_lang": current_language(),
            "languages": LANGUAGES,
            "script_catalogue": script_catalogue,
        }
