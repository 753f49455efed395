"""Permission decorators for routes."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort
from flask_login import current_user

from accounts.models import Role
from extensions import login_manager

F = TypeVar("F", bound=Callable[..., Any])


def role_required(role: Role) -> Callable[[F], F]:
    """Allow only logged-in users whose role includes ``role`` (admin ⊇ moderator ⊇ member)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        return cast(F, wrapped)

    return decorator


login_required = role_required(Role.MEMBER)
moderator_required = role_required(Role.MODERATOR)
admin_required = role_required(Role.ADMIN)
