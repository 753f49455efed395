"""Hearth in Spanish and German in a real browser (issue #13 §3).

A newcomer whose browser asks for German or Spanish registers, goes through the
wizard (the interests step's search, counts and error summary included) and reaches
/groups, all in that language with ``<html lang>`` to match and the waiting time in
local words. Then every page a member, a moderator and an admin can open (the room
included; tests/e2e/test_room_languages_browser.py covers it with a conversation and
its options sheet) is run through axe-core in English, Spanish and German: zero
violations of any impact.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_datetime
from babel.support import Translations

from accounts.models import Role
from accounts.service import register_user
from app import create_app
from db import db
from i18n import TRANSLATIONS_DIR
from rooms.admin import create_room
from tests.e2e.axe import assert_accessible
from tests.e2e.chat_clients import PASSWORD
from tests.e2e.conftest import LiveServer
from tests.test_i18n_pages import ANONYMOUS, pages_for, report_room

pytestmark = [pytest.mark.browser, pytest.mark.live]

#: The browser's locale -> the language Hearth should answer in.
BROWSERS = {"de-DE": "de", "es-ES": "es"}
ZONE = "Europe/Berlin"


def words(language: str) -> Translations:
    """The catalogue the server uses, to say what the page should read."""
    return Translations.load(str(TRANSLATIONS_DIR), [language])


def html_lang(page: Any) -> str:
    return str(page.evaluate("document.documentElement.lang"))


def log_in(page: Any, handle: str) -> None:
    """The real login form, found by its fields rather than by its (translated) words."""
    page.goto("/account/login")
    page.fill("#handle", handle)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click('main form button[type="submit"]')


def save_step(page: Any, next_step: str) -> None:
    with page.expect_navigation():
        page.click('button[type="submit"].button--primary')
    assert page.url.endswith(f"step={next_step}"), page.url


@pytest.mark.parametrize("browser_locale", list(BROWSERS))
def test_a_newcomer_goes_from_registering_to_groups_in_their_language(
    live_server: LiveServer, new_page: Callable[..., Any], browser_locale: str
) -> None:
    language = BROWSERS[browser_locale]
    t = words(language)
    page = new_page(locale=browser_locale, timezone_id=ZONE)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # Registering: the page is in the browser's language before anyone signs in.
    page.goto("/account/register")
    assert html_lang(page) == language
    assert page.locator('main button[type="submit"]').inner_text() == t.gettext("Create my account")
    page.fill("#handle", f"{language}_lumo")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.check("#age_confirmed")
    page.check("#guidelines_accepted")
    with page.expect_navigation():
        page.click('main button[type="submit"]')
    assert page.url.endswith("/profile"), page.locator("main").inner_text()

    # 1. What brings you here
    assert html_lang(page) == language
    assert page.locator("#step-title").inner_text() == t.gettext("What brings you here")
    page.check('input[name="reasons"][value="social-anxiety"]')
    save_step(page, "interests")

    # 2. Interests: saving with nothing chosen names the field in this language.
    assert page.get_by_label(t.gettext("Search interests")).is_visible()
    assert page.locator("[data-interest-summary]").inner_text() == t.gettext("Nothing chosen yet.")
    page.click('button[type="submit"].button--primary')
    problems = page.locator("#form-problems")
    problems.wait_for(state="visible")
    line = " ".join(problems.locator("li").first.inner_text().split())
    message = t.gettext("Please choose at least %(minimum)s of the %(what)s.") % {
        "minimum": 1,
        "what": t.gettext("interests"),
    }
    assert line == f"{t.gettext('Interests')}: {message}"
    assert page.url.endswith("step=interests")

    # The search matches the interests' names in this language, and says how many.
    tea = t.gettext("Tea")
    page.get_by_label(t.gettext("Search interests")).fill(tea)
    assert page.locator('input[value="tea"]').is_visible()
    assert page.locator('input[value="board-games"]').is_hidden()
    shown = page.locator("[data-interest-count]").inner_text()
    count = int(re.findall(r"\d+", shown)[0])
    assert shown == t.ngettext("%(num)d interest shown.", "%(num)d interests shown.", count) % {
        "num": count
    }
    page.check('input[value="tea"]')
    summary = page.locator("[data-interest-summary]").inner_text()
    assert summary.startswith(t.gettext("Your choices:")), summary
    assert tea in summary
    section = page.locator("details", has=page.locator('input[value="tea"]'))
    assert section.locator("[data-group-count]").inner_text() == t.ngettext(
        "%(num)d chosen", "%(num)d chosen", 1
    ) % {"num": 1}
    page.get_by_label(t.gettext("Search interests")).fill("zzzz")
    assert page.get_by_text(t.gettext("Nothing matches that yet. Try a shorter word.")).is_visible()
    page.get_by_label(t.gettext("Search interests")).fill("")
    save_step(page, "about")

    # 3. About: the counter counts in this language.
    page.fill("#about", "Lumo")
    assert page.locator("[data-about-count]").inner_text() == t.gettext(
        "%(used)s of %(max_about)s characters"
    ) % {"used": 4, "max_about": page.get_attribute("#about", "maxlength")}
    save_step(page, "comfort")

    # 4. Comfort
    for name, value in (
        ("talk_style", "listen_first"),
        ("max_group_size", "4"),
        ("pace", "live"),
        ("support_style", "just_listen"),
    ):
        page.check(f'input[name="{name}"][value="{value}"]')
    save_step(page, "practical")

    # 5. Practical: the time zone comes from the browser, and says so in this language.
    assert page.input_value("#timezone") == ZONE
    assert page.locator("[data-timezone-hint]").inner_text() == t.gettext(
        "We've set this from your browser (%(zone)s). Change it if it's not right. "
        "Only the zone is stored, never where you are."
    ) % {"zone": ZONE}
    page.check(f'input[name="languages"][value="{language}"]')
    page.check('input[name="availability"][value="weekday_evening"]')
    page.check('input[name="age_band"][value="35-49"]')
    save_step(page, "review")

    # 6. Review, then the waiting pool.
    assert tea in page.locator(".review").inner_text()
    with page.expect_navigation():
        page.click('form[action="/profile/pool"] button')
    assert page.url.endswith("/groups")
    assert html_lang(page) == language
    assert page.locator("#waiting-title").inner_text() == t.gettext("Looking for your group")
    # "since Wednesday 15:27" in local words: the weekday in this language.
    now = datetime.now(UTC)
    weekdays = {
        format_datetime(moment, "EEEE", tzinfo=ZoneInfo(ZONE), locale=language)
        for moment in (now, now - timedelta(minutes=5))
    }
    status = page.get_by_test_id("pool-status").inner_text()
    assert any(day in status for day in weekdays), (weekdays, status)
    assert errors == [], errors


# --- axe-core on every page, in every language -----------------------------------


def seed_people(server: LiveServer) -> dict[str, Any]:
    """A member, a moderator and an admin, a room the member is in with a report
    about it, and the ids the page list needs."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=server.database_url)
    with app.app_context():
        people = {
            role: register_user(f"axe_{role}", PASSWORD, role=Role(role))
            for role in ("member", "moderator", "admin")
        }
        others = [register_user(f"axe_other{n}", PASSWORD, role=Role.MEMBER) for n in (1, 2)]
        room = create_room("Zorro", [people["member"], *others])
        db.session.commit()
        values = {"room": room.id, "member": others[0].id}
        values["item"] = report_room(app, room.id)
        db.engine.dispose()
    return values


@pytest.mark.parametrize("browser_locale", ["en-US", *BROWSERS])
def test_every_page_has_no_accessibility_violations_in_every_language(
    live_server: LiveServer, new_page: Callable[..., Any], browser_locale: str
) -> None:
    language = BROWSERS.get(browser_locale, "en")
    values = seed_people(live_server)
    checked = 0
    for role in (None, "member", "moderator", "admin"):
        page = new_page(locale=browser_locale, bypass_csp=True, timezone_id=ZONE)
        paths = ANONYMOUS
        if role:
            log_in(page, f"axe_{role}")
            paths = [p.format(**values) for p in pages_for(role)]
        for path in paths:
            response = page.goto(path)
            assert response is not None, path
            assert response.ok, (path, response.status)
            if "<html" not in response.text():
                continue  # a fragment another page fetches (/mod/matching)
            assert html_lang(page) == language, path
            assert_accessible(page, f"{path} as {role or 'a visitor'} in {language}")
            checked += 1
    assert checked >= 40, checked
