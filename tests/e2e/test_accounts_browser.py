"""A person registers, logs out, logs back in, and can always find crisis help."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.live]

PASSWORD = "lanterns on the water"


def register(page: Any, handle: str) -> None:
    page.goto("/account/register")
    page.get_by_label("Handle").fill(handle)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_label("I am 18 or older").check()
    page.get_by_label("I have read and agree to the community guidelines").check()
    page.get_by_role("button", name="Create my account").click()


def test_register_logout_login_and_see_crisis_link(page: Any) -> None:
    register(page, "night_owl")
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Log out").is_visible()

    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    assert page.get_by_text("You're logged out").is_visible()

    page.goto("/account/login")
    page.get_by_label("Handle").fill("night_owl")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Log out").is_visible()

    crisis_link = page.get_by_role("link", name="Need help now?")
    assert crisis_link.is_visible()
    crisis_link.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Need help now?").is_visible()
    # The region follows the browser (en-US here, or none): international lines are always listed.
    assert page.get_by_text("Find A Helpline").first.is_visible()


def test_bad_registration_explains_each_problem(page: Any) -> None:
    page.goto("/account/register")
    page.get_by_label("Handle").fill("x")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_load_state()
    alert = page.get_by_role("alert")
    assert "3 to 24 characters" in alert.inner_text()
    assert "at least 10 characters" in alert.inner_text()
    assert page.get_by_label("Handle").get_attribute("aria-invalid") == "true"


def test_pages_fit_a_phone_screen(new_page: Any) -> None:
    phone = new_page(viewport={"width": 360, "height": 740})
    for path in ("/", "/account/register", "/help"):
        phone.goto(path)
        scroll_width = phone.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= 360, f"{path} scrolls sideways on a phone ({scroll_width}px)"
