"""The fast paths of the grouping keep the exact bookkeeping of the slow ones.

The local search edits member lists for a whole batch and refreshes the changed
groups once; the neighbour search multiplies sparse rows. Both must leave the
same numbers a from-scratch computation gives.
"""

from __future__ import annotations

import numpy as np

from matching.features import Candidate, build_features, compatible_block, compatible_neighbors
from matching.grouping import GroupFormer, is_valid_group

STYLES = ("listen_first", "share_some", "talk_freely")
TAGS = [f"tag-{i}" for i in range(40)]


def pool(n: int, seed: int) -> list[Candidate]:
    rng = np.random.default_rng(seed)
    people = []
    for i in range(n):
        theme = int(rng.integers(8))
        interests = [TAGS[5 * theme + int(j)] for j in rng.choice(5, size=3, replace=False)]
        interests.append(TAGS[int(rng.integers(40))])
        people.append(
            Candidate(
                f"u{i}",
                interests,
                talk_style=STYLES[int(rng.integers(3))],
                languages=["en"] if rng.random() < 0.7 else ["de"],
                avoid_topics=[TAGS[4]] if rng.random() < 0.2 else [],
                max_group_size=int(rng.choice([4, 5, 6])),
            )
        )
    return people


def test_group_sums_and_indexes_match_the_members_after_the_search() -> None:
    former = GroupFormer(seed=3, time_budget=None).fit(pool(600, 3))
    partition = former.partition_
    assert former.stats_["passes"] >= 2  # the batched search really moved people
    vectors = former.features_.vectors.astype(np.float64)
    for gid in partition.live_groups():
        members = partition.members[gid]
        total = vectors[members].sum(axis=0)
        assert np.allclose(partition.sums[gid], total, atol=1e-4)
        assert np.isclose(partition.sq[gid], total @ total, atol=1e-3)
        assert partition.size[gid] == len(members)
        assert sorted(partition.member_table[gid][partition.member_table[gid] >= 0]) == sorted(
            members
        )
        assert all(partition.group_of[m] == gid for m in members)
        assert is_valid_group(former.features_, members)
    placed = [m for gid in partition.live_groups() for m in partition.members[gid]]
    assert len(placed) == len(set(placed)) == int((partition.group_of >= 0).sum())


def test_sparse_neighbour_search_finds_the_dense_top_k() -> None:
    features = build_features(pool(700, 5))
    assert features.nonzero_cols.shape[1] * 3 <= features.vectors.shape[1]  # sparse path
    idx, sims = compatible_neighbors(features, 8)
    everyone = np.arange(features.size)
    dense = features.vectors @ features.vectors.T
    dense[~compatible_block(features, everyone, everyone)] = -np.inf
    np.fill_diagonal(dense, -np.inf)
    expected = -np.sort(-dense, axis=1)[:, :8]
    assert np.allclose(
        np.where(np.isfinite(sims), sims, -1.0),
        np.where(np.isfinite(expected), expected, -1.0),
        atol=1e-5,
    )
    found = idx >= 0
    assert np.allclose(dense[np.nonzero(found)[0], idx[found]], sims[found], atol=1e-5)


def test_per_slot_member_tables_follow_the_members() -> None:
    former = GroupFormer(seed=4, time_budget=None).fit(pool(600, 4))
    partition = former.partition_
    assert partition.sparse  # the per-slot tables are what the sparse swaps read
    vectors = former.features_.vectors
    for gid in partition.live_groups():
        for slot, person in enumerate(partition.member_table[gid].tolist()):
            if person < 0:
                assert not partition.member_nonzeros[gid, slot].any()
                assert partition.member_self_dot[gid, slot] == 0.0
                continue
            assert np.array_equal(
                partition.member_nonzeros[gid, slot], partition.person_nonzeros[person]
            )
            assert partition.member_self_dot[gid, slot] == partition.self_dot[person]
            assert np.isclose(
                partition.self_dot[person], float(vectors[person] @ partition.sums[gid]), atol=1e-4
            )


def test_swap_dots_from_batch_tables_equal_the_pool_wide_dots() -> None:
    former = GroupFormer(seed=5, time_budget=None).fit(pool(600, 5))
    p = former.partition_
    users = np.flatnonzero(p.group_of >= 0)[::7]
    home = p.group_of[users]
    rng = np.random.default_rng(0)
    groups = rng.choice(np.array(p.live_groups()), size=users.size)
    table = p.member_table[groups]
    row, slot = np.nonzero(table >= 0)
    partner = table[row, slot]
    d_home, d_pair, a_w = former._swap_dots(p, users, home, row, groups[row], slot, partner)
    expected_home, expected_pair = p.dots(partner, [(p.sums, home[row]), (p.vectors, users[row])])
    assert np.array_equal(d_home, expected_home)
    assert np.array_equal(d_pair, expected_pair)
    assert np.array_equal(a_w, p.self_dot[partner])
