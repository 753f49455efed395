"""The wizard's interests step (issue 18 §2) and its error summaries, in a browser at
phone and desktop size: "Save and continue" within 25 Tab presses from the top of the
step with nothing chosen, a search that filters as you type, categories that open and
close, a summary of what is chosen, and error summaries that name each field in the
order the fields stand on the page. axe-core finds nothing at either size."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accounts.models import Role
from accounts.service import register_user
from app import create_app
from db import db
from tests.e2e.axe import assert_accessible
from tests.e2e.chat_clients import PASSWORD, log_in_browser
from tests.e2e.conftest import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.live]

SIZES = [{"width": 390, "height": 844}, {"width": 1280, "height": 800}]
MOST_TABS = 25
SAVE = 'button[type="submit"].button--primary'


def make_people(server: LiveServer, *handles: str) -> None:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=server.database_url)
    with app.app_context():
        for handle in handles:
            register_user(handle, PASSWORD, role=Role.MEMBER)
        db.session.commit()
        db.engine.dispose()


def tabs_from_top_of_step(page: Any, target: str) -> int:
    """Tab presses from the step's heading (where the step's own content starts) to
    ``target``; fails past MOST_TABS."""
    page.evaluate(
        "() => { const h = document.getElementById('step-title'); h.tabIndex = -1; h.focus(); }"
    )
    for presses in range(MOST_TABS + 1):
        if page.evaluate("s => document.activeElement.matches(s)", target):
            return presses
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} not reached in {MOST_TABS} Tab presses")


def summary_lines(page: Any) -> list[str]:
    alert = page.locator("#form-problems")
    alert.wait_for(state="visible")
    return [" ".join(t.split()) for t in alert.locator("li").all_inner_texts()]


@pytest.mark.parametrize("size", SIZES, ids=["phone", "desktop"])
def test_interests_step_is_quick_by_keyboard_and_search_filters(
    live_server: LiveServer, new_page: Callable[..., Any], size: dict[str, int]
) -> None:
    handle = f"sprout_{size['width']}"
    make_people(live_server, handle)
    page = new_page(viewport=size, bypass_csp=True)
    log_in_browser(page, handle)
    page.goto("/profile?step=interests")
    assert page.locator("#interest-search").is_visible()

    presses = tabs_from_top_of_step(page, SAVE)
    assert presses <= MOST_TABS
    assert page.locator(SAVE).inner_text() == "Save and continue"
    assert_accessible(page, f"interests step {size['width']}")

    # Saving with nothing chosen: the summary names the field, not a category.
    page.keyboard.press("Enter")
    assert summary_lines(page) == ["Interests: Please choose at least 1 of the interests."]
    assert page.url.endswith("step=interests")
    assert_accessible(page, f"interests step with an error {size['width']}")

    # The search filters as you type and opens the sections that match.
    page.get_by_label("Search interests").fill("tea")
    assert page.locator('input[value="tea"]').is_visible()
    assert page.locator('input[value="board-games"]').is_hidden()
    assert page.locator("#interest-search-count").inner_text().endswith("shown.")
    page.locator('input[value="tea"]').check()
    # The choice is summarised at the top and counted on its section.
    assert "Tea" in page.locator("[data-interest-summary]").inner_text()
    section = page.locator("details", has=page.locator('input[value="tea"]'))
    assert section.locator("[data-group-count]").inner_text() == "1 chosen"
    # Clearing the search shows every section again, and the chosen one stays open.
    page.get_by_label("Search interests").fill("")
    assert (
        page.locator("details.interest-group:visible").count()
        == page.locator("details.interest-group").count()
    )
    assert section.get_attribute("open") is not None
    page.get_by_label("Search interests").fill("zzzz")
    assert page.get_by_text("Nothing matches that yet.").is_visible()
    assert page.locator('input[value="tea"]').is_visible()  # chosen ones stay in view
    page.get_by_label("Search interests").fill("")

    # A closed section opens from the keyboard.
    games = page.locator("details", has=page.locator('input[value="board-games"]'))
    games.locator("summary").focus()
    page.keyboard.press("Enter")
    assert page.locator('input[value="board-games"]').is_visible()

    with page.expect_navigation():
        page.locator(SAVE).click()
    assert page.url.endswith("step=about")


@pytest.mark.parametrize("size", SIZES, ids=["phone", "desktop"])
def test_error_summary_follows_the_fields_on_every_step(
    live_server: LiveServer, new_page: Callable[..., Any], size: dict[str, int]
) -> None:
    handle = f"order_{size['width']}"
    make_people(live_server, handle)
    page = new_page(viewport=size, bypass_csp=True)
    log_in_browser(page, handle)
    cases = {
        "interests": ["Interests"],
        "about": ["About you"],
        "comfort": ["How you like to talk", "Largest group", "Pace", "Support"],
        "practical": ["Languages", "Time zone", "Age range"],
    }
    for step, expected in cases.items():
        page.goto(f"/profile?step={step}")
        if step == "about":
            page.locator("#about").fill("mail me: me@example.com")
        if step == "practical":
            page.locator("#timezone").select_option("")  # undo the browser's guess
        page.locator(SAVE).click()
        lines = summary_lines(page)
        assert [line.split(":")[0] for line in lines] == expected, (step, lines)
        # The order is the page's: each link points to a field lower down than the last.
        tops = [
            page.locator(f"#field-{href.split('#field-')[1]}").bounding_box()["y"]
            for href in page.locator("#form-problems-list a").evaluate_all(
                "links => links.map((a) => a.getAttribute('href'))"
            )
        ]
        assert tops == sorted(tops), (step, tops)
        assert_accessible(page, f"{step} step with errors {size['width']}")
