"""The room in Spanish and German in a real browser (issue #13 §3).

A person whose browser asks for German or Spanish opens their room: ``<html lang>``
matches, the composer, Send and the options sheet speak their language, the round's
question and a system line Hearth wrote are in it too, day separators and times are
in local words (a 24-hour clock, the weekday's own name), and axe-core finds nothing
wrong with the room or its open sheet.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_datetime

from accounts.models import Role
from accounts.service import register_user
from app import create_app
from db import db, utcnow
from rooms.admin import create_room
from rooms.posting import post_message
from rooms.receivers import DEFAULT_OPENING_PROMPT
from rooms.rounds import pass_round
from tests.e2e.axe import assert_accessible
from tests.e2e.chat_clients import PASSWORD
from tests.e2e.conftest import LiveServer
from tests.e2e.test_languages_browser import html_lang, log_in, words

pytestmark = [pytest.mark.browser, pytest.mark.live]

PHONE = {"width": 390, "height": 844}
ZONE = "Europe/Berlin"
HANDLES = ("lang_heron", "lang_wren", "lang_finch")
#: Intl's words for the two most recent days, capitalised as chat.js shows them.
RECENT_DAYS = {"de": ["Gestern", "Heute"], "es": ["Ayer", "Hoy"]}


def seed(database_url: str) -> int:
    """Three members; messages from three days ago, yesterday and today; the opening
    round's question and a pass line. Returns the room id."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        users = [register_user(h, PASSWORD, role=Role.MEMBER) for h in HANDLES]
        room = create_room("Zorro", users, opening_prompt=DEFAULT_OPENING_PROMPT)
        pass_round(room, users[1])
        now = utcnow()
        for i, days_ago in enumerate((3, 1, 0)):
            when = now - timedelta(days=days_ago, seconds=30 - i)
            post_message(room, users[i], f"Zorro {i}: ...", f"lang{i}", now=when)
        db.session.commit()
        room_id = room.id
        db.engine.dispose()
    return room_id


@pytest.mark.parametrize("browser_locale", ["de-DE", "es-ES"])
def test_a_room_speaks_the_browsers_language(
    live_server: LiveServer, new_page: Callable[..., Any], browser_locale: str
) -> None:
    language = browser_locale[:2]
    t = words(language)
    room_id = seed(live_server.database_url)
    page = new_page(locale=browser_locale, timezone_id=ZONE, viewport=PHONE, bypass_csp=True)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, HANDLES[0])
    page.goto(f"/rooms/{room_id}")
    page.locator("#connection").filter(has_text=t.gettext("Connected")).wait_for()
    page.locator("#messages > li.message").nth(4).wait_for()
    # Day separators are drawn on the next frame: wait for the second one.
    page.locator("#messages > li.day-separator").nth(1).wait_for()

    assert html_lang(page) == language
    assert page.locator("#composer-input").get_attribute("placeholder") == t.gettext(
        "Write a message"
    )
    assert page.get_by_role("button", name=t.gettext("Send"), exact=True).is_visible()
    hug = t.ngettext("%(label)s: %(num)d so far", "%(label)s: %(num)d so far", 0) % {
        "label": t.gettext("Hug"),
        "num": 0,
    }
    assert (
        page.locator("#messages li.message--user").last.get_by_role("button", name=hug).is_visible()
    )

    # Hearth's own lines: the round's question and the pass line, in this language.
    prompt = page.locator("#messages li.message--prompt .message__body").inner_text()
    assert prompt == t.gettext(DEFAULT_OPENING_PROMPT.msgid)
    line = page.locator("#messages li.message--system .message__body").inner_text()
    assert line == t.gettext("%(handle)s is listening this round.") % {"handle": HANDLES[1]}

    # Days and times in local words: Intl's yesterday and today, a 24-hour clock, and
    # the weekday's own name in the full date a time carries as its title.
    days = page.locator("#messages > li.day-separator").all_inner_texts()
    assert days[-2:] == RECENT_DAYS[language], days
    time = page.locator("#messages li.message--user time").last
    assert re.fullmatch(r"\d{1,2}:\d{2}", time.inner_text()), time.inner_text()
    stamp = time.get_attribute("datetime")
    assert stamp is not None

    moment = datetime.fromisoformat(stamp)
    weekday = format_datetime(moment, "EEEE", tzinfo=ZoneInfo(ZONE), locale=language)
    assert weekday in (time.get_attribute("title") or ""), (weekday, time.get_attribute("title"))
    assert_accessible(page, f"the room in {language}")

    # The options sheet, by keyboard as on a phone.
    page.locator("#room-options").click()
    sheet = page.locator("#room-sheet")
    assert sheet.locator("#sheet-heading").inner_text() == t.gettext("Members and options")
    assert sheet.locator("#seat-toggle").inner_text() == t.gettext("I'd rather listen for now")
    assert sheet.locator("#leave-open").inner_text() == t.gettext("Leave this group")
    assert_accessible(page, f"the room's options sheet in {language}")
    page.keyboard.press("Escape")
    assert not sheet.is_visible()
    assert errors == [], errors
