"""Matching services: run a round, propose groups, and turn accepted proposals
into rooms. They flush, never commit; callers commit once and then call
:func:`notify` so nothing is announced for a transaction that did not commit."""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_datetime, format_timedelta
from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, or_, select, update
from sqlalchemy.exc import IntegrityError

import signals
from accounts.models import User
from db import db, utcnow
from extensions import socketio
from i18n import N_, StoredText
from matching import backfill, learned, meet_again
from matching.grouping import WAIT_REASONS, Candidate, Group, form_groups
from matching.models import (
    MatchCooldown,
    MatchLock,
    MatchRound,
    Proposal,
    ProposalKind,
    ProposalMember,
    ProposalStatus,
    Response,
)
from notifications import service as notifications
from profiles import localized
from profiles import service as profiles
from profiles.taxonomy import load_taxonomy

#: Smallest group that may open a room.
QUORUM = 3
PROPOSAL_LIFETIME = timedelta(hours=48)
#: How long two people are not proposed together after one declined.
DECLINE_COOLDOWN = timedelta(days=14)
#: A round holds the lock at most this long, so a crashed process cannot block matching.
ROUND_LEASE = timedelta(minutes=15)
ROUND_LOCK = "match-round"
#: Seconds the grouping search may take in one round (the round's time bound).
DEFAULT_TIME_BUDGET = 50.0

Progress = Callable[[str, int, int], None]

_BACK_IN_POOL = N_(
    "You're back in the waiting pool, first in line. We won't suggest the same "
    "people again for a while."
)
_DIDNT_FORM = N_(
    "Your proposed group didn't come together this time, so you're back in the "
    "waiting pool, first in line."
)
_TALK_SEAT = {"listen_first": "listening", "share_some": "sharing", "talk_freely": "sharing"}


class MatchingError(Exception):
    """A request about a proposal that cannot be honoured (``status`` is the HTTP status)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass
class RoundSummary:
    """What a round did (or, for a dry run, would do)."""

    dry_run: bool
    pool_size: int = 0
    groups: list[dict[str, Any]] = field(default_factory=list)
    waiting: dict[int, str] = field(default_factory=dict)
    mean_score: float = 0.0
    duration_ms: int = 0
    round_id: int | None = None
    expired_proposals: int = 0
    #: People invited into existing rooms below quorum this round.
    backfilled: list[int] = field(default_factory=list)
    #: Another process holds the round lock; nothing was done.
    skipped_locked: bool = False
    #: People to tell about a new proposal once the transaction commits.
    notify_user_ids: list[int] = field(default_factory=list)
    #: Version of the learned compatibility model the grouping used (None: none).
    model_version: int | None = None
    #: Each group's why as ``Proposal.summary_i18n`` JSON, in ``groups`` order (kept
    #: out of ``to_dict``: the round summary's shape is the CONTRACT's).
    why_i18n: list[str] = field(default_factory=list)

    @property
    def grouped(self) -> int:
        return sum(len(group["member_ids"]) for group in self.groups)

    def to_dict(self) -> dict[str, Any]:
        reasons: dict[str, int] = {}
        for code in self.waiting.values():
            reasons[code] = reasons.get(code, 0) + 1
        return {
            "round_id": self.round_id,
            "dry_run": self.dry_run,
            "skipped_locked": self.skipped_locked,
            "pool_size": self.pool_size,
            "groups_formed": len(self.groups),
            "people_grouped": self.grouped,
            "people_waiting": len(self.waiting),
            "waiting_reasons": reasons,
            "quality": {"mean_score": round(self.mean_score, 4)},
            "expired_proposals": self.expired_proposals,
            "people_invited_to_existing_rooms": len(self.backfilled),
            "duration_ms": self.duration_ms,
            "model_version": self.model_version,
            "groups": self.groups,
        }


def _app() -> Any:
    """The real app object behind the proxy: signal senders must be stable objects."""
    return current_app._get_current_object()  # type: ignore[attr-defined]  # werkzeug proxy


# --- the round lock --------------------------------------------------------------


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def acquire_round_lock(now: datetime | None = None) -> bool:
    """Take the round lease in its own short transaction (visible to other processes)."""
    now = now or utcnow()
    with db.engine.begin() as connection:
        try:
            with connection.begin_nested():
                connection.execute(insert(MatchLock).values(name=ROUND_LOCK))
        except IntegrityError:
            pass  # the row exists already
        taken = connection.execute(
            update(MatchLock)
            .where(MatchLock.name == ROUND_LOCK)
            .where(or_(MatchLock.until.is_(None), MatchLock.until < now))
            .values(holder=_holder(), until=now + ROUND_LEASE)
        )
        return bool(taken.rowcount == 1)


def release_round_lock() -> None:
    with db.engine.begin() as connection:
        connection.execute(
            update(MatchLock)
            .where(MatchLock.name == ROUND_LOCK, MatchLock.holder == _holder())
            .values(holder=None, until=None)
        )


# --- building candidates ---------------------------------------------------------


def candidate_from(user_id: int, document: dict[str, Any]) -> Candidate:
    """The pure model's view of a profile document.

    Avoided topics are widened with the interests that raise them (from the
    taxonomy), so "avoid politics" also keeps apart people who list current affairs.
    """
    taxonomy = load_taxonomy()
    related = {topic.slug: topic.related_interests for topic in taxonomy.avoidable_topics}
    avoid: list[str] = []
    for topic in document.get("avoid_topics") or []:
        avoid.append(topic)
        avoid.extend(related.get(topic, ()))
    return Candidate(
        user_id=user_id,
        interests=list(document.get("interests") or []),
        about=document.get("about") or "",
        reasons=list(document.get("reasons") or []),
        talk_style=document.get("talk_style") or "share_some",
        max_group_size=int(document.get("max_group_size") or 6),
        pace=document.get("pace") or "live",
        support_style=document.get("support_style") or "open_to_advice",
        avoid_topics=avoid,
        languages=list(document.get("languages") or []),
        timezone=document.get("timezone") or "UTC",
        availability=list(document.get("availability") or []),
        age_band=document.get("age_band") or "",
    )


def _cooldown_pairs(user_ids: Iterable[int], now: datetime) -> set[tuple[int, int]]:
    ids = list(user_ids)
    if not ids:
        return set()
    rows = db.session.execute(
        select(MatchCooldown.user_low_id, MatchCooldown.user_high_id).where(
            MatchCooldown.until > now,
            MatchCooldown.user_low_id.in_(ids),
            MatchCooldown.user_high_id.in_(ids),
        )
    ).all()
    return {(low, high) for low, high in rows}


def _respect_cooldowns(
    groups: list[Group], waiting: dict[Any, str], pairs: set[tuple[int, int]], min_size: int
) -> list[Group]:
    """Take people out of groups that would reunite someone with a person they declined.

    The pure model knows nothing of history; this keeps the promise made at decline.
    """
    if not pairs:
        return groups
    kept: list[Group] = []
    for group in groups:
        members = [int(m) for m in group.member_ids]
        for low, high in sorted(pairs):
            if low in members and high in members:
                members.remove(high)
                waiting[high] = "compatible_groups_full"
        if len(members) >= min_size:
            group.member_ids = list(members)
            kept.append(group)
        else:
            for member in members:
                waiting[member] = "compatible_groups_full"
    return kept


def _group_name(group: Group, labels: dict[str, str]) -> str:
    names = [labels.get(slug, slug.replace("-", " ")) for slug in group.shared_interests[:2]]
    if not names:
        return "A small circle"
    return " & ".join(names)[:80]


# --- a round ---------------------------------------------------------------------


def run_round(
    *,
    dry_run: bool = False,
    by: User | None = None,
    seed: int = 0,
    progress: Progress | None = None,
    now: datetime | None = None,
    lock_held: bool = False,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
) -> RoundSummary:
    """One matching round over the waiting pool.

    A dry run computes and reports the groups but writes nothing (the caller
    rolls back). A real round takes the database lock first, so exactly one
    process runs a round at a time; if it is taken, nothing happens.
    ``lock_held``: the caller (the scheduler) already took the lock. The grouping
    search stops after ``time_budget`` seconds, so a round's time is bounded.
    """
    now = now or utcnow()
    started = time.perf_counter()
    summary = RoundSummary(dry_run=dry_run)
    step = progress or _no_progress
    if not dry_run and not lock_held and not acquire_round_lock(now):
        summary.skipped_locked = True
        return summary
    try:
        _form_round(summary, seed=seed, step=step, now=now, time_budget=time_budget)
        if not dry_run:
            step("saving proposals", 3, 4)
            _persist_round(summary, by=by, now=now)
            # Stored in the round's transaction: whichever process commits it (CLI,
            # console, schedule), every server's dispatcher delivers them.
            notifications.notify(
                summary.notify_user_ids,
                "group_proposed",
                NEW_PROPOSAL_TEXT,
                "/groups",
                dedupe_key=f"group_proposed:round:{summary.round_id}",
            )
            # Released in the round's own transaction: the lock opens when it commits.
            db.session.execute(
                update(MatchLock)
                .where(MatchLock.name == ROUND_LOCK, MatchLock.holder == _holder())
                .values(holder=None, until=None)
            )
    except BaseException:
        db.session.rollback()
        if not dry_run:
            release_round_lock()
        raise
    summary.duration_ms = int((time.perf_counter() - started) * 1000)
    step("done", 4, 4)
    return summary


def _no_progress(_label: str, _done: int, _total: int) -> None:
    return None


def _form_round(
    summary: RoundSummary,
    *,
    seed: int,
    step: Progress,
    now: datetime,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
) -> None:
    step("expiring old proposals", 0, 4)
    summary.expired_proposals = expire_due_proposals(now=now)
    step("loading the waiting pool", 1, 4)
    pool = profiles.waiting_profiles()
    summary.pool_size = len(pool)
    candidates = [candidate_from(person.user_id, person.document) for person in pool]
    if not summary.dry_run:
        summary.notify_user_ids.extend(backfill.plan_backfills(now=now, lifetime=PROPOSAL_LIFETIME))
        by_id = {int(c.user_id): c for c in candidates}
        invited = backfill.fill_backfills(
            by_id,
            kept_apart=backfill.kept_apart_pairs(list(by_id), now),
            to_candidate=candidate_from,
            now=now,
            lifetime=PROPOSAL_LIFETIME,
        )
        summary.backfilled = sorted(invited)
        summary.notify_user_ids.extend(invited)
        candidates = [c for c in candidates if int(c.user_id) not in invited]
    step("forming groups", 2, 4)
    labels = load_taxonomy().labels()
    if not candidates:
        return
    chosen = learned.model_for_round()
    result = form_groups(
        candidates,
        seed=seed,
        labels=labels,
        time_budget=time_budget,
        compatibility=chosen[1] if chosen else None,
        compatibility_blend=current_app.config["COMPATIBILITY_BLEND"],
    )
    summary.model_version = chosen[0] if chosen else None
    waiting: dict[Any, str] = dict(result.waiting)
    pairs = _cooldown_pairs((person.user_id for person in pool), now)
    groups = _respect_cooldowns(list(result.groups), waiting, pairs, QUORUM)
    summary.waiting = {int(user_id): code for user_id, code in waiting.items()}
    summary.groups = [
        {
            "member_ids": [int(m) for m in group.member_ids],
            "score": round(float(group.score), 4),
            "shared_interests": list(group.shared_interests),
            "summary": group.summary,
            "name": _group_name(group, labels),
        }
        for group in groups
    ]
    summary.why_i18n = [why_json(group) for group in groups]
    if groups:
        summary.mean_score = sum(float(g.score) for g in groups) / len(groups)


def _persist_round(summary: RoundSummary, *, by: User | None, now: datetime) -> None:
    match_round = MatchRound(
        started_at=now,
        finished_at=utcnow(),
        started_by_id=by.id if by else None,
        pool_size=summary.pool_size,
        groups_formed=len(summary.groups),
        people_grouped=summary.grouped,
        people_waiting=len(summary.waiting),
        mean_score=summary.mean_score,
        model_version=summary.model_version,
    )
    db.session.add(match_round)
    db.session.flush()
    summary.round_id = match_round.id
    for group, why in zip(summary.groups, summary.why_i18n, strict=True):
        proposal = Proposal(
            round_id=match_round.id,
            name=group["name"],
            score=group["score"],
            shared_interests=json.dumps(group["shared_interests"]),
            summary=group["summary"][:300],
            summary_i18n=why,
            created_at=now,
            expires_at=now + PROPOSAL_LIFETIME,
        )
        proposal.members = [ProposalMember(user_id=uid) for uid in group["member_ids"]]
        db.session.add(proposal)
        db.session.flush()
        group["proposal_id"] = proposal.id
        profiles.remove_from_pool(group["member_ids"])
        summary.notify_user_ids.extend(group["member_ids"])
    for user_id, code in summary.waiting.items():
        profiles.record_wait_reason(
            user_id, code, WAIT_REASONS.get(code, WAIT_REASONS["pool_too_small"])
        )
    match_round.duration_ms = int((utcnow() - now).total_seconds() * 1000)
    db.session.flush()


def notify(user_ids: Sequence[int], text: str, code: str = "proposal") -> None:
    """Tell people who are online, calmly, on their open pages (after commit)."""
    for user_id in set(user_ids):
        socketio.emit(
            "notice",
            {"level": "info", "code": code, "text": text},
            to=f"user:{user_id}",  # the per-user Socket.IO room rooms/ keeps for each person
            namespace="/chat",
        )


def announce_round(summary: RoundSummary) -> None:
    """After the round's commit: tell people with a room page open (a page notice).

    Everyone also has a stored notification (``group_proposed``), written in the
    round's own transaction and delivered by the notifications dispatcher.
    """
    notify(summary.notify_user_ids, NEW_PROPOSAL_TEXT)


def tell(
    user_ids: Iterable[int], kind: str, text: str, url: str, *, dedupe_key: str | None = None
) -> None:
    """Store a notification for each person in the caller's transaction (flush only)."""
    ids = sorted({int(uid) for uid in user_ids})
    if ids:
        notifications.notify(ids, kind, text, url, dedupe_key=dedupe_key)


#: Reminders before a suggestion closes: (how long before, dedupe tag).
EXPIRY_REMINDERS = ((timedelta(hours=2), "2h"), (timedelta(hours=24), "24h"))


def remind_expiring(*, now: datetime | None = None) -> int:
    """Remind people who have not answered a suggestion that closes within 24 h (and
    again within 2 h): once each, whichever process ticks (``dedupe_key``)."""
    now = now or utcnow()
    soon = db.session.scalars(
        select(Proposal).where(
            Proposal.status == ProposalStatus.PENDING,
            Proposal.expires_at > now,
            Proposal.expires_at <= now + EXPIRY_REMINDERS[-1][0],
            Proposal.members.any(ProposalMember.response == Response.PENDING),
        )
    ).all()
    reminded = 0
    for proposal in soon:
        left = proposal.expires_at - now
        tag = next(t for w, t in EXPIRY_REMINDERS if left <= w)
        waiting = [m.user_id for m in proposal.members if m.response is Response.PENDING]
        for user_id in waiting:
            deadline = deadline_text(proposal.expires_at, timezone_of(user_id), now=now)
            text = (
                f"A group suggestion is waiting for your answer, {deadline}. "
                "Yes or no are both fine."
            )
            created = notifications.notify(
                [user_id],
                "proposal_expiring",
                text,
                "/groups",
                dedupe_key=f"proposal-expiring:{proposal.id}:{tag}",
            )
            reminded += len(created)
    if soon:
        db.session.flush()
    return reminded


def timezone_of(user_id: int) -> str:
    return str(profiles.get_document(user_id).get("timezone") or "UTC")


def when_text(
    when: datetime, timezone: str | None, *, now: datetime | None = None, locale: str = "en"
) -> tuple[str, str]:
    """(``Thursday 18:53``, ``in 2 days``): a moment in the person's own time zone and
    how far it is from now."""
    now = now or utcnow()
    try:
        zone: tzinfo = ZoneInfo(timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    local = format_datetime(when, "EEEE HH:mm", tzinfo=zone, locale=locale)
    relative = format_timedelta(
        when - now, add_direction=True, threshold=1.5, format="long", locale=locale
    )
    return local, relative


def deadline_text(
    when: datetime, timezone: str | None, *, now: datetime | None = None, locale: str = "en"
) -> str:
    """``until Thursday 18:53, in 2 days`` in the person's own time zone."""
    local, relative = when_text(when, timezone, now=now, locale=locale)
    return f"until {local}, {relative}"


# --- leaving and joining rooms -----------------------------------------------------

LEFT_TEXT = N_("Someone has moved on from your group. The room stays open for you.")
SMALLER_TEXT = N_(
    "Your group is smaller now. Would you like us to invite a few new people? "
    "You can answer on your groups page."
)
JOINED_TEXT = N_("Someone new has joined your group's room. Say hello whenever you're ready.")


def member_left(
    *, room_id: int, user_id: int, remaining_member_ids: Sequence[int], name: str, now: datetime
) -> None:
    """Someone left a room: tell the others; below three, offer newcomers (flush only)."""
    remaining = [uid for uid in remaining_member_ids if uid != user_id]
    if not remaining:
        return
    tell(remaining, "group_changed", LEFT_TEXT, f"/rooms/{room_id}")
    if len(remaining) < QUORUM:
        asked = backfill.plan_backfill(
            room_id, name, remaining, now=now, lifetime=PROPOSAL_LIFETIME
        )
        tell(asked, "group_changed", SMALLER_TEXT, "/groups")


ROOM_OPENED_TEXT = N_("Your group is ready: the room is open whenever you are.")

NEW_PROPOSAL_TEXT = N_(
    "We found a small group you might like. Have a look on your groups page when you're ready."
)


# --- proposals -------------------------------------------------------------------


def get_proposal(proposal_id: int) -> Proposal | None:
    return db.session.get(Proposal, proposal_id)


def _membership(proposal: Proposal, user: User) -> ProposalMember:
    for member in proposal.members:
        if member.user_id == user.id:
            return member
    raise MatchingError(404, "not_found", _l("We couldn't find that group suggestion."))


def _answerable(proposal: Proposal, member: ProposalMember, now: datetime) -> None:
    if proposal.status in (ProposalStatus.CANCELLED, ProposalStatus.EXPIRED) or (
        proposal.expires_at <= now and member.response is Response.PENDING
    ):
        raise MatchingError(
            409,
            "proposal_closed",
            _l("This suggestion has closed. You're welcome to wait for the next one."),
        )
    if member.response is Response.DECLINED:
        raise MatchingError(
            409, "already_declined", _l("You said no to this group, and that's okay.")
        )
    if member.response is Response.EXPIRED:
        raise MatchingError(
            409,
            "proposal_closed",
            _l("This suggestion has closed. You're welcome to wait for the next one."),
        )


#: A new room's first round, shown in each member's language (``i18n.StoredText``).
OPENING_PROMPT_SHARED = N_(
    "Welcome, everyone. You were matched because you share %(interests)s. There's no "
    "pressure to talk: listening counts too. If you'd like to start, what's one small "
    "thing that made you smile this week? You can answer, react, or pass."
)
OPENING_PROMPT = N_(
    "Welcome, everyone. There's no pressure to talk: listening counts too. If you'd like "
    "to start, what's one small thing that made you smile this week? You can answer, "
    "react, or pass."
)


def opening_prompt(proposal: Proposal) -> StoredText:
    """The room's opening prompt; the shared interests are taxonomy labels (msgids),
    so each reader sees them in their language too."""
    shared = json.loads(proposal.shared_interests or "[]")
    labels = load_taxonomy().labels()
    liked = tuple(labels.get(s, s.replace("-", " ")) for s in shared[:2])
    if liked:
        return StoredText(OPENING_PROMPT_SHARED, {"interests": liked})
    return StoredText(OPENING_PROMPT)


@dataclass
class AcceptOutcome:
    proposal: Proposal
    room_id: int | None
    #: This acceptance reached quorum and opened the room.
    opened_room: bool


def accept(proposal: Proposal, user: User, *, now: datetime | None = None) -> AcceptOutcome:
    """Accept a group suggestion; at quorum the room opens, later acceptances join it."""
    now = now or utcnow()
    member = _membership(proposal, user)
    _answerable(proposal, member, now)
    if member.response is Response.ACCEPTED:
        return AcceptOutcome(proposal, proposal.room_id, False)
    member.response = Response.ACCEPTED
    member.responded_at = now
    db.session.flush()
    if proposal.kind is ProposalKind.BACKFILL:
        return _accept_backfill(proposal, member)
    if proposal.status is ProposalStatus.CONFIRMED and proposal.room_id is not None:
        signals.group_member_accepted.send(_app(), room_id=proposal.room_id, member_id=user.id)
        return AcceptOutcome(proposal, proposal.room_id, False)
    accepted = [m.user_id for m in proposal.members if m.response is Response.ACCEPTED]
    if len(accepted) < QUORUM:
        return AcceptOutcome(proposal, None, False)
    room_id = _open_room(proposal, accepted)
    proposal.status = ProposalStatus.CONFIRMED
    proposal.confirmed_at = now
    proposal.room_id = room_id
    notifications.notify(
        [uid for uid in accepted if uid != user.id],
        "group_opened",
        ROOM_OPENED_TEXT,
        f"/rooms/{room_id}",
        dedupe_key=f"group_opened:{room_id}",
    )
    db.session.flush()
    return AcceptOutcome(proposal, room_id, True)


def _accept_backfill(proposal: Proposal, member: ProposalMember) -> AcceptOutcome:
    """Existing members opting in just say yes; a newcomer joins the room at once."""
    if member.is_existing_member or proposal.room_id is None:
        return AcceptOutcome(proposal, None, False)
    signals.group_member_accepted.send(_app(), room_id=proposal.room_id, member_id=member.user_id)
    accepted = [m for m in proposal.members if m.response is Response.ACCEPTED]
    tell(
        (m.user_id for m in accepted if m.user_id != member.user_id),
        "group_changed",
        JOINED_TEXT,
        f"/rooms/{proposal.room_id}",
    )
    if len(accepted) >= QUORUM:
        proposal.status = ProposalStatus.CONFIRMED
        proposal.confirmed_at = member.responded_at
    db.session.flush()
    return AcceptOutcome(proposal, proposal.room_id, False)


def _open_room(proposal: Proposal, member_ids: list[int]) -> int:
    results = signals.group_confirmed.send(
        _app(),
        proposal_id=proposal.id,
        name=proposal.name,
        member_ids=member_ids,
        opening_prompt=opening_prompt(proposal),
    )
    room_ids = [value for _receiver, value in results if isinstance(value, int)]
    if not room_ids:
        raise MatchingError(
            503, "unavailable", _l("Rooms can't be opened right now. Please try again soon.")
        )
    return room_ids[0]


def _add_cooldowns(user_id: int, others: Iterable[int], now: datetime) -> None:
    for other in others:
        if other == user_id:
            continue
        low, high = sorted((user_id, other))
        existing = db.session.scalars(
            select(MatchCooldown).where(
                MatchCooldown.user_low_id == low, MatchCooldown.user_high_id == high
            )
        ).first()
        if existing:
            existing.until = max(existing.until, now + DECLINE_COOLDOWN)
        else:
            db.session.add(
                MatchCooldown(user_low_id=low, user_high_id=high, until=now + DECLINE_COOLDOWN)
            )


def decline(proposal: Proposal, user: User, *, now: datetime | None = None) -> Proposal:
    """Say no, no reason asked. The person returns to the pool without penalty; if a
    group can no longer form, everyone else returns too."""
    now = now or utcnow()
    member = _membership(proposal, user)
    _answerable(proposal, member, now)
    if member.response is Response.ACCEPTED and proposal.status is ProposalStatus.CONFIRMED:
        raise MatchingError(
            409,
            "already_in_room",
            _l("You're already in this group's room; you can leave it from the room."),
        )
    member.response = Response.DECLINED
    member.responded_at = now
    if proposal.kind is ProposalKind.BACKFILL and member.is_existing_member:
        # A member of the room would rather not have newcomers: nobody is invited.
        _close(proposal, ProposalStatus.CANCELLED, now, _DIDNT_FORM)
        db.session.flush()
        return proposal
    _add_cooldowns(user.id, (m.user_id for m in proposal.members), now)
    profiles.return_to_pool(user.id, _BACK_IN_POOL, code="declined")
    if proposal.kind is ProposalKind.BACKFILL:
        db.session.flush()
        return proposal
    still_possible = [
        m for m in proposal.members if m.response in (Response.ACCEPTED, Response.PENDING)
    ]
    if proposal.status is ProposalStatus.PENDING and len(still_possible) < QUORUM:
        _close(proposal, ProposalStatus.CANCELLED, now, _DIDNT_FORM)
    db.session.flush()
    return proposal


def _close(proposal: Proposal, status: ProposalStatus, now: datetime, reason: str) -> None:
    """End a proposal; everyone it was holding out of the pool goes back, first in line.

    People already in the proposal's room (and a backfill room's own members) stay put.
    """
    proposal.status = status
    for member in proposal.members:
        in_room = proposal.room_id is not None and (
            member.is_existing_member
            or (member.response is Response.ACCEPTED and proposal.kind is ProposalKind.BACKFILL)
        )
        if member.response is Response.PENDING or (
            member.response is Response.ACCEPTED and not in_room
        ):
            member.response = Response.EXPIRED
            member.responded_at = now
            if not member.is_existing_member:
                profiles.return_to_pool(member.user_id, reason, code="group_did_not_form")


def expire_due_proposals(*, now: datetime | None = None) -> int:
    """Close suggestions older than 48 h; everyone not in a room returns to the pool."""
    now = now or utcnow()
    due = db.session.scalars(
        select(Proposal).where(
            Proposal.expires_at <= now,
            Proposal.status.in_([ProposalStatus.PENDING, ProposalStatus.CONFIRMED]),
            # Pending proposals always have someone still to answer; confirmed
            # ones matter only while someone has not answered yet.
            Proposal.members.any(ProposalMember.response == Response.PENDING),
        )
    ).all()
    for proposal in due:
        if proposal.status is ProposalStatus.PENDING:
            _close(proposal, ProposalStatus.EXPIRED, now, _DIDNT_FORM)
            continue
        # Confirmed: the room is open; only those who never answered are released.
        for member in proposal.members:
            if member.response is Response.PENDING:
                member.response = Response.EXPIRED
                member.responded_at = now
                profiles.return_to_pool(member.user_id, _DIDNT_FORM, code="proposal_expired")
    db.session.flush()
    return len(due)


# --- what people see ---------------------------------------------------------------


def proposals_for(user: User) -> list[Proposal]:
    """Suggestions the person can still act on or has just joined, newest first."""
    return list(
        db.session.scalars(
            select(Proposal)
            .join(ProposalMember, ProposalMember.proposal_id == Proposal.id)
            .where(ProposalMember.user_id == user.id)
            .where(ProposalMember.response.in_([Response.PENDING, Response.ACCEPTED]))
            .where(Proposal.status.in_([ProposalStatus.PENDING, ProposalStatus.CONFIRMED]))
            .order_by(Proposal.created_at.desc(), Proposal.id.desc())
        )
    )


def why_json(group: Group) -> str:
    """A group's why, sentence by sentence, as ``Proposal.summary_i18n`` stores it."""
    return json.dumps(
        [StoredText(reason.msgid, reason.params).to_data() for reason in group.reasons],
        ensure_ascii=False,
    )


def why_summary(proposal: Proposal) -> str:
    """A proposal's "why this group" in the current locale (the request's).

    Rows stored before ``summary_i18n`` existed show their English summary,
    translated when it is exactly one of our msgids (the backfill offer).
    """
    if proposal.summary_i18n:
        try:
            data: Any = json.loads(proposal.summary_i18n)
        except ValueError:
            data = None
        texts = [StoredText.from_data(item) for item in data] if isinstance(data, list) else []
        if texts and all(text is not None for text in texts):
            return " ".join(text.translated() for text in texts if text is not None)
    return gettext(proposal.summary) if proposal.summary else ""


def proposal_payload(proposal: Proposal, viewer: User) -> dict[str, Any]:
    """CONTRACT §3 proposal object. Others are shown by handle, interests and seat only."""
    labels = localized.labels()
    shared = json.loads(proposal.shared_interests or "[]")
    members = []
    mine = None
    for member in proposal.members:
        user = db.session.get(User, member.user_id)
        if member.user_id == viewer.id:
            mine = member.response.value
        if (
            user is None
            or not user.is_active
            or member.response in (Response.DECLINED, Response.EXPIRED)
        ):
            continue  # people who said no are not shown, and neither are their reasons
        document = profiles.get_document(member.user_id)
        members.append(
            {
                "handle": user.handle,
                "interests": [labels.get(s, s) for s in document.get("interests") or []][:8],
                "seat": _TALK_SEAT.get(str(document.get("talk_style")), "sharing"),
                "accepted": member.response is Response.ACCEPTED,
                "is_you": member.user_id == viewer.id,
            }
        )
    return {
        "id": proposal.id,
        "status": proposal.status.value,
        "kind": proposal.kind.value,
        "name": proposal.name,
        "members": members,
        "why": {
            "shared_interests": [labels.get(s, s) for s in shared],
            "summary": why_summary(proposal),
        },
        "expires_at": proposal.expires_at.isoformat(),
        "your_response": mine,
        "room_id": proposal.room_id,
    }


def member_rooms(user: User) -> list[dict[str, Any]]:
    """The person's rooms, as rooms/ reports them through ``signals.collect_member_rooms``."""
    rooms: list[dict[str, Any]] = []
    for _receiver, value in signals.collect_member_rooms.send(user, user=user):
        if value:
            rooms.extend(value)
    return rooms


def export_for(user: User) -> dict[str, Any]:
    rows = db.session.scalars(select(ProposalMember).where(ProposalMember.user_id == user.id)).all()
    return {
        "meet_again_answers": meet_again.export_for(user),
        "proposals": [
            {
                "proposal_id": row.proposal_id,
                "response": row.response.value,
                "responded_at": row.responded_at.isoformat() if row.responded_at else None,
            }
            for row in rows
        ],
    }


def delete_for(user: User) -> None:
    """Forget the person's place in proposals and cool-downs (answers stay anonymous)."""
    meet_again.anonymise_for(user)
    for answer in db.session.scalars(
        select(ProposalMember).where(ProposalMember.user_id == user.id)
    ):
        db.session.delete(answer)
    for row in db.session.scalars(
        select(MatchCooldown).where(
            or_(MatchCooldown.user_low_id == user.id, MatchCooldown.user_high_id == user.id)
        )
    ):
        db.session.delete(row)
    db.session.flush()
