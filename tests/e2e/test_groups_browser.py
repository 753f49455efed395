"""Two people in two browsers accept a proposed group and both land in its new room.

The pool and the round are real: three complete profiles join the waiting pool
and :func:`matching.service.run_round` proposes them as one group. Two of them
answer with the real "Yes" form on /groups; the third says yes over HTTP, which
reaches quorum (three) and opens the room with its opening prompt.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
import requests
from sqlalchemy import select

from accounts.models import Role
from accounts.service import register_user
from app import create_app
from db import db
from matching import service as matching
from matching.models import Proposal
from profiles import service as profiles
from tests.e2e.chat_clients import PASSWORD, log_in_browser, show_room_options
from tests.e2e.conftest import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.live]

HANDLES = ["group_heron", "group_wren", "group_finch"]
#: Complete, mutually compatible profiles; one talk style each keeps the group balanced.
DOCUMENT: dict[str, Any] = {
    "interests": ["fantasy-books", "board-games", "baking"],
    "about": "",
    "reasons": ["talk-about-things-i-love"],
    "talk_style": "share_some",
    "max_group_size": 6,
    "pace": "live",
    "support_style": "just_listen",
    "avoid_topics": [],
    "languages": ["en"],
    "timezone": "Europe/London",
    "availability": ["weekday_evening", "weekend_afternoon"],
    "age_band": "25-34",
}
STYLES = ["listen_first", "share_some", "talk_freely"]
SHARED_LABELS = ["Fantasy books", "Board games", "Baking"]


def seed_proposal(database_url: str) -> int:
    """Three waiting people and one real matching round; returns the proposal id."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        for handle, style in zip(HANDLES, STYLES, strict=True):
            user = register_user(handle, PASSWORD, role=Role.MEMBER)
            profiles.save_profile(user, copy.deepcopy(DOCUMENT) | {"talk_style": style})
            profiles.join_pool(user)
        db.session.commit()
        summary = matching.run_round(seed=0)
        db.session.commit()
        assert len(summary.groups) == 1, summary.to_dict()
        proposal_id = db.session.scalars(select(Proposal.id)).one()
        db.engine.dispose()
    return proposal_id


def accept_over_http(base_url: str, handle: str, proposal_id: int) -> None:
    """The third yes, as a client of the JSON API (same route the app's forms reach)."""
    with requests.Session() as http:
        token = http.get(f"{base_url}/api/v1/csrf", timeout=10).json()["csrf_token"]
        login = http.post(
            f"{base_url}/account/login",
            data={"handle": handle, "password": PASSWORD, "csrf_token": token},
            allow_redirects=False,
            timeout=10,
        )
        assert login.status_code == 302, login.text
        token = http.get(f"{base_url}/api/v1/csrf", timeout=10).json()["csrf_token"]
        answer = http.post(
            f"{base_url}/api/v1/groups/{proposal_id}/accept",
            headers={"X-CSRFToken": token},
            timeout=10,
        )
        assert answer.ok, answer.text


def test_two_people_accept_a_proposal_and_both_land_in_the_new_room(
    live_server: LiveServer, new_page: Callable[..., Any]
) -> None:
    proposal_id = seed_proposal(live_server.database_url)
    heron, wren = new_page(), new_page(viewport={"width": 360, "height": 740})
    pages = {"group_heron": heron, "group_wren": wren}

    for handle, page in pages.items():
        log_in_browser(page, handle)
        page.goto("/groups")
        proposals = page.get_by_role("region", name="Proposed groups")
        proposal = proposals.get_by_role("listitem").filter(
            has=page.get_by_role("heading", level=3)
        )
        proposal.wait_for()
        # The "why": what they share, and everyone proposed, by handle.
        assert proposal.get_by_role("paragraph").first.inner_text().strip()  # the summary
        shared = proposal.get_by_role("paragraph").filter(has_text="You share:")
        assert any(label in shared.inner_text() for label in SHARED_LABELS)
        people = proposal.get_by_role("list", name="People in this group")
        for other in HANDLES:
            assert people.get_by_text(other).count() == 1
        proposal.get_by_role("button", name="Yes, I'd like to join").click()
        page.wait_for_load_state()
        page.get_by_text("Thanks for saying yes.").wait_for()
        proposals.get_by_text("You said yes. The room opens as soon as three").wait_for()

    # Two yeses are not yet a room; the third one opens it.
    assert heron.get_by_role("link", name="Go to the room").count() == 0
    accept_over_http(live_server.url, "group_finch", proposal_id)

    room_ids: set[str] = set()
    for page in pages.values():
        page.reload()
        page.get_by_role("link", name="Go to the room").click()
        page.wait_for_url("**/rooms/*")
        room_ids.add(page.url.rsplit("/", 1)[-1])
        page.locator("#connection").filter(has_text="Connected").wait_for()
        # Everyone who said yes is in the room, and the opening prompt is waiting.
        show_room_options(page)  # the phone's member list is in the options sheet
        members = page.get_by_role("region", name="Who's in this room")
        for handle in HANDLES:
            members.get_by_text(handle).first.wait_for()
        page.keyboard.press("Escape")
        page.get_by_role("list", name="Messages, oldest first").get_by_text(
            "Welcome, everyone.", exact=False
        ).first.wait_for()
        # The room is also listed on /groups under "Your rooms".
        page.goto("/groups")
        rooms = page.get_by_role("region", name="Your rooms")
        assert rooms.get_by_role("link").count() == 1
    assert len(room_ids) == 1
    assert room_ids.pop().isdigit()
