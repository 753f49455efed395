"""Benchmark for ``moderation.screening``: crisis recall, false alarms, offensive
precision/recall and latency.

Run: ``.venv/bin/python -m bench.screening`` (add ``--quick`` for fewer timing
rounds, ``--targeted`` for the targeted-abuse section alone, ``--dev-misses``
to print the development half's missed label-1 posts,
the only data-set texts rules may be written from). ``bench.label_ceiling``
adds what a classifier trained on the distress labels themselves would reach,
so that the recall figures can be read against it. Reads the public data sets
under ``/work/shared/data`` when present (override with ``HEARTH_DATA_DIR``)
and prints a clear skip line when absent.
No text from those data sets is stored in the repository; the ordinary-chat
list below was written for Hearth.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from moderation.screening import Verdict

#: Ordinary, self-written peer-support chat (bench/data/ordinary_chat_en.txt): venting
#: that is sad but not a crisis, everyday talk, hobbies, dark humour and figures of
#: speech. A crisis verdict on any of these is a false alarm (budget: 1%).
ORDINARY_CHAT: tuple[str, ...] = tuple(
    line.strip()
    for line in (Path(__file__).resolve().parent / "data" / "ordinary_chat_en.txt")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip() and not line.startswith("#")
)


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def _data_dir() -> Path:
    return Path(os.environ.get("HEARTH_DATA_DIR", "/work/shared/data"))


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _ms(seconds: float) -> float:
    return seconds * 1000.0


def _time_single(fn: Callable[[str], object], texts: Sequence[str]) -> list[float]:
    out = []
    for t in texts:
        start = time.perf_counter()
        fn(t)
        out.append(_ms(time.perf_counter() - start))
    return out


def _time_batches(
    fn: Callable[[list[str]], object], texts: Sequence[str], size: int
) -> list[float]:
    """Per-message milliseconds for each batch of ``size`` messages."""
    out = []
    for i in range(0, len(texts), size):
        batch = list(texts[i : i + size])
        start = time.perf_counter()
        fn(batch)
        out.append(_ms(time.perf_counter() - start) / len(batch))
    return out


def _row(label: str, *cells: object) -> str:
    return f"  {label:<44}" + "".join(f"{c!s:>14}" for c in cells)


#: The side-by-side table printed last: (section, header cells, rows of cells). Each
#: section below adds its headline figures here, so one run gives one table.
_SUMMARY: dict[str, tuple[tuple[str, ...], list[tuple[str, ...]]]] = {}


def _note(section: str, header: Sequence[str], label: str, *cells: str) -> None:
    _SUMMARY.setdefault(section, (tuple(header), []))[1].append((label, *cells))


def print_summary() -> None:
    """Every section's headline figures, side by side (this run's numbers only)."""
    if not _SUMMARY:
        return
    print("\n" + "=" * 100)
    print("Side by side (this run)")
    for section, (header, rows) in _SUMMARY.items():
        print(f"\n{section}")
        print(_row(*header))
        for label, *cells in rows:
            print(_row(label, *cells))


def _baseline_single(texts: Sequence[str], rounds: int) -> list[float]:
    """The latency baseline: raw profanity_check.predict_prob alone, one text at a
    time, in this process (figures are also given as ratios to its p50)."""
    from profanity_check import predict_prob  # type: ignore[import-untyped]  # no type hints

    predict_prob(list(texts[:5]))
    return [x for _ in range(rounds) for x in _time_single(lambda t: predict_prob([t]), texts)]


def bench_ordinary() -> None:
    from moderation.screening import screen_many

    verdicts = screen_many(ORDINARY_CHAT)
    alarms = [t for t, v in zip(ORDINARY_CHAT, verdicts, strict=True) if v.crisis]
    non_allow = sum(1 for v in verdicts if v.action != "allow")
    print("\nOrdinary chat (built-in, self-written)")
    print(_row("lines", len(ORDINARY_CHAT)))
    print(_row("crisis false alarms", f"{len(alarms)} ({len(alarms) / len(ORDINARY_CHAT):.1%})"))
    print(_row("any non-allow action", f"{non_allow} ({non_allow / len(ORDINARY_CHAT):.1%})"))
    for t in alarms:
        print(f"    false alarm: {t}")


def bench_distress(path: Path) -> list[str]:
    from moderation.screening import screen_many

    if not path.exists():
        print(f"\nSKIP mh-distress: {path} not found")
        return []
    rows = _read_csv(path)
    texts = [r["doc"] for r in rows]
    verdicts = screen_many(texts)
    groups: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for r, v in zip(rows, verdicts, strict=True):
        label = int(float(r["label"]))
        groups[f"{r['source']} [label {label}]"].append((label, v.crisis_severity))
    print("\nmh-distress-rallypoint-reddit (label 1 = distress/risk, mixed; see SOURCE.md)")
    print(_row("source [label]", "n", "flag>=1", "flag>=3"))
    for name in sorted(groups):
        items = groups[name]
        ge1 = sum(1 for _, s in items if s >= 1) / len(items)
        ge3 = sum(1 for _, s in items if s >= 3) / len(items)
        print(_row(name, len(items), f"{ge1:.1%}", f"{ge3:.1%}"))

    print("\n  split: a fixed hash of each post's text puts it in the development half")
    print("  (rules are written looking only at its misses) or the held-out half (never read)")
    for half in ("dev", "held-out", "all"):
        _print_summary(
            half, [(r, v) for r, v in _pairs(rows, verdicts) if half in {"all", _half(r["doc"])}]
        )
    bench_label_ceiling(rows, verdicts)
    return texts


def bench_label_ceiling(rows: Sequence[dict[str, str]], verdicts: Sequence[Verdict]) -> None:
    """Print what a model trained on the labels' own development half reaches (see
    ``bench.label_ceiling``), next to ``screen`` on the same held-out posts."""
    from bench import label_ceiling
    from moderation.screening import screen_many

    def labelled(r: dict[str, str]) -> label_ceiling.Labelled:
        return label_ceiling.Labelled(r["doc"], _label(r), r["source"] in SUICIDAL_SOURCES)

    train = [labelled(r) for r in rows if _half(r["doc"]) == "dev"]
    held = [
        (labelled(r), v) for r, v in zip(rows, verdicts, strict=True) if _half(r["doc"]) != "dev"
    ]
    points = label_ceiling.measure(train, [p for p, _ in held], ORDINARY_CHAT)
    ordinary_alarms = sum(1 for v in screen_many(ORDINARY_CHAT) if v.crisis) / len(ORDINARY_CHAT)
    ours = label_ceiling.OperatingPoint(
        threshold=float("nan"),
        recall=_share(v.crisis for p, v in held if p.label == 1),
        suicidal_recall=_share(v.crisis for p, v in held if p.label == 1 and p.suicidal),
        label0_false_alarms=_share(v.crisis for p, v in held if p.label == 0),
        ordinary_false_alarms=ordinary_alarms,
    )
    print("\n  label ceiling: TF-IDF + logistic regression trained on the dev half in this run")
    print("  (kept in memory only), scored on the held-out half and on the ordinary-chat lines")
    print(_row("operating point", "recall", "suicidal src", "label-0 FA", "ordinary FA"))

    def show(name: str, point: label_ceiling.OperatingPoint | None) -> None:
        if point is None:
            print(_row(name, "none", "", "", ""))
            return
        cells = (
            point.recall,
            point.suicidal_recall,
            point.label0_false_alarms,
            point.ordinary_false_alarms,
        )
        print(_row(name, *(f"{c:.1%}" for c in cells)))

    show("screen (crisis, any severity)", ours)
    for point in points:
        show(f"reference, p >= {point.threshold:.2f}", point)
    show(
        "reference, best recall at ordinary FA <= 3%",
        label_ceiling.best_recall_within(points, 0.03),
    )
    show("reference, least FA reaching 95% recall", label_ceiling.cheapest_reaching(points, 0.95))


def _share(flags: Iterable[bool]) -> float:
    values = list(flags)
    return sum(values) / len(values) if values else float("nan")


def _pairs(
    rows: list[dict[str, str]], verdicts: Sequence[Verdict]
) -> list[tuple[dict[str, str], int]]:
    return [(r, v.crisis_severity) for r, v in zip(rows, verdicts, strict=True)]


def _label(row: dict[str, str]) -> int:
    return int(float(row["label"]))


#: Label-1 sources made of short first-person suicidal or self-harm posts.
SUICIDAL_SOURCES: tuple[str, ...] = (
    "rallypoint shortstbposts_talklife",
    "rallypoint sitb_phrases_talklife",
    "rallypoint rp_augment_phrases",
    "rallypoint first500_highlighted",
)


def _half(text: str) -> str:
    """The split a post belongs to: fixed, from its text alone (about half each)."""
    key = text.replace("\r\n", "\n").strip().encode("utf-8")
    return "dev" if hashlib.sha256(key).digest()[0] % 2 == 0 else "held-out"


def _rates(sev: Sequence[int]) -> list[str]:
    return [f"{sum(1 for s in sev if s >= k) / len(sev):.1%}" for k in (1, 2, 3)]


def _print_summary(half: str, pairs: Sequence[tuple[dict[str, str], int]]) -> None:
    def pick(label: int, keep: Callable[[str], bool]) -> list[int]:
        return [s for r, s in pairs if _label(r) == label and keep(r["source"])]

    recall = {
        "all label 1": pick(1, lambda _: True),
        "label 1, short suicidal/self-harm sources": pick(1, lambda s: s in SUICIDAL_SOURCES),
        "label 1, reddit depression": pick(1, lambda s: s == "reddit depression"),
        "label 1, reddit lonely": pick(1, lambda s: s == "reddit lonely"),
        "label 1, rallypoint (all sets)": pick(1, lambda s: s.startswith("rallypoint")),
        "label 1, other reddit": pick(
            1, lambda s: s.startswith("reddit") and s not in {"reddit depression", "reddit lonely"}
        ),
    }
    alarms = {
        "all label 0": pick(0, lambda _: True),
        "label 0, negated rewrites": pick(0, lambda s: "negated" in s),
        "label 0, everyday": pick(0, lambda s: "negated" not in s),
    }
    print(f"\n  [{half}] recall (share of label-1 posts flagged as crisis)")
    print(_row("group", "n", "sev>=1", "sev>=2", "sev>=3"))
    for name, sev in recall.items():
        if sev:
            print(_row(name, len(sev), *_rates(sev)))
    print(f"  [{half}] false alarms (label-0 posts flagged as crisis)")
    print(_row("group", "n", "sev>=1", "sev>=2", "sev>=3"))
    for name, sev in alarms.items():
        if sev:
            print(_row(name, len(sev), *_rates(sev)))


def print_dev_misses(path: Path, limit: int = 800) -> None:
    """Print the development half's label-1 posts that got no crisis verdict.

    Only the development half: the held-out half is never printed, so its
    figures stay an honest estimate of how the rules generalise.
    """
    from moderation.screening import screen_many

    if not path.exists():
        print(f"SKIP dev misses: {path} not found")
        return
    rows = [r for r in _read_csv(path) if _half(r["doc"]) == "dev" and _label(r) == 1]
    verdicts = screen_many([r["doc"] for r in rows])
    misses = sorted(
        (r["source"], r["doc"]) for r, v in zip(rows, verdicts, strict=True) if not v.crisis
    )
    print(f"dev-half label-1 misses: {len(misses)} of {len(rows)}")
    for source, doc in misses:
        text = " ".join(doc.split())
        print(f"\n[{source}] {text[:limit]}{' ...' if len(text) > limit else ''}")


def bench_offensive(path: Path) -> list[str]:
    from moderation.screening import screen_many

    if not path.exists():
        print(f"\nSKIP davidson-offensive: {path} not found")
        return []
    rows = _read_csv(path)
    texts = [r["tweet"] for r in rows]
    truth = [r["class"] in {"0", "1"} for r in rows]
    verdicts = screen_many(texts)
    print("\ndavidson-offensive (offensive = class 0 hate or 1 offensive; 2 = neither)")
    print(_row("predictor", "precision", "recall", "false-flag"))
    preds: dict[str, list[bool]] = {
        "screen: offensive": [v.offensive for v in verdicts],
        "screen: action hold": [v.action == "hold" for v in verdicts],
        "screen: action hold or flag": [v.action in {"hold", "flag"} for v in verdicts],
    }
    from profanity_check import predict_prob  # type: ignore[import-untyped]  # no type hints

    raw = [float(p) >= 0.5 for p in predict_prob(texts)]
    preds["baseline: raw predict_prob >= 0.5"] = raw
    for name, pred in preds.items():
        print(_row(name, *_prf(pred, truth)))
    hate = [v for r, v in zip(rows, verdicts, strict=True) if r["class"] == "0"]
    blocked = sum(1 for v in verdicts if v.action == "block") / len(verdicts)
    print(
        _row("hate class (0): offensive", f"{sum(1 for v in hate if v.offensive) / len(hate):.1%}")
    )
    print(f"  note: {blocked:.1%} of tweets are blocked as contact details (@mentions, links);")
    print("  actions below are on the same tweets with those Twitter artefacts removed")
    cleaned = [_TWITTER_ARTEFACTS.sub(" ", t) for t in texts]
    actions = [v.action for v in screen_many(cleaned)]
    print(_row("predictor (artefacts removed)", "precision", "recall", "false-flag"))
    for name, pred in (
        ("screen: action hold", [a == "hold" for a in actions]),
        ("screen: action hold or flag", [a in {"hold", "flag"} for a in actions]),
    ):
        print(_row(name, *_prf(pred, truth)))
    hate_actions = [a for r, a in zip(rows, actions, strict=True) if r["class"] == "0"]
    print(_row("hate class (0): held", f"{hate_actions.count('hold') / len(hate_actions):.1%}"))
    return cleaned


_TWITTER_ARTEFACTS = re.compile(r"(?:^|\s)RT\b|@\w+:?|https?://\S+|&#?\w+;")


def _prf(pred: Sequence[bool], truth: Sequence[bool]) -> tuple[str, str, str]:
    tp = sum(1 for p, t in zip(pred, truth, strict=True) if p and t)
    fp = sum(1 for p, t in zip(pred, truth, strict=True) if p and not t)
    fn = sum(1 for p, t in zip(pred, truth, strict=True) if not p and t)
    tn = sum(1 for p, t in zip(pred, truth, strict=True) if not p and not t)
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    ffr = fp / (fp + tn) if fp + tn else float("nan")
    return f"{precision:.1%}", f"{recall:.1%}", f"{ffr:.1%}"


#: Second person in a tweet: the Davidson proxy for "aimed at someone".
_SECOND_PERSON = re.compile(r"\b(?:you|u|ur|your|youre|you're|yall|y'all|ya)\b", re.IGNORECASE)


_TARGETED_COLUMNS = ("before", "rules", "+ learned", "held before", "held after")


def bench_targeted(path: Path) -> None:
    """Targeted-abuse recall and the ordinary-chat hold rate: before (no
    ``moderation.abuse``), with its rules alone, and with the learned layer too
    (``moderation.abuse_model``; it only ever flags, so the held columns are the rules')."""
    from bench import abuse_lines
    from moderation.screening import ScreeningPolicy, screen_many

    before, after = ScreeningPolicy(abuse_rules=False), ScreeningPolicy()
    rules_only = ScreeningPolicy(abuse_model=False)

    def caught(texts: Sequence[str], policy: ScreeningPolicy) -> tuple[float, float]:
        verdicts = screen_many(texts, policy=policy)
        flagged = sum(1 for v in verdicts if v.offensive and v.action in {"hold", "flag"})
        held = sum(1 for v in verdicts if v.action == "hold")
        return flagged / len(texts), held / len(texts)

    def row(name: str, texts: Sequence[str], *, negative: bool = False) -> None:
        (b_any, b_hold), (r_any, _), (a_any, a_hold) = (
            caught(texts, before),
            caught(texts, rules_only),
            caught(texts, after),
        )
        if negative:  # share NOT allowed / held: lower is better
            b_any, r_any, a_any = (
                _share(v.action != "allow" for v in screen_many(texts, policy=p))
                for p in (before, rules_only, after)
            )
        cells = (f"{b_any:.1%}", f"{r_any:.1%}", f"{a_any:.1%}", f"{b_hold:.1%}", f"{a_hold:.1%}")
        print(_row(f"{name} (n={len(texts)})", *cells))
        _note(
            "Targeted abuse: recall (flagged or held) and false alarms (not allowed); before ="
            " no abuse layer, rules, rules + learned",
            ("set (n)", "before", "rules", "+ learned", "held before", "held after"),
            f"{name[:36]} ({len(texts)})",
            *cells,
        )

    dev_t, held_t = abuse_lines.split(abuse_lines.TARGETED)
    dev_n, held_n = abuse_lines.split(abuse_lines.NOT_TARGETED)
    print("\nTargeted abuse (self-written lines, bench/abuse_lines.py; before = abuse_rules off;")
    print("  rules = moderation.abuse alone; + learned = with moderation.abuse_model)")
    print(_row("recall: flagged or held", *_TARGETED_COLUMNS))
    row("targeted, dev half", dev_t)
    row("targeted, held-out half", held_t)
    row("targeted, held-out set (seen once)", abuse_lines.HELD_OUT_TARGETED)
    row("targeted, fresh set (never tuned on)", abuse_lines.FRESH_TARGETED)
    print(_row("false alarms: not allowed", *_TARGETED_COLUMNS))
    row("not targeted, dev half", dev_n, negative=True)
    row("not targeted, held-out half", held_n, negative=True)
    row("not targeted, held-out set", abuse_lines.HELD_OUT_NOT_TARGETED, negative=True)
    row("not targeted, fresh set", abuse_lines.FRESH_NOT_TARGETED, negative=True)
    row("ordinary chat (ORDINARY_CHAT)", ORDINARY_CHAT, negative=True)

    if not path.exists():
        print(f"  SKIP davidson targeted rows: {path} not found")
        return
    rows = _read_csv(path)
    print("  davidson, Twitter artefacts removed; targeted = offensive/hate tweet in second person")
    print(_row("recall: flagged or held", *_TARGETED_COLUMNS))
    for half in ("dev", "held-out"):
        picked = [r for r in rows if _half(r["tweet"]) == half]
        texts = [_TWITTER_ARTEFACTS.sub(" ", r["tweet"]) for r in picked]
        offensive = [t for r, t in zip(picked, texts, strict=True) if r["class"] in {"0", "1"}]
        targeted = [t for t in offensive if _SECOND_PERSON.search(t)]
        neither = [t for r, t in zip(picked, texts, strict=True) if r["class"] == "2"]
        row(f"davidson {half}: targeted", targeted)
        row(f"davidson {half}: all offensive", offensive)
        row(f"davidson {half}: neither (not allowed)", neither, negative=True)


_LATENCY = (
    "Latency, ms per message (targets: English single p99 <= 20, "
    "batched <= 5; other languages single p99 <= 80); ratio = p50 / baseline p50"
)


def bench_latency(corpus: Sequence[str], rounds: int) -> None:
    from profanity_check import predict_prob  # type: ignore[import-untyped]  # no type hints

    from moderation.screening import screen, screen_many

    chat = [t for t in corpus if len(t) <= 2000] or list(ORDINARY_CHAT)
    sample = random.Random(0).sample(chat * (1 + 640 // max(1, len(chat))), 640)
    screen_many(sample[:10])
    predict_prob(sample[:10])
    single = [x for _ in range(rounds) for x in _time_single(screen, sample)]
    base_single = [
        x for _ in range(rounds) for x in _time_single(lambda t: predict_prob([t]), sample)
    ]
    batched = [x for _ in range(rounds) for x in _time_batches(screen_many, sample, 64)]
    base_batched = [x for _ in range(rounds) for x in _time_batches(predict_prob, sample, 64)]
    mean_len = statistics.mean(len(t) for t in sample)
    print(
        f"\nLatency (ms per message; {len(sample)} texts <= 2000 chars, mean {mean_len:.0f} chars,"
        " mixed ordinary chat / distress posts / tweets; batches of 64)"
    )
    print(_row("", "p50", "p99", "baseline p50", "ratio p50"))
    for name, ours, base in (
        ("single screen(text)", single, base_single),
        ("batched screen_many", batched, base_batched),
    ):
        p50, p99, b50 = _percentile(ours, 50), _percentile(ours, 99), _percentile(base, 50)
        print(_row(name, f"{p50:.2f}", f"{p99:.2f}", f"{b50:.2f}", f"{p50 / b50:.2f}x"))
        _note(
            _LATENCY,
            ("", "p50", "p99", "baseline p50", "ratio p50"),
            f"mixed corpus: {name}",
            f"{p50:.2f}",
            f"{p99:.2f}",
            f"{b50:.2f}",
            f"{p50 / b50:.2f}x",
        )
    print("  baseline = raw profanity_check.predict_prob alone, same process, same texts")


# --- the learned English layer (moderation.crisis_model) beside the lexicon ----------------

_BENCH_DATA = Path(__file__).resolve().parent / "data"
#: Probability cut-offs the development sweep prints.
SWEEP: tuple[float, ...] = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


def _own_lines(name: str) -> list[str]:
    text = (_BENCH_DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def crisis_chat_lines() -> list[tuple[str, str]]:
    """(kind, message) pairs of bench/data/crisis_chat_en.tsv (self-written)."""
    return [
        (kind, message.strip())
        for kind, message in (line.split("\t", 1) for line in _own_lines("crisis_chat_en.tsv"))
    ]


def supporter_turns() -> list[str]:
    """bench/data/supporter_turns_en.txt (self-written)."""
    return _own_lines("supporter_turns_en.txt")


def _lexicon_only(texts: Sequence[str]) -> list[Verdict]:
    """The lexicons alone: neither learned English layer (the TF-IDF model, the
    encoder at its English chat point) speaks."""
    from moderation import crisis_model
    from moderation import crosslingual as xl
    from moderation.screening import screen_many

    english_chat = xl.english_chat_severities
    crisis_model.use_model_file(Path(os.devnull) / "absent.joblib")
    xl.english_chat_severities = lambda texts, vectors=None: [0] * len(texts)  # type: ignore[assignment]
    try:
        return screen_many(texts)
    finally:
        crisis_model.use_model_file(None)
        xl.english_chat_severities = english_chat  # type: ignore[assignment]


def bench_learned(distress_csv: Path) -> None:
    """Lexicon alone, model alone and both together, side by side, at both points."""
    from moderation import crisis_model
    from moderation.screening import screen_many

    if not crisis_model.available():
        print(f"\nSKIP learned layer: {crisis_model.status()['problem']}")
        return
    sets: dict[str, tuple[list[str], bool]] = {}
    chat = crisis_chat_lines()
    for half in ("dev", "held-out"):
        sets[f"own crisis chat [{half}] recall"] = (
            [t for _, t in chat if _half(t) == half],
            True,
        )
    if distress_csv.exists():
        rows = _read_csv(distress_csv)
        for half in ("dev", "held-out"):
            part = [r for r in rows if _half(r["doc"]) == half]
            sets[f"mh-distress [{half}] short suicidal recall"] = (
                [r["doc"] for r in part if r["source"] in SUICIDAL_SOURCES],
                True,
            )
            sets[f"mh-distress [{half}] rallypoint label-1 recall"] = (
                [r["doc"] for r in part if _label(r) == 1 and r["source"].startswith("rallypoint")],
                True,
            )
            sets[f"mh-distress [{half}] all label-1 recall"] = (
                [r["doc"] for r in part if _label(r) == 1],
                True,
            )
            sets[f"mh-distress [{half}] label-0 false alarms"] = (
                [r["doc"] for r in part if _label(r) == 0],
                False,
            )
    sets["ordinary chat false alarms (budget 1%)"] = (list(ORDINARY_CHAT), False)
    sets["supporters' turns false alarms (budget 3%)"] = (supporter_turns(), False)
    counsel = _data_dir() / "counsel-chat" / "20200325_counsel_chat.csv"
    if counsel.exists():
        answers = [r["answerText"] for r in _read_csv(counsel) if r.get("answerText", "").strip()]
        sets["counsel-chat answers false alarms"] = (answers, False)

    info = crisis_model.status()
    crisis_p, gentle_p = info["crisis_point"], info["gentle_point"]
    print(
        f"\nLearned English layer {info['version']}"
        f" (crisis p >= {crisis_p}, gentle p >= {gentle_p})"
    )
    from moderation import crosslingual as xl

    print(
        f"  'both' adds the sentence encoder for English lines up to {xl.ENGLISH_CHAT_CHARS}"
        f" characters (p >= {xl.operating_points()['english_chat']})"
    )
    print("  share flagged as crisis; 'crisis' = severity >= 2 from the model's side, 'any' = >= 1")
    print("  [held-out] rows are reported, never tuned on; points were chosen on the others")
    print(
        f"  {'set':<48}{'n':>6}{'lexicon':>9}{'model any':>11}{'model crisis':>13}"
        f"{'both any':>10}{'both crisis':>12}"
    )
    sweeps: dict[str, tuple[list[float], list[bool]]] = {}
    for name, (texts, _positive) in sets.items():
        if not texts:
            continue
        lexicon = _lexicon_only(texts)
        both = screen_many(texts)
        probs = crisis_model.predict_many(texts)
        lex_flag = [v.crisis for v in lexicon]
        cells = (
            _share(lex_flag),
            _share(p >= gentle_p for p in probs),
            _share(p >= crisis_p for p in probs),
            _share(v.crisis for v in both),
            _share(
                lv.crisis or "crisis:model" in v.reasons
                for lv, v in zip(lexicon, both, strict=True)
            ),
        )
        print(
            f"  {name:<48}{len(texts):>6}"
            + "".join(f"{c:>{w}.1%}" for c, w in zip(cells, (9, 11, 13, 10, 12), strict=True))
        )
        if "held-out" not in name and "rallypoint" not in name:
            _note(
                "English crisis: lexicon alone, model alone, combined (share raised; dev"
                " halves and budgets)",
                ("set (n)", "lexicon", "model gentle", "model crisis", "both any", "both crisis"),
                f"{name.replace(' false alarms', ' FA')[:38]} ({len(texts)})",
                *(f"{c:.1%}" for c in cells),
            )
        eligible = [
            not v.crisis and not v.third_party_concern for v in lexicon
        ]  # where the model may speak
        sweeps[name] = (
            [p if e else -1.0 for p, e in zip(probs, eligible, strict=True)],
            lex_flag,
        )
    print(
        "\n  development sweep: combined share flagged at a model cut-off (held-out rows left out)"
    )
    print(f"  {'set':<48}" + "".join(f"{t:>7.2f}" for t in SWEEP))
    for name, (probs, lex_flag) in sweeps.items():
        if "held-out" in name:
            continue
        shares = [_share(f or p >= t for p, f in zip(probs, lex_flag, strict=True)) for t in SWEEP]
        print(f"  {name:<48}" + "".join(f"{s:>7.1%}" for s in shares))
    _by_kind(chat)


def breadth_lines() -> list[tuple[str, str, str, str]]:
    """(split, label, kind, message) rows of bench/data/crisis_breadth_en.tsv
    (self-written; split ``dev`` or ``held-back``, label ``crisis`` or ``not``)."""
    rows = []
    for line in _own_lines("crisis_breadth_en.tsv"):
        split, label, kind, message = line.split("\t", 3)
        rows.append((split, label, kind, message.strip()))
    return rows


def bench_breadth() -> None:
    """The breadth lines: crisis recall and look-alike false alarms per own split,
    lexicon alone and combined, with the dev half's misses (the held-back half's
    lines are never printed)."""
    from moderation.screening import screen_many

    rows = breadth_lines()
    texts = [r[3] for r in rows]
    lexicon = _lexicon_only(texts)
    both = screen_many(texts)
    print("\nBreadth lines (bench/data/crisis_breadth_en.tsv, self-written, own split)")
    print(_row("set (n)", "lexicon", "both any", "both crisis"))
    for split in ("dev", "held-back"):
        for label, name in (("crisis", "recall"), ("not", "look-alike false alarms")):
            idx = [i for i, r in enumerate(rows) if r[0] == split and r[1] == label]
            if not idx:
                continue
            cells = (
                _share(lexicon[i].crisis for i in idx),
                _share(both[i].crisis for i in idx),
                _share(both[i].crisis_severity >= 2 for i in idx),
            )
            label_text = f"{split} {name} ({len(idx)})"
            print(_row(label_text, *(f"{c:.1%}" for c in cells)))
            _note(
                "English breadth lines (own split; dev tuned on, held-back reported only)",
                ("set (n)", "lexicon", "both any", "both crisis"),
                label_text,
                *(f"{c:.1%}" for c in cells),
            )
    for i, (split, label, kind, text) in enumerate(rows):
        if split == "dev" and (both[i].crisis != (label == "crisis")):
            print(f"    dev {'miss' if label == 'crisis' else 'false alarm'} [{kind}]: {text}")


def _by_kind(chat: Sequence[tuple[str, str]]) -> None:
    from moderation.screening import screen_many

    held = [(k, t) for k, t in chat if _half(t) == "held-out"]
    lexicon = _lexicon_only([t for _, t in held])
    both = screen_many([t for _, t in held])
    kinds = sorted({k for k, _ in held})
    print("\n  own crisis chat [held-out] by kind: lexicon -> lexicon + model (any severity)")
    for kind in kinds:
        idx = [i for i, (k, _) in enumerate(held) if k == kind]
        lex_share = _share(lexicon[i].crisis for i in idx)
        both_share = _share(both[i].crisis for i in idx)
        print(f"  {kind:<48}{len(idx):>6}{lex_share:>9.1%}{both_share:>11.1%}")


def bench_learned_latency(corpus: Sequence[str], rounds: int) -> None:
    """English latency with the learned layer: single p99 and batched per message."""
    from moderation import crisis_model
    from moderation.screening import screen, screen_many

    if not crisis_model.available():
        return
    chat = [t for t in corpus if len(t) <= 2000] or list(ORDINARY_CHAT)
    sample = random.Random(1).sample(chat * (1 + 640 // max(1, len(chat))), 640)
    screen_many(sample[:10])
    single = [x for _ in range(rounds) for x in _time_single(screen, sample)]
    batched = [x for _ in range(rounds) for x in _time_batches(screen_many, sample, 64)]
    model_single = [
        x
        for _ in range(rounds)
        for x in _time_single(lambda t: crisis_model.predict_many([t]), sample)
    ]
    b50 = _percentile(_baseline_single(sample, rounds), 50)
    print("\nLatency with the learned English layer (ms per message; targets: single p99 <= 20,")
    print("  batched <= 5 per message; baseline = raw predict_prob, single, same texts)")
    print(_row("", "p50", "p99", "baseline p50", "ratio p50"))
    for name, values in (
        ("single screen(text), lexicon + model", single),
        ("batched screen_many (64), lexicon + model", batched),
        ("model alone, single predict_many([text])", model_single),
    ):
        cells = (
            f"{_percentile(values, 50):.2f}",
            f"{_percentile(values, 99):.2f}",
            f"{b50:.2f}",
            f"{_percentile(values, 50) / b50:.2f}x",
        )
        print(_row(name, *cells))
        _note(_LATENCY, ("", "p50", "p99", "baseline p50", "ratio p50"), f"English {name}", *cells)


def _by_lexicon(verdict: Verdict) -> bool:
    """A crisis the lexicons found (not only the cross-lingual learned layer)."""
    return verdict.crisis and "crisis:crosslingual" not in verdict.reasons


def bench_languages(rounds: int) -> None:
    """Per-language recall and false alarms on self-written chat lines, language
    identification accuracy, and the cost of the language layers."""
    from profanity_check import predict_prob  # type: ignore[import-untyped]  # no type hints

    from bench.multilingual_lines import DEV, REPORT
    from moderation import multilingual
    from moderation.language import identify
    from moderation.screening import screen, screen_many

    print(
        "\nLanguages (bench/multilingual_lines.py, self-written; REPORT split kept apart from"
        " lexicon examples, exemplars and training lines by a test)"
    )
    print(_row("", "recall", "false alarms", "lexicon recall", "lexicon FA", "lang id", "+ prior"))
    for split_name, split in (("REPORT", REPORT), ("DEV (tuned on)", DEV)):
        verdicts = screen_many([t for _, _, t in split])
        codes = sorted({c for c, _, _ in split}, key=lambda c: (c != "en", c))
        for code in (*codes, "all"):
            rows = [
                (lang, label, text, v)
                for (lang, label, text), v in zip(split, verdicts, strict=True)
                if code in {"all", lang}
            ]
            pos = [v.crisis for _, label, _, v in rows if label]
            neg = [v.crisis for _, label, _, v in rows if not label]
            lex_pos = [_by_lexicon(v) for _, label, _, v in rows if label]
            lex_neg = [_by_lexicon(v) for _, label, _, v in rows if not label]
            ident = [identify(t) == lang for lang, _, t, _ in rows]
            prior = [identify(t, languages=[lang]) == lang for lang, _, t, _ in rows]
            if split_name == "REPORT":
                _note(
                    "Languages: own multilingual lines, REPORT split (bench/multilingual_lines.py)",
                    ("language", "recall", "false alarms", "lexicon recall"),
                    code,
                    f"{_share(pos):.0%} ({sum(pos)}/{len(pos)})" if pos else "-",
                    f"{_share(neg):.0%} ({sum(neg)}/{len(neg)})" if neg else "-",
                    f"{_share(lex_pos):.0%}" if lex_pos else "-",
                )
            print(
                _row(
                    f"{split_name} {code}",
                    f"{_share(pos):.0%} ({sum(pos)}/{len(pos)})" if pos else "-",
                    f"{_share(neg):.0%} ({sum(neg)}/{len(neg)})" if neg else "-",
                    f"{_share(lex_pos):.0%}" if lex_pos else "-",
                    f"{_share(lex_neg):.0%}" if lex_neg else "-",
                    f"{_share(ident):.1%}",
                    f"{_share(prior):.1%}",
                )
            )
    entries = multilingual.examples()
    print(
        f"  lexicon files: {len(multilingual.languages())} languages, {len(entries)} entries,"
        f" {sum(len(e.must_match) for _, e in entries)} must-match and"
        f" {sum(len(e.must_not_match) for _, e in entries)} must-not-match examples"
    )
    foreign = [t for lang, _, t in REPORT if lang != "en"]
    english = list(ORDINARY_CHAT)
    screen_many(foreign[:5])
    identify_times = [x for _ in range(rounds) for x in _time_single(identify, foreign + english)]
    lexicon_times = [
        x for _ in range(rounds) for x in _time_single(multilingual.detect, foreign + english)
    ]
    foreign_times = [x for _ in range(rounds) for x in _time_single(screen, foreign)]
    english_times = [x for _ in range(rounds) for x in _time_single(screen, english)]
    base = [x for _ in range(rounds) for x in _time_single(lambda t: predict_prob([t]), english)]
    b50 = _percentile(base, 50)
    print(_row("", "p50 ms", "p99 ms", "ratio p50 to baseline"))
    for name, times in (
        ("language.identify", identify_times),
        ("multilingual.detect (6 files)", lexicon_times),
        ("screen(), other languages", foreign_times),
        ("screen(), English chat", english_times),
    ):
        p50, p99 = _percentile(times, 50), _percentile(times, 99)
        print(_row(name, f"{p50:.2f}", f"{p99:.2f}", f"{p50 / b50:.2f}x"))
    print("  baseline = raw profanity_check.predict_prob alone on the English lines")


def bench_crosslingual(rounds: int) -> None:
    """The cross-lingual layer on its own development split, per language, and its latency.

    The split is the fixed quarter of exemplar groups the layer was never trained
    or tuned on (translations of a line stay on one side). "screen" is the whole
    screener (lexicons first, then the layer); "layer" is the layer alone at
    its gentle (severity >= 1) and crisis (severity 2) points.
    """
    from moderation import crosslingual as xl
    from moderation import crosslingual_train as train
    from moderation.screening import screen, screen_many

    dev = [i for i in train.read_exemplars() if i.dev]
    probabilities = xl.predict_many([i.text for i in dev])
    verdicts = screen_many([i.text for i in dev])
    points = xl.operating_points()
    status = xl.status()
    data_hash = str(status["training_data_sha256"])[:12]
    print(
        f"\nCross-lingual layer ({status['encoder']}, data {data_hash},"
        f" points gentle {points['gentle']:.3f} / crisis {points['crisis']:.3f});"
        " development split of moderation/exemplars, never trained or tuned on"
    )
    print(
        _row("", "recall layer", "recall crisis", "recall screen", "FA layer", "FA screen")
        + f"{'ordinary FA':>14}"
    )
    for language in [*sorted({i.language for i in dev}), "all"]:
        rows = [
            (i, p, v)
            for i, p, v in zip(dev, probabilities, verdicts, strict=True)
            if language in ("all", i.language)
        ]
        pos = [(p, v) for i, p, v in rows if i.positive]
        neg = [(p, v) for i, p, v in rows if not i.positive]
        ordinary = [v for i, _, v in rows if not i.positive and i.category in train.ORDINARY]
        print(
            _row(
                f"{language} ({len(pos)} crisis / {len(neg)} not)",
                f"{_share(p >= points['gentle'] for p, _ in pos):.1%}",
                f"{_share(p >= points['crisis'] for p, _ in pos):.1%}",
                f"{_share(v.crisis for _, v in pos):.1%}",
                f"{_share(p >= points['gentle'] for p, _ in neg):.1%}",
                f"{_share(v.crisis for _, v in neg):.1%}",
                f"{_share(v.crisis for v in ordinary):.1%}",
            )
        )
    print("  FA = false alarms on all non-crisis lines (idioms, negation, third person, chat);")
    print("  ordinary FA = on ordinary chat and supporters' replies only (budget 1%)")

    foreign = [i.text for i in dev if i.language != "en"]
    english = list(ORDINARY_CHAT)
    sample = random.Random(0).sample(foreign * (1 + 320 // max(1, len(foreign))), 320)
    screen_many(sample[:8])
    single = [x for _ in range(rounds) for x in _time_single(screen, sample)]
    batched = [x for _ in range(rounds) for x in _time_batches(screen_many, sample, 64)]
    encoder = [x for _ in range(rounds) for x in _time_single(lambda t: xl.embed([t]), sample)]
    english_single = [x for _ in range(rounds) for x in _time_single(screen, english)]
    b50 = _percentile(_baseline_single(english, rounds), 50)
    print("\nCross-lingual latency (ms per message, encoder loaded; batches of 64;")
    print("  baseline = raw predict_prob, single, on the English ordinary chat)")
    print(_row("", "p50", "p99", "baseline p50", "ratio p50"))
    for name, values in (
        ("other languages: single screen(text)", single),
        ("other languages: batched screen_many", batched),
        ("  of which the encoder alone (single)", encoder),
        ("English ordinary chat: single screen", english_single),
    ):
        cells = (
            f"{_percentile(values, 50):.2f}",
            f"{_percentile(values, 99):.2f}",
            f"{b50:.2f}",
            f"{_percentile(values, 50) / b50:.2f}x",
        )
        print(_row(name, *cells))
        _note(_LATENCY, ("", "p50", "p99", "baseline p50", "ratio p50"), name.strip(), *cells)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="one timing round instead of three")
    parser.add_argument(
        "--dev-misses",
        action="store_true",
        help="print the development half's missed label-1 posts and exit",
    )
    parser.add_argument(
        "--targeted", action="store_true", help="print only the targeted-abuse section"
    )
    parser.add_argument(
        "--english",
        action="store_true",
        help="print only the English crisis sections (ordinary chat, learned layer, breadth)",
    )
    parser.add_argument(
        "--latency",
        action="store_true",
        help="print only the latency sections (for a rerun on a quiet machine)",
    )
    args = parser.parse_args(argv)
    data = _data_dir()
    if args.targeted:
        bench_targeted(data / "davidson-offensive" / "labeled_data.csv")
        print_summary()
        return 0
    distress_csv = (
        data / "mh-distress-rallypoint-reddit" / "rallypoint_reddit_mentalhealth_test_908.csv"
    )
    if args.dev_misses:
        print_dev_misses(distress_csv)
        return 0
    if args.english:
        bench_ordinary()
        bench_learned(distress_csv)
        bench_breadth()
        print_summary()
        return 0
    if args.latency:
        offensive_csv = data / "davidson-offensive" / "labeled_data.csv"
        corpus = list(ORDINARY_CHAT)
        if distress_csv.exists():
            corpus += [r["doc"] for r in _read_csv(distress_csv)]
        if offensive_csv.exists():
            corpus += [r["tweet"] for r in _read_csv(offensive_csv)][:2000]
        rounds = 1 if args.quick else 3
        bench_latency(corpus, rounds=rounds)
        bench_learned_latency(corpus, rounds=rounds)
        bench_crosslingual(rounds=rounds)
        print_summary()
        return 0
    print(f"Screening benchmark (data: {data})")
    bench_ordinary()
    bench_languages(rounds=1 if args.quick else 3)
    distress = bench_distress(distress_csv)
    tweets = bench_offensive(data / "davidson-offensive" / "labeled_data.csv")
    bench_targeted(data / "davidson-offensive" / "labeled_data.csv")
    bench_learned(distress_csv)
    bench_breadth()
    corpus = list(ORDINARY_CHAT) + distress + tweets[:2000]
    bench_latency(corpus, rounds=1 if args.quick else 3)
    bench_learned_latency(corpus, rounds=1 if args.quick else 3)
    bench_crosslingual(rounds=1 if args.quick else 3)
    print_summary()
    return 0


if __name__ == "__main__":
    sys.exit(main())
