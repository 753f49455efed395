"""Python-side words in Spanish and German: form errors, flashes, API error
messages, the taxonomy, language names, crisis lines and stored notification texts
(docs/i18n.md). Catalogue completeness is tests/test_i18n.py's; here, that it sees
the JSON data too."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from accounts.models import User
from profiles.taxonomy import load_taxonomy
from tests.conftest import csrf_token_for
from tests.test_i18n import code_msgids
from tools.babel_json import extract as extract_json

ROOT = Path(__file__).resolve().parent.parent


def test_the_catalogue_check_covers_the_json_data() -> None:
    """tests/test_i18n.py checks every msgid `make i18n` extracts; through babel.cfg
    that includes the taxonomy labels and the crisis lines' wording."""
    msgids = code_msgids()
    assert set(load_taxonomy().labels().values()) <= msgids
    assert "Call 0800 111 0 111 or 0800 111 0 222, free, any time" in msgids
    assert "Please choose at least %(minimum)s of the %(what)s." in msgids  # _l in a service
    assert "Your group is ready: the room is open whenever you are." in msgids  # N_


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


def test_stored_notification_reads_in_each_readers_language(
    app: Flask, client: FlaskClient, login_as: Callable[..., User]
) -> None:
    from db import db
    from matching.service import ROOM_OPENED_TEXT
    from notifications import service
    from notifications.models import Notification

    user = login_as()
    with app.app_context():
        service.notify([user.id], "group_opened", ROOM_OPENED_TEXT, "/groups")
        db.session.commit()
        stored = db.session.scalars(select(Notification)).one()
        assert stored.text == ROOM_OPENED_TEXT  # English in the database
    body = client.get("/api/v1/notifications", headers={"Accept-Language": "es"}).get_json()
    assert body["notifications"][0]["text"] == (
        "Tu grupo está listo: la sala está abierta para cuando quieras."
    )
    page = client.get("/notifications", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "Deine Gruppe ist bereit: Der Raum ist offen, wann immer du magst." in page


def test_live_delivery_uses_the_language_each_person_chose(
    app: Flask, make_user: Callable[..., User]
) -> None:
    from db import db
    from matching.service import ROOM_OPENED_TEXT
    from notifications import dispatch, service

    german, unset = make_user(), make_user()
    delivered: list[dict[str, Any]] = []
    with app.app_context():
        db.session.get(User, german.id).locale = "de"  # type: ignore[union-attr]
        service.notify([german.id, unset.id], "group_opened", ROOM_OPENED_TEXT, "/groups")
        db.session.commit()
        items = dispatch.claim()
        db.session.commit()
        delivered = dispatch.deliver(items)
    texts = {item["user_id"]: item["text"] for item in delivered}
    assert texts[german.id] == "Deine Gruppe ist bereit: Der Raum ist offen, wann immer du magst."
    assert texts[unset.id] == ROOM_OPENED_TEXT  # no browser to ask in a background sender
