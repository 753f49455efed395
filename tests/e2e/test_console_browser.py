"""A moderator watches the queue live in the console, removes a flagged message,
and a member with the room open sees it removed."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import socketio

from accounts.models import Role
from accounts.service import register_user
from app import create_app
from db import db
from rooms.admin import create_room
from tests.e2e.chat_clients import log_in_browser, login_cookie
from tests.e2e.conftest import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.live]

PASSWORD = "lanterns on the water"
CRISIS = "I can't do this anymore, I'm going to kill myself tonight"


def seed(database_url: str) -> int:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        register_user("keeper", PASSWORD, role=Role.MODERATOR)
        members = [register_user(h, PASSWORD, role=Role.MEMBER) for h in ("heron", "wren")]
        room = create_room("Evening tea", members)
        db.session.commit()
        room_id = room.id
        db.engine.dispose()
    return room_id


def socket_for(base_url: str, handle: str) -> socketio.Client:
    cookie = login_cookie(base_url, handle)
    client = socketio.Client(reconnection=False)
    client.connect(base_url, namespaces=["/chat"], headers={"Cookie": cookie}, wait_timeout=10)
    return client


def test_moderator_removes_a_flagged_message_live(live_server: LiveServer, new_page: Any) -> None:
    room_id = seed(live_server.database_url)

    moderator = new_page()
    log_in_browser(moderator, "keeper")
    moderator.goto("/mod/")
    moderator.get_by_text("Live: new items appear here").wait_for()

    member = new_page()
    log_in_browser(member, "wren")
    member.goto(f"/rooms/{room_id}")
    member.wait_for_load_state("networkidle")

    heron = socket_for(live_server.url, "heron")
    try:
        assert heron.call("join", {"room_id": room_id}, namespace="/chat", timeout=10)["ok"]
        ack = heron.call(
            "send",
            {"room_id": room_id, "body": CRISIS, "client_msg_id": str(uuid.uuid4())},
            namespace="/chat",
            timeout=10,
        )
        assert ack["ok"], ack
    finally:
        heron.disconnect()

    # The member's open room shows the message (crisis language is never hidden).
    member.locator(".message__body", has_text=CRISIS).wait_for()

    # The queue item appears live, without a reload.
    card = moderator.locator("[data-queue] [data-item-id]").filter(has_text=CRISIS)
    card.wait_for()
    assert "Crisis" in card.inner_text()

    # On a crisis card, care comes first: sanctions wait behind "Other actions".
    assert card.locator("summary", has_text="Check in privately").is_visible()
    card.locator("summary", has_text="Other actions").click()
    card.get_by_label("Reason for “Remove message”").fill("Shared with care; moved to 1:1 support")
    card.get_by_role("button", name="Remove message").click()
    card.wait_for(state="detached")  # resolved by the removal, so it leaves the queue

    member.locator(".message__body", has_text="This message was removed by a moderator.").wait_for()
    assert member.locator(".message__body", has_text=CRISIS).count() == 0


def test_console_pages_run_clean_under_the_csp(live_server: LiveServer, new_page: Any) -> None:
    """Queue, room watch, audit and charts load with no CSP violation or script error."""
    room_id = seed(live_server.database_url)
    page = new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    log_in_browser(page, "keeper")

    page.goto(f"/mod/rooms/{room_id}")
    page.get_by_text("No messages yet.").wait_for()
    page.get_by_label("Message (shown as “Hearth moderators”)").fill("Welcome, everyone.")
    page.get_by_role("button", name="Post").click()
    page.wait_for_load_state()
    page.locator("[data-watch-room]").get_by_text("Welcome, everyone.").wait_for()

    page.goto("/mod/audit")
    # The stored identifier post_as_moderators, in words.
    assert page.get_by_role("cell", name="post as the moderators").is_visible()

    page.goto("/mod/stats")
    canvas = page.locator('canvas[data-chart="messages"]')
    canvas.wait_for()
    page.wait_for_function(
        "() => document.querySelector('canvas[data-chart=\"messages\"]').width > 0"
    )
    page.keyboard.press("Tab")  # the skip link is the first stop
    assert page.evaluate("document.activeElement.className") == "skip-link"
    # The browser asks for /favicon.ico on its own; Hearth has none, which is fine.
    missing = [url for url in missing if not url.endswith("/favicon.ico")]
    assert missing == []
    problems = [p for p in problems if "404" not in p or missing]
    assert problems == [], problems


def test_moderator_marks_a_missed_crisis_from_the_room_watch(
    live_server: LiveServer, new_page: Any
) -> None:
    """The watch view's "This was a crisis" records a label and opens a crisis item."""
    from sqlalchemy import select

    from moderation.models import QueueItem, QueueKind, ScreeningLabel

    room_id = seed(live_server.database_url)
    missed = "honestly I think everyone would be better off without me around"
    heron = socket_for(live_server.url, "heron")
    try:
        assert heron.call("join", {"room_id": room_id}, namespace="/chat", timeout=10)["ok"]
        ack = heron.call(
            "send",
            {"room_id": room_id, "body": missed, "client_msg_id": str(uuid.uuid4())},
            namespace="/chat",
            timeout=10,
        )
        assert ack["ok"], ack
        message_id = ack["message"]["id"]
    finally:
        heron.disconnect()

    page = new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    log_in_browser(page, "keeper")
    page.goto(f"/mod/rooms/{room_id}")
    line = page.locator(f'[data-watch-room] li[data-message-id="{message_id}"]')
    line.wait_for()
    line.get_by_role("button", name="This was a crisis").click()
    line.get_by_text("Marked as a crisis").wait_for()
    page.get_by_text("A crisis item is open for it").wait_for()
    assert problems == []

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=live_server.database_url)
    with app.app_context():
        [label] = db.session.scalars(select(ScreeningLabel)).all()
        assert (label.message_id, label.positive, label.source) == (message_id, True, "marked")
        item = db.session.scalars(
            select(QueueItem).where(
                QueueItem.message_id == message_id, QueueItem.kind == QueueKind.CRISIS
            )
        ).one()
        assert item.is_open
        db.engine.dispose()
