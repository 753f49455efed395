"""The one HTTP request of a Web Push: encrypt (RFC 8291), sign (VAPID) and POST.

Kept apart from notifications.push so that pywebpush, requests and aiohttp (about a
second and a half of imports on a busy machine) load with the first push, not with
every process start.
"""

from __future__ import annotations

import logging
from typing import Any

import requests
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

log = logging.getLogger(__name__)

#: (connect, read) seconds: a slow push service must never hold a sender thread long.
TIMEOUT = (3.05, 5.0)


class NoRedirects(requests.Session):
    """A redirect from a push service could point anywhere: never follow one."""

    def request(self, method: str, url: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs["allow_redirects"] = False
        return super().request(method, url, *args, **kwargs)


def post(
    session: requests.Session,
    *,
    subscription: dict[str, Any],
    payload: str,
    vapid: Vapid02,
    subject: str,
    ttl: int,
    urgency: str,
) -> tuple[int | None, str | None]:
    """Send one push; returns (HTTP status or None without an answer, Retry-After)."""
    try:
        response = webpush(
            subscription,
            data=payload,
            vapid_private_key=vapid,
            # A fresh dict each time: webpush() writes "aud" and "exp" into it.
            vapid_claims={"sub": subject},
            content_encoding="aes128gcm",
            timeout=TIMEOUT,  # requests takes (connect, read)
            ttl=ttl,
            headers={"Urgency": urgency},
            requests_session=session,
        )
    except WebPushException as problem:
        return problem.status_code, problem.retry_after
    except requests.RequestException as problem:
        log.info("web push did not get through: %s", problem)
        return None, None
    return int(getattr(response, "status_code", 201)), None
