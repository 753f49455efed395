"""How rooms answers other packages' signals (they never import rooms)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

import signals
from accounts.export_view import ExportWords
from accounts.models import User
from db import db
from i18n import N_, StoredText
from rooms import account_data, admin, broadcast, care, payloads, queries, quorum
from rooms.membership import add_member
from rooms.models import Message, MessageKind

SANCTION_TEXTS = {
    "mute": (
        "warning",
        "muted",
        "A moderator has paused your posting for a little while. You can still read "
        "along, and reactions will be back when the pause ends.",
    ),
    "warn": (
        "warning",
        "warned",
        "A moderator sent you a gentle reminder about the community guidelines.",
    ),
}


def on_sessions_ended(
    sender: Any, user: User | None = None, session_key: str | None = None, **_: Any
) -> None:
    """Logout closes that login's sockets; deletion (no key) closes all the user's."""
    if session_key:
        broadcast.disconnect_session(session_key)
    elif user is not None:
        broadcast.disconnect_user(user.id)


def on_member_sanctioned(
    sender: Any,
    user_id: int | None = None,
    kind: str | None = None,
    room_id: int | None = None,
    reason: str | None = None,
    text: str | None = None,
    **_: Any,
) -> None:
    """Tell the member, kindly, and take away what the sanction takes away.

    ``text`` is moderation's sentence for the person, saying until when.
    """
    if user_id is None:
        return
    if kind == "ban":
        broadcast.removed(
            user_id, None, text or reason or "Your account can't take part right now."
        )
    elif kind == "remove_from_room" and room_id is not None:
        broadcast.removed(
            user_id, room_id, text or reason or "A moderator took you out of this room."
        )
    elif kind in SANCTION_TEXTS:
        level, code, default_text = SANCTION_TEXTS[kind]
        broadcast.notice(
            user_id=user_id, room_id=room_id, level=level, code=code, text=text or default_text
        )


def on_group_confirmed(
    sender: Any,
    proposal_id: int | None = None,
    name: str | None = None,
    member_ids: Sequence[int] = (),
    opening_prompt: str | StoredText | None = None,
    **_: Any,
) -> int:
    """A matched group reached quorum: open its room with an opening prompt."""
    members = [u for uid in member_ids if (u := db.session.get(User, uid)) and u.is_active]
    room = admin.create_room(
        name or "A new group",
        members,
        opening_prompt=opening_prompt or DEFAULT_OPENING_PROMPT,
        origin_proposal_id=proposal_id,
    )
    return room.id


def on_group_member_accepted(
    sender: Any, room_id: int | None = None, member_id: int | None = None, **_: Any
) -> int | None:
    room = queries.get_room(room_id) if room_id is not None else None
    user = db.session.get(User, member_id) if member_id is not None else None
    if room is None or user is None or not user.is_active:
        return None
    return add_member(room, user).id


def on_collect_export(sender: Any, user: User | None = None, **_: Any) -> tuple[str, Any]:
    target = user if user is not None else sender
    return "rooms", account_data.export_for(target)


def on_account_deleting(sender: Any, user: User | None = None, **_: Any) -> None:
    person = user if user is not None else sender
    care.forget_person(person)  # before the memberships that find their rooms go
    account_data.delete_for(person)


def on_collect_member_rooms(sender: User, **_: Any) -> list[dict[str, Any]]:
    rooms = care.sort_care_first(queries.member_rooms(sender))
    return [payloads.room_summary(room, unread) for room, unread in rooms]


DEFAULT_OPENING_PROMPT = StoredText(
    N_(
        "Welcome, everyone. There's no rush here. If you like, say hello and share one "
        "small thing that made today a bit easier, or just listen for now. Both are welcome."
    )
)

#: Demo rooms: a name, an opening prompt and a calm exchange (written for Hearth).
DEMO_ROOMS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "Evening tea and quiet hobbies",
        N_("What's something small you're looking forward to this week?"),
        (
            "Hi all. I'm looking forward to finishing a jigsaw I started on Sunday.",
            "That sounds lovely. I'm hoping the rain stops so I can walk by the canal.",
            "I'm mostly reading along tonight, but it's nice to be here.",
            "Reading along counts. Welcome 🙂",
            "I made a pot of mint tea and it's the best part of my day so far.",
        ),
    ),
    (
        "New in town",
        N_("If you feel like it: what's one place near you that feels a bit like home?"),
        (
            "I moved here in spring and still don't really know anyone.",
            "Same here. The library has become my favourite place, it's calm.",
            "There's a bakery on my street where they remember my order. It helps.",
            "That's such a small thing but I get it. Being recognised feels good.",
        ),
    ),
    (
        "Gentle Sunday walkers",
        N_("How are you arriving today, in one word or a few?"),
        (
            "Tired, but okay.",
            "A bit flat. I walked around the park this morning and it helped a little.",
            "Flat days are allowed. Thanks for saying it out loud.",
            "I saw two herons on my walk. Sharing in case it makes anyone smile.",
            "It did! Herons always look so serious.",
        ),
    ),
)


def on_demo_population_created(
    sender: Any,
    members: Sequence[User] = (),
    moderators: Sequence[User] = (),
    **_: Any,
) -> str | None:
    """A few open rooms of 4–5 demo members with a short, calm conversation."""
    rng = sender if isinstance(sender, random.Random) else random.Random(0)  # noqa: S311  # demo data
    pool = [m for m in members if m.is_active]
    rooms = 0
    start = 0
    for name, prompt, lines in DEMO_ROOMS:
        size = rng.choice((4, 5))
        group = pool[start : start + size]
        if len(group) < 3:
            break
        start += size
        room = admin.create_room(name, group, opening_prompt=StoredText(prompt))
        for index, line in enumerate(lines):
            author = group[index % len(group)]
            db.session.add(
                Message(
                    room_id=room.id,
                    author_id=author.id,
                    kind=MessageKind.USER,
                    body=line,
                )
            )
        db.session.flush()
        rooms += 1
    if not rooms:
        return None
    return f"Rooms: {rooms} open rooms with a short sample conversation."


def on_describe_export(sender: Any, **_: Any) -> ExportWords:
    """The reasons a report can give, in the words of the report form."""
    from rooms.constants import REPORT_REASON_LABELS

    return ExportWords(values={("reports_filed", "reason"): REPORT_REASON_LABELS})


def connect() -> None:
    signals.sessions_ended.connect(on_sessions_ended)
    signals.member_sanctioned.connect(on_member_sanctioned)
    signals.group_confirmed.connect(on_group_confirmed)
    signals.group_member_accepted.connect(on_group_member_accepted)
    signals.collect_export.connect(on_collect_export)
    signals.account_deleting.connect(on_account_deleting)
    signals.collect_member_rooms.connect(on_collect_member_rooms)
    signals.demo_population_created.connect(on_demo_population_created)
    # How alive rooms are, for matching's backfill and meet-again (rooms/quorum.py).
    signals.collect_rooms_below_quorum.connect(quorum.on_collect_rooms_below_quorum)
    signals.collect_room_ages.connect(quorum.on_collect_room_ages)
    signals.describe_export.connect(on_describe_export)
