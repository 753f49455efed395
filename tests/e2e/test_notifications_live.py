"""Notifications reach people live, from any process.

A round started by ``flask match run`` in another process (the issue's "round
started in another process") reaches a connected member's ``notification`` event
through the server's outbox dispatcher; in a real browser the bell's count and the
tab title rise when a notification arrives (desktop and phone widths).
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
import requests
from sqlalchemy import select

from accounts.models import Role, User
from accounts.service import register_user
from app import create_app
from db import db
from notifications import service as notifications
from profiles import service as profiles
from tests.e2e.chat_clients import Member, log_in_browser, login_cookie
from tests.e2e.conftest import ROOT, LiveServer
from tests.matching.conftest import BASE_DOCUMENT, STYLES

pytestmark = [pytest.mark.live]

#: Each server looks for rows from other processes this often (tests only).
POLL = "0.3"


def seed_waiting(database_url: str, handles: list[str]) -> None:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        for handle, style in zip(handles, STYLES, strict=False):
            user = register_user(handle, "lanterns on the water", role=Role.MEMBER)
            profiles.save_profile(user, copy.deepcopy(BASE_DOCUMENT) | {"talk_style": style})
            profiles.join_pool(user)
        db.session.commit()
        db.engine.dispose()


def notify_from_this_process(database_url: str, handle: str, text: str) -> None:
    """Store a notification the way another process (a worker, the CLI) would."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        user_id = db.session.scalars(select(User.id).where(User.handle == handle)).one()
        notifications.notify([user_id], "group_opened", text, "/groups")
        db.session.commit()
        db.engine.dispose()


def test_a_round_run_by_the_cli_reaches_a_connected_member(
    start_live_server: Callable[..., LiveServer],
) -> None:
    server = start_live_server(NOTIFICATIONS_POLL_SECONDS=POLL)
    handles = ["cli_heron", "cli_wren", "cli_finch"]
    seed_waiting(server.database_url, handles)
    member = Member("cli_heron", login_cookie(server.url, "cli_heron"))
    bystander_cookie = login_cookie(server.url, "cli_wren")
    try:
        member.connect(server.url)
        environment = {
            **os.environ,
            "HEARTH_ENV": "testing",
            "DATABASE_URL": server.database_url,
            "NOTIFICATIONS_POLL_SECONDS": "0",
        }
        ran = subprocess.run(  # our own CLI, fixed arguments
            [sys.executable, "-m", "flask", "--app", "app", "match", "run"],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert ran.returncode == 0, ran.stdout + ran.stderr
        assert "Proposed 1 groups" in ran.stdout, ran.stdout

        def arrived() -> list[Any]:
            with member.lock:
                return [data for event, data in member.events if event == "notification"]

        member.wait_for(lambda: bool(arrived()), timeout=30)
        (event,) = arrived()
        assert set(event) == {"id", "kind", "text", "url", "created_at"}
        assert event["kind"] == "group_proposed"
        assert event["url"] == "/groups"
        # The same row reads as unread over the API, for every person in the group.
        with requests.Session() as http:
            body = http.get(
                f"{server.url}/api/v1/notifications",
                headers={"Cookie": bystander_cookie},
                timeout=10,
            ).json()
        assert body["unread"] == 1
        assert body["notifications"][0]["kind"] == "group_proposed"
    finally:
        member.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    "viewport",
    [{"width": 1280, "height": 800}, {"width": 390, "height": 844}],
    ids=["desktop", "phone"],
)
def test_the_bell_count_and_tab_title_rise_when_a_notification_arrives(
    start_live_server: Callable[..., LiveServer],
    browser: Any,
    viewport: dict[str, int],
) -> None:
    server = start_live_server(NOTIFICATIONS_POLL_SECONDS=POLL)
    handle = f"bell_{viewport['width']}"
    seed_waiting(server.database_url, [handle])
    context = browser.new_context(base_url=server.url, viewport=viewport)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        log_in_browser(page, handle)
        page.goto("/groups")
        bell = page.get_by_role("link", name="Notifications")
        bell.wait_for()
        assert bell.is_visible()
        assert page.locator("[data-bell-count]").is_hidden()
        # Any page can listen for the DOM event.
        page.evaluate(
            """() => { window.__heard = [];
                document.addEventListener("hearth:notification",
                  (e) => window.__heard.push(e.detail)); }"""
        )
        # Wait until the page's socket is connected (its first count refresh ran).
        page.wait_for_function("() => document.title.endsWith('Hearth')")
        page.wait_for_function("""async () => (await fetch('/api/v1/notifications')).ok""")
        notify_from_this_process(server.database_url, handle, "Your room is open.")
        page.get_by_role("link", name="Notifications, 1 unread").wait_for()
        assert page.locator("[data-bell-count]").inner_text() == "1"
        page.wait_for_function("() => document.title.startsWith('(1) ')")
        page.wait_for_function("() => window.__heard.length === 1")
        heard = page.evaluate("() => window.__heard[0]")
        assert heard["kind"] == "group_opened"
        assert heard["text"] == "Your room is open."

        # Open the list; following the notification marks it read.
        page.get_by_role("link", name="Notifications, 1 unread").click()
        page.wait_for_load_state()
        item = page.get_by_role("link", name="Your room is open.")
        item.wait_for()
        item.click()
        page.wait_for_url("**/groups")
        page.get_by_role("link", name="Notifications").wait_for()
        page.wait_for_function("() => !document.title.startsWith('(')")
    finally:
        context.close()
