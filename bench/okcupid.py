"""OkCupid mode of the matching benchmark: real lifestyle attributes at ~60k scale.

Reads /work/shared/data/okcupid-jse-revised/profiles_revised.csv.zip in place
(never copied into the repository). The data has no free text, availability,
talk style or group-size preference, so those come from a seeded generator with
the synthetic benchmark's marginals; everyone is in America/Los_Angeles.

Interest tokens are lifestyle answers ("drinks: socially", "pets: likes dogs …",
religion without its seriousness, …); languages come from ``speaks`` (fluency
"poorly" is dropped); people who never drink avoid "drinks: very often". Protected
or physical attributes (sex, orientation, ethnicity, body type, height, age,
income) are deliberately not used.

Reported: wall time at full size and "lifestyle agreement" — the share of
group-mate pairs giving the same answer to each lifestyle question (when both
answered) — for Hearth and for random grouping with the same repair.
"""

from __future__ import annotations

import argparse
import csv
import html
import io
import time
import zipfile
from collections.abc import Sequence

import numpy as np

from bench.matching import OKCUPID_ZIP, random_peer, run_hearth
from matching.features import AVAILABILITY_SLOTS, Candidate, build_features

LIFESTYLE_COLUMNS = (
    "diet",
    "drinks",
    "drugs",
    "smokes",
    "pets",
    "religion",
    "offspring",
    "education",
    "job",
    "sign",
)
TALK_STYLES = ("listen_first", "share_some", "talk_freely")


def _clean(value: str) -> str:
    return " ".join(html.unescape(value).replace("’", "'").split()).lower()


def _lifestyle(row: dict[str, str]) -> dict[str, str]:
    answers = {}
    for column in LIFESTYLE_COLUMNS:
        value = _clean(row.get(column, ""))
        if not value:
            continue
        if column in ("religion", "sign"):
            value = value.split(" and ")[0].split(" but ")[0]
        answers[column] = value
    return answers


def _languages(speaks: str) -> list[str]:
    spoken = []
    for part in _clean(speaks).split(","):
        name, _, fluency = part.strip().partition(" (")
        if name and "poorly" not in fluency:
            spoken.append(name)
    return spoken or ["english"]


def load_candidates(seed: int = 0) -> tuple[list[Candidate], list[dict[str, str]]]:
    """Candidates built from the OkCupid profiles, and each one's lifestyle answers."""
    rng = np.random.default_rng(seed)
    candidates: list[Candidate] = []
    answers: list[dict[str, str]] = []
    with zipfile.ZipFile(OKCUPID_ZIP) as archive:
        name = archive.namelist()[0]
        with archive.open(name) as raw:
            for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8")):
                lifestyle = _lifestyle(row)
                index = len(candidates)
                slots = rng.choice(
                    len(AVAILABILITY_SLOTS), size=int(rng.integers(2, 5)), replace=False
                )
                candidates.append(
                    Candidate(
                        user_id=index,
                        interests=[f"{k}: {v}" for k, v in lifestyle.items()],
                        languages=_languages(row.get("speaks", "")),
                        timezone="America/Los_Angeles",
                        availability=[AVAILABILITY_SLOTS[int(s)] for s in slots],
                        talk_style=TALK_STYLES[int(rng.choice(3, p=[0.35, 0.40, 0.25]))],
                        max_group_size=int(rng.choice([3, 4, 5, 6], p=[0.05, 0.20, 0.30, 0.45])),
                        avoid_topics=["drinks: very often"]
                        if lifestyle.get("drinks") == "not at all"
                        else [],
                    )
                )
                answers.append(lifestyle)
    return candidates, answers


def lifestyle_agreement(groups: Sequence[Sequence[int]], answers: list[dict[str, str]]) -> float:
    """Share of answered group-mate pairs that give the same lifestyle answer."""
    same = total = 0
    for group in groups:
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                for column, value in answers[a].items():
                    other = answers[b].get(column)
                    if other is not None:
                        total += 1
                        same += other == value
    return same / total if total else float("nan")


def bench_okcupid(args: argparse.Namespace) -> None:
    """Time Hearth on the OkCupid pool and compare lifestyle agreement with random."""
    if not OKCUPID_ZIP.exists():
        print(f"OkCupid data not found at {OKCUPID_ZIP}; skipping.")
        return
    candidates, answers = load_candidates(args.seed)
    n = len(candidates)
    hearth, reasons = run_hearth(candidates, args.seed, args.time_budget)
    features = build_features(candidates, seed=args.seed)
    started = time.perf_counter()
    random = random_peer(candidates, features, args.seed)
    random.seconds = time.perf_counter() - started
    print(f"\n### OkCupid profiles, N = {n}\n")
    print("| method | grouped | lifestyle agreement | time s |")
    print("|---|---|---|---|")
    for outcome in (hearth, random):
        grouped = sum(len(g) for g in outcome.groups) / n
        agreement = lifestyle_agreement(outcome.groups, answers)
        print(
            f"| {outcome.name} | {100 * grouped:.2f}% | {agreement:.3f} | {outcome.seconds:.1f} |"
        )
    print(f"- hearth: {hearth.note}")
    print(f"- waiting: {len(reasons)}")
