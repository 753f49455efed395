"""Care first, live (issue 14): a crisis message reaches the moderator, who checks
in privately; the person hears of it, joins the care room and replies; another
member of the group can neither join it nor see it. Escalation alerts the team
when nobody acknowledges. And the same flow in two browsers."""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import requests
import socketio
from sqlalchemy import select

from accounts.models import Role
from accounts.service import register_user
from app import create_app
from db import db
from moderation.models import AuditEntry
from rooms.admin import create_room
from tests.e2e.chat_clients import PASSWORD, Member, log_in_browser, login_cookie
from tests.e2e.conftest import LiveServer

pytestmark = [pytest.mark.live]

CRISIS = "I don't want to be alive anymore"
CHECKIN = "Hi, I'm one of the moderators. How are you doing right now?"


def seed(database_url: str) -> int:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        register_user("keeper", PASSWORD, role=Role.MODERATOR)
        register_user("steward", PASSWORD, role=Role.ADMIN)
        members = [register_user(h, PASSWORD, role=Role.MEMBER) for h in ("plover", "wren")]
        room = create_room("Evening tea", members)
        db.session.commit()
        room_id = room.id
        db.engine.dispose()
    return room_id


def audit_actions(database_url: str) -> list[str]:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
        db.engine.dispose()
    return actions


class Console:
    """A moderator: an HTTP session for the API and a /mod socket for the queue."""

    def __init__(self, base_url: str, handle: str) -> None:
        self.base_url = base_url
        self.http = requests.Session()
        token = self.http.get(f"{base_url}/api/v1/csrf", timeout=10).json()["csrf_token"]
        response = self.http.post(
            f"{base_url}/account/login",
            data={"handle": handle, "password": PASSWORD, "csrf_token": token},
            allow_redirects=False,
            timeout=10,
        )
        assert response.status_code == 302
        self.token = self.http.get(f"{base_url}/api/v1/csrf", timeout=10).json()["csrf_token"]
        self.items: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("queue_item", self._on_item, namespace="/mod")
        cookie = "; ".join(f"{k}={v}" for k, v in self.http.cookies.items())
        self.sio.connect(base_url, namespaces=["/mod"], headers={"Cookie": cookie}, wait_timeout=10)

    def _on_item(self, data: dict[str, Any]) -> None:
        with self.lock:
            self.items.append(data)

    def post(self, path: str, body: Any = None) -> requests.Response:
        return self.http.post(
            f"{self.base_url}{path}", json=body, headers={"X-CSRFToken": self.token}, timeout=10
        )

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.sio.disconnect()
        self.http.close()


def wait_until(predicate: Callable[[], bool], timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting")


def events_named(member: Member, name: str) -> list[Any]:
    with member.lock:
        return [data for event, data in member.events if event == name]


def checkin_signal(member: Member) -> list[Any]:
    """The person's ``moderator_checkin`` notifications (the bell, and push, use these)."""
    return [n for n in events_named(member, "notification") if n["kind"] == "moderator_checkin"]


def test_crisis_to_private_checkin_live(start_live_server: Callable[..., LiveServer]) -> None:
    live_server = start_live_server(NOTIFICATIONS_POLL_SECONDS="0.5")
    room_id = seed(live_server.database_url)
    url = live_server.url
    plover = Member("plover", login_cookie(url, "plover"))
    wren = Member("wren", login_cookie(url, "wren"))
    keeper = Console(url, "keeper")
    try:
        plover.connect(url)
        wren.connect(url)
        assert plover.call("join", {"room_id": room_id})["ok"]
        assert wren.call("join", {"room_id": room_id})["ok"]
        assert plover.send(room_id, CRISIS)["ok"]

        wait_until(lambda: any(i["kind"] == "crisis" for i in keeper.items))
        item = next(i for i in keeper.items if i["kind"] == "crisis")
        assert item["severity"] >= 3

        response = keeper.post(f"/api/v1/mod/queue/{item['id']}/checkin", {"body": CHECKIN})
        assert response.status_code == 200, response.text
        care_id = response.json()["room_id"]

        wait_until(lambda: bool(checkin_signal(plover)))
        signal = checkin_signal(plover)[0]
        assert signal["kind"] == "moderator_checkin"
        assert signal["url"] == f"/rooms/{care_id}"
        assert CRISIS not in str(signal)
        assert checkin_signal(wren) == []

        joined = plover.call("join", {"room_id": care_id})
        assert joined["ok"], joined
        assert joined["room"]["kind"] == "care"
        assert [m["body"] for m in joined["messages"]] == [CHECKIN]
        assert plover.send(care_id, "Thank you. It's a hard night.")["ok"]

        refused = wren.call("join", {"room_id": care_id})
        assert refused["ok"] is False
        assert refused["error"]["code"] == "not_member"
        with requests.Session() as http:
            http.headers["Cookie"] = wren.cookie
            rooms = http.get(f"{url}/api/v1/groups", timeout=10).json()["rooms"]
            assert care_id not in {r["id"] for r in rooms}
            tern_http = requests.Session()
            tern_http.headers["Cookie"] = plover.cookie
            mine = tern_http.get(f"{url}/api/v1/groups", timeout=10).json()["rooms"]
            tern_http.close()
            assert mine[0]["id"] == care_id
            assert mine[0]["kind"] == "care"

        assert audit_actions(live_server.database_url) == ["care_checkin"]
    finally:
        plover.close()
        wren.close()
        keeper.close()


def test_unacknowledged_crisis_escalates_to_the_team(
    start_live_server: Callable[..., LiveServer],
) -> None:
    server = start_live_server(
        CRISIS_ACK_MINUTES="0.05",
        CRISIS_ESCALATION_CHECK_SECONDS="0.5",
        NOTIFICATIONS_POLL_SECONDS="0.5",
    )
    room_id = seed(server.database_url)
    url = server.url
    plover = Member("plover", login_cookie(url, "plover"))
    steward = Member("steward", login_cookie(url, "steward"))
    keeper_chat = Member("keeper", login_cookie(url, "keeper"))
    try:
        for member in (plover, steward, keeper_chat):
            member.connect(url)
        assert plover.call("join", {"room_id": room_id})["ok"]
        ack = plover.call(
            "send", {"room_id": room_id, "body": CRISIS, "client_msg_id": str(uuid.uuid4())}
        )
        assert ack["ok"], ack

        def alerted(member: Member) -> list[Any]:
            notes = events_named(member, "notification")
            return [n for n in notes if n["kind"] == "crisis_overdue"]

        wait_until(lambda: bool(alerted(steward)) and bool(alerted(keeper_chat)), timeout=30)
        time.sleep(1.5)  # a few more rounds of the loop: still one alert each
        assert len(alerted(steward)) == 1
        assert len(alerted(keeper_chat)) == 1
        assert alerted(plover) == []
        assert CRISIS not in str(alerted(steward)[0])
    finally:
        for member in (plover, steward, keeper_chat):
            member.close()


@pytest.mark.browser
def test_moderator_checks_in_from_the_queue_and_the_member_replies(
    live_server: LiveServer, new_page: Any
) -> None:
    room_id = seed(live_server.database_url)

    moderator = new_page()
    log_in_browser(moderator, "keeper")
    moderator.goto("/mod/")
    moderator.get_by_text("Live: new items appear here").wait_for()

    member = new_page()
    log_in_browser(member, "plover")
    member.goto(f"/rooms/{room_id}")
    member.wait_for_load_state("networkidle")
    member.get_by_label("Your message").fill(CRISIS)
    member.get_by_role("button", name="Send").click()

    card = moderator.locator("[data-queue] [data-item-id]").filter(has_text=CRISIS)
    card.wait_for()
    card.get_by_text("Check in privately", exact=True).click()
    textarea = card.get_by_label("Your message (only they and the moderators will see it)")
    assert "check in privately" in textarea.input_value()
    textarea.fill(CHECKIN)
    card.get_by_role("button", name="Send privately").click()
    moderator.wait_for_url("**/rooms/*")
    moderator.get_by_text("Private, with the moderators.").wait_for()
    moderator.locator(".message__body", has_text=CHECKIN).wait_for()

    # The member hears of it where they are, finds it first on /groups, and replies.
    member.get_by_text("check in with you privately").first.wait_for()
    member.goto("/groups")
    first = member.locator(".room-list li").first
    assert "Private, with the moderators" in first.inner_text()
    first.get_by_role("link").click()
    member.locator(".message__body", has_text=CHECKIN).wait_for()
    member.get_by_label("Your message").fill("Thank you for asking. I'm still here.")
    member.get_by_role("button", name="Send").click()

    moderator.locator(".message__body", has_text="Thank you for asking").wait_for()
    member.get_by_role("button", name="I'm okay for now, thank you").wait_for()
