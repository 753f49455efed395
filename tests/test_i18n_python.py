"""Python-side words in Spanish and German: form errors, flashes, API and socket
error messages, the taxonomy and crisis lines, and a complete catalogue for every
msgid the Python code and the JSON data files mark (docs/i18n.md)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from accounts.models import User
from profiles.taxonomy import load_taxonomy
from tests.conftest import csrf_token_for
from tools.babel_json import extract as extract_json

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("es", "de")
#: How babel.cfg extracts Python and the JSON data (templates and JS are checked by
#: the template-side tests).
METHODS = [
    ("**/tests/**", "ignore"),
    ("**/bench/**", "ignore"),
    ("**/migrations/**", "ignore"),
    ("**/node_modules/**", "ignore"),
    ("**/.venv/**", "ignore"),
    ("**.py", "python"),
    ("profiles/taxonomy.json", "tools.babel_json:extract"),
    ("data/crisis_resources.json", "tools.babel_json:extract"),
]
OPTIONS = {
    "profiles/taxonomy.json": {"keys": "label"},
    "data/crisis_resources.json": {"keys": "contact"},
}
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "N_": None,
}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def python_msgids() -> set[str | tuple[str, ...]]:
    found: set[str | tuple[str, ...]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, OPTIONS, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def catalogue(locale: str) -> Any:
    path = ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_python_and_data_msgid_is_translated(locale: str) -> None:
    """Each string the Python code or the JSON data marks has a finished translation,
    keeping every named placeholder."""
    msgids = python_msgids()
    assert len(msgids) > 400  # the extraction found the code and both data files
    entries = {
        (m.id if isinstance(m.id, str) else tuple(m.id)): m for m in catalogue(locale) if m.id
    }
    problems = []
    for msgid in sorted(msgids, key=str):
        entry = entries.get(msgid)
        strings = (
            []
            if entry is None
            else [entry.string]
            if isinstance(msgid, str)
            else list(entry.string)
        )
        if entry is None or entry.fuzzy or not strings or not all(strings):
            problems.append(f"untranslated: {msgid!r}")
            continue
        wanted = set(PLACEHOLDER.findall(msgid if isinstance(msgid, str) else msgid[-1]))
        for text in strings:
            if set(PLACEHOLDER.findall(text)) != wanted:
                problems.append(f"placeholders differ: {msgid!r} -> {text!r}")
    assert not problems, "\n".join(problems)


def test_json_extractor_reads_every_taxonomy_label() -> None:
    taxonomy = load_taxonomy()
    with (ROOT / "profiles" / "taxonomy.json").open("rb") as handle:
        extracted = [m for _line, _f, m, _c in extract_json(handle, None, None, {"keys": "label"})]
    assert set(extracted) == set(taxonomy.labels().values())


def test_json_extractor_names_the_entry_for_translators() -> None:
    with (ROOT / "profiles" / "taxonomy.json").open("rb") as handle:
        found = {m: c for _line, _f, m, c in extract_json(handle, None, None, {"keys": "label"})}
    assert found["Fantasy books"] == ["interests fantasy-books"]


def register(client: FlaskClient, language: str, **form: str) -> Any:
    data = {"csrf_token": csrf_token_for(client), **form}
    return client.post("/account/register", data=data, headers={"Accept-Language": language})


def test_register_form_errors_in_german(client: FlaskClient) -> None:
    response = register(client, "de-DE,de;q=0.9", handle="", password="", confirm="")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Bitte wähle einen Namen." in page
    assert "Bitte wähle ein Passwort." in page
    assert "Please choose a handle." not in page


def test_register_validator_with_numbers_in_spanish(client: FlaskClient) -> None:
    response = register(
        client, "es-ES", handle="ab", password="short", confirm="short", age_confirmed="y"
    )
    page = response.get_data(as_text=True)
    assert "Los nombres de usuario tienen de 3 a 24 caracteres; el tuyo tiene 2." in page
    assert "Usa al menos 10 caracteres." in page


def test_api_error_message_in_spanish_and_german_code_stays_english(
    client: FlaskClient,
) -> None:
    for language, message, field in (
        ("es", "No conocemos esa región.", "Usa un código ISO 3166-1 alfa-2"),
        ("de", "Diese Region kennen wir nicht.", "Nimm einen Code nach ISO 3166-1"),
    ):
        response = client.get(
            "/api/v1/crisis-resources?region=XX", headers={"Accept-Language": language}
        )
        error = response.get_json()["error"]
        assert response.status_code == 400
        assert error["code"] == "invalid"
        assert error["message"].startswith(message)
        assert error["fields"]["region"].startswith(field)


def test_http_error_kind_message_follows_the_language(client: FlaskClient) -> None:
    response = client.get("/api/v1/no-such-thing", headers={"Accept-Language": "de"})
    assert response.status_code == 404
    assert response.get_json()["error"] == {
        "code": "not_found",
        "message": "Diese Seite haben wir nicht gefunden.",
    }


def test_english_stays_the_default(client: FlaskClient) -> None:
    response = client.get("/api/v1/no-such-thing", headers={"Accept-Language": "fr"})
    assert response.get_json()["error"]["message"] == "We couldn't find that page."


def test_interests_labels_in_spanish_with_the_same_shape(client: FlaskClient) -> None:
    english = client.get("/api/v1/interests", headers={"Accept-Language": "en"}).get_json()
    response = client.get("/api/v1/interests", headers={"Accept-Language": "es-ES,es;q=0.9"})
    spanish = response.get_json()
    assert "Accept-Language" in response.headers["Vary"]
    labels = {i["slug"]: i["label"] for i in spanish["interests"]}
    assert labels["fantasy-books"] == "Libros de fantasía"
    categories = {c["slug"]: c["label"] for c in spanish["categories"]}
    assert categories["books-and-reading"] == "Libros y lectura"
    for key in ("interests", "avoidable_topics", "reasons", "categories"):
        assert [{k: v for k, v in item.items() if k != "label"} for item in spanish[key]] == [
            {k: v for k, v in item.items() if k != "label"} for item in english[key]
        ]
        # every label is translated: none is left equal to its English one, except
        # words Spanish borrows as they are
        same = {
            e["label"]
            for e, s in zip(english[key], spanish[key], strict=True)
            if e["label"] == s["label"]
        }
        assert same <= {"Anime", "Yoga", "True crime", "K-dramas", "Mindfulness"}


def test_logout_flash_in_german(
    client: FlaskClient, login_as: Callable[..., User], auth: Any
) -> None:
    login_as()
    client.post(
        "/account/logout",
        data={"csrf_token": csrf_token_for(client)},
        headers={"Accept-Language": "de"},
    )
    page = client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "Du bist abgemeldet. Pass auf dich auf." in page


def test_wizard_words_and_language_names_in_german(
    client: FlaskClient, login_as: Callable[..., User]
) -> None:
    login_as()
    page = client.get("/profile?step=practical", headers={"Accept-Language": "de"}).get_data(
        as_text=True
    )
    assert "Französisch" in page  # CLDR's name, no catalogue entry needed
    assert "Abends am Wochenende" in page


def test_crisis_contact_wording_translated_names_kept(client: FlaskClient) -> None:
    body = client.get(
        "/api/v1/crisis-resources?region=DE", headers={"Accept-Language": "de"}
    ).get_json()
    line = next(r for r in body["resources"] if r["name"] == "TelefonSeelsorge")
    assert line["contact"] == (
        "Ruf 0800 111 0 111 oder 0800 111 0 222 an, kostenlos, rund um die Uhr"
    )


def test_lazy_messages_render_in_english_outside_a_request(app: Flask) -> None:
    from errors import error_body
    from profiles.validation import ProfileInvalid, validate_changes

    with pytest.raises(ProfileInvalid) as raised:
        validate_changes({"max_group_size": 99}, {})
    body = error_body("invalid", "x", raised.value.fields)
    assert body["error"]["fields"] == {"max_group_size": "Groups have 3 to 6 people."}
