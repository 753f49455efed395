"""Group formation: small, compatible, balanced groups from a waiting pool.

Pure module: imports only the standard library, numpy, scipy and scikit-learn.

The path of a match (see DESIGN.md):

1. :func:`matching.features.build_features` turns candidates into similarity
   vectors and hard-constraint bitmasks.
2. :func:`matching.features.compatible_neighbors` finds everyone's most similar
   *compatible* people (exact below 8k people, blocked search above).
3. A capped agglomerative merge over that graph builds groups, merging the most
   similar pairs first and never letting a group break a hard rule or grow past
   its size target. Pools of up to 200 people also try a greedy hardest-first
   constructor and keep whichever ends better by (people grouped, objective).
4. Repair places everyone left over (new groups among them, joining a group with
   room, or taking two people from a large group), and gives anyone still
   unplaced a waiting reason.
5. A local search moves and swaps people between neighbouring groups while the
   objective improves, evaluated with group sum vectors, in vectorised batches;
   it stops after ``max_passes`` or at the time box, then repair runs again.
   Without a time box (``time_budget=None``) the result depends only on the
   input and the seed.

Hard rules (never broken): size ``min_size..max_size``; one language shared by
all; at least ``MIN_SHARED_HOURS`` UTC hours shared by all ``live`` members
(``slow`` members are asynchronous and need none); nobody lists as an interest a
topic another member avoids.

Objective (maximised): for every group, the sum over its members of their mean
cosine similarity to the others, minus soft penalties: talk-style balance (bad
if listeners are a strict majority or everyone has the same style), members in a
group larger than their preferred maximum, distance from the size target (5,
lowered to the smallest preferred maximum in the group, never below
``min_size``), mixed pace and mixed support style.
"""

from __future__ import annotations

import time
from collections.abc import Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import numpy as np

from matching.explain import N_, Reason, english, learned_reason, reasons, shared_interests
from matching.features import (
    HOURS_PER_WEEK,
    MIN_SHARED_HOURS,
    PACES,
    SUPPORT_STYLES,
    Candidate,
    FeatureSet,
    build_features,
    compatible_block,
    compatible_neighbors,
    to_words,
)
from matching.learning import DEFAULT_COMPATIBILITY_BLEND, CompatibilityModel, blend_features

__all__ = [
    "WAIT_REASONS",
    "Candidate",
    "Group",
    "GroupFormer",
    "GroupingResult",
    "PenaltyWeights",
    "form_groups",
    "is_valid_group",
]

UserId = int | str

#: Closed set of waiting reasons, each with the kind words a person sees (stored in
#: English, shown in the reader's language).
WAIT_REASONS: dict[str, str] = {
    "pool_too_small": N_(
        "There aren't enough people waiting yet to form a group. "
        "We'll try again as more people join."
    ),
    "no_shared_language": N_(
        "Nobody waiting right now shares one of your languages. We'll keep looking for you."
    ),
    "no_shared_time": N_(
        "Nobody who shares your language is free at the same times as you yet. "
        "Adding more times, or choosing a slow pace, can help."
    ),
    "avoid_conflicts": N_(
        "The people who could meet with you list a topic you'd rather avoid, "
        "so we held off to keep your group comfortable."
    ),
    "too_few_compatible": N_(
        "Only a few people fit your languages, times and topics right now, "
        "not enough for a whole group. We'll try again soon."
    ),
    "compatible_groups_full": N_(
        "The groups that suit you are full this round. You're first in line for the next one."
    ),
}

DEFAULT_TARGET_SIZE = 5
#: Hearth's rooms hold at most six people (the comfort counts are laid out for it).
MAX_GROUP_SIZE = 6
SMALL_POOL = 200
#: How many of each person's neighbours the constructor and local search look at.
CONSTRUCT_NEIGHBORS = 10
SEARCH_NEIGHBORS = 16
#: People scored together in one vectorised local-search step.
SEARCH_BATCH = 256
#: Leftovers are regrouped in chunks this large (exact pairwise work per chunk).
REPAIR_CHUNK = 4000
#: A move must improve the objective by more than this to count (float noise).
MIN_GAIN = 1e-4
#: Balance repair: ejection chains of at most this many moves, the best this many
#: partial chains kept per length, candidates from this many neighbours per member.
CHAIN_DEPTH = 4
CHAIN_BEAM = 24
CHAIN_NEIGHBORS = 12
#: At most this many candidate moves are scored per lopsided group, so the
#: repair's work is bounded per group and never runs into the time budget.
CHAIN_MAX_STEPS = 1500
#: When the first ``BALANCE_PROBE`` lopsided groups tried yield fewer than one
#: balanced group in ``BALANCE_MIN_YIELD``, the pool's comfort mix leaves little to
#: fix (e.g. 60% listeners: about half the groups cannot be balanced at all) and
#: the rest are not searched: each failed search costs as much as a success.
BALANCE_PROBE = 200
BALANCE_MIN_YIELD = 25
#: Most similarity (in "one member's mean similarity") a repair may give up to
#: balance a group; the objective as a whole must still improve.
BALANCE_MAX_COST = 0.25

# Column layout of the per-person "comfort counts" vector.
_STYLE = slice(0, 3)
_PREF = slice(3, 10)  # preferred maximum size 0..6 (only 2..6 used)
_PACE = slice(10, 12)
_SUPPORT = slice(12, 14)
_COUNT_COLUMNS = 14
_LISTENER = 0


@dataclass(frozen=True)
class PenaltyWeights:
    """Soft-constraint weights, in units of "one member's mean similarity"."""

    balance: float = 0.8
    above_preferred: float = 0.35
    off_target_size: float = 0.2
    mixed_pace: float = 0.15
    mixed_support: float = 0.03


@dataclass
class Group:
    """One proposed group and why it was formed."""

    member_ids: list[UserId]
    #: Mean pairwise cosine similarity of the members' interest vectors.
    score: float
    #: Interests most members share, most specific (rarest) first.
    shared_interests: list[str] = field(default_factory=list)
    #: What the group shares, in English (``reasons`` joined).
    summary: str = ""
    #: The same as whole sentences with their values, to show in a reader's language.
    reasons: list[Reason] = field(default_factory=list)
    #: What a learned compatibility model weighed that this group shares, in plain
    #: words (msgids of ``matching.learning.BLOCK_WORDS``; empty when no model was used).
    learned_reasons: list[str] = field(default_factory=list)


@dataclass
class GroupingResult:
    """Groups formed this round and a reason code for everyone still waiting."""

    groups: list[Group]
    waiting: dict[UserId, str]
    #: Diagnostics (timings, passes, objective); not part of the stable contract.
    stats: dict[str, float] = field(default_factory=dict)


# --------------------------------------------------------------------------- masks


@dataclass
class _Masks:
    """Hard-constraint summary of a set of people: what they all share."""

    languages: int
    hours: int
    avoided: int
    topics: int

    def admits(self, fs: FeatureSet, person: int) -> bool:
        """Whether ``person`` can join without breaking a hard rule."""
        return (
            self.languages & fs.language_masks[person] != 0
            and (self.hours & fs.time_masks[person]).bit_count() >= MIN_SHARED_HOURS
            and self.avoided & fs.topic_masks[person] == 0
            and self.topics & fs.avoid_masks[person] == 0
        )

    def add(self, fs: FeatureSet, person: int) -> None:
        self.languages &= fs.language_masks[person]
        self.hours &= fs.time_masks[person]
        self.avoided |= fs.avoid_masks[person]
        self.topics |= fs.topic_masks[person]


def _masks_of(fs: FeatureSet, people: Sequence[int]) -> _Masks:
    masks = _Masks(-1, -1, 0, 0)
    for person in people:
        masks.add(fs, person)
    return masks


def is_valid_group(fs: FeatureSet, people: Sequence[int]) -> bool:
    """Whether a set of people (by index) keeps every hard rule, size aside."""
    masks = _Masks(-1, -1, 0, 0)
    for person in people:
        if not masks.admits(fs, person):
            return False
        masks.add(fs, person)
    return True


# --------------------------------------------------------------------------- objective


class _Objective:
    """Vectorised group value: members' summed mean similarity minus penalties."""

    def __init__(self, min_size: int, max_size: int, target: int, weights: PenaltyWeights):
        self.min_size = min_size
        self.max_size = max_size
        self.target = target
        self.weights = weights
        self.pref_values = np.arange(_PREF.stop - _PREF.start)
        #: A penalty every group pays whatever moves are made (set per pool), taken
        #: off the local search's optimistic bounds so they keep filtering.
        self.floor = 0.0

    def value(self, sq: np.ndarray, size: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """Value of groups with squared sum norms ``sq``, sizes and comfort counts."""
        value: np.ndarray = _similarity_part(sq, size) - self.penalty(size, counts)
        return value

    def penalty(self, size: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """Soft-constraint penalty of groups given sizes and comfort counts."""
        w = self.weights
        styles = counts[:, _STYLE]
        # Graded so that each step towards balance pays off on its own.
        unbalanced = np.maximum(styles[:, _LISTENER] - size // 2, 0) + (styles.max(axis=1) == size)
        prefs = counts[:, _PREF]
        present = prefs > 0
        smallest_pref = np.where(present.any(axis=1), present.argmax(axis=1), self.max_size)
        target = np.minimum(
            np.maximum(np.minimum(smallest_pref, self.target), self.min_size), self.max_size
        )
        above = (prefs * (self.pref_values[None, :] < size[:, None])).sum(axis=1)
        mixed_pace = counts[:, _PACE].min(axis=1)
        mixed_support = counts[:, _SUPPORT].min(axis=1)
        penalty: np.ndarray = (
            w.balance * unbalanced
            + w.above_preferred * above
            + w.off_target_size * np.abs(size - target)
            + w.mixed_pace * mixed_pace
            + w.mixed_support * mixed_support
        )
        return penalty


def _is_unbalanced(counts: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Listeners a strict majority, or everyone the same talk style."""
    styles = counts[..., _STYLE]
    unbalanced: np.ndarray = (2 * styles[..., _LISTENER] > size) | (styles.max(axis=-1) == size)
    return unbalanced


def _comfort_counts(fs: FeatureSet, min_size: int, max_size: int) -> np.ndarray:
    n = fs.size
    counts = np.zeros((n, _COUNT_COLUMNS), dtype=np.int64)
    rows = np.arange(n)
    counts[rows, _STYLE.start + fs.talk_style] = 1
    prefs = np.clip(fs.max_size.astype(np.int64), min_size, max_size)
    counts[rows, _PREF.start + prefs] = 1
    counts[rows, _PACE.start + fs.pace] = 1
    counts[rows, _SUPPORT.start + fs.support] = 1
    return counts


# --------------------------------------------------------------------------- partition

_WORD = (1 << 64) - 1


def _similarity_part(sq: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Sum over members of their mean similarity to the others: (|S|^2 - s) / (s - 1)."""
    s = size.astype(np.float64)
    return np.where(size > 1, (sq - s) / np.maximum(s - 1.0, 1.0), 0.0)


@dataclass
class _Layout:
    """Column layout of packed hard-constraint words: AND kinds first, then OR kinds."""

    languages: slice
    hours: slice
    avoided: slice
    topics: slice

    @property
    def width(self) -> int:
        return int(self.topics.stop)

    @property
    def and_columns(self) -> int:
        """Languages and hours are intersected over members; avoided/topics united."""
        return int(self.hours.stop)


class _Words:
    """Packed uint64 hard-constraint words (last axis) for vectorised checks."""

    def __init__(self, words: np.ndarray, layout: _Layout):
        self.words = words
        self.layout = layout

    def take(self, index: np.ndarray | tuple[np.ndarray, ...]) -> _Words:
        return _Words(self.words[index], self.layout)

    def admits(self, person: _Words) -> np.ndarray:
        """Whether each person fits each group, broadcasting over leading axes."""
        lay, g, p = self.layout, self.words, person.words
        languages = (g[..., lay.languages] & p[..., lay.languages]).any(axis=-1)
        shared = np.bitwise_count(g[..., lay.hours] & p[..., lay.hours]).sum(axis=-1)
        conflict = (g[..., lay.avoided] & p[..., lay.topics]).any(axis=-1) | (
            g[..., lay.topics] & p[..., lay.avoided]
        ).any(axis=-1)
        fits: np.ndarray = languages & (shared >= MIN_SHARED_HOURS) & ~conflict
        return fits


def _combine(words: np.ndarray, present: np.ndarray, layout: _Layout, axis: int) -> np.ndarray:
    """AND the languages/hours and OR the topics of the ``present`` rows along ``axis``."""
    cut = layout.and_columns
    ones = np.uint64(_WORD)
    and_part = np.where(present[..., None], words[..., :cut], ones)
    or_part = np.where(present[..., None], words[..., cut:], np.uint64(0))
    return np.concatenate(
        [np.bitwise_and.reduce(and_part, axis=axis), np.bitwise_or.reduce(or_part, axis=axis)],
        axis=-1,
    )


class _Partition:
    """Groups under construction, with the sums and masks the search needs.

    Per group: member table, sum vector S, |S|^2, comfort counts, the value
    split into similarity and penalty, the packed hard masks of all members,
    and of "everyone but the member in slot j" (for swap feasibility).
    """

    def __init__(self, fs: FeatureSet, objective: _Objective, counts: np.ndarray):
        n = fs.size
        self.fs = fs
        self.objective = objective
        self.vectors = fs.vectors
        self.person_counts = counts
        self.slots = objective.max_size
        self.group_of = np.full(n, -1, dtype=np.int64)
        self.slot_of = np.full(n, -1, dtype=np.int64)
        self.self_dot = np.zeros(n)
        self.members: list[list[int]] = []
        language_bits = max([m.bit_length() for m in fs.language_masks] + [1])
        languages = to_words(fs.language_masks, language_bits)
        hours = to_words(fs.time_masks, HOURS_PER_WEEK)
        wl, wt, wa = languages.shape[1], hours.shape[1], fs.avoid_words.shape[1]
        self.layout = _Layout(
            slice(0, wl),
            slice(wl, wl + wt),
            slice(wl + wt, wl + wt + wa),
            slice(wl + wt + wa, wl + wt + 2 * wa),
        )
        self.person_words = _Words(
            np.hstack([languages, hours, fs.avoid_words, fs.topic_words]), self.layout
        )
        capacity = n // max(1, objective.min_size) + 1
        width = self.layout.width
        self.member_table = np.full((capacity, self.slots), -1, dtype=np.int64)
        self.sums = np.zeros((capacity, self.vectors.shape[1]), dtype=np.float32)
        self.sq = np.zeros(capacity)
        self.size = np.zeros(capacity, dtype=np.int64)
        self.counts = np.zeros((capacity, _COUNT_COLUMNS), dtype=np.int64)
        self.sim = np.zeros(capacity)
        self.pen = np.zeros(capacity)
        self.touched = np.zeros(capacity, dtype=bool)
        self.group_words = _Words(np.zeros((capacity, width), dtype=np.uint64), self.layout)
        self.without_words = _Words(
            np.zeros((capacity, self.slots, width), dtype=np.uint64), self.layout
        )
        self._not_self = ~np.eye(self.slots, dtype=bool)
        # Sparse dot products pay off when vectors have few non-zeros.
        self.sparse = fs.nonzero_cols.shape[1] * 3 <= self.vectors.shape[1]
        #: Column indexes already in the index type, so gathers need no cast per batch.
        self.cols = fs.nonzero_cols.astype(np.intp)
        # The swaps of the local search read every member of every neighbouring
        # group: their non-zeros (values, then column indexes as int32 bits) and
        # their dot with their own group's sum. Kept per group slot, a group's
        # members are one contiguous read instead of six random ones into
        # per-person tables, which is what the search spent most of its time on.
        z = fs.nonzero_cols.shape[1]
        self.person_nonzeros = np.hstack(
            [fs.nonzero_vals.astype(np.float32), fs.nonzero_cols.astype(np.int32).view(np.float32)]
        )
        self.member_nonzeros = np.zeros((capacity, self.slots, 2 * z), dtype=np.float32)
        self.member_self_dot = np.zeros((capacity, self.slots))

    def dot(self, people: np.ndarray, dense: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """x[people] · dense[rows], elementwise over the broadcast shape of both indexes."""
        return self.dots(people, [(dense, rows)])[0]

    def dots(
        self, people: np.ndarray, targets: Sequence[tuple[np.ndarray, np.ndarray]]
    ) -> list[np.ndarray]:
        """:meth:`dot` against several (dense, rows) targets, gathering x[people] once."""
        shape = np.broadcast_shapes(people.shape, *(rows.shape for _, rows in targets))
        people = np.broadcast_to(people, shape)
        results: list[np.ndarray] = []
        if self.sparse:
            cols = self.cols[people]
            vals = self.fs.nonzero_vals[people]
            for dense, rows in targets:
                # Flat indexes: np.take on a 1-D view beats 2-D fancy indexing by far.
                flat = (np.broadcast_to(rows, shape) * dense.shape[1])[..., None] + cols
                picked = np.take(dense.reshape(-1), flat)
                results.append(np.einsum("...z,...z->...", picked, vals, dtype=np.float64))
            return results
        vectors = self.vectors[people]
        for dense, rows in targets:
            product = np.einsum("...d,...d->...", vectors, dense[np.broadcast_to(rows, shape)])
            results.append(product.astype(np.float64))
        return results

    @property
    def capacity(self) -> int:
        return int(self.size.shape[0])

    def _grow(self, needed: int) -> None:
        """Make room for more groups (repair can create groups beyond n / min_size)."""
        extra = max(16, self.capacity // 2, needed - self.capacity)

        def grown(array: np.ndarray, fill: int = 0) -> np.ndarray:
            pad = np.full((extra, *array.shape[1:]), fill, dtype=array.dtype)
            return np.concatenate([array, pad])

        self.member_table = grown(self.member_table, -1)
        self.member_nonzeros = grown(self.member_nonzeros)
        self.member_self_dot = grown(self.member_self_dot)
        self.sums = grown(self.sums)
        self.sq = grown(self.sq)
        self.size = grown(self.size)
        self.counts = grown(self.counts)
        self.sim = grown(self.sim)
        self.pen = grown(self.pen)
        self.touched = grown(self.touched)
        self.group_words = _Words(grown(self.group_words.words), self.layout)
        self.without_words = _Words(grown(self.without_words.words), self.layout)

    @property
    def value(self) -> np.ndarray:
        return self.sim - self.pen

    def masks(self, gid: int) -> _Masks:
        """Scalar hard masks of a group, for one-off checks."""
        return _masks_of(self.fs, self.members[gid])

    # ----- bookkeeping
    def add_group(self, people: Sequence[int]) -> int:
        return self.add_groups([people])[0]

    def add_groups(self, groups: Sequence[Sequence[int]]) -> list[int]:
        """Create groups in bulk; returns their ids."""
        first = len(self.members)
        if first + len(groups) > self.capacity:
            self._grow(first + len(groups))
        ids = list(range(first, first + len(groups)))
        self.members.extend(list(g) for g in groups)
        self._refresh_many(np.array(ids, dtype=np.int64))
        return ids

    def _refresh(self, gid: int) -> None:
        self._refresh_many(np.array([gid], dtype=np.int64))

    def _refresh_many(self, gids: np.ndarray) -> None:
        """Recompute every per-group quantity of ``gids`` from their member lists."""
        table = np.full((gids.size, self.slots), -1, dtype=np.int64)
        for row, gid in enumerate(gids.tolist()):
            group = self.members[gid]
            if len(group) > self.slots:
                raise AssertionError("group above max_size")
            table[row, : len(group)] = group
        present = table >= 0
        safe = np.maximum(table, 0)
        size = present.sum(axis=1)
        weight = present[..., None]
        sums = (self.vectors[safe] * weight).sum(axis=1, dtype=np.float64)
        sq = np.einsum("gd,gd->g", sums, sums)
        counts = (self.person_counts[safe] * weight).sum(axis=1)
        self.member_table[gids] = table
        self.sums[gids] = sums
        self.sq[gids] = sq
        self.size[gids] = size
        self.counts[gids] = counts
        self.sim[gids] = _similarity_part(sq, size)
        self.pen[gids] = self.objective.penalty(size, counts)
        self.touched[gids] = True
        rows, slots = np.nonzero(present)
        people = table[rows, slots]
        self.group_of[people] = gids[rows]
        self.slot_of[people] = slots
        self.self_dot[people] = np.einsum(
            "pd,pd->p", self.vectors[people], sums[rows].astype(np.float32)
        )
        self.member_nonzeros[gids] = self.person_nonzeros[safe] * weight
        self.member_self_dot[gids] = np.where(present, self.self_dot[safe], 0.0)
        words = self.person_words.words[safe]
        self.group_words.words[gids] = _combine(words, present, self.layout, axis=1)
        others = present[:, None, :] & self._not_self[None, :, :]
        self.without_words.words[gids] = _combine(
            np.broadcast_to(words[:, None], (gids.size, self.slots, *words.shape[1:])),
            others,
            self.layout,
            axis=2,
        )

    def move(self, person: int, target: int, *, refresh: bool = True) -> None:
        """Move a person to ``target``; with ``refresh=False`` only the member
        lists change until :meth:`refresh` is called on both groups."""
        source = int(self.group_of[person])
        changed = [target]
        if source >= 0:
            self.members[source].remove(person)
            changed.append(source)
        self.members[target].append(person)
        if refresh:
            self._refresh_many(np.array(changed, dtype=np.int64))

    def swap(self, a: int, b: int, *, refresh: bool = True) -> None:
        """Exchange two people's groups (``refresh`` as for :meth:`move`)."""
        ga, gb = int(self.group_of[a]), int(self.group_of[b])
        self.members[ga][self.members[ga].index(a)] = b
        self.members[gb][self.members[gb].index(b)] = a
        if refresh:
            self._refresh_many(np.array([ga, gb], dtype=np.int64))

    def refresh(self, gids: np.ndarray) -> None:
        """Bring the sums, masks and indexes of ``gids`` up to their member lists."""
        self._refresh_many(gids)

    def regroup(self, gids: Sequence[int], groups: Sequence[Sequence[int]]) -> None:
        """Give existing groups new member lists (the same people, reshuffled)."""
        for gid, people in zip(gids, groups, strict=True):
            self.members[gid] = list(people)
        self._refresh_many(np.array(list(gids), dtype=np.int64))

    def unbalanced(self, gids: np.ndarray) -> np.ndarray:
        """Whether each group breaks talk-style balance (the benchmark's definition)."""
        return _is_unbalanced(self.counts[gids], self.size[gids])

    def remove(self, people: Sequence[int]) -> None:
        """Take people out of their groups (groups keep their ids)."""
        changed = sorted({int(self.group_of[p]) for p in people})
        for person in people:
            self.members[int(self.group_of[person])].remove(person)
            self.group_of[person] = -1
            self.slot_of[person] = -1
        self._refresh_many(np.array(changed, dtype=np.int64))

    def live_groups(self) -> list[int]:
        return [g for g, people in enumerate(self.members) if people]

    def total_value(self) -> float:
        live = self.live_groups()
        return float(self.value[live].sum()) if live else 0.0

    def grouped_count(self) -> int:
        return int((self.group_of >= 0).sum())

    def insertion_gain(self, person: int, groups: np.ndarray) -> np.ndarray:
        """Objective change of adding ``person`` (currently ungrouped) to each group."""
        dots = self.sums[groups].astype(np.float64) @ self.vectors[person].astype(np.float64)
        sq = self.sq[groups] + 2 * dots + 1.0
        size = self.size[groups] + 1
        counts = self.counts[groups] + self.person_counts[person]
        gain: np.ndarray = self.objective.value(sq, size, counts) - self.value[groups]
        return gain


# --------------------------------------------------------------------------- constructors


def _target_for(min_pref: int, min_size: int, max_size: int, target: int) -> int:
    return max(min_size, min(min_pref, target, max_size))


def _edges(neighbor_idx: np.ndarray, neighbor_sim: np.ndarray, k: int) -> np.ndarray:
    """Undirected edges of the first ``k`` neighbours, most similar first, as (m, 2)."""
    n = neighbor_idx.shape[0]
    heads = np.repeat(np.arange(n), k)
    tails = neighbor_idx[:, :k].ravel().astype(np.int64)
    sims = neighbor_sim[:, :k].ravel()
    keep = tails >= 0
    heads, tails, sims = heads[keep], tails[keep], sims[keep]
    # Each undirected edge once (it may appear in both people's lists).
    low, high = np.minimum(heads, tails), np.maximum(heads, tails)
    _, unique = np.unique(low * n + high, return_index=True)
    order = unique[np.argsort(-sims[unique], kind="stable")]
    return np.stack([low[order], high[order]], axis=1)


def _agglomerate(
    fs: FeatureSet,
    neighbor_idx: np.ndarray,
    neighbor_sim: np.ndarray,
    *,
    min_size: int,
    max_size: int,
    target: int,
) -> list[list[int]]:
    """Capped agglomerative merge over the compatible neighbour graph.

    Edges are taken from most to least similar; two clusters merge when the
    union keeps every hard rule, stays within the size target of its pickiest
    member, and can still be balanced (listeners at most half of that target,
    not all one talk style once full). Only each person's nearest
    ``CONSTRUCT_NEIGHBORS`` are used; repair places whoever is left in fragments.
    Clusters never exceed 6, so relabeling the smaller side is cheap and no
    union-find is needed.
    """
    n = fs.size
    label = list(range(n))
    members: list[list[int]] = [[i] for i in range(n)]
    # Each cluster's hard masks as four plain int lists, and the edges as two
    # lists of ints: no per-person objects or per-edge lists, which the cyclic
    # garbage collector kept re-scanning (about a tenth of a 100,000-person fit).
    languages = list(fs.language_masks)
    hours = list(fs.time_masks)
    avoided = list(fs.avoid_masks)
    topics = list(fs.topic_masks)
    prefs = np.clip(fs.max_size.astype(np.int64), min_size, max_size)
    cap = [_target_for(int(p), min_size, max_size, target) for p in prefs]
    listeners = (fs.talk_style == 0).astype(np.int64).tolist()
    styles = (1 << fs.talk_style.astype(np.int64)).tolist()

    def sweep(edges: np.ndarray) -> None:
        for a_person, b_person in zip(edges[:, 0].tolist(), edges[:, 1].tolist(), strict=True):
            a, b = label[a_person], label[b_person]
            if a == b:
                continue
            size_a, size_b = len(members[a]), len(members[b])
            joint, joint_cap = size_a + size_b, min(cap[a], cap[b])
            if joint > joint_cap or 2 * (listeners[a] + listeners[b]) > joint_cap:
                continue
            if joint == joint_cap and (styles[a] | styles[b]).bit_count() == 1:
                continue
            if (
                languages[a] & languages[b] == 0
                or (hours[a] & hours[b]).bit_count() < MIN_SHARED_HOURS
                or avoided[a] & topics[b]
                or topics[a] & avoided[b]
            ):
                continue  # the union would break a hard rule (as in _Masks.admits)
            if size_a < size_b:
                a, b = b, a
            for person in members[b]:
                label[person] = a
            members[a].extend(members[b])
            members[b].clear()
            languages[a] &= languages[b]
            hours[a] &= hours[b]
            avoided[a] |= avoided[b]
            topics[a] |= topics[b]
            cap[a] = joint_cap
            listeners[a] += listeners[b]
            styles[a] |= styles[b]

    sweep(_edges(neighbor_idx, neighbor_sim, min(CONSTRUCT_NEIGHBORS, neighbor_idx.shape[1])))
    return [m for m in members if m]


def _greedy_hardest_first(
    fs: FeatureSet,
    people: np.ndarray,
    *,
    min_size: int,
    max_size: int,
    target: int,
    rng: np.random.Generator,
) -> list[list[int]]:
    """Seed groups with the people who have the fewest compatible peers.

    Each seed greedily adds the compatible, still-free person most similar to
    the group so far, up to the pickiest member's size target. Used for small
    pools and for the leftovers of repair; ``people`` are indexes into ``fs``.
    """
    if people.size < min_size:
        return []
    compatible = compatible_block(fs, people, people)
    np.fill_diagonal(compatible, False)
    vectors = fs.vectors[people].astype(np.float64)
    sims = vectors @ vectors.T
    degree = compatible.sum(axis=1)
    tiebreak = rng.permutation(people.size)
    order = np.lexsort((tiebreak, degree))
    free = np.ones(people.size, dtype=bool)
    prefs = np.clip(fs.max_size[people].astype(np.int64), min_size, max_size)
    groups: list[list[int]] = []
    for seed in order.tolist():
        if not free[seed] or degree[seed] < min_size - 1:
            continue
        group = [seed]
        masks = _masks_of(fs, [int(people[seed])])
        cap = _target_for(int(prefs[seed]), min_size, max_size, target)
        pool = compatible[seed] & free
        affinity = sims[seed].copy()
        while len(group) < cap and pool.any():
            choices = np.flatnonzero(pool)
            best = int(choices[np.argmax(affinity[choices])])
            pool[best] = False
            if not masks.admits(fs, int(people[best])):
                continue
            new_cap = _target_for(int(prefs[best]), min_size, max_size, target)
            if len(group) + 1 > new_cap:
                continue
            group.append(best)
            masks.add(fs, int(people[best]))
            cap = min(cap, new_cap)
            pool &= compatible[best]
            affinity += sims[best]
        if len(group) >= min_size:
            free[group] = False
            groups.append([int(people[i]) for i in group])
    return groups


# --------------------------------------------------------------------------- estimator


class GroupFormer:
    """Scikit-learn-style estimator that forms groups from a pool of candidates.

    ``GroupFormer(min_size, max_size, seed=..., time_budget=...).fit(candidates)``
    leaves the result in ``result_``. The local search stops after
    ``max_passes`` passes or when ``time_budget`` seconds (whole fit) are spent,
    whichever comes first; with ``time_budget=None`` the result depends only on
    the input and the seed.
    """

    def __init__(
        self,
        min_size: int = 3,
        max_size: int = 6,
        *,
        seed: int = 0,
        time_budget: float | None = 50.0,
        max_passes: int = 4,
        target_size: int = DEFAULT_TARGET_SIZE,
        neighbors: int = 32,
        weights: PenaltyWeights | None = None,
        constructor: str = "auto",
        labels: Mapping[str, str] | None = None,
        compatibility: CompatibilityModel | None = None,
        compatibility_blend: float = DEFAULT_COMPATIBILITY_BLEND,
    ):
        if not 2 <= min_size <= max_size <= MAX_GROUP_SIZE:
            raise ValueError(f"need 2 <= min_size <= max_size <= {MAX_GROUP_SIZE}")
        self.min_size = min_size
        self.max_size = max_size
        self.seed = seed
        self.time_budget = time_budget
        self.max_passes = max_passes
        self.target_size = max(min_size, min(target_size, max_size))
        self.neighbors = neighbors
        self.weights = weights or PenaltyWeights()
        self.constructor = constructor
        self.labels = labels
        #: A learned pair compatibility blended into the similarity (None: today's only).
        self.compatibility = compatibility
        self.compatibility_blend = compatibility_blend
        self.stats_: dict[str, float] = {}

    # ----- public API
    def fit(
        self,
        candidates: Sequence[Candidate],
        *,
        features: FeatureSet | None = None,
        initial_groups: Sequence[Sequence[int]] | None = None,
        improve: bool = True,
    ) -> GroupFormer:
        """Form groups. ``initial_groups`` (indexes into ``candidates``, may break
        rules) replaces the constructor, e.g. to repair another method's output."""
        started = time.perf_counter()
        cpu_started = time.process_time()
        self._deadline = None if self.time_budget is None else started + self.time_budget
        self.stats_ = {}
        self.candidates_ = list(candidates)
        _check_unique_ids(self.candidates_)
        with self._timed("features"):
            self.features_ = features or build_features(self.candidates_, seed=self.seed)
        #: Today's similarity vectors: group scores and summaries keep meaning them.
        self.base_vectors_ = self.features_.vectors
        self._base_nonzero = (self.features_.nonzero_cols, self.features_.nonzero_vals)
        self.model_used_ = False
        if self.compatibility is not None:
            with self._timed("compatibility"):
                blended = blend_features(
                    self.features_, self.candidates_, self.compatibility, self.compatibility_blend
                )
            self.model_used_ = blended is not self.features_
            self.features_ = blended
        fs = self.features_
        self.objective_ = _Objective(self.min_size, self.max_size, self.target_size, self.weights)
        if np.unique(fs.talk_style).size == 1:
            # One talk style in the pool: every group is "all one style", always.
            self.objective_.floor = self.weights.balance
        self.person_counts_ = _comfort_counts(fs, self.min_size, self.max_size)
        if fs.size < self.min_size:
            self.partition_ = _Partition(fs, self.objective_, self.person_counts_)
            self.waiting_ = {i: "pool_too_small" for i in range(fs.size)}
            self.result_ = self._result()
            return self
        with self._timed("neighbors"):
            self.neighbor_idx_, self.neighbor_sim_ = compatible_neighbors(
                fs, self.neighbors, seed=self.seed
            )
        with self._timed("construct"):
            starts = self._starting_points(initial_groups)
        best: tuple[int, float] | None = None
        for name, clusters in starts:
            partition = self._build(clusters, improve=improve)
            key = (partition.grouped_count(), partition.total_value())
            self.stats_[f"objective_{name}"] = key[1]
            if best is None or key > best:
                best, self.partition_ = key, partition
                self.stats_["greedy_won"] = float(name == "greedy")
        self.waiting_ = self._diagnose_waiting()
        if self.model_used_ and self.waiting_:
            with self._timed("coverage_check"):
                self._keep_coverage(initial_groups, improve)
        self.stats_["total_s"] = time.perf_counter() - started
        self.stats_["cpu_s"] = time.process_time() - cpu_started
        self.result_ = self._result()
        return self

    def _keep_coverage(self, initial_groups: Sequence[Sequence[int]] | None, improve: bool) -> None:
        """Never let the learned compatibility cost anyone their group.

        A model may say who suits whom, not who gets a group. When the model's
        grouping leaves someone waiting, the grouping without it runs too; if that
        places more people, the model's objective is searched again starting
        from those groups (moves and swaps keep everyone placed), and only if
        that still places fewer does today's grouping win outright.
        """
        base = replace(
            self.features_,
            vectors=self.base_vectors_,
            nonzero_cols=self._base_nonzero[0],
            nonzero_vals=self._base_nonzero[1],
        )
        plain = self._plain_copy().fit(
            self.candidates_, features=base, initial_groups=initial_groups, improve=improve
        )
        placed = plain.partition_.grouped_count()
        if placed <= self.partition_.grouped_count():
            return
        start = [list(plain.partition_.members[g]) for g in plain.partition_.live_groups()]
        seeded = self._plain_copy().fit(
            self.candidates_, features=self.features_, initial_groups=start
        )
        winner = seeded if seeded.partition_.grouped_count() >= placed else plain
        self.partition_ = winner.partition_
        self.neighbor_idx_, self.neighbor_sim_ = winner.neighbor_idx_, winner.neighbor_sim_
        self.waiting_ = winner.waiting_
        if winner is plain:
            self.features_ = plain.features_
            self.model_used_ = False
        self.stats_["compatibility_fallback"] = 1.0 if winner is plain else 0.5

    def _plain_copy(self) -> GroupFormer:
        """The same settings without a compatibility model."""
        return GroupFormer(
            self.min_size,
            self.max_size,
            seed=self.seed,
            time_budget=self.time_budget,
            max_passes=self.max_passes,
            target_size=self.target_size,
            neighbors=self.neighbors,
            weights=self.weights,
            constructor=self.constructor,
            labels=self.labels,
        )

    @contextmanager
    def _timed(self, phase: str) -> Iterator[None]:
        """Add the wall and CPU seconds of a phase to ``stats_``."""
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            stats = self.stats_
            stats[f"{phase}_s"] = stats.get(f"{phase}_s", 0.0) + time.perf_counter() - wall
            stats[f"{phase}_cpu_s"] = stats.get(f"{phase}_cpu_s", 0.0) + time.process_time() - cpu

    # ----- pipeline
    def _sizes(self) -> dict[str, int]:
        return {"min_size": self.min_size, "max_size": self.max_size, "target": self.target_size}

    def _starting_points(
        self, initial_groups: Sequence[Sequence[int]] | None
    ) -> list[tuple[str, list[list[int]]]]:
        fs = self.features_
        if initial_groups is not None:
            return [("given", self._split_invalid(initial_groups))]
        starts: list[tuple[str, list[list[int]]]] = []
        if self.constructor in ("auto", "agglomerative"):
            clusters = _agglomerate(fs, self.neighbor_idx_, self.neighbor_sim_, **self._sizes())
            starts.append(("agglomerative", clusters))
        small = fs.size <= SMALL_POOL
        if self.constructor == "greedy" or (self.constructor == "auto" and small):
            rng = np.random.default_rng(self.seed)
            clusters = _greedy_hardest_first(fs, np.arange(fs.size), rng=rng, **self._sizes())
            starts.append(("greedy", clusters))
        if not starts:
            raise ValueError(f"unknown constructor {self.constructor!r}")
        return starts

    def _split_invalid(self, groups: Sequence[Sequence[int]]) -> list[list[int]]:
        """Split given groups into rule-keeping pieces no larger than their targets."""
        fs = self.features_
        pieces: list[list[int]] = []
        for group in groups:
            open_pieces: list[tuple[list[int], _Masks, int]] = []
            for person in group:
                cap = _target_for(
                    int(fs.max_size[person]), self.min_size, self.max_size, self.max_size
                )
                for piece, masks, piece_cap in open_pieces:
                    if len(piece) < min(piece_cap, cap) and masks.admits(fs, person):
                        piece.append(person)
                        masks.add(fs, person)
                        break
                else:
                    open_pieces.append(([person], _masks_of(fs, [person]), cap))
            pieces.extend(p for p, _, _ in open_pieces)
        return pieces

    def _build(self, clusters: list[list[int]], *, improve: bool) -> _Partition:
        partition = _Partition(self.features_, self.objective_, self.person_counts_)
        leftovers = [p for cluster in clusters if len(cluster) < self.min_size for p in cluster]
        partition.add_groups([c for c in clusters if len(c) >= self.min_size])
        with self._timed("repair"):
            self._repair(partition, leftovers)
        self.stats_["leftovers"] = float(len(leftovers))
        if improve:
            with self._timed("search"):
                self.stats_["passes"] = self._local_search(partition)
            with self._timed("repair"):
                self._repair(partition, np.flatnonzero(partition.group_of < 0).tolist())
            with self._timed("balance"):
                self.stats_["balanced"] = float(self._balance_repair(partition))
        return partition

    # ----- repair
    def _repair(self, partition: _Partition, leftovers: list[int]) -> None:
        """Place leftover people: new groups among them, join a group, or split one."""
        if not leftovers:
            return
        rng = np.random.default_rng(self.seed + 1)
        for chunk in _chunks(self._coherent_order(leftovers), REPAIR_CHUNK):
            partition.add_groups(
                _greedy_hardest_first(self.features_, chunk, rng=rng, **self._sizes())
            )
        remaining_list = [p for p in leftovers if partition.group_of[p] < 0]
        remaining_list = self._insert_each(partition, remaining_list, respect_preference=True)
        remaining_list = self._insert_each(partition, remaining_list, respect_preference=False)
        self._split_donors(partition, remaining_list)

    def _coherent_order(self, people: list[int]) -> np.ndarray:
        """People ordered so that fixed-size chunks hold similar, compatible people:
        by lowest language, then strongest feature."""
        fs = self.features_
        index = np.array(sorted(people), dtype=np.int64)
        first_language = np.array(
            [(fs.language_masks[i] & -fs.language_masks[i]).bit_length() for i in index]
        )
        strongest = fs.vectors[index].argmax(axis=1)
        order: np.ndarray = index[np.lexsort((strongest, first_language))]
        return order

    def _candidate_groups(self, partition: _Partition, person: int, everyone: bool) -> np.ndarray:
        if everyone:
            return np.array(partition.live_groups(), dtype=np.int64)
        near = self.neighbor_idx_[person]
        groups = partition.group_of[near[near >= 0]]
        return np.unique(groups[groups >= 0])

    def _insert_each(
        self, partition: _Partition, people: list[int], *, respect_preference: bool
    ) -> list[int]:
        """Put each person into the best group that can take them; return the rest."""
        fs = self.features_
        unplaced: list[int] = []
        for person in people:
            limit = self.max_size
            if respect_preference:
                limit = min(limit, max(self.min_size, int(fs.max_size[person])))
            placed = False
            for everyone in (False, True):
                groups = self._candidate_groups(partition, person, everyone)
                if groups.size == 0:
                    continue
                groups = groups[partition.size[groups] < limit]
                if respect_preference and groups.size:
                    # Joining must not push an existing member above their preference.
                    smallest = _smallest_pref(partition.counts[groups])
                    groups = groups[partition.size[groups] + 1 <= smallest]
                if groups.size == 0:
                    continue
                gains = partition.insertion_gain(person, groups)
                for gid in groups[np.argsort(-gains, kind="stable")].tolist():
                    if partition.masks(gid).admits(fs, person):
                        partition.move(person, gid)
                        placed = True
                        break
                if placed:
                    break
            if not placed:
                unplaced.append(person)
        return unplaced

    def _split_donors(self, partition: _Partition, people: list[int]) -> None:
        """Form a new group around a stranded person with members of a large group.

        Takes ``min_size - 1`` compatible members from a group that stays at
        least ``min_size`` without them (preferring the most similar ones).
        """
        need = self.min_size - 1
        for person in people:
            if partition.group_of[person] >= 0:
                continue
            for everyone in (False, True):
                groups = self._candidate_groups(partition, person, everyone)
                groups = (
                    groups[partition.size[groups] >= self.min_size + need]
                    if groups.size
                    else groups
                )
                donors = self._best_donors(partition, person, groups, need)
                if donors is not None:
                    partition.remove(donors)
                    partition.add_group([person, *donors])
                    break

    def _best_donors(
        self, partition: _Partition, person: int, groups: np.ndarray, need: int
    ) -> list[int] | None:
        fs = self.features_
        vector = partition.vectors[person]
        for gid in groups.tolist():
            pool = [m for m in partition.members[gid] if _masks_of(fs, [person]).admits(fs, m)]
            pool.sort(key=lambda m: -float(partition.vectors[m] @ vector))
            chosen: list[int] = []
            masks = _masks_of(fs, [person])
            for member in pool:
                if masks.admits(fs, member):
                    chosen.append(member)
                    masks.add(fs, member)
                    if len(chosen) == need:
                        return chosen
        return None

    # ----- local search
    def _out_of_time(self) -> bool:
        if self._deadline is not None and time.perf_counter() > self._deadline:
            # Recorded so the bench can show how often a run ended on the budget.
            self.stats_["budget_stopped"] = 1.0
            return True
        return False

    def _local_search(self, partition: _Partition) -> int:
        """Batched move/swap passes, in a seeded order, while gains remain.

        Each batch of people is scored against a snapshot in one vectorised
        step (every move to a neighbour's group and every swap with a member of
        one); the improving proposals are then applied best first, skipping any
        whose groups already changed in this batch (their gains are stale; the
        next pass sees them again).
        """
        rng = np.random.default_rng(self.seed + 2)
        k = min(SEARCH_NEIGHBORS, self.neighbor_idx_.shape[1])
        near = self.neighbor_idx_[:, :k]
        active = partition.group_of >= 0
        passes = 0
        for _ in range(self.max_passes):
            if self._out_of_time() or not active.any():
                break
            partition.touched[:] = False
            order = rng.permutation(np.flatnonzero(active))
            applied = 0
            for start in range(0, order.size, SEARCH_BATCH):
                batch = order[start : start + SEARCH_BATCH]
                batch = batch[partition.group_of[batch] >= 0]
                if batch.size:
                    applied += self._apply(partition, *self._propose(partition, batch, near[batch]))
                if self._out_of_time():
                    break
            passes += 1
            if applied == 0:
                break
            touched = partition.touched
            near_groups = partition.group_of[np.maximum(near, 0)]
            near_touched = (
                touched[np.maximum(near_groups, 0)] & (near >= 0) & (near_groups >= 0)
            ).any(axis=1)
            own = partition.group_of
            active = (own >= 0) & (touched[np.maximum(own, 0)] | near_touched)
        return passes

    def _propose(
        self, p: _Partition, users: np.ndarray, near: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Best improving move or swap of each user, scored on the current state.

        Only real candidates are scored: each (user, neighbour's group) pair once,
        and each occupied member slot of those groups, as flat arrays (a padded
        user × group × slot box was mostly duplicates and empty slots).
        Returns (user, gain, target group, swap partner or -1), improving only.
        """
        home = p.group_of[users]
        groups = np.where(near >= 0, p.group_of[np.maximum(near, 0)], -1)
        groups.sort(axis=1)
        duplicate = np.zeros_like(groups, dtype=bool)
        duplicate[:, 1:] = groups[:, 1:] == groups[:, :-1]
        valid = (groups >= 0) & (groups != home[:, None]) & ~duplicate
        # One entry per distinct (user, neighbour's group), in row-major order.
        vb, vk = np.nonzero(valid)
        vg = groups[vb, vk]
        vh, vu = home[vb], users[vb]
        dots = p.dot(vu, p.sums, vg)
        a_u = p.self_dot[vu]
        size_home, size_groups = p.size[vh], p.size[vg]
        sim_home, sim_groups = p.sim[vh], p.sim[vg]
        pen_home, pen_groups = p.pen[vh], p.pen[vg]
        floor = 2 * p.objective.floor

        # Moves: user leaves home for a neighbour's group.
        move_sim = (
            _similarity_part(p.sq[vh] - 2 * a_u + 1.0, size_home - 1)
            + _similarity_part(p.sq[vg] + 2 * dots + 1.0, size_groups + 1)
            - sim_home
            - sim_groups
        )
        move_ok = (size_home > self.min_size) & (size_groups < self.max_size)
        move_ok &= move_sim + pen_home + pen_groups - floor > MIN_GAIN
        mv = np.flatnonzero(move_ok)
        if mv.size:
            fits = p.group_words.take(vg[mv]).admits(p.person_words.take(vu[mv]))
            mv = mv[fits]
        move_gain = np.empty(0)
        if mv.size:
            c_user = p.person_counts[vu[mv]]
            new_pen = p.objective.penalty(size_home[mv] - 1, p.counts[vh[mv]] - c_user)
            new_pen += p.objective.penalty(size_groups[mv] + 1, p.counts[vg[mv]] + c_user)
            move_gain = move_sim[mv] + pen_home[mv] + pen_groups[mv] - new_pen

        # Swaps: user trades places with a member of a neighbour's group.
        members = p.member_table[vg]
        sj, sm = np.nonzero(members >= 0)
        w = members[sj, sm]
        d_home, d_pair, a_w = self._swap_dots(p, users, home, vb[sj], vg[sj], sm, w)
        sq_home_swap = (p.sq[vh] + 2.0 - 2 * a_u)[sj] + 2 * d_home - 2 * d_pair
        sq_group_swap = (p.sq[vg] + 2.0)[sj] - 2 * a_w + 2 * dots[sj] - 2 * d_pair
        swap_sim = (
            _similarity_part(sq_home_swap, size_home[sj])
            + _similarity_part(sq_group_swap, size_groups[sj])
            - sim_home[sj]
            - sim_groups[sj]
        )
        bound = swap_sim + (pen_home + pen_groups)[sj]
        sw = np.flatnonzero(bound - floor > MIN_GAIN)
        if sw.size:
            j, partner = sj[sw], w[sw]
            home_without = p.without_words.take((vh[j], p.slot_of[vu[j]]))
            group_without = p.without_words.take((vg[j], sm[sw]))
            fits = home_without.admits(p.person_words.take(partner)) & group_without.admits(
                p.person_words.take(vu[j])
            )
            sw = sw[fits]
        swap_gain = np.empty(0)
        if sw.size:
            j, partner = sj[sw], w[sw]
            delta = p.person_counts[partner] - p.person_counts[vu[j]]
            new_pen = p.objective.penalty(size_home[j], p.counts[vh[j]] + delta)
            new_pen += p.objective.penalty(size_groups[j], p.counts[vg[j]] - delta)
            swap_gain = swap_sim[sw] + pen_home[j] + pen_groups[j] - new_pen

        rows = np.concatenate([vb[mv], vb[sj[sw]]])
        gains = np.concatenate([move_gain, swap_gain])
        targets = np.concatenate([vg[mv], vg[sj[sw]]])
        partners = np.concatenate([np.full(mv.size, -1, dtype=np.int64), w[sw]])
        keep = gains > MIN_GAIN
        rows, gains, targets, partners = rows[keep], gains[keep], targets[keep], partners[keep]
        # Best option per user: sort by gain, keep each user's first.
        order = np.argsort(-gains, kind="stable")
        _, first = np.unique(rows[order], return_index=True)
        chosen = order[first]
        return users[rows[chosen]], gains[chosen], targets[chosen], partners[chosen]

    @staticmethod
    def _swap_dots(
        p: _Partition,
        users: np.ndarray,
        home: np.ndarray,
        row: np.ndarray,
        group: np.ndarray,
        slot: np.ndarray,
        partner: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For swaps of ``users[row]`` with ``partner`` (in ``slot`` of ``group``):
        partner · the user's home sum, partner · the user, and partner · its own sum.

        The user's vector and home sum are copied first into tables of one row per
        user of the batch, so the reads stay in cache instead of landing at random
        in the pool-sized tables; the partner's non-zeros come from the per-slot
        table. Same values, in the same order, as :meth:`_Partition.dots`.
        """
        batch_home_sums, batch_vectors = p.sums[home], p.vectors[users]
        if not p.sparse:
            d_home, d_pair = p.dots(partner, [(batch_home_sums, row), (batch_vectors, row)])
            return d_home, d_pair, p.self_dot[partner]
        at = group * p.slots + slot
        z = p.cols.shape[1]
        nonzeros = np.take(p.member_nonzeros.reshape(-1, 2 * z), at, axis=0)
        vals = nonzeros[:, :z]
        flat = (row * batch_vectors.shape[1])[:, None] + nonzeros[:, z:].view(np.int32)
        d_home = np.einsum(
            "sz,sz->s", np.take(batch_home_sums.reshape(-1), flat), vals, dtype=np.float64
        )
        d_pair = np.einsum(
            "sz,sz->s", np.take(batch_vectors.reshape(-1), flat), vals, dtype=np.float64
        )
        return d_home, d_pair, np.take(p.member_self_dot.reshape(-1), at)

    def _apply(
        self,
        p: _Partition,
        users: np.ndarray,
        gains: np.ndarray,
        targets: np.ndarray,
        partners: np.ndarray,
    ) -> int:
        """Apply proposals best first, skipping those whose groups changed meanwhile.

        The proposals applied touch pairwise different groups, so their member
        lists are edited first and all changed groups are refreshed in one step.
        """
        changed: set[int] = set()
        for i in np.argsort(-gains, kind="stable").tolist():
            user, target, partner = int(users[i]), int(targets[i]), int(partners[i])
            home = int(p.group_of[user])
            if home in changed or target in changed or home < 0:
                continue
            if partner >= 0:
                p.swap(user, partner, refresh=False)
            else:
                p.move(user, target, refresh=False)
            changed.update((home, target))
        if changed:
            p.refresh(np.array(sorted(changed), dtype=np.int64))
        return len(changed) // 2

    # ----- balance repair
    def _balance_repair(self, partition: _Partition) -> int:
        """Balance lopsided groups by ejection chains; returns how many were balanced.

        The local search moves one person at a time to a neighbour's group and
        only while the objective improves, so a group such as two listeners and
        one talker, whose few compatible non-listeners all sit in groups that
        cannot spare them, stays stuck: the only single move that balances it
        costs far more similarity than it should. A chain reaches further: the
        group takes a compatible person from a neighbouring group, that group
        takes someone from the next one to fill the gap, and so on (or the other
        way round, passing a member on). Chains of up to ``CHAIN_DEPTH`` moves
        are searched breadth first with a beam, every intermediate group keeping
        the hard rules, and the best complete chain (every group it touches
        within size and balanced) is applied if it improves the objective and
        gives up at most ``BALANCE_MAX_COST`` similarity. When the first
        ``BALANCE_PROBE`` searches balance fewer than one group in
        ``BALANCE_MIN_YIELD``, the remaining groups are skipped (counted in
        ``stats_["balance_skipped"]``): the pool cannot be balanced much further.
        """
        live = np.array(partition.live_groups(), dtype=np.int64)
        lopsided = live[partition.unbalanced(live)] if live.size >= 2 else live[:0]
        styles = self.features_.talk_style.astype(np.int64)
        # One talk style in the whole pool (e.g. a survey where everyone ticked
        # "share some"): no move can balance any group, so do not search at all.
        if lopsided.size == 0 or np.unique(styles[partition.group_of >= 0]).size < 2:
            return 0
        near = self.neighbor_idx_[:, :CHAIN_NEIGHBORS]
        balanced = capped = steps = searched = skipped = 0
        for position, gid in enumerate(lopsided.tolist()):
            if self._out_of_time():
                break
            if searched >= BALANCE_PROBE and balanced * BALANCE_MIN_YIELD < searched:
                skipped = lopsided.size - position
                break
            if not partition.unbalanced(np.array([gid]))[0]:
                continue  # a chain for an earlier group balanced it already
            searched += 1
            chain, scored = _best_chain(partition, gid, near, styles, CHAIN_MAX_STEPS)
            capped += scored >= CHAIN_MAX_STEPS
            steps += scored
            if chain is not None:
                partition.regroup(list(chain), list(chain.values()))
                balanced += 1
        self.stats_["balance_tried"] = self.stats_.get("balance_tried", 0.0) + lopsided.size
        self.stats_["balance_capped"] = self.stats_.get("balance_capped", 0.0) + capped
        self.stats_["balance_steps"] = self.stats_.get("balance_steps", 0.0) + steps
        self.stats_["balance_skipped"] = self.stats_.get("balance_skipped", 0.0) + skipped
        return balanced

    # ----- waiting reasons and result
    def _diagnose_waiting(self) -> dict[int, str]:
        fs = self.features_
        partition = self.partition_
        waiting: dict[int, str] = {}
        unplaced = np.flatnonzero(partition.group_of < 0)
        everyone = np.arange(fs.size)
        for person in unplaced.tolist():
            waiting[person] = _wait_reason(fs, person, everyone, self.min_size)
        return waiting

    def _result(self) -> GroupingResult:
        partition = self.partition_
        groups: list[Group] = []
        self._learned_reasons: dict[int, list[str]] = {}
        if getattr(self, "model_used_", False) and self.compatibility is not None:
            # One pass over the pool for every group's explanation.
            live = partition.live_groups()
            reasons = self.compatibility.explain_groups(
                self.candidates_, [partition.members[g] for g in live]
            )
            self._learned_reasons = dict(zip(live, reasons, strict=True))
        for gid in partition.live_groups():
            people = sorted(partition.members[gid], key=lambda i: str(self.candidates_[i].user_id))
            groups.append(self._describe(people, partition, gid))
        groups.sort(key=lambda grp: -grp.score)
        waiting = {self.candidates_[i].user_id: reason for i, reason in self.waiting_.items()}
        return GroupingResult(groups=groups, waiting=waiting, stats=dict(self.stats_))

    def _describe(self, people: list[int], partition: _Partition, gid: int) -> Group:
        fs = self.features_
        s = len(people)
        if self.model_used_:
            # The partition's sums include the learned part; the score stays today's.
            total = self.base_vectors_[people].astype(np.float64).sum(axis=0)
            sq = float(total @ total)
        else:
            sq = float(partition.sq[gid])
        score = float((sq - s) / (s * (s - 1))) if s > 1 else 0.0
        tokens = [fs.interest_tokens[i] for i in people]
        shared = shared_interests(tokens, fs.interest_idf)
        why = reasons(
            tokens,
            shared,
            paces=[PACES[int(fs.pace[i])] for i in people],
            support_styles=[SUPPORT_STYLES[int(fs.support[i])] for i in people],
            labels=self.labels,
        )
        learned = self._learned_reasons.get(gid, [])
        weighed = learned_reason(learned)
        if weighed is not None:
            why.append(weighed)
        return Group(
            member_ids=[self.candidates_[i].user_id for i in people],
            score=score,
            shared_interests=shared,
            summary=english(why),
            reasons=why,
            learned_reasons=learned,
        )


@dataclass
class _Chain:
    """A partial ejection chain: touched groups' new members, and who acts next."""

    groups: dict[int, list[int]]
    #: The group that must take someone (``receive``) or pass someone on (``give``).
    last: int
    moved: frozenset[int]
    delta_sim: float
    #: ``last`` as it stands in the chain: its sum vector, |sum|^2 and similarity part,
    #: so a step costs a few dot products instead of re-summing member vectors.
    last_sum: np.ndarray
    last_sq: float
    last_sim: float
    #: Every touched group is within size and balanced: the chain may stop here.
    done: bool = False


def _style_fine(counts: Sequence[int], min_size: int, max_size: int) -> bool:
    """Within size and balanced, from talk-style counts (the rule of :func:`_is_unbalanced`)."""
    size = sum(counts)
    return (
        min_size <= size <= max_size
        and 2 * counts[_LISTENER] <= size
        and sum(1 for c in counts if c) > 1
    )


def _fine_rows(counts: np.ndarray, min_size: int, max_size: int) -> np.ndarray:
    """:func:`_style_fine` for rows of talk-style counts at once."""
    size = counts.sum(axis=1)
    fine: np.ndarray = (
        (size >= min_size)
        & (size <= max_size)
        & (2 * counts[:, _LISTENER] <= size)
        & ((counts > 0).sum(axis=1) > 1)
    )
    return fine


def _best_chain(
    partition: _Partition, gid: int, near: np.ndarray, styles: np.ndarray, max_steps: int
) -> tuple[dict[int, list[int]] | None, int]:
    """The best balancing ejection chain starting at group ``gid``, or None.

    Returns the new member lists of the groups it touches (or None), and how
    many candidate moves it scored (it stops once that reaches ``max_steps``). ``styles`` is each
    person's talk style. See :meth:`GroupFormer._balance_repair`.

    A group a chain has acted on is never touched again (receiving chains pull
    into the group that just gave, giving chains pass on from the group that
    just took), so every step must leave that group within size and balanced:
    only people of a style that does so are tried, which keeps the search small
    and loses no chain. Similarity changes come from the partition's group sums.
    """
    fs, objective = partition.fs, partition.objective
    min_size, max_size = objective.min_size, objective.max_size
    vectors = partition.vectors
    steps = 0
    group_masks: dict[int, _Masks] = {}

    def style_counts(people: list[int]) -> list[int]:
        counts = [0, 0, 0]
        for person in people:
            counts[int(styles[person])] += 1
        return counts

    def sim_part(sq: np.ndarray | float, size: int) -> np.ndarray:
        return np.asarray((np.asarray(sq) - size) / (size - 1) if size > 1 else np.zeros_like(sq))

    def fits(change: list[int], delta: int) -> list[int]:
        """Styles whose arrival (delta=1) or departure (-1) leaves the group fine."""
        found = []
        for style in range(3):
            changed = list(change)
            changed[style] += delta
            if changed[style] >= 0 and _style_fine(changed, min_size, max_size):
                found.append(style)
        return found

    def outside(groups: np.ndarray, chain: _Chain) -> np.ndarray:
        """Which of ``groups`` the chain has not touched yet."""
        touched = np.fromiter(chain.groups, dtype=np.int64, count=len(chain.groups))
        keep: np.ndarray = (groups[:, None] != touched[None, :]).all(axis=1)
        return keep

    def worth_keeping(delta: np.ndarray, done: np.ndarray, final: bool) -> np.ndarray:
        """Indexes of the extensions the search can use: finished chains cheap
        enough to apply, and (unless this is the last step) the best open ones,
        as only the ``CHAIN_BEAM`` best of a step survive anyway."""
        cheap = np.flatnonzero(done & (-delta <= BALANCE_MAX_COST))
        if final:
            return cheap
        open_rows = np.flatnonzero(~done)
        open_rows = open_rows[np.argsort(-delta[open_rows], kind="stable")[:CHAIN_BEAM]]
        return np.concatenate([cheap, open_rows])

    def receive(chain: _Chain, final: bool) -> list[_Chain]:
        """Someone from a neighbouring, untouched group joins ``last``."""
        nonlocal steps
        current = chain.groups[chain.last]
        welcome = np.zeros(3, dtype=bool)
        welcome[fits(style_counts(current), 1)] = True
        if not welcome.any():
            return []
        pulled = np.unique(near[current].ravel())
        pulled = pulled[pulled >= 0]
        sources = partition.group_of[pulled]
        keep = (sources >= 0) & welcome[styles[pulled]]
        pulled, sources = pulled[keep], sources[keep]
        keep = outside(sources, chain)
        pulled, sources = pulled[keep], sources[keep]
        # The source is left with one person fewer, of the pulled person's style.
        left_counts = partition.counts[sources, _STYLE] - np.eye(3, dtype=np.int64)[styles[pulled]]
        done = _fine_rows(left_counts, min_size, max_size)
        if final:  # the source must end fine: nothing can refill it any more
            pulled, sources, done = pulled[done], sources[done], done[done]
        steps += int(pulled.size)
        masks = _masks_of(fs, current)
        admitted = np.array([masks.admits(fs, p) for p in pulled.tolist()], dtype=bool)
        pulled, sources, done = pulled[admitted], sources[admitted], done[admitted]
        if pulled.size == 0:
            return []
        size = len(current) + 1
        new_sq = chain.last_sq + 2.0 * (vectors[pulled].astype(np.float64) @ chain.last_sum) + 1.0
        new_sim = sim_part(new_sq, size)
        source_size = partition.size[sources] - 1
        source_sq = partition.sq[sources] - 2.0 * partition.self_dot[pulled] + 1.0
        source_sim = _similarity_part(source_sq, source_size)
        delta = chain.delta_sim + new_sim - chain.last_sim + source_sim - partition.sim[sources]
        grown = []
        for i in worth_keeping(delta, done, final).tolist():
            person, source = int(pulled[i]), int(sources[i])
            left = [p for p in partition.members[source] if p != person]
            grown.append(
                _Chain(
                    {**chain.groups, chain.last: [*current, person], source: left},
                    source,
                    chain.moved | {person},
                    float(delta[i]),
                    partition.sums[source].astype(np.float64) - vectors[person],
                    float(source_sq[i]),
                    float(source_sim[i]),
                    bool(done[i]),
                )
            )
        return grown

    def give(chain: _Chain, final: bool) -> list[_Chain]:
        """``last`` passes a member on to a neighbour's untouched group."""
        nonlocal steps
        current = chain.groups[chain.last]
        leaving = fits(style_counts(current), -1)
        grown: list[_Chain] = []
        size = len(current) - 1
        for person in current:
            if person in chain.moved or int(styles[person]) not in leaving:
                continue
            row = near[person]
            targets = np.unique(partition.group_of[row[row >= 0]])
            targets = targets[(targets >= 0) & (partition.size[np.maximum(targets, 0)] < max_size)]
            targets = targets[outside(targets, chain)]
            joined_counts = partition.counts[targets, _STYLE].copy()
            joined_counts[:, int(styles[person])] += 1
            done = _fine_rows(joined_counts, min_size, max_size)
            if final:  # the target must end fine: it cannot pass anyone on any more
                targets, done = targets[done], done[done]
            steps += int(targets.size)
            admitted = []
            for target in targets.tolist():
                if target not in group_masks:
                    group_masks[target] = partition.masks(target)
                admitted.append(group_masks[target].admits(fs, person))
            chosen, done = (
                targets[np.array(admitted, dtype=bool)],
                done[np.array(admitted, dtype=bool)],
            )
            if chosen.size == 0:
                continue
            x = vectors[person].astype(np.float64)
            rest_sq = chain.last_sq - 2.0 * float(x @ chain.last_sum) + 1.0
            rest_sim = float(sim_part(rest_sq, size))
            target_sq = (
                partition.sq[chosen] + 2.0 * (partition.sums[chosen].astype(np.float64) @ x) + 1.0
            )
            target_sim = _similarity_part(target_sq, partition.size[chosen] + 1)
            delta = chain.delta_sim + rest_sim - chain.last_sim + target_sim - partition.sim[chosen]
            rest = [p for p in current if p != person]
            for i in worth_keeping(delta, done, final).tolist():
                target = int(chosen[i])
                joined = [*partition.members[target], person]
                grown.append(
                    _Chain(
                        {**chain.groups, chain.last: rest, target: joined},
                        target,
                        chain.moved | {person},
                        float(delta[i]),
                        partition.sums[target].astype(np.float64) + x,
                        float(target_sq[i]),
                        float(target_sim[i]),
                        bool(done[i]),
                    )
                )
        return grown

    def gain(chain: _Chain) -> float:
        """Objective change: similarity plus the penalties the chain removes."""
        touched = list(chain.groups)
        change = chain.delta_sim + float(partition.pen[touched].sum())
        new = [chain.groups[g] for g in touched]
        size = np.array([len(g) for g in new], dtype=np.int64)
        counts = np.stack([partition.person_counts[g].sum(axis=0) for g in new])
        return change - float(objective.penalty(size, counts).sum())

    start = list(partition.members[gid])
    best: dict[int, list[int]] | None = None
    best_gain = MIN_GAIN
    start_sum = partition.sums[gid].astype(np.float64)
    for expand in (receive, give):
        beam = [
            _Chain(
                {gid: start},
                gid,
                frozenset(),
                0.0,
                start_sum,
                float(partition.sq[gid]),
                float(partition.sim[gid]),
            )
        ]
        for depth in range(CHAIN_DEPTH):
            final = depth == CHAIN_DEPTH - 1
            grown = [nxt for chain in beam for nxt in expand(chain, final)]
            for chain in grown:
                if chain.done and -chain.delta_sim <= BALANCE_MAX_COST:
                    value = gain(chain)
                    if value > best_gain:
                        best, best_gain = chain.groups, value
            if steps >= max_steps:
                return best, steps
            open_chains = [chain for chain in grown if not chain.done]
            open_chains.sort(key=lambda chain: -chain.delta_sim)
            beam = open_chains[:CHAIN_BEAM]
            if not beam:
                break
    return best, steps


def _smallest_pref(counts: np.ndarray) -> np.ndarray:
    prefs = counts[:, _PREF] > 0
    return np.where(prefs.any(axis=1), prefs.argmax(axis=1), _PREF.stop - _PREF.start)


def _chunks(values: np.ndarray, size: int) -> list[np.ndarray]:
    return [values[i : i + size] for i in range(0, values.size, size)] or [values]


def _check_unique_ids(candidates: Sequence[Candidate]) -> None:
    seen: set[Hashable] = set()
    for candidate in candidates:
        if candidate.user_id in seen:
            raise ValueError(f"duplicate user_id {candidate.user_id!r}")
        seen.add(candidate.user_id)


def _wait_reason(fs: FeatureSet, person: int, everyone: np.ndarray, min_size: int) -> str:
    """Why ``person`` could not be grouped, checking the hard rules in order."""
    if fs.size < min_size:
        return "pool_too_small"
    others = everyone[everyone != person]
    language = fs.language_masks[person]
    speaks = [o for o in others.tolist() if fs.language_masks[o] & language]
    if not speaks:
        return "no_shared_language"
    hours = fs.time_masks[person]
    in_time = [o for o in speaks if (fs.time_masks[o] & hours).bit_count() >= MIN_SHARED_HOURS]
    if not in_time:
        return "no_shared_time"
    at_ease = [
        o
        for o in in_time
        if not (
            fs.avoid_masks[person] & fs.topic_masks[o] or fs.avoid_masks[o] & fs.topic_masks[person]
        )
    ]
    if not at_ease:
        return "avoid_conflicts"
    if len(at_ease) < min_size - 1 or not _some_group_exists(fs, person, at_ease[:200], min_size):
        return "too_few_compatible"
    return "compatible_groups_full"


def _some_group_exists(fs: FeatureSet, person: int, peers: list[int], min_size: int) -> bool:
    """Whether ``person`` and ``min_size - 1`` of ``peers`` could form a valid group.

    Depth-first with a step cap: a "no" after the cap is reported as "yes"
    (the kinder reason), since the search only picks the waiting message.
    """
    steps = 0

    def extend(masks: _Masks, start: int, missing: int) -> bool:
        nonlocal steps
        if missing == 0:
            return True
        for index in range(start, len(peers)):
            steps += 1
            if steps > 20_000:
                return True
            peer = peers[index]
            if masks.admits(fs, peer):
                grown = _Masks(masks.languages, masks.hours, masks.avoided, masks.topics)
                grown.add(fs, peer)
                if extend(grown, index + 1, missing - 1):
                    return True
        return False

    return extend(_masks_of(fs, [person]), 0, min_size - 1)


def form_groups(
    candidates: Sequence[Candidate],
    *,
    min_size: int = 3,
    max_size: int = 6,
    seed: int = 0,
    labels: Mapping[str, str] | None = None,
    time_budget: float | None = 50.0,
    compatibility: CompatibilityModel | None = None,
    compatibility_blend: float = DEFAULT_COMPATIBILITY_BLEND,
) -> GroupingResult:
    """Form small compatible groups; everyone else gets a waiting reason code.

    Every candidate appears exactly once: in one group or in ``waiting``. Codes
    are keys of :data:`WAIT_REASONS`. ``labels`` maps interest slugs to human
    labels for the summaries. The result is deterministic for a seed unless the
    ``time_budget`` (seconds) cuts the local search short.

    ``compatibility`` (see :mod:`matching.learning`) blends a learned pair
    compatibility into the similarity with weight ``compatibility_blend``; a model
    that is not informative, or ``None``, leaves the grouping exactly as without one.
    """
    former = GroupFormer(
        min_size,
        max_size,
        seed=seed,
        time_budget=time_budget,
        labels=labels,
        compatibility=compatibility,
        compatibility_blend=compatibility_blend,
    )
    return former.fit(candidates).result_
