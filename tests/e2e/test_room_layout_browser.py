"""The room on a phone and on a desktop (issue 18 §1), with 30 messages over three days.

Counts what a person sees on opening the room: message bubbles wholly inside the first
screen (not under the header or the composer), the composer inside the screen, the
question of the round once, day separators, reactions labelled in words. Then sends
with the Send button on the phone, works the options sheet by keyboard, follows new
messages only from the bottom, and runs axe-core at both sizes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from accounts.models import Role
from accounts.service import register_user
from app import create_app
from db import db, utcnow
from rooms.admin import create_room
from rooms.posting import post_message
from rooms.rounds import pass_round, start_round
from tests.e2e.axe import assert_accessible
from tests.e2e.chat_clients import Member, log_in_browser, login_cookie
from tests.e2e.conftest import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.live]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
PROMPT = "What helped you a little this week?"
HANDLES = ("lay_heron", "lay_wren", "lay_finch")

#: Bubbles wholly inside the viewport and actually seen there: the points just inside
#: their top and bottom edges hit the bubble itself, not the header or the composer
#: lying over it.
BUBBLES_SEEN = """() => {
  const seen = (li, x, y) => {
    const hit = document.elementFromPoint(x, y);
    return !!hit && li.contains(hit);
  };
  return [...document.querySelectorAll('#messages > li.message')].filter((li) => {
    const r = li.getBoundingClientRect();
    const inside = r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth;
    if (r.height === 0 || !inside) return false;
    const x = r.left + Math.min(24, r.width / 2);
    return seen(li, x, r.top + 2) && seen(li, x, r.bottom - 2);
  }).length;
}"""


def seed(database_url: str) -> int:
    """Three members, a round's question, and 30 messages: 10 three days ago, 10
    yesterday, 10 today."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        users = [register_user(h, "lanterns on the water", role=Role.MEMBER) for h in HANDLES]
        room = create_room("Evening tea", users)
        now = utcnow()
        for i in range(30):
            if i == 20:
                start_round(room, PROMPT, started_by=None)  # today's round
                pass_round(room, users[1])  # and a system line
            days_ago = 3 if i < 10 else 1 if i < 20 else 0
            when = now - timedelta(days=days_ago, seconds=40 - i)  # seconds: clear of midnight
            body = f"Line {i}: a calm short message."
            post_message(room, users[i % 3], body, f"c{i}", now=when)
        db.session.commit()
        room_id = room.id
        db.engine.dispose()
    return room_id


def open_room(new_page: Callable[..., Any], room_id: int, viewport: dict[str, int]) -> Any:
    page = new_page(viewport=viewport, bypass_csp=True)  # bypass_csp: to inject axe-core
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    log_in_browser(page, HANDLES[0])
    page.goto(f"/rooms/{room_id}")
    page.locator("#connection").filter(has_text="Connected").wait_for()
    page.locator("#messages > li.message").nth(29).wait_for()
    page.wait_for_timeout(300)  # day separators are drawn on the next frame
    return page


def inside_viewport(page: Any, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= size["height"]
        and box["x"] >= 0
        and box["x"] + box["width"] <= size["width"]
    )


def assert_room_reads_well(page: Any, least: int) -> None:
    seen = page.evaluate(BUBBLES_SEEN)
    assert seen >= least, f"only {seen} messages in the first screen"
    assert inside_viewport(page, "#composer-input")
    assert inside_viewport(page, "#composer-send")
    assert page.get_by_role("button", name="Send").is_visible()
    # One page scroll: the conversation is not a box scrolling inside the page.
    assert (
        page.evaluate("getComputedStyle(document.getElementById('messages')).overflowY")
        == "visible"
    )
    # The round's question shows once.
    shown = page.get_by_text(PROMPT).evaluate_all(
        "nodes => nodes.filter((n) => n.checkVisibility()).length"
    )
    assert shown == 1
    # Day separators, in words, in order.
    days = page.locator("#messages > li.day-separator").all_inner_texts()
    assert len(days) == 3, days
    assert days[1:] == ["Yesterday", "Today"], days
    # Reactions and system lines say what they are without an emoji font.
    hug = page.locator("#messages li.message").last.get_by_role("button", name="Hug: 0 so far")
    assert hug.inner_text().startswith("Hug")
    assert hug.get_attribute("title") == "Hug: 0 so far"
    line = page.locator("#messages li.message--system").first
    assert line.inner_text().startswith("Hearth ")
    assert line.inner_text().endswith(f"{HANDLES[1]} is listening this round.")


def test_phone_room_shows_the_conversation_and_sends_with_the_button(
    live_server: LiveServer, new_page: Callable[..., Any]
) -> None:
    room_id = seed(live_server.database_url)
    page = open_room(new_page, room_id, PHONE)
    assert_room_reads_well(page, least=4)
    # Members and actions wait in the sheet; the side column is not shown.
    assert page.locator("#room-side").is_hidden()
    assert_accessible(page, "room on a phone")

    page.get_by_label("Your message").fill("Sent with the button on a phone")
    page.get_by_role("button", name="Send").click()
    mine = page.locator("#messages li.message--mine", has_text="Sent with the button on a phone")
    mine.wait_for()
    page.locator("#messages .message--pending").first.wait_for(state="detached")
    assert inside_viewport(page, "#messages > li.message:last-of-type")

    # The options sheet, by keyboard only: opens with Enter, keeps focus inside,
    # closes with Escape, and gives focus back to its button.
    options = page.get_by_role("button", name="Members and options")
    options.focus()
    page.keyboard.press("Enter")
    sheet = page.get_by_role("dialog", name="Members and options")
    sheet.wait_for()
    assert options.get_attribute("aria-expanded") == "true"
    for handle in HANDLES:
        sheet.locator("#member-list").get_by_text(handle).wait_for()
    for name in ("I'd rather listen for now", "Pass this round", "I'm worried about someone",
                 "Leave this group", "Hide lay_wren's messages, only for you"):  # fmt: skip
        assert sheet.get_by_role("button", name=name).is_visible(), name
    for _ in range(15):
        page.keyboard.press("Tab")
        assert page.evaluate(
            "document.getElementById('room-sheet').contains(document.activeElement)"
        )
    assert_accessible(page, "options sheet on a phone")
    # Hiding someone turns the button into "Unhide", and its label says so too.
    sheet.get_by_role("button", name="Hide lay_wren's messages, only for you").click()
    unhide = sheet.get_by_role("button", name="Show lay_wren's messages again")
    unhide.wait_for()
    assert unhide.inner_text() == "Unhide"
    unhide.click()
    sheet.get_by_role("button", name="Hide lay_wren's messages, only for you").wait_for()
    page.keyboard.press("Escape")
    sheet.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.id") == "room-options"
    assert options.get_attribute("aria-expanded") == "false"
    # The panel went back where it lives, so nothing exists twice.
    assert page.locator("#room-side #room-panel").count() == 1
    assert page.errors == []


def test_desktop_room_has_the_conversation_as_its_main_column(
    live_server: LiveServer, new_page: Callable[..., Any]
) -> None:
    room_id = seed(live_server.database_url)
    page = open_room(new_page, room_id, DESKTOP)
    assert_room_reads_well(page, least=8)
    side = page.get_by_role("complementary", name="Who's in this room")
    assert side.is_visible()
    assert side.get_by_role("button", name="Leave this group").is_visible()
    assert page.get_by_role("button", name="Members and options").is_hidden()
    conversation = page.locator("#messages").bounding_box()
    assert conversation is not None
    assert conversation["width"] > 600
    assert_accessible(page, "room on a desktop")
    assert page.errors == []


def test_new_messages_follow_only_a_reader_at_the_bottom(
    live_server: LiveServer, new_page: Callable[..., Any]
) -> None:
    room_id = seed(live_server.database_url)
    page = open_room(new_page, room_id, PHONE)
    other = Member(HANDLES[1], login_cookie(live_server.url, HANDLES[1]))
    other.connect(live_server.url)
    try:
        assert other.call("join", {"room_id": room_id})["ok"]
        # At the bottom: a new message comes into view, no pill.
        other.send(room_id, "Arrives while you are at the bottom")
        page.locator("#messages li", has_text="Arrives while you are at the bottom").wait_for()
        page.wait_for_timeout(200)
        assert inside_viewport(page, "#messages > li.message:last-of-type")
        assert page.locator("#new-messages").is_hidden()

        # Scrolled up to read: the view stays put and a pill offers the new ones.
        page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")
        top_before = page.evaluate("window.scrollY")
        other.send(room_id, "Arrives while you read back")
        pill = page.get_by_role("button", name="1 new message below")
        pill.wait_for()
        assert page.evaluate("window.scrollY") == top_before
        assert inside_viewport(page, "#new-messages")
        pill.click()
        pill.wait_for(state="hidden")
        assert inside_viewport(page, "#messages > li.message:last-of-type")
    finally:
        other.close()
    assert page.errors == []
