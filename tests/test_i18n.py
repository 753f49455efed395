"""Which language a page speaks (the person's choice, then Accept-Language, then
English), the /account language setting, and catalogues that cover every marked
string."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from babel.support import Translations
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, ngettext
from sqlalchemy import select
from werkzeug.test import TestResponse

from accounts.models import User
from db import db
from i18n import LANGUAGES, TRANSLATIONS_DIR
from tests.conftest import text_of

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED = [code for code in LANGUAGES if code != "en"]


def html_lang(response: object) -> str:
    match = re.search(r'<html lang="([^"]+)"', text_of(response))
    assert match, "page has no <html lang>"
    return match.group(1)


@pytest.mark.parametrize(
    ("accept", "expected", "nav_text"),
    [
        (None, "en", "Need help now?"),
        ("de-DE,de;q=0.9,en;q=0.5", "de", "Brauchst du jetzt Hilfe?"),
        ("es-ES", "es", "¿Necesitas ayuda ya?"),
        ("es-419,es;q=0.9", "es", "¿Necesitas ayuda ya?"),
        ("fr-FR,fr;q=0.9", "en", "Need help now?"),  # not offered: English
        ("fr;q=0.9,de;q=0.8,es;q=0.7", "de", "Brauchst du jetzt Hilfe?"),  # best offered
        ("en-GB,de;q=0.5", "en", "Need help now?"),  # the first listed wins, region or not
        ("de;q=0,es;q=0.2", "es", "¿Necesitas ayuda ya?"),  # q=0 means "not this one"
        ("*", "en", "Need help now?"),
    ],
)
def test_anonymous_pages_follow_accept_language(
    client: FlaskClient, accept: str | None, expected: str, nav_text: str
) -> None:
    headers = {"Accept-Language": accept} if accept else {}
    response = client.get("/", headers=headers)
    assert response.status_code == 200
    assert html_lang(response) == expected
    assert nav_text in text_of(response)


@pytest.mark.parametrize("path", ["/", "/help", "/account/login"])
def test_pages_that_follow_the_browser_say_so_to_caches(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"Accept-Language": "de"})
    assert response.status_code == 200
    assert "Accept-Language" in response.headers.get("Vary", "")


def test_sign_in_field_labels_are_in_the_readers_language(client: FlaskClient) -> None:
    page = text_of(client.get("/account/login", headers={"Accept-Language": "de"}))
    assert "Passwort" in page
    assert "Password" not in page


def save_language(
    client: FlaskClient, csrf: Callable[[], str], locale: str, **kw: Any
) -> TestResponse:
    return client.post("/account/language", data={"locale": locale, "csrf_token": csrf()}, **kw)


def test_the_persons_choice_beats_their_browser(
    app: Flask,
    client: FlaskClient,
    login_as: Callable[..., User],
    csrf: Callable[[], str],
) -> None:
    user = login_as()
    spanish_browser = {"Accept-Language": "es-ES,es;q=0.9"}
    page = client.get("/account", headers=spanish_browser)
    assert html_lang(page) == "es"
    assert 'selected value="">' in text_of(page)  # "as my browser asks" is the default

    response = save_language(client, csrf, "de", headers=spanish_browser, follow_redirects=True)
    assert response.status_code == 200
    assert html_lang(response) == "de"
    body = text_of(response)
    assert "Deine Spracheinstellung ist gespeichert." in body  # the flash speaks German already
    assert 'selected value="de"' in body
    with app.app_context():
        assert db.session.get(User, user.id).locale == "de"  # type: ignore[union-attr]

    # Back to "as my browser asks": the browser decides again.
    save_language(client, csrf, "", headers=spanish_browser)
    assert html_lang(client.get("/", headers=spanish_browser)) == "es"
    with app.app_context():
        assert db.session.get(User, user.id).locale is None  # type: ignore[union-attr]


def test_an_unknown_language_is_refused_kindly_and_nothing_changes(
    app: Flask, client: FlaskClient, login_as: Callable[..., User], csrf: Callable[[], str]
) -> None:
    user = login_as()
    save_language(client, csrf, "de")
    response = save_language(client, csrf, "xx-evil")
    assert response.status_code == 400
    assert "Bitte wähle eine der Sprachen aus der Liste." in text_of(response)
    assert 'aria-invalid="true"' in text_of(response)
    with app.app_context():
        assert db.session.get(User, user.id).locale == "de"  # type: ignore[union-attr]


def test_the_language_setting_needs_a_login_and_a_csrf_token(
    app: Flask, client: FlaskClient, login_as: Callable[..., User], csrf: Callable[[], str]
) -> None:
    response = save_language(client, csrf, "de")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]
    user = login_as()
    response = client.post("/account/language", data={"locale": "de"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(User, user.id).locale is None  # type: ignore[union-attr]


def test_the_language_choice_is_part_of_the_export(
    app: Flask, client: FlaskClient, login_as: Callable[..., User], csrf: Callable[[], str]
) -> None:
    login_as()
    save_language(client, csrf, "es")
    document = client.get("/account/export").get_json()
    assert document["account"]["locale"] == "es"
    with app.app_context():
        assert db.session.scalars(select(User.locale)).all() == ["es"]


def test_plural_forms_follow_the_language(app: Flask) -> None:
    with app.test_request_context():
        for code in TRANSLATED:
            with force_locale(code):
                one = ngettext("Notifications, %(num)d unread", "Notifications, %(num)d unread", 1)
                many = ngettext("Notifications, %(num)d unread", "Notifications, %(num)d unread", 5)
            assert "1" in one
            assert "5" in many
            assert not one.startswith("Notifications")


# --- Catalogues -------------------------------------------------------------------

SKIP_DIRS = {"node_modules", "vendor", "tests", "bench", "migrations", "instance", "translations"}


def code_msgids() -> set[str]:
    """Every string the code marks for translation, extracted as `make i18n` does."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options = parse_mapping_cfg(cfg)

    def keep_dir(dirname: str) -> bool:
        name = Path(dirname).name
        return not (name.startswith((".", "_")) or name in SKIP_DIRS)

    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT),
        method_map,
        options,
        keywords={**DEFAULT_KEYWORDS, "_l": None, "N_": None},
        directory_filter=keep_dir,
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.fixture(scope="module")
def marked() -> set[str]:
    return code_msgids()


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_marked_string_is_translated(marked: set[str], locale: str) -> None:
    with (TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalogue = read_po(po, locale=locale)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalogue
        if m.id and not m.fuzzy and all(m.string if isinstance(m.string, tuple) else (m.string,))
    }
    missing = sorted(marked - translated)
    assert not missing, (
        f"{len(missing)} strings have no {locale} translation (run `make i18n`, then "
        f"translate them in translations/{locale}): {missing[:15]}"
    )


@pytest.mark.parametrize("locale", TRANSLATED)
def test_translations_keep_their_placeholders(locale: str) -> None:
    placeholder = re.compile(r"%\((\w+)\)[sd]")
    with (TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalogue = read_po(po, locale=locale)
    wrong = []
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set().union(*(placeholder.findall(text) for text in ids))
        for string in strings:
            used = set(placeholder.findall(string))
            # A plural's "one" form may spell the number out; every other form keeps all.
            if string and not (used == wanted or (len(ids) > 1 and used <= wanted)):
                wrong.append((ids[0], string))
    assert not wrong, wrong


def test_pages_carry_their_javascript_strings_in_their_language(client: FlaskClient) -> None:
    import json

    from i18n import script_messages

    assert "Notifications are on for this device." in script_messages()  # push.js
    for locale, expected in (("de", "Benachrichtigungen sind auf diesem Gerät an."),):
        body = client.get("/", headers={"Accept-Language": locale}).get_data(as_text=True)
        match = re.search(r'<div id="i18n-catalogue" data-catalogue="([^"]*)" hidden>', body)
        assert match
        catalogue = json.loads(html.unescape(match.group(1)))
        assert catalogue["Notifications are on for this device."] == expected
        assert set(catalogue) == {m if isinstance(m, str) else m[0] for m in script_messages()}
        plural = catalogue["Notifications, %(num)d unread"]
        assert plural == ["Benachrichtigungen, %(num)d ungelesen"] * 2
    english = client.get("/").get_data(as_text=True)
    assert '<div id="i18n-catalogue" data-catalogue="{}" hidden>' in english


#: A gettext()/ngettext() call's first argument in our scripts, as written (string
#: literals joined with +), read without Babel so it checks the extractor too.
SCRIPT_CALL = re.compile(r"\b(n?gettext)\(\s*((?:\"(?:[^\"\\]|\\.)*\"\s*\+?\s*)+)", re.S)


def script_msgids_as_written() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "static" / "js").glob("*.js")):
        if path.name == "i18n.js":
            continue  # defines gettext/ngettext; calls none
        for _kind, literals in SCRIPT_CALL.findall(path.read_text(encoding="utf-8")):
            text = "".join(re.findall(r"\"((?:[^\"\\]|\\.)*)\"", literals))
            found.setdefault(path.name, set()).add(text.replace('\\"', '"'))
    return found


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_script_string_reaches_the_page_translated(client: FlaskClient, locale: str) -> None:
    """Every string any static/js file passes to gettext()/ngettext() is in the
    catalogue a page carries, as its catalogue's translation."""
    import json

    as_written = script_msgids_as_written()
    # The wizard and the console are covered like the rest (issue #13).
    assert {"wizard.js", "console.js", "push.js"} <= set(as_written)
    body = client.get("/", headers={"Accept-Language": locale}).get_data(as_text=True)
    match = re.search(r'<div id="i18n-catalogue" data-catalogue="([^"]*)" hidden>', body)
    assert match
    catalogue = json.loads(html.unescape(match.group(1)))
    with (TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
        entries = [m for m in read_po(po) if m.id]
    translations = {(m.id if isinstance(m.id, str) else m.id[0]): m.string for m in entries}
    plurals = {m.id[0]: (m.id[0], m.id[1]) for m in entries if isinstance(m.id, tuple)}
    compiled = Translations.load(str(TRANSLATIONS_DIR), [locale])
    problems = []
    for name, msgids in as_written.items():
        for msgid in sorted(msgids):
            shown = catalogue.get(msgid)
            wanted = translations.get(msgid)
            if isinstance(wanted, tuple):
                if not all(wanted):
                    problems.append((name, msgid, shown))
                    continue
                # i18n.js picks "one" or "other": the forms gettext uses for 1 and 2
                # (Spanish has a third form, for large round numbers).
                singular, plural = plurals[msgid]
                wanted = [compiled.ngettext(singular, plural, n) for n in (1, 2)]
            if not shown or not wanted or shown != wanted:
                problems.append((name, msgid, shown))
    assert not problems, problems
