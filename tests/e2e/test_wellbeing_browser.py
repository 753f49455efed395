"""Wellbeing in a real browser: the optional check-in from the setup review and the
chart, the after-meeting card in a room, and an admin's outcomes with suppressed
small cells. axe-core checks each new page: no violations of any impact."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from accounts.models import Role, User
from accounts.service import register_user
from app import create_app
from db import db
from rooms.admin import create_room
from rooms.models import Membership
from tests.e2e.chat_clients import log_in_browser
from tests.e2e.conftest import LiveServer
from wellbeing import service
from wellbeing.models import RoomFeedback

pytestmark = [pytest.mark.browser, pytest.mark.live]

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(os.environ.get("HEARTH_AXE_CORE", ROOT / "node_modules" / "axe-core" / "axe.min.js"))
PASSWORD = "lanterns on the water"


def assert_accessible(page: Any, where: str) -> None:
    if not AXE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"axe-core not found at {AXE}; run `npm ci` (make setup)")
        return  # outside CI without npm deps: the rest of the test still runs
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run()")
    assert result["passes"], f"{where}: axe-core did not run"
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
    ]
    assert not bad, f"{where}: {bad}"


def app_for(server: LiveServer) -> Any:
    return create_app("testing", SQLALCHEMY_DATABASE_URI=server.database_url)


def test_a_member_checks_in_from_setup_and_sees_the_chart(
    live_server: LiveServer, new_page: Any
) -> None:
    app = app_for(live_server)
    with app.app_context():
        register_user("heron", PASSWORD, role=Role.MEMBER)
        db.session.commit()
        db.engine.dispose()

    page = new_page(bypass_csp=True)
    log_in_browser(page, "heron")
    page.goto("/profile?step=review")
    offer = page.get_by_test_id("checkin-offer")
    offer.get_by_role("link", name="Take the check-in").click()
    page.wait_for_url("**/me/wellbeing?from=setup")
    assert page.get_by_role("button", name="Skip for now").is_visible()
    assert_accessible(page, "/me/wellbeing (setup)")

    for question, answer in (
        ("How often do you feel that you lack companionship?", "Some of the time"),
        ("How often do you feel left out?", "Hardly ever"),
        ("How often do you feel isolated from others?", "Often"),
    ):
        page.get_by_role("group", name=question).get_by_label(answer).check()
    page.get_by_role("button", name="Save my check-in").click()
    page.wait_for_url("**/me/wellbeing#result")
    assert page.get_by_test_id("latest-score").inner_text() == "6"
    assert "lower is less lonely" in page.inner_text("main").lower()
    chart = page.get_by_test_id("wellbeing-chart")
    chart.wait_for()
    drawn = page.evaluate(
        "() => !!window.Chart && !!window.Chart.getChart("
        "document.querySelector(\"canvas[data-testid='wellbeing-chart']\"))"
    )
    assert drawn
    assert page.get_by_test_id("wellbeing-table").locator("tbody tr").count() == 1
    assert_accessible(page, "/me/wellbeing (result)")

    # Back at setup, the offer is gone; matching never waited for it.
    page.goto("/profile?step=review")
    assert page.get_by_test_id("checkin-offer").count() == 0


def test_a_member_answers_the_after_meeting_card(live_server: LiveServer, new_page: Any) -> None:
    app = app_for(live_server)
    with app.app_context():
        members = [register_user(h, PASSWORD, role=Role.MEMBER) for h in ("wren", "teal", "kite")]
        room = create_room("Evening tea", members)
        db.session.flush()
        db.session.execute(
            update(Membership)
            .where(Membership.room_id == room.id)
            .values(joined_at=datetime.now(UTC) - timedelta(days=2))
        )
        db.session.commit()
        room_id = room.id
        wren_id = members[0].id

    page = new_page(bypass_csp=True)
    log_in_browser(page, "wren")
    page.goto(f"/rooms/{room_id}")
    card = page.get_by_test_id("feedback-card")
    card.wait_for(state="visible")
    # The chat stays usable beside it.
    assert page.locator("#composer-input").is_enabled()
    assert_accessible(page, "room with feedback card")
    card.get_by_role("group", name="Did you feel at ease in this group?").get_by_label(
        "4", exact=True
    ).check()
    card.get_by_role("group", name="Would you like to meet this group again?").get_by_label(
        "Yes"
    ).check()
    card.get_by_label("A private note to the moderators (optional)").fill("Lovely people.")
    card.get_by_role("button", name="Send").click()
    card.get_by_test_id("feedback-thanks").wait_for()
    with app.app_context():
        row = db.session.scalars(select(RoomFeedback).where(RoomFeedback.user_id == wren_id)).one()
        assert (row.at_ease, row.meet_again.value, row.note) == (4, "yes", "Lovely people.")
        db.engine.dispose()

    # Answered this week: the card stays away on the next visit.
    page.reload()
    page.locator('[data-testid="feedback-card"][data-checked="not-due"]').wait_for(state="attached")
    assert page.get_by_test_id("feedback-card").is_hidden()


def test_an_admin_sees_outcomes_with_small_cells_suppressed(
    live_server: LiveServer, new_page: Any
) -> None:
    app = app_for(live_server)
    old = datetime.now(UTC) - timedelta(weeks=8)
    with app.app_context():
        register_user("warden", PASSWORD, role=Role.ADMIN)
        for index in range(9):
            person = register_user(f"quiet{index}", PASSWORD, role=Role.MEMBER)
            user = db.session.get(User, person.id)
            assert user is not None
            service.record_checkin(user, [2, 2, 2], now=old)
        db.session.commit()
        db.engine.dispose()

    page = new_page(bypass_csp=True)
    log_in_browser(page, "warden")
    page.goto("/mod/outcomes")
    assert page.get_by_test_id("outcomes-people").inner_text() == "fewer than 10"
    assert "fewer than 10" in page.get_by_test_id("outcomes-scores").inner_text()
    for index in range(9):
        assert f"quiet{index}" not in page.content()
    drawn = page.evaluate(
        "() => [...document.querySelectorAll('canvas[data-outcomes-chart]')]"
        ".every((c) => !!window.Chart.getChart(c))"
    )
    assert drawn
    assert_accessible(page, "/mod/outcomes")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these figures (CSV)").click()
    assert download.value.suggested_filename == "hearth-outcomes.csv"
