"""Signal receivers: export, deletion and the periodic reminder pass."""

from __future__ import annotations

import logging
from typing import Any

import signals
from accounts.export_view import ExportWords
from accounts.models import User
from db import db
from wellbeing import service

log = logging.getLogger("hearth.wellbeing")


def on_collect_export(sender: Any, *, user: User, **_: Any) -> tuple[str, Any]:
    return "wellbeing", service.export_for(user)


def on_account_deleting(sender: Any, *, user: User, **_: Any) -> None:
    service.delete_for(user)


def on_periodic_work(sender: Any, **_: Any) -> int:
    """Each pass of a serving process's periodic loop: notify due check-ins (commits)."""
    try:
        sent = service.send_due_notices()
        db.session.commit()
    except Exception:  # a reminder that failed is tried again on the next pass
        db.session.rollback()
        log.exception("Could not send check-in reminders")
        return 0
    return sent


def on_collect_feedback_notes(sender: Any, *, room_id: int, **_: Any) -> list[dict[str, Any]]:
    """Notes members left for moderators on a room's after-meeting card (no authors)."""
    if not isinstance(sender, User) or not sender.is_moderator:
        return []
    return service.feedback_notes(room_id)


def _checkin_answers(items: Any) -> Any:
    """A check-in's stored answers ``[1..3, 1..3, 1..3]`` as each question with its
    answer, in the words of the check-in page."""
    from wellbeing.routes import ANSWERS, QUESTIONS

    answers = dict(ANSWERS)
    if not isinstance(items, list) or len(items) != len(QUESTIONS):
        return items
    if not all(isinstance(v, int) and v in answers for v in items):
        return items
    return {
        str(question): str(answers[value])
        for (_name, question), value in zip(QUESTIONS, items, strict=True)
    }


def on_describe_export(sender: Any, **_: Any) -> ExportWords:
    return ExportWords(whole={("checkins", "items"): _checkin_answers})


def connect() -> None:
    signals.collect_export.connect(on_collect_export)
    signals.account_deleting.connect(on_account_deleting)
    signals.periodic_work.connect(on_periodic_work)
    signals.collect_feedback_notes.connect(on_collect_feedback_notes)
    signals.describe_export.connect(on_describe_export)
