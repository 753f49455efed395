"""Matching benchmark (spec: /work/shared/MATCHING_BENCH.md).

Run: ``.venv/bin/python -m bench.matching --n 60,1000,10000,100000``
Real-shaped pools beside the synthetic one (issue 17, bench/shapes.py):
``.venv/bin/python -m bench.matching --n 1000,10000,100000 --shapes all``

For every pool shape and size it prints one table: Hearth's matcher next to its peers
(random grouping + the same repair, k-means-constrained chunked by language +
repair, and for N <= 60 OR-Tools CP-SAT), each with Q, the ratio to the
size-matched upper bound, coverage, violations, wall time and peak memory.
Hearth runs in a fresh child process so its time and peak memory are its own
(features and k-NN included; data generation excluded). Hearth runs with the
production ``time_budget`` (``form_groups``' default) unless ``--time-budget``
says otherwise; a closing summary says how often a run stopped on it (target:
never), and fits how wall time grows with N.
"""

from __future__ import annotations

import argparse
import inspect
import math
import multiprocessing as mp
import os
import pickle
import resource
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bench.shapes import GENERATORS, SHAPES_VERSION, ShapedPool, parse_shapes
from bench.synthetic import SyntheticPool, generate_pool
from matching.features import (
    Candidate,
    FeatureSet,
    build_features,
    compatible_block,
    compatible_neighbors,
)
from matching.grouping import GroupFormer, form_groups

CACHE_DIR = Path(os.environ.get("HEARTH_BENCH_CACHE", Path(tempfile.gettempdir()) / "hearth-bench"))
OKCUPID_ZIP = Path("/work/shared/data/okcupid-jse-revised/profiles_revised.csv.zip")
BOUND_NEIGHBORS = 32
#: The budget production rounds run with: the bench measures what they do.
PRODUCTION_BUDGET = float(inspect.signature(form_groups).parameters["time_budget"].default)


@dataclass
class Outcome:
    """Groups (as candidate indexes) produced by one method, with its costs."""

    name: str
    groups: list[list[int]]
    seconds: float = float("nan")
    cpu_seconds: float = float("nan")
    peak_mb: float = float("nan")
    note: str = ""
    stats: dict[str, float] = field(default_factory=dict)


@dataclass
class Metrics:
    q: float
    ratio: float
    grouped: float
    valid_size: float
    hard_violations: float
    balance_violations: float
    above_preferred: float
    extra: dict[str, float] = field(default_factory=dict)


# --------------------------------------------------------------------------- data


def cached_pool(n: int, seed: int) -> SyntheticPool:
    """The synthetic pool, cached on disk because generation is slow in Python."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    path = CACHE_DIR / f"pool-{n}-{seed}.pkl"
    if path.exists():
        with path.open("rb") as handle:
            pool: SyntheticPool = pickle.load(handle)  # noqa: S301 - our own cache file
        return pool
    pool = generate_pool(n, seed)
    with path.open("wb") as handle:
        pickle.dump(pool, handle)
    return pool


# --------------------------------------------------------------------------- metrics


def group_is_valid_synthetic(pool: SyntheticPool, group: Sequence[int]) -> bool:
    """Independent hard-rule check on the raw synthetic attributes."""
    if not 3 <= len(group) <= 6:
        return False
    if not frozenset.intersection(*(pool.languages[i] for i in group)):
        return False
    if not frozenset.intersection(*(pool.slots[i] for i in group)):
        return False
    return all(not (pool.avoids[i] & pool.interests[j]) for i in group for j in group if i != j)


def neighbor_bound(
    features: FeatureSet, n: int, tag: str, sample: int | None = None, seed: int = 0
) -> np.ndarray:
    """Exact top-32 compatible similarities (cached; not timed), best first.

    With ``sample``, only that many uniformly drawn people get their (still
    exact, against everyone) row; the others are NaN and the ratio to the bound
    is estimated on the sampled people.
    """
    suffix = "" if sample is None or sample >= n else f"-sample{sample}"
    path = CACHE_DIR / f"bound-{tag}{suffix}.npy"
    if path.exists():
        cached: np.ndarray = np.load(path)
        return cached
    if not suffix:
        _, sims = compatible_neighbors(features, BOUND_NEIGHBORS, exact_below=n + 1)
        top = np.where(np.isfinite(sims), sims, 0.0).astype(np.float32)
    else:
        top = np.full((n, BOUND_NEIGHBORS), np.nan, dtype=np.float32)
        rows = np.sort(np.random.default_rng(seed).choice(n, size=sample, replace=False))
        everyone = np.arange(n)
        for start in range(0, rows.size, 512):
            block = rows[start : start + 512]
            sims = features.vectors[block] @ features.vectors.T
            np.putmask(sims, ~compatible_block(features, block, everyone), -np.inf)
            sims[np.arange(block.size), block] = -np.inf
            best = -np.partition(-sims, BOUND_NEIGHBORS - 1, axis=1)[:, :BOUND_NEIGHBORS]
            best.sort(axis=1)
            top[block] = np.where(np.isfinite(best), best, 0.0)[:, ::-1]
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    np.save(path, top)
    return top


def measure(
    features: FeatureSet,
    groups: Sequence[Sequence[int]],
    top_sims: np.ndarray | None,
    is_valid: Callable[[Sequence[int]], bool],
) -> Metrics:
    """The benchmark metrics of one grouping."""
    n = features.size
    vectors = features.vectors.astype(np.float64)
    user_scores: list[float] = []
    user_bounds: list[float] = []
    bounded_scores: list[float] = []
    valid_size = balance_bad = above = violating = 0
    grouped = 0
    for group in groups:
        s = len(group)
        grouped += s
        if 3 <= s <= 6:
            valid_size += s
        if not is_valid(group):
            violating += 1
        styles = features.talk_style[list(group)]
        if 2 * int((styles == 0).sum()) > s or len(set(styles.tolist())) == 1:
            balance_bad += 1
        above += int((features.max_size[list(group)] < s).sum())
        if s < 2:
            continue
        block = vectors[list(group)] @ vectors[list(group)].T
        per_user = (block.sum(axis=1) - np.diag(block)) / (s - 1)
        user_scores.extend(per_user.tolist())
        if top_sims is not None:
            bounds = top_sims[list(group), : s - 1].mean(axis=1)
            known = ~np.isnan(bounds)  # sampled bound: only people with a row count
            user_bounds.extend(bounds[known].tolist())
            bounded_scores.extend(per_user[known].tolist())
    count = max(1, len(groups))
    return Metrics(
        q=float(np.mean(user_scores)) if user_scores else 0.0,
        ratio=float(np.sum(bounded_scores) / np.sum(user_bounds)) if user_bounds else float("nan"),
        grouped=grouped / n,
        valid_size=valid_size / n,
        hard_violations=violating / count,
        balance_violations=balance_bad / count,
        above_preferred=above / max(1, grouped),
    )


# --------------------------------------------------------------------------- hearth


def _peak_rss_mb() -> float:
    """This process's own peak RSS. VmHWM belongs to the address space and starts
    afresh at exec; ru_maxrss carries over the forked parent's high-water mark,
    which made later runs of one invocation look ever bigger."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _current_rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def _hearth_child(
    pool_path: str, seed: int, time_budget: float | None, conn: mp.connection.Connection
) -> None:
    with open(pool_path, "rb") as handle:
        candidates: list[Candidate] = pickle.load(handle)  # noqa: S301 - our own cache file
    before = _current_rss_mb()
    started = time.perf_counter()
    former = GroupFormer(seed=seed, time_budget=time_budget).fit(candidates)
    seconds = time.perf_counter() - started
    groups = [list(former.partition_.members[g]) for g in former.partition_.live_groups()]
    reasons = dict(former.waiting_)
    conn.send((groups, reasons, seconds, _peak_rss_mb(), before, former.stats_))
    conn.close()


def run_hearth(
    candidates: list[Candidate], seed: int, time_budget: float | None
) -> tuple[Outcome, dict[int, str]]:
    """Run the matcher in a fresh process: its own wall time and peak memory."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    path = CACHE_DIR / f"candidates-{os.getpid()}.pkl"
    with path.open("wb") as handle:
        pickle.dump(candidates, handle)
    context = mp.get_context("spawn")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_hearth_child, args=(str(path), seed, time_budget, child))
    process.start()
    groups, reasons, seconds, peak, before, stats = parent.recv()
    process.join()
    path.unlink(missing_ok=True)
    detail = ", ".join(
        f"{k}={v:.2f}" for k, v in stats.items() if k.endswith("_s") or k == "passes"
    )
    note = f"peak RSS {peak:.0f} MB (process), {peak - before:+.0f} MB over RSS at fit start; "
    note += detail
    outcome = Outcome("hearth", groups, seconds, stats.get("cpu_s", float("nan")), peak, note)
    outcome.stats = dict(stats)
    return outcome, reasons


# --------------------------------------------------------------------------- peers


def repaired(
    candidates: list[Candidate], features: FeatureSet, groups: list[list[int]], seed: int
) -> list[list[int]]:
    """Hearth's repair applied to another method's groups (no local search)."""
    former = GroupFormer(seed=seed, time_budget=None).fit(
        candidates, features=features, initial_groups=groups, improve=False
    )
    return [list(former.partition_.members[g]) for g in former.partition_.live_groups()]


def random_peer(candidates: list[Candidate], features: FeatureSet, seed: int) -> Outcome:
    """Random groups of five, then the same repair: the floor."""
    started, cpu = time.perf_counter(), time.process_time()
    order = np.random.default_rng(seed).permutation(len(candidates)).tolist()
    groups = [order[i : i + 5] for i in range(0, len(order), 5)]
    result = repaired(candidates, features, groups, seed)
    return Outcome(
        "random+repair", result, time.perf_counter() - started, time.process_time() - cpu
    )


def kmeans_constrained_peer(
    candidates: list[Candidate], features: FeatureSet, seed: int
) -> Outcome:
    """k-means-constrained per language in ~300-person chunks, then the same repair."""
    try:
        from k_means_constrained import KMeansConstrained
    except ImportError:
        return Outcome("k-means-constrained", [], note="skipped: k-means-constrained not installed")
    started, cpu = time.perf_counter(), time.process_time()
    by_language: dict[str, list[int]] = {}
    for index, candidate in enumerate(candidates):
        first = candidate.languages[0] if candidate.languages else "?"
        by_language.setdefault(first, []).append(index)
    groups: list[list[int]] = []
    vectors = features.vectors.astype(np.float64)
    for people in by_language.values():
        for chunk in _coherent_chunks(vectors, np.array(people), 300):
            if chunk.size < 3:
                groups.append(chunk.tolist())
                continue
            clusters = max(1, math.ceil(chunk.size / 5))
            model = KMeansConstrained(
                n_clusters=clusters,
                size_min=3,
                size_max=6,
                random_state=seed,
                n_init=1,
                max_iter=50,
            )
            labels = model.fit_predict(vectors[chunk])
            for label in range(clusters):
                groups.append(chunk[labels == label].tolist())
    result = repaired(candidates, features, groups, seed)
    return Outcome(
        "k-means-constrained+repair",
        result,
        time.perf_counter() - started,
        time.process_time() - cpu,
    )


def _coherent_chunks(vectors: np.ndarray, people: np.ndarray, size: int) -> list[np.ndarray]:
    """Cut people into ~size chunks along their main direction of variation."""
    parts = max(1, round(people.size / size))
    if parts == 1:
        return [people]
    centered = vectors[people] - vectors[people].mean(axis=0)
    _, _, vt = np.linalg.svd(centered[: min(5000, people.size)], full_matrices=False)
    order = np.argsort(centered @ vt[0], kind="stable")
    return [people[idx] for idx in np.array_split(order, parts)]


def _cp_sat_base(
    pool: SyntheticPool, group_count: int
) -> tuple[
    object, dict[tuple[int, int], object], dict[int, tuple[dict[str, object], dict[int, object]]]
]:
    """Assignment variables x[u, g] with every hard rule; one language and slot per group."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    choices: dict[int, tuple[dict[str, object], dict[int, object]]] = {}
    n = len(pool.candidates)
    x = {(u, g): model.NewBoolVar(f"x{u}_{g}") for u in range(n) for g in range(group_count)}
    languages = sorted(set().union(*pool.languages))
    for u in range(n):
        model.Add(sum(x[u, g] for g in range(group_count)) <= 1)
    for g in range(group_count):
        z = {lang: model.NewBoolVar(f"z{g}_{lang}") for lang in languages}
        w = {slot: model.NewBoolVar(f"w{g}_{slot}") for slot in range(8)}
        choices[g] = (z, w)
        model.Add(sum(z.values()) == 1)
        model.Add(sum(w.values()) == 1)
        for u in range(n):
            for lang in languages:
                if lang not in pool.languages[u]:
                    model.AddImplication(x[u, g], z[lang].Not())
            for slot in range(8):
                if slot not in pool.slots[u]:
                    model.AddImplication(x[u, g], w[slot].Not())
        for u in range(n):
            for v in range(n):
                if u != v and pool.avoids[u] & pool.interests[v]:
                    model.AddBoolOr([x[u, g].Not(), x[v, g].Not()])
    return model, x, choices


def cp_sat_peer(
    pool: SyntheticPool, features: FeatureSet, sizes: list[int], hint: list[list[int]], limit: float
) -> Outcome:
    """CP-SAT on the same size profile as Hearth's answer, maximising Q."""
    from ortools.sat.python import cp_model

    started = time.perf_counter()
    n = len(pool.candidates)
    model, x, choices = _cp_sat_base(pool, len(sizes))
    assert isinstance(model, cp_model.CpModel)
    sims = features.vectors.astype(np.float64) @ features.vectors.astype(np.float64).T
    compatible = compatible_block(features, np.arange(n), np.arange(n))
    objective = []
    pair_vars: dict[tuple[int, int, int], object] = {}
    for g, s in enumerate(sizes):
        model.Add(sum(x[u, g] for u in range(n)) == s)
        for u in range(n):
            for v in range(u + 1, n):
                if not compatible[u, v] or sims[u, v] <= 0:
                    continue
                y = model.NewBoolVar(f"y{u}_{v}_{g}")
                pair_vars[u, v, g] = y
                model.AddImplication(y, x[u, g])
                model.AddImplication(y, x[v, g])
                objective.append(round(2000 * sims[u, v] / (s - 1)) * y)
    model.Maximize(sum(objective))
    # Start from Hearth's answer (a complete hint) so CP-SAT only ever improves on it.
    for g, group in enumerate(hint):
        for u in range(n):
            model.AddHint(x[u, g], u in group)
    for (u, v, g), y in pair_vars.items():
        model.AddHint(y, u in hint[g] and v in hint[g])
    for g, group in enumerate(hint):
        language = min(frozenset.intersection(*(pool.languages[u] for u in group)))
        slot = min(frozenset.intersection(*(pool.slots[u] for u in group)))
        z, w = choices[g]
        for lang, var in z.items():
            model.AddHint(var, lang == language)
        for value, var in w.items():
            model.AddHint(var, value == slot)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = limit
    # One worker follows the complete hint (Hearth's answer) first, so it never ends below it.
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    status = solver.Solve(model)
    groups: list[list[int]] = []
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for g in range(len(sizes)):
            groups.append([u for u in range(n) if solver.Value(x[u, g])])
    note = f"status {solver.StatusName(status)}"
    return Outcome("cp-sat (same sizes)", groups, time.perf_counter() - started, note=note)


def cp_sat_max_coverage(pool: SyntheticPool, limit: float) -> tuple[int, str]:
    """Most people CP-SAT can place in valid groups of 3..6."""
    from ortools.sat.python import cp_model

    n = len(pool.candidates)
    group_count = n // 3
    model, x, _ = _cp_sat_base(pool, group_count)
    assert isinstance(model, cp_model.CpModel)
    for g in range(group_count):
        used = model.NewBoolVar(f"used{g}")
        total = sum(x[u, g] for u in range(n))
        model.Add(total >= 3 * used)
        model.Add(total <= 6 * used)
    model.Maximize(sum(x.values()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = limit
    solver.parameters.num_workers = 2
    solver.parameters.random_seed = 0
    status = solver.Solve(model)
    return round(solver.ObjectiveValue()), solver.StatusName(status)


# --------------------------------------------------------------------------- report


def _row(outcome: Outcome, metrics: Metrics, hearth_q: float) -> str:
    vs = metrics.q / hearth_q if hearth_q else float("nan")
    return (
        f"| {outcome.name:<27} | {metrics.q:.4f} | {metrics.ratio:6.3f} | {vs:6.3f} | "
        f"{100 * metrics.grouped:6.2f}% | {100 * metrics.valid_size:6.2f}% | "
        f"{100 * metrics.hard_violations:5.2f}% | {100 * metrics.balance_violations:5.2f}% | "
        f"{100 * metrics.above_preferred:5.2f}% | {outcome.seconds:7.2f} | "
        f"{outcome.cpu_seconds:7.2f} | "
        f"{'' if math.isnan(outcome.peak_mb) else f'{outcome.peak_mb:.0f}':>6} |"
    )


HEADER = (
    "| method                      | Q      | /bound | /hearth | grouped | valid sz "
    "| hard  | balance | >pref | wall s  | cpu s   | peak MB |\n"
    "|-----------------------------|--------|--------|---------|---------|----------"
    "|-------|---------|-------|---------|---------|---------|"
)


@dataclass
class RunSummary:
    """One Hearth run of the closing summary (one shape, one size)."""

    shape: str
    n: int
    metrics: Metrics
    seconds: float
    cpu_seconds: float
    peak_mb: float
    budget_stopped: bool
    balance_capped: int


def bench_synthetic(n: int, args: argparse.Namespace) -> RunSummary:
    """Run every method on one synthetic pool and print its table."""
    pool = cached_pool(n, args.seed)

    def check(group: Sequence[int]) -> bool:
        return group_is_valid_synthetic(pool, group)

    shaped = ShapedPool("synthetic", pool.candidates, check)
    return bench_pool(shaped, args, synthetic=pool)


def bench_pool(
    shaped: ShapedPool, args: argparse.Namespace, synthetic: SyntheticPool | None = None
) -> RunSummary:
    """Run every method on one pool, print its table, return Hearth's summary row."""
    candidates = shaped.candidates
    n = len(candidates)
    features = build_features(candidates, seed=args.seed)
    hearth, reasons = run_hearth(candidates, args.seed, args.time_budget)
    outcomes = [hearth]
    outcomes.append(random_peer(candidates, features, args.seed))
    if n <= args.kmc_max:
        outcomes.append(kmeans_constrained_peer(candidates, features, args.seed))
    else:
        print(f"(k-means-constrained skipped at N={n}: above --kmc-max {args.kmc_max})")
    coverage_note = ""
    if n <= 60 and synthetic is not None:
        pool = synthetic
        try:
            sizes = [len(g) for g in hearth.groups]
            outcomes.append(cp_sat_peer(pool, features, sizes, hearth.groups, args.cp_limit))
            best, status = cp_sat_max_coverage(pool, args.cp_limit)
            coverage_note = (
                f"CP-SAT max coverage: {best}/{n} ({status}); hearth grouped {sum(sizes)}"
            )
        except ImportError:
            coverage_note = "CP-SAT skipped: ortools not installed"
    top = None
    if n <= args.no_bound_above:
        started = time.perf_counter()
        sample = args.bound_sample if n > args.bound_sample else None
        # Generated shapes carry their generator's version: a cached bound must match it.
        tag = shaped.name if synthetic is not None else f"{shaped.name}-v{SHAPES_VERSION}"
        top = neighbor_bound(features, n, f"{tag}-{n}-{args.seed}", sample, args.seed)
        if sample:
            print(f"(bound estimated on a uniform sample of {sample} people)")
        print(f"(bound ready in {time.perf_counter() - started:.1f}s, not timed)")
    metrics: dict[str, Metrics] = {}
    for outcome in outcomes:
        if outcome.groups or not outcome.note.startswith("skipped"):
            metrics[outcome.name] = measure(features, outcome.groups, top, shaped.is_valid)
    hearth_q = metrics["hearth"].q
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    about = f"; {shaped.note}" if shaped.note else ""
    print(f"\n### {shaped.name}, N = {n} (seed {args.seed}{about}; load average {load})\n")
    print(HEADER)
    for outcome in outcomes:
        if outcome.name in metrics:
            print(_row(outcome, metrics[outcome.name], hearth_q))
        else:
            print(f"| {outcome.name:<27} | {outcome.note} |")
    for outcome in outcomes:
        if outcome.note:
            print(f"- {outcome.name}: {outcome.note}")
    if coverage_note:
        print(f"- {coverage_note}")
    waiting = len(reasons)
    hearth_grouped = sum(len(g) for g in hearth.groups)
    if waiting:
        counts: dict[str, int] = {}
        for reason in reasons.values():
            counts[reason] = counts.get(reason, 0) + 1
        print(
            f"- hearth waiting: {waiting} ({counts}); "
            f"a reason for everyone not grouped: {waiting == n - hearth_grouped}"
        )
    stopped = bool(hearth.stats.get("budget_stopped", 0.0))
    capped = int(hearth.stats.get("balance_capped", 0.0))
    print(f"- hearth stopped on its time budget: {'yes' if stopped else 'no'}")
    return RunSummary(
        shaped.name,
        n,
        metrics["hearth"],
        hearth.seconds,
        hearth.cpu_seconds,
        hearth.peak_mb,
        stopped,
        capped,
    )


#: Quality targets (ratio to the size-matched bound) by pool size (issue 17).
RATIO_TARGETS = ((1_000, 0.76), (10_000, 0.82), (100_000, 0.86))
TIME_TARGETS = ((1_000, 1.0), (10_000, 8.0), (100_000, 60.0))


def _target(table: tuple[tuple[int, float], ...], n: int) -> float:
    """The target of the nearest listed size at or below ``n`` (the smallest one below it)."""
    chosen = table[0][1]
    for size, value in table:
        if n >= size:
            chosen = value
    return chosen


def growth_exponent(sizes: Sequence[int], seconds: Sequence[float]) -> float:
    """Least-squares slope of log(time) on log(N): time grows like N^slope."""
    if len(sizes) < 2:
        return float("nan")
    slope, _ = np.polyfit(np.log(np.asarray(sizes, float)), np.log(np.asarray(seconds, float)), 1)
    return float(slope)


def print_summary(runs: Sequence[RunSummary]) -> None:
    """Hearth on every shape and size, against the targets, with time growth."""
    if not runs:
        return
    print("\n### Summary: Hearth on every pool shape\n")
    print(
        "| shape | N | wall s | cpu s | peak MB | /bound (target) | grouped | hard | balance "
        "| budget stop | capped chains |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for run in runs:
        m = run.metrics
        print(
            f"| {run.shape} | {run.n} | {run.seconds:.2f} (≤{_target(TIME_TARGETS, run.n):.0f}) "
            f"| {run.cpu_seconds:.2f} | {run.peak_mb:.0f} "
            f"| {m.ratio:.3f} (≥{_target(RATIO_TARGETS, run.n):.2f}) "
            f"| {100 * m.grouped:.2f}% | {100 * m.hard_violations:.2f}% "
            f"| {100 * m.balance_violations:.2f}% | {'yes' if run.budget_stopped else 'no'} "
            f"| {run.balance_capped} |"
        )
    stopped = sum(run.budget_stopped for run in runs)
    print(f"\n- runs that stopped on the time budget: {stopped} of {len(runs)} (target 0)")
    for shape in dict.fromkeys(run.shape for run in runs):
        own = sorted((run.n, run.seconds, run.cpu_seconds) for run in runs if run.shape == shape)
        if len(own) >= 2:
            sizes = [n for n, _, _ in own]
            wall = growth_exponent(sizes, [s for _, s, _ in own])
            cpu = growth_exponent(sizes, [c for _, _, c in own])
            print(
                f"- {shape}: time grows like N^{wall:.2f} (wall), N^{cpu:.2f} (cpu) "
                f"over N = {', '.join(str(n) for n in sizes)}"
            )


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", default="60,1000,10000", help="comma-separated pool sizes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--shapes",
        default="synthetic",
        help="pool shapes: all, or a comma-separated subset of synthetic, survey, "
        "longtail, skewed, okcupid (okcupid only when ../shared/data is present)",
    )
    parser.add_argument(
        "--time-budget",
        type=float,
        default=PRODUCTION_BUDGET,
        help="matcher time box in s (default: the production budget, so the bench shows "
        "whether a run would stop on it); 0 for none",
    )
    parser.add_argument(
        "--no-bound-above", type=int, default=10**9, help="skip the bound above this N"
    )
    parser.add_argument(
        "--bound-sample",
        type=int,
        default=20_000,
        help="above this N, estimate the ratio to the bound on this many sampled people",
    )
    parser.add_argument(
        "--kmc-max", type=int, default=10_000, help="largest N for k-means-constrained"
    )
    parser.add_argument("--cp-limit", type=float, default=60.0, help="CP-SAT time limit (s)")
    parser.add_argument(
        "--okcupid", action="store_true", help="run the OkCupid timing/agreement mode"
    )
    from bench.matching_learning import add_arguments

    add_arguments(parser)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of ``python -m bench.matching``."""
    args = _parse_args(argv)
    if args.time_budget is not None and args.time_budget <= 0:
        args.time_budget = None
    print(f"cores: {os.cpu_count()}; cache: {CACHE_DIR}")
    if args.learning:
        from bench.matching_learning import bench_learning

        bench_learning(args)
        return
    if args.okcupid:
        from bench.okcupid import bench_okcupid

        bench_okcupid(args)
        return
    sizes = [int(v) for v in args.n.split(",") if v.strip()]
    runs: list[RunSummary] = []
    for shape in parse_shapes(args.shapes):
        seen: set[int] = set()
        for n in sizes:
            if shape == "synthetic":
                runs.append(bench_synthetic(n, args))
                continue
            shaped = GENERATORS[shape](n, args.seed)
            if shaped is None:
                print(f"\n({shape} skipped: its data is not present)")
                break
            if len(shaped.candidates) in seen:
                continue  # a data set smaller than N runs once, as it is
            seen.add(len(shaped.candidates))
            runs.append(bench_pool(shaped, args))
    print_summary(runs)


if __name__ == "__main__":
    main()
