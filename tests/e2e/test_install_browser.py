"""Installable Hearth in a real Chromium: the manifest is valid and its icons load,
the service worker registers at the root, caches only the static shell and shows
the offline page without a network; the push switch never prompts on page load."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.live]

PASSWORD = "embers glowing softly"

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def register(page: Any, handle: str) -> None:
    page.goto("/account/register")
    page.get_by_label("Handle").fill(handle)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_label("I am 18 or older").check()
    page.get_by_label("I have read and agree to the community guidelines").check()
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_manifest_is_valid_and_its_icons_load(new_page: Any, device: str) -> None:
    page = new_page(**(PHONE if device == "phone" else {}))
    page.goto("/")
    href = page.locator('link[rel="manifest"]').get_attribute("href")
    manifest = page.evaluate("(href) => fetch(href).then((r) => r.json())", href)
    assert manifest["name"] == "Hearth"
    assert manifest["start_url"] == "/groups"
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        width = page.evaluate(
            """(src) => new Promise((resolve, reject) => {
                 const image = new Image();
                 image.onload = () => resolve(image.naturalWidth + "x" + image.naturalHeight);
                 image.onerror = () => reject(new Error("icon failed: " + src));
                 image.src = src;
               })""",
            icon["src"],
        )
        assert width == icon["sizes"]
    assert page.locator('meta[name="theme-color"]').count() == 1


def test_the_service_worker_registers_caches_only_the_shell_and_covers_offline(
    new_page: Any, live_server: LiveServer
) -> None:
    page = new_page()
    register(page, "ember_keeper")
    scope = page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
    assert scope == f"{live_server.url}/"
    # Once it controls the page, API calls and pages go past it, never into its cache.
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.evaluate("fetch('/api/v1/me').then((r) => r.json())")
    page.goto("/account")
    cached = page.evaluate(
        """async () => {
             const urls = [];
             for (const name of await caches.keys()) {
               const cache = await caches.open(name);
               for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
             }
             return urls;
           }"""
    )
    assert cached, "the shell was not cached"
    assert all(path.startswith("/static/") or path == "/offline" for path in cached), cached

    page.context.set_offline(True)
    try:
        page.goto("/groups")
        assert page.get_by_role("heading", name="You're offline").is_visible()
        assert "ember_keeper" not in page.content()
    finally:
        page.context.set_offline(False)


def test_the_account_switch_asks_for_permission_only_on_a_click(new_page: Any) -> None:
    page = new_page()
    # Count permission requests instead of showing Chromium's prompt.
    page.add_init_script(
        """window.__permissionRequests = 0;
           Notification.requestPermission = () => {
             window.__permissionRequests += 1;
             return Promise.resolve("default");
           };"""
    )
    register(page, "quiet_lantern")
    page.goto("/account")
    switch = page.get_by_role("button", name="Turn on notifications on this device")
    switch.wait_for()
    assert page.get_by_text("Notifications are off for this device.").is_visible()
    page.goto("/groups")
    page.goto("/account")
    switch.wait_for()
    assert page.evaluate("window.__permissionRequests") == 0

    switch.click()
    status = page.locator("[data-push-switch] [data-push-status]")
    page.wait_for_function(
        "document.querySelector('[data-push-switch] [data-push-status]').textContent"
        ".startsWith('No problem')"
    )
    assert page.evaluate("window.__permissionRequests") == 1
    assert "whenever you like" in status.inner_text()
    assert switch.get_attribute("aria-pressed") == "false"
    subscriptions = page.evaluate("fetch('/api/v1/push/subscriptions').then((r) => r.json())")
    assert subscriptions == {"endpoints": []}
