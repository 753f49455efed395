"""Two people in two browsers: a message goes from one to the other, as plain text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.e2e.chat_clients import log_in_browser, show_room_options
from tests.e2e.chat_clients import seed_room as seed
from tests.e2e.conftest import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.live]

XSS = "<img src=x onerror=alert(1)>"


def open_room(page: Any, handle: str, room_id: int) -> None:
    log_in_browser(page, handle)
    page.goto(f"/rooms/{room_id}")
    page.locator("#connection").filter(has_text="Connected").wait_for()
    # On a phone the member list waits in the options sheet: present, not shown.
    page.locator("#member-list li").first.wait_for(state="attached")


def test_two_browsers_talk_and_html_stays_text(
    live_server: LiveServer, new_page: Callable[..., Any]
) -> None:
    room_id = seed(live_server.database_url, ["browser_tern", "browser_wren"])
    dialogs: list[str] = []
    a, b = new_page(), new_page(viewport={"width": 360, "height": 740})
    for page in (a, b):
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_room(a, "browser_tern", room_id)
    open_room(b, "browser_wren", room_id)

    a.get_by_label("Your message").fill("Hello from the first browser")
    a.get_by_label("Your message").press("Enter")
    b.locator("#messages .message__body", has_text="Hello from the first browser").wait_for()
    # Delivered and acknowledged for the sender too (no pending item left).
    a.locator("#messages .message--pending").first.wait_for(state="detached")

    a.get_by_label("Your message").fill(XSS)
    a.get_by_role("button", name="Send").click()
    body = b.locator("#messages .message__body", has_text="onerror")
    body.wait_for()
    assert body.inner_text() == XSS
    assert b.locator("#messages img").count() == 0
    assert a.locator("#messages img").count() == 0
    b.wait_for_timeout(300)
    assert dialogs == []

    # Reactions are labelled buttons; a hug from B shows up for A.
    b.locator("#messages li", has_text="Hello from the first browser").get_by_role(
        "button", name="Hug: 0 so far"
    ).click()
    a.locator("#messages li", has_text="Hello from the first browser").get_by_role(
        "button", name="Hug: 1 so far"
    ).wait_for()
    # The quiet seat: B (on a phone) listens from the options sheet, and A sees it.
    show_room_options(b)
    b.get_by_role("button", name="I'd rather listen for now").click()
    b.keyboard.press("Escape")
    a.locator("#member-list li", has_text="browser_wren").filter(has_text="listening").wait_for()

    # Crisis language reaches the room, and help appears privately for the author.
    a.get_by_label("Your message").fill("I want to kill myself tonight")
    a.get_by_label("Your message").press("Enter")
    panel = a.get_by_role("complementary", name="You don't have to carry this alone")
    panel.wait_for()
    assert panel.get_by_role("link").count() >= 1
    b.locator("#messages .message__body", has_text="kill myself tonight").wait_for()
    assert b.locator("#crisis-panel").is_hidden()
    # The other member gets a calm guidance card that names nobody; the author does not.
    card = b.locator("#messages [data-testid=peer-guidance]")
    card.wait_for()
    assert "Someone here is having a hard time" in card.inner_text()
    assert "browser_tern" not in card.inner_text()
    link = card.get_by_role("link", name="When someone shares something hard")
    assert link.get_attribute("href") == "/help/someone-shares"
    a.wait_for_timeout(300)
    assert a.locator("[data-testid=peer-guidance]").count() == 0
