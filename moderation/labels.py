"""Screening labels: moderators' decisions about messages, kept to retrain the screener.

A label is a copy of a message's text with a verdict on it (crisis or not), so it
is personal data: one label per message (a later decision replaces an earlier
one), and it leaves the store with its author's account (``forget_author``).
Recording a label flushes, never commits; the caller's transaction carries it with
the decision that produced it.

``training_labels`` and ``label_counts`` are the read side for ``flask screening
learn`` and ``status``: plain rows, no ORM objects, no moderator identities.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from db import utcnow
from moderation.models import LabelSource, ScreeningLabel


@dataclass(frozen=True)
class LabelRow:
    """One labelled text, as a retraining run reads it."""

    text: str
    positive: bool
    language: str
    source: str
    screener_flagged: bool
    created_at: datetime


def training_labels(session: Session) -> list[LabelRow]:
    """Every label in the store, oldest first (by id, so a replay is reproducible)."""
    rows = session.execute(
        select(
            ScreeningLabel.text,
            ScreeningLabel.positive,
            ScreeningLabel.language,
            ScreeningLabel.source,
            ScreeningLabel.screener_flagged,
            ScreeningLabel.created_at,
        ).order_by(ScreeningLabel.id)
    )
    return [
        LabelRow(
            text=text,
            positive=bool(positive),
            language=language,
            source=source,
            screener_flagged=bool(flagged),
            created_at=created_at,
        )
        for text, positive, language, source, flagged, created_at in rows
    ]


def label_counts(session: Session) -> dict[str, int]:
    """How many labels the store holds: ``total``, ``positive`` and ``negative``."""
    total, positive = session.execute(
        select(
            func.count(ScreeningLabel.id),
            func.coalesce(func.sum(case((ScreeningLabel.positive, 1), else_=0)), 0),
        )
    ).one()
    return {"total": int(total), "positive": int(positive), "negative": int(total - positive)}


def record_label(
    session: Session,
    *,
    message_id: int,
    author_id: int,
    text: str,
    positive: bool,
    source: LabelSource,
    screener_flagged: bool,
    language: str = "und",
    queue_item_id: int | None = None,
    labelled_by_id: int | None = None,
) -> None:
    """Record (or replace) the label on one message; flushes, the caller commits.

    An upsert on the unique ``message_id``, so two moderators deciding at the same
    moment cannot leave two labels or fail the second decision: the later write
    wins, as a later decision should.
    """
    values = {
        "message_id": message_id,
        "author_id": author_id,
        "text": text,
        "language": (language or "und")[:8],
        "positive": positive,
        "source": LabelSource(source).value,
        "screener_flagged": screener_flagged,
        "queue_item_id": queue_item_id,
        "labelled_by_id": labelled_by_id,
        "created_at": utcnow(),
    }
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(ScreeningLabel).values(**values)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["message_id"],
            set_={key: value for key, value in values.items() if key != "message_id"},
        )
    )
    session.flush()


def label_for_message(session: Session, message_id: int) -> ScreeningLabel | None:
    """The label on one message, if a moderator has decided about it."""
    return session.scalar(select(ScreeningLabel).where(ScreeningLabel.message_id == message_id))


def forget_author(session: Session, author_id: int) -> int:
    """Remove every label on the person's messages (account deletion). Returns how many."""
    result = session.execute(
        delete(ScreeningLabel)
        .where(ScreeningLabel.author_id == author_id)
        .execution_options(synchronize_session=False)
    )
    session.flush()
    return int(getattr(result, "rowcount", 0) or 0)
