"""Every page a member, a moderator and an admin can open, rendered in Spanish and
German, with no English left in what a person reads.

"English left" is a heuristic: a visible text node (or an aria-label, title,
placeholder or alt) that is exactly an English msgid of our catalogues, or that
reads as an English sentence (three or more distinct English function words that
Spanish and German do not share). People's own words (handles, room names,
messages) are made in the test without English words, so they cannot trip it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from accounts.models import User
from db import db
from i18n import LANGUAGES
from profiles.validation import MAX_INTERESTS

TRANSLATED = [code for code in LANGUAGES if code != "en"]

#: English function words that are not also ordinary Spanish or German words.
ENGLISH_WORDS = frozenset(
    {
        "the",
        "you",
        "your",
        "and",
        "with",
        "for",
        "this",
        "that",
        "we",
        "are",
        "is",
        "of",
        "it",
        "be",
        "have",
        "has",
        "our",
        "when",
        "what",
        "will",
        "would",
        "can",
        "there",
        "they",
        "their",
        "not",
        "or",
        "here",
        "from",
        "about",
    }
)
#: Brand and proper names that are the same in every language.
SAME_IN_EVERY_LANGUAGE = {"Hearth", "English", "Español", "Deutsch", "JSON", "UTC", "OK"}
ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")


class VisibleText(HTMLParser):
    """Collects what a person reads or hears: text outside <script>/<style>, and the
    attributes screen readers announce."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # A textarea holds an editable draft (a moderator's ready-made care message),
        # not page copy; script, style and template are never shown as they are.
        if tag in ("script", "style", "template", "textarea"):
            self.skip += 1
        for name, value in attrs:
            if name in ATTRIBUTES and value:
                self.texts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template", "textarea") and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip and data.strip():
            self.texts.append(" ".join(data.split()))

    @classmethod
    def of(cls, html: str) -> list[str]:
        parser = cls()
        parser.feed(html)
        return parser.texts


def english_left(html: str, english_msgids: set[str]) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    found = []
    for text in parser.texts:
        if text in SAME_IN_EVERY_LANGUAGE:
            continue
        words = set(re.findall(r"[a-z]+", text.lower()))
        if text in english_msgids or len(words & ENGLISH_WORDS) >= 3:
            found.append(text)
    return found


@pytest.fixture(scope="module")
def english_msgids() -> set[str]:
    from tests.test_i18n import code_msgids

    # Single words such as "Check-in" or "No" are legitimately the same in a language.
    return {m for m in code_msgids() if len(m.split()) >= 3}


def pages_for(role: str) -> list[str]:
    member = [
        "/",
        "/account",
        "/account/export/view",
        "/groups",
        "/notifications",
        "/me/wellbeing",
        "/profile",
        "/profile?step=interests",
        "/profile?step=about",
        "/profile?step=reasons",
        "/profile?step=comfort",
        "/profile?step=practical",
        "/profile?step=review",
        "/guidelines",
        "/help",
        "/help/someone-shares",
        "/offline",
        "/rooms/{room}",
    ]
    moderator = [
        "/mod/",
        "/mod/audit",
        "/mod/members",
        "/mod/members/{member}",
        "/mod/rooms/{room}",
        "/mod/items/{item}",
        "/mod/stats",
        "/mod/matching",
    ]
    admin = [*moderator, "/mod/outcomes"]
    return {"member": member, "moderator": member + moderator, "admin": admin}[role]


ANONYMOUS = ["/", "/account/login", "/account/register", "/help", "/guidelines", "/offline"]


@pytest.fixture
def room_id(app: Flask, make_user: Callable[..., User]) -> Callable[[User], int]:
    def make(user: User) -> int:
        from rooms import service as rooms

        others = [make_user(), make_user()]
        with app.app_context():
            members = [db.session.get(User, u.id) for u in (user, *others)]
            room = rooms.create_room("Zorro", [m for m in members if m is not None])
            db.session.commit()
            return int(room.id)

    return make


def report_room(app: Flask, room: int) -> int:
    """A member's report about the room, as an open queue item; returns the item's id."""
    from moderation import service as moderation
    from moderation.models import QueueItem
    from rooms.models import Room

    with app.app_context():
        place = db.session.get(Room, room)
        assert place is not None
        reporter = place.memberships[0].user
        moderation.file_report(reporter, place, None, "other", "Zorro lumo")
        db.session.commit()
        return int(db.session.scalars(select(QueueItem.id).order_by(QueueItem.id.desc())).first())


@pytest.mark.parametrize("locale", TRANSLATED)
def test_anonymous_pages_have_no_english_left(
    client: FlaskClient, locale: str, english_msgids: set[str]
) -> None:
    problems: dict[str, list[str]] = {}
    for path in ANONYMOUS:
        response = client.get(path, headers={"Accept-Language": locale})
        assert response.status_code == 200, path
        left = english_left(response.get_data(as_text=True), english_msgids)
        if left:
            problems[path] = left
    assert not problems, problems


@pytest.mark.parametrize("role", ["member", "moderator", "admin"])
@pytest.mark.parametrize("locale", TRANSLATED)
def test_signed_in_pages_have_no_english_left(
    client: FlaskClient,
    login_as: Callable[..., User],
    make_user: Callable[..., User],
    room_id: Callable[[User], int],
    role: str,
    locale: str,
    english_msgids: set[str],
) -> None:
    user = login_as(role)
    room = room_id(user)
    values: dict[str, Any] = {
        "room": room,
        "member": make_user().id,
        "item": report_room(client.application, room),
    }
    problems: dict[str, list[str]] = {}
    for template in pages_for(role):
        path = template.format(**values)
        response = client.get(path, headers={"Accept-Language": locale})
        assert response.status_code == 200, (path, response.status_code)
        body = response.get_data(as_text=True)
        if "<html" in body:  # /mod/matching is a fragment the console fetches
            assert f'<html lang="{locale}">' in body, path
        left = english_left(response.get_data(as_text=True), english_msgids)
        if left:
            problems[path] = left
    assert not problems, problems


@pytest.mark.parametrize("locale", TRANSLATED)
def test_the_interests_step_speaks_the_language_throughout(
    client: FlaskClient, login_as: Callable[..., User], locale: str
) -> None:
    """The step's short phrases (hint, summary, search label, counts) are too short for
    the sentence heuristic above, so each is checked against its translation."""
    from flask_babel import force_locale, gettext, ngettext

    login_as("member")
    body = client.get("/profile?step=interests", headers={"Accept-Language": locale}).get_data(
        as_text=True
    )
    assert f'<html lang="{locale}">' in body
    with client.application.test_request_context(), force_locale(locale):
        expected = {
            "Search interests": gettext("Search interests"),
            "Nothing chosen yet.": gettext("Nothing chosen yet."),
            "Nothing matches that yet.": gettext("Nothing matches that yet. Try a shorter word."),
            "Choose 1 to": gettext("Choose 1 to %(most)s.", most=MAX_INTERESTS),
            "0 chosen.": ngettext("%(num)d chosen.", "%(num)d chosen.", 0),
        }
    text = " ".join(VisibleText.of(body))
    for english, translated in expected.items():
        assert translated in text, (english, translated)
        assert english not in text, english


@pytest.mark.parametrize("locale", TRANSLATED)
def test_queue_kinds_and_statuses_are_words_of_the_language(
    client: FlaskClient,
    login_as: Callable[..., User],
    room_id: Callable[[User], int],
    locale: str,
) -> None:
    """The console names a queue item's kind and status, and a room's status, in the
    reader's language (single words, too short for the sentence heuristic)."""
    from flask_babel import force_locale, gettext

    user = login_as("moderator")
    room = room_id(user)
    item = report_room(client.application, room)
    with client.application.test_request_context(), force_locale(locale):
        report, state = gettext("Report"), gettext("open")
        heading = gettext("%(kind)s in %(name)s", kind=report, name="Zorro")
    pages = {
        path: VisibleText.of(
            client.get(path, headers={"Accept-Language": locale}).get_data(as_text=True)
        )
        for path in ("/mod/", f"/mod/items/{item}", f"/mod/rooms/{room}")
    }
    assert report in pages["/mod/"]
    assert state in pages["/mod/"]
    assert "Report" not in pages["/mod/"]
    assert heading in pages[f"/mod/items/{item}"]
    assert "Report in Zorro" not in pages[f"/mod/items/{item}"]
    assert any(text.startswith(f"{report}:") for text in pages[f"/mod/rooms/{room}"])
