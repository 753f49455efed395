"""Wire shapes of the moderation package (CONTRACT §3–4), built in one place."""

from __future__ import annotations

from typing import Any

from errors import Text
from moderation.models import QueueItem


def queue_item(item: QueueItem, **extra: Any) -> dict[str, Any]:
    """The ``/mod`` ``queue_item`` event and a row of ``GET /api/v1/mod/queue``.

    Beyond the CONTRACT fields: ``status``, ``report_count``, ``realerted``,
    ``assigned_to_id`` and ``acknowledged_at``.
    """
    data: dict[str, Any] = {
        "id": item.id,
        "kind": item.kind.value,
        "severity": item.severity,
        "room_id": item.room_id,
        "excerpt": item.excerpt,
        "created_at": item.created_at.isoformat(),
        "status": item.status.value,
        "report_count": item.report_count,
        "assigned_to_id": item.assigned_to_id,
        "acknowledged_at": item.acknowledged_at.isoformat() if item.acknowledged_at else None,
        "realerted": item.realerted_at is not None,
    }
    if item.message_id is not None:
        data["message_id"] = item.message_id
    data.update(extra)
    return data


def ok(**fields: Any) -> dict[str, Any]:
    return {"ok": True, **fields}


def error(code: str, message: Text) -> dict[str, Any]:
    """A failed acknowledgement; a lazy message becomes the socket's language here."""
    return {"ok": False, "error": {"code": code, "message": str(message)}}
