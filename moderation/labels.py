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

from accounts.models import User
from db import db, utcnow
from moderation import language
from moderation.models import LabelSource, QueueItem, QueueKind, ScreeningLabel
from rooms.models import Message, MessageKind

#: Closing outcomes that say "this was crisis language". The care outcomes count
#: too: a moderator only checks in, gets no reply, or refers someone on because
#: they judged the message a crisis; ``no_reply`` is about the person's answer, not
#: about the message. Only ``no_action`` ("not a concern") is a negative.
POSITIVE_OUTCOMES = frozenset({"actioned", "followed_up", "no_reply", "referred"})
NEGATIVE_OUTCOMES = frozenset({"no_action"})


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
        )
        # A deletion that committed while a label was being written must not leave
        # that person's words in the training data.
        .join(User, User.id == ScreeningLabel.author_id)
        .where(User.deleted_at.is_(None))
        .order_by(ScreeningLabel.id)
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


def labellable(message: Message) -> bool:
    """Whether a moderator's decision on ``message`` may become a label.

    Only members' own messages whose author still has an account: prompts, system
    lines and moderators' posts teach the screener nothing, and a deleted
    person's texts must not come back into the store.
    """
    if message.kind != MessageKind.USER or message.author_id is None:
        return False
    author = db.session.get(User, message.author_id)
    return author is not None and author.is_active


def screener_flagged(message_id: int) -> bool:
    """Did the screener raise crisis on this message?

    A label already on the message knows (a "this was a crisis" mark records
    False before it opens its crisis item). Otherwise a crisis queue item for the
    message, open or closed, can only have come from the screener.
    """
    label = label_for_message(db.session(), message_id)
    if label is not None:
        return bool(label.screener_flagged)
    found = db.session.scalar(
        select(QueueItem.id)
        .where(QueueItem.message_id == message_id, QueueItem.kind == QueueKind.CRISIS)
        .limit(1)
    )
    return found is not None


def label_closed_item(item: QueueItem, *, by: User) -> bool:
    """A queue item was just closed: label its message if it is a crisis item.

    Called inside the closing transaction (resolve, care outcomes, removal), so the
    label lands or rolls back with the decision. Reports of abuse, filter items
    and concerns about a person record nothing. Returns whether a label was
    recorded.
    """
    if item.kind != QueueKind.CRISIS or item.message_id is None:
        return False
    if item.outcome in POSITIVE_OUTCOMES:
        positive = True
    elif item.outcome in NEGATIVE_OUTCOMES:
        positive = False
    else:
        return False
    message = db.session.get(Message, item.message_id)
    if message is None or not labellable(message):
        return False
    assert message.author_id is not None  # labellable() checked it
    record_label(
        db.session(),
        message_id=message.id,
        author_id=message.author_id,
        text=message.body,
        positive=positive,
        source=LabelSource.OUTCOME,
        screener_flagged=screener_flagged(message.id),
        language=language.identify(message.body),
        queue_item_id=item.id,
        labelled_by_id=by.id,
    )
    return True


def count_for_author(author_id: int) -> int:
    """How many of the person's messages carry a label (for their data export)."""
    return int(
        db.session.scalar(
            select(func.count(ScreeningLabel.id)).where(ScreeningLabel.author_id == author_id)
        )
        or 0
    )


def forget_author(session: Session, author_id: int) -> int:
    """Remove every label on the person's messages (account deletion). Returns how many."""
    result = session.execute(
        delete(ScreeningLabel)
        .where(ScreeningLabel.author_id == author_id)
        .execution_options(synchronize_session=False)
    )
    session.flush()
    return int(getattr(result, "rowcount", 0) or 0)
