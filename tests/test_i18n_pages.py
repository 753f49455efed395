"""Every page a member, a moderator and an admin can open, rendered in Spanish and
German, with no English left in what a person reads.

"English left" is a heuristic: a visible text node (or an aria-label, title,
placeholder or alt) that is exactly an English msgid of our catalogues, that reads
as an English sentence (three or more distinct English function words that Spanish
and German do not share), or whose words are Hearth's English and not the page's
language: more words that only our English msgids use than words the language's
catalogue uses (so "Talk style", "assign item" or "Somewhere else" on a Spanish page
count, while a name nobody translates counts for neither side). People's own words
(handles, room names, messages) are made in the test without English words, so
they cannot trip it; a word with a digit in it (a handle such as "member12") is
never counted.
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
from i18n import LANGUAGES, TRANSLATIONS_DIR
from matching.models import Proposal
from profiles.validation import MAX_INTERESTS
from tests.conftest import text_of

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
#: Elements without an end tag (a lang="en" on one of them covers nothing after it).
VOID_ELEMENTS = (
    "area",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
)


class VisibleText(HTMLParser):
    """Collects what a person reads or hears: text outside <script>/<style>, and the
    attributes screen readers announce. An element that says it is in English
    (``lang="en"``, such as the wellbeing page's source citation) is English on
    purpose and is left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.texts: list[str] = []
        #: The open element marked lang="en" (its tag and how deep it nests in itself).
        self.english: tuple[str, int] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.english is not None:
            if tag == self.english[0]:
                self.english = (tag, self.english[1] + 1)
            return
        if tag not in ("html", *VOID_ELEMENTS) and dict(attrs).get("lang") == "en":
            self.english = (tag, 1)
            return
        # A textarea holds an editable draft (a moderator's ready-made care message),
        # not page copy; script, style and template are never shown as they are.
        if tag in ("script", "style", "template", "textarea"):
            self.skip += 1
        for name, value in attrs:
            if name in ATTRIBUTES and value:
                self.texts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if self.english is not None:
            if tag == self.english[0]:
                depth = self.english[1] - 1
                self.english = (tag, depth) if depth else None
            return
        if tag in ("script", "style", "template", "textarea") and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip and self.english is None and data.strip():
            self.texts.append(" ".join(data.split()))

    @classmethod
    def of(cls, html: str) -> list[str]:
        parser = cls()
        parser.feed(html)
        return parser.texts


PLACEHOLDER = re.compile(r"%\(\w+\)[a-z]|%[a-z]|\{\{.*?\}\}|<[^>]*>")
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def words_of(text: str) -> list[str]:
    """The words of ``text``, lower-cased; a token with a digit (a handle) is no word."""
    tokens = PLACEHOLDER.sub(" ", text).split()
    # A token with a digit (a handle such as "member12"), a slash (an address, a time
    # zone such as "America/New_York") or an @ is a name or an identifier, not a word.
    return [w.lower() for t in tokens if not re.search(r"[\d/@]", t) for w in WORD.findall(t)]


class Vocabulary:
    """The words only Hearth's English uses, and the words of one language's catalogue."""

    def __init__(self, locale: str) -> None:
        from babel.messages.pofile import read_po

        path = TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as po_file:
            catalogue = read_po(po_file, locale=locale)
        english: set[str] = set()
        self.local: set[str] = set()
        for message in catalogue:
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for text in ids:
                english.update(words_of(text))
            for text in strings:
                self.local.update(words_of(text or ""))
        self.english = english - self.local

    def reads_as_english(self, text: str) -> bool:
        words = words_of(text)
        english = sum(w in self.english for w in words)
        return english > 0 and english > sum(w in self.local for w in words)


def english_left(html: str, english_msgids: set[str], vocabulary: Vocabulary) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    found = []
    for text in parser.texts:
        # A time zone's IANA name ("America/Port of Spain") or an address is a name.
        if text in SAME_IN_EVERY_LANGUAGE or "/" in text.split()[0]:
            continue
        words = set(re.findall(r"[a-z]+", text.lower()))
        if (
            text in english_msgids
            or len(words & ENGLISH_WORDS) >= 3
            or vocabulary.reads_as_english(text)
        ):
            found.append(text)
    return found


@pytest.fixture(scope="module")
def english_msgids() -> set[str]:
    from tests.test_i18n import code_msgids

    # Single words such as "Check-in" or "No" are legitimately the same in a language.
    return {m for m in code_msgids() if len(m.split()) >= 3}


@pytest.fixture(scope="module")
def vocabularies() -> dict[str, Vocabulary]:
    return {locale: Vocabulary(locale) for locale in TRANSLATED}


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
        from rooms.admin import create_room

        others = [make_user(), make_user()]
        with app.app_context():
            members = [db.session.get(User, u.id) for u in (user, *others)]
            room = create_room("Zorro", [m for m in members if m is not None])
            db.session.commit()
            return int(room.id)

    return make


def report_room(app: Flask, room: int) -> int:
    """A member's report about the room, as an open queue item; returns the item's id."""
    from moderation.models import QueueItem
    from moderation.reports import file_report
    from rooms.models import Room

    with app.app_context():
        place = db.session.get(Room, room)
        assert place is not None
        reporter = place.memberships[0].user
        file_report(reporter, place, None, "other", "Zorro lumo")
        db.session.commit()
        return int(db.session.scalars(select(QueueItem.id).order_by(QueueItem.id.desc())).first())


#: A complete profile, so the export page shows every field with its chosen values.
PROFILE = {
    "interests": ["fantasy-books", "board-games"],
    "about": "Zorro lumo.",
    "reasons": ["new-to-a-city"],
    "talk_style": "share_some",
    "max_group_size": 5,
    "pace": "live",
    "support_style": "just_listen",
    "avoid_topics": ["politics"],
    "languages": ["en", "de"],
    "timezone": "Europe/Berlin",
    "availability": ["weekday_evening"],
    "age_band": "25-34",
}


def fill_in(app: Flask, user: User, room: int, item: int) -> int:
    """What Hearth itself writes for and about ``user``: a full profile, a concern
    with a note about another member and one without about the room, and (for
    moderators) audit entries. Returns the member the first concern is about."""
    from moderation.models import QueueItem
    from moderation.queue import assign_item
    from moderation.reports import mark_concern_bad_faith, raise_concern
    from profiles.service import save_profile
    from rooms.models import Room

    with app.app_context():
        person = db.session.get(User, user.id)
        place = db.session.get(Room, room)
        queue_item = db.session.get(QueueItem, item)
        assert person is not None
        assert place is not None
        assert queue_item is not None
        save_profile(person, PROFILE)
        about = place.memberships[1].user
        raise_concern(person, place, about, "Zorro lumo")
        unfounded = raise_concern(person, place, None, None)
        if person.is_moderator:
            assign_item(queue_item, person, by=person)
            mark_concern_bad_faith(unfounded, by=person, reason="Zorro")
        db.session.commit()
        return int(about.id)


@pytest.mark.parametrize("locale", TRANSLATED)
def test_anonymous_pages_have_no_english_left(
    client: FlaskClient,
    locale: str,
    english_msgids: set[str],
    vocabularies: dict[str, Vocabulary],
) -> None:
    problems: dict[str, list[str]] = {}
    for path in ANONYMOUS:
        response = client.get(path, headers={"Accept-Language": locale})
        assert response.status_code == 200, path
        left = english_left(response.get_data(as_text=True), english_msgids, vocabularies[locale])
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
    vocabularies: dict[str, Vocabulary],
) -> None:
    user = login_as(role)
    room = room_id(user)
    item = report_room(client.application, room)
    member = fill_in(client.application, user, room, item)
    values: dict[str, Any] = {"room": room, "member": member, "item": item}
    problems: dict[str, list[str]] = {}
    for template in pages_for(role):
        path = template.format(**values)
        response = client.get(path, headers={"Accept-Language": locale})
        assert response.status_code == 200, (path, response.status_code)
        body = response.get_data(as_text=True)
        if "<html" in body:  # /mod/matching is a fragment the console fetches
            assert f'<html lang="{locale}">' in body, path
        left = english_left(body, english_msgids, vocabularies[locale])
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


@pytest.mark.parametrize("locale", TRANSLATED)
def test_concern_excerpts_are_in_the_readers_language_and_notes_as_written(
    client: FlaskClient,
    login_as: Callable[..., User],
    room_id: Callable[[User], int],
    locale: str,
) -> None:
    """``raise_concern`` stores its excerpt in English ("Concern about sam: …"): the
    console words Hearth's part in the reader's language and leaves the note alone."""
    from flask_babel import force_locale, gettext

    from moderation.models import QueueItem, QueueKind

    user = login_as("moderator")
    room = room_id(user)
    about = fill_in(client.application, user, room, report_room(client.application, room))
    with client.application.app_context():
        handle = db.session.get(User, about).display_handle
        stored = {
            item.id: item.excerpt
            for item in db.session.scalars(
                select(QueueItem).where(QueueItem.kind == QueueKind.CONCERN)
            )
        }
    assert sorted(stored.values()) == [
        f"Concern about {handle}: Zorro lumo",
        "Concern about the room.",
    ]
    with client.application.test_request_context(), force_locale(locale):
        expected = [
            gettext("Concern about %(name)s: %(note)s", name=handle, note="Zorro lumo"),
            gettext("Concern about the room."),
        ]
    console = VisibleText.of(
        client.get("/mod/", headers={"Accept-Language": locale}).get_data(as_text=True)
    )
    for item_id in stored:
        page = VisibleText.of(
            client.get(f"/mod/items/{item_id}", headers={"Accept-Language": locale}).get_data(
                as_text=True
            )
        )
        assert any(text in expected for text in page), page
    for words in expected:
        assert words in console
    assert not any(text.startswith("Concern about") for text in console)


def test_a_persons_note_that_looks_like_hearths_words_is_shown_as_written(app: Flask) -> None:
    """Only Hearth's own excerpts are reworded: a report note is a person's words."""
    from flask_babel import force_locale

    from moderation import wording

    with app.test_request_context(), force_locale("de"):
        assert wording.excerpt("report", "Concern about the room.") == "Concern about the room."
        assert wording.excerpt("crisis", "A member reported this room.") == (
            "A member reported this room."
        )
        assert wording.excerpt("report", wording.ROOM_REPORTED) != wording.ROOM_REPORTED
        assert wording.excerpt("concern", "Concern about sam: wir") == "Sorge um sam: wir"


def propose_group(app: Flask, make_user: Callable[..., User], user: User) -> None:
    """``user`` and three others who all enjoy the same things and would all rather be
    listened to, proposed as a group by a matching round."""
    from matching import service as matching
    from profiles import service as profiles
    from tests.matching.conftest import BASE_DOCUMENT, STYLES

    people = [user, *(make_user() for _ in range(3))]
    with app.app_context():
        for index, person in enumerate(people):
            loaded = db.session.get(User, person.id)
            assert loaded is not None
            profiles.save_profile(loaded, BASE_DOCUMENT | {"talk_style": STYLES[index]})
            profiles.join_pool(loaded)
        db.session.commit()
        assert len(matching.run_round().groups) == 1
        db.session.commit()


#: The why of that group, as each language says it.
WHY = {
    "en": (
        "You all enjoy Baking, Board games, and Fantasy books.",
        "Everyone would rather be listened to than advised.",
    ),
    "es": (
        "A todos os gusta: Repostería, Juegos de mesa y Libros de fantasía.",
        "Todos prefieren que los escuchen antes que recibir consejos.",
    ),
    "de": (
        "Euch allen gefällt: Backen, Brettspiele und Fantasy-Bücher.",
        "Alle möchten lieber zugehört bekommen als Ratschläge.",
    ),
}


@pytest.mark.parametrize("locale", list(LANGUAGES))
def test_why_this_group_is_in_the_readers_language(
    client: FlaskClient,
    login_as: Callable[..., User],
    make_user: Callable[..., User],
    locale: str,
) -> None:
    user = login_as("member")
    propose_group(client.application, make_user, user)
    page = text_of(client.get("/groups", headers={"Accept-Language": locale}))
    for sentence in WHY[locale]:
        assert sentence in page
    if locale != "en":
        assert "You all enjoy" not in page
        assert "listened to" not in page
    api = client.get("/api/v1/groups", headers={"Accept-Language": locale}).get_json()
    assert api["proposals"][0]["why"]["summary"] == " ".join(WHY[locale])
    # The stored summary (exports, other clients) stays English, with its structure beside it.
    with client.application.app_context():
        proposal = db.session.scalars(select(Proposal)).one()
        assert proposal.summary.startswith("You all enjoy Baking, Board games and Fantasy books.")
        assert proposal.summary_i18n is not None


def test_a_why_stored_before_its_structure_shows_as_written(
    client: FlaskClient, login_as: Callable[..., User], make_user: Callable[..., User]
) -> None:
    user = login_as("member")
    propose_group(client.application, make_user, user)
    with client.application.app_context():
        proposal = db.session.scalars(select(Proposal)).one()
        proposal.summary, proposal.summary_i18n = "Zorro lumo.", None
        db.session.commit()
    api = client.get("/api/v1/groups", headers={"Accept-Language": "de"}).get_json()
    assert api["proposals"][0]["why"]["summary"] == "Zorro lumo."
