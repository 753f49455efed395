"""Role × route permission matrix for every protected page and endpoint.

Packages add their routes to ROUTES as they land; each row says the least role
that may use the route.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from accounts.models import User

ROLES = ("anonymous", "member", "moderator", "admin")
RANK = {role: index for index, role in enumerate(ROLES)}

#: (method, path, least role allowed)
ROUTES = [
    ("GET", "/", "anonymous"),
    ("GET", "/help", "anonymous"),
    ("GET", "/guidelines", "anonymous"),
    ("GET", "/healthz", "anonymous"),
    ("GET", "/api/v1/csrf", "anonymous"),
    ("GET", "/account", "member"),
    ("GET", "/account/export", "member"),
    ("GET", "/api/v1/me", "member"),
    ("GET", "/api/v1/interests", "anonymous"),
    ("GET", "/api/v1/profile", "member"),
    ("GET", "/api/v1/profile/status", "member"),
    ("GET", "/api/v1/pool", "member"),
    ("GET", "/profile", "member"),
    ("GET", "/profile?step=comfort", "member"),
    ("GET", "/groups", "member"),
    # moderation console and API
    ("GET", "/mod/", "moderator"),
    ("GET", "/mod/members", "moderator"),
    ("GET", "/mod/audit", "moderator"),
    ("GET", "/mod/stats", "moderator"),
    ("GET", "/api/v1/mod/queue", "moderator"),
    ("GET", "/api/v1/mod/rooms", "moderator"),
    ("GET", "/api/v1/mod/stats", "moderator"),
    # wellbeing: own check-ins for everyone logged in; outcomes for admins only
    ("GET", "/me/wellbeing", "member"),
    ("GET", "/api/v1/checkins", "member"),
    ("GET", "/mod/outcomes", "admin"),
    ("GET", "/mod/outcomes.csv", "admin"),
    ("GET", "/api/v1/mod/outcomes", "admin"),
    # rooms: /rooms/<id> and /api/v1/rooms/<id>/messages depend on membership of a room;
    # their matrix (member / other room / moderator / logged out / banned) is in
    # tests/rooms/test_http.py.
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "least"), ROUTES)
def test_permission_matrix(
    client: FlaskClient,
    login_as: Callable[..., User],
    role: str,
    method: str,
    path: str,
    least: str,
) -> None:
    if role != "anonymous":
        login_as(role)
    response = client.open(path, method=method)
    if RANK[role] >= RANK[least]:
        assert response.status_code == 200, (role, path, response.status_code)
    elif role == "anonymous":
        expected = 401 if path.startswith("/api/") else 302
        assert response.status_code == expected
    else:
        assert response.status_code == 403
