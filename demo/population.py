"""Builds the demo population through the domain services."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from accounts.models import Role, User
from accounts.passwords import hash_password
from accounts.service import find_by_handle, register_user
from signals import demo_population_created
from wellbeing import demo as wellbeing_demo

#: Shared by every demo account and printed by ``make run``; demo only.
DEMO_PASSWORD = "hearth demo password"  # noqa: S105  # published on purpose

_ADJECTIVES = (
    "quiet",
    "gentle",
    "sunny",
    "misty",
    "cozy",
    "amber",
    "velvet",
    "mossy",
    "silver",
    "willow",
    "autumn",
    "calm",
    "patient",
    "brave",
    "curious",
    "wandering",
    "soft",
    "steady",
    "lucky",
    "kind",
)
_NOUNS = (
    "otter",
    "heron",
    "fern",
    "lantern",
    "teapot",
    "sparrow",
    "pebble",
    "harbor",
    "maple",
    "badger",
    "comet",
    "meadow",
    "kettle",
    "puffin",
    "cedar",
    "robin",
    "tide",
    "biscuit",
    "owl",
    "quill",
)


@dataclass
class SeedSummary:
    members: list[User] = field(default_factory=list)
    moderators: list[User] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        lines = [
            f"Demo data: {len(self.members)} members, {len(self.moderators)} moderators "
            f"({', '.join(u.handle or '' for u in self.moderators)}) and an admin (demo_admin)."
        ]
        lines.extend(self.notes)
        return "\n".join(lines)


def _unique_handle(rng: random.Random, taken: set[str]) -> str:
    while True:
        handle = f"{rng.choice(_ADJECTIVES)}_{rng.choice(_NOUNS)}"
        if handle in taken:
            handle = f"{handle}{rng.randint(2, 99)}"
        if handle not in taken and find_by_handle(handle) is None:
            taken.add(handle)
            return handle


def seed_population(*, users: int, seed: int) -> SeedSummary:
    """Create ``users`` members, two moderators and an admin; flushes, never commits."""
    rng = random.Random(seed)  # noqa: S311  # repeatable demo data, not security
    summary = SeedSummary()
    taken: set[str] = set()
    if find_by_handle("demo_admin") is None:
        register_user("demo_admin", DEMO_PASSWORD, role=Role.ADMIN)
    for handle in ("demo_moderator", "demo_moderator2"):
        summary.moderators.append(
            find_by_handle(handle) or register_user(handle, DEMO_PASSWORD, role=Role.MODERATOR)
        )
    # One argon2 hash serves every demo member: they share a password, and hashing
    # thousands of times would make `seed-demo --users 5000` take minutes.
    shared_hash = hash_password(DEMO_PASSWORD)
    for _ in range(users):
        handle = _unique_handle(rng, taken)
        summary.members.append(register_user(handle, DEMO_PASSWORD, password_hash=shared_hash))
    for _receiver, note in demo_population_created.send(
        rng, members=summary.members, moderators=summary.moderators
    ):
        if note:
            summary.notes.append(str(note))
    # After the rooms exist (receivers run in no guaranteed order): wellbeing's
    # simulated history follows who is in a group.
    note = wellbeing_demo.seed(rng, members=summary.members)
    if note:
        summary.notes.append(note)
    return summary
