"""Where a form may send someone next: only paths on this site."""

from __future__ import annotations

from urllib.parse import urlsplit


def same_site_path(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None.

    urlsplit drops tabs and newlines the way browsers do, so "/\\t/evil.example"
    is seen as the off-site "//evil.example" it would become.
    """
    if not target or not target.startswith("/") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    return target
