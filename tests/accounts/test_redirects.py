"""Forms send people on only to paths on this site."""

from __future__ import annotations

import pytest

from accounts.redirects import same_site_path


@pytest.mark.parametrize("target", ["/groups", "/me/wellbeing?from=setup", "/rooms/3#end"])
def test_paths_on_this_site_pass(target: str) -> None:
    assert same_site_path(target) == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "groups",
        "//evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
    ],
)
def test_anything_else_is_refused(target: str | None) -> None:
    assert same_site_path(target) is None
