"""Simulated learning curve of ``flask screening learn`` on the project's own lines.

Run: ``.venv/bin/python -m bench.screening_learning`` (a few minutes: three fits of
the setup recipe). Needs ``make setup`` (the base data in ``instance/cache/``).

Starting from the base model, a chat stream is replayed from self-written English
lines only (``moderation/exemplars/en.tsv`` and ``bench/data/crisis_chat_en.tsv``;
never ``/work/shared/data``). Moderators label every message the screener flagged
(the truth of the line: followed up, or dismissed), and peers report a share
(:data:`REPORT_SHARE`) of the crisis messages it missed, which moderators mark.
After 50, 200 and 1,000 labels ``crisis_learn.learn`` retrains and gates exactly as
the command does; an activated model screens the rest of the stream.

Three disjoint parts: the gate's fixed development set (``crisis_learn.dev_set``:
half of the crisis chat, all ordinary chat and supporters' turns); a held-out part
(a fixed hash of the text, :data:`HELD_OUT_SHARE` of the rest), which the stream
never includes and on which every figure below is measured; and the stream.
Messages are drawn with replacement, as the same phrasing comes from many people.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

import joblib

from moderation import crisis_learn, crisis_model, crisis_train
from moderation import crosslingual_train as xt

#: Label counts after which the model is retrained.
CHECKPOINTS: tuple[int, ...] = (50, 200, 1000)
#: Share of missed crisis messages that peers report (and moderators then mark).
REPORT_SHARE = 0.3
#: Share of the stream's messages that are crisis language.
CRISIS_SHARE = 0.2
#: Share of the non-development lines held out from the stream.
HELD_OUT_SHARE = 0.3
#: Exemplar categories that are ordinary chat (their false alarms are the budgeted ones).
ORDINARY_CATEGORIES = frozenset({"chat", "support"})
SEED = 19


@dataclass(frozen=True)
class Line:
    text: str
    positive: bool
    ordinary: bool


@dataclass(frozen=True)
class Label:
    text: str
    positive: bool


def _held_out(text: str) -> bool:
    digest = hashlib.sha256(b"bench-learning:" + text.casefold().encode("utf-8")).digest()
    return digest[0] < 256 * HELD_OUT_SHARE


def own_lines() -> list[Line]:
    """English self-written lines outside the gate's development set."""
    dev = crisis_learn.dev_set()
    taken = {t.casefold() for t in (*dev.crisis, *dev.ordinary, *dev.supporters)}
    lines = [
        Line(e.text, e.positive, e.category in ORDINARY_CATEGORIES)
        for e in xt.read_exemplars()
        if e.language == "en"
    ]
    chat = crisis_learn._lines(crisis_learn.CRISIS_CHAT_FILE)
    lines += [Line(row.split("\t", 1)[1].strip(), True, False) for row in chat if "\t" in row]
    seen: set[str] = set()
    out = []
    for line in lines:
        key = line.text.casefold()
        if key not in taken and key not in seen:
            seen.add(key)
            out.append(line)
    return out


class _Versions:
    """A ``crisis_model.Source`` over models held in memory (the bench's database)."""

    def __init__(self) -> None:
        self.active: str | None = None
        self.blobs: dict[str, bytes] = {}

    def activate(self, version: str, model: object, meta: dict[str, object]) -> None:
        buffer = io.BytesIO()
        joblib.dump({"model": model, "meta": {**meta, "version": version}}, buffer)
        self.blobs[version] = buffer.getvalue()
        self.active = version
        crisis_model.refresh_now()


def _share(flags: Sequence[bool]) -> str:
    return f"{sum(flags) / len(flags):.1%}" if flags else "n/a"


def measure(held: Sequence[Line]) -> tuple[str, str, str, str]:
    """Screen-level recall, model-alone recall, ordinary and all false alarms (held out)."""
    from moderation.screening import screen_many

    verdicts = screen_many([line.text for line in held])
    probs = crisis_model.predict_many([line.text for line in held])
    pos = [v.crisis for line, v in zip(held, verdicts, strict=True) if line.positive]
    model_pos = [
        p >= crisis_model.GENTLE_POINT for line, p in zip(held, probs, strict=True) if line.positive
    ]
    ordinary = [v.crisis for line, v in zip(held, verdicts, strict=True) if line.ordinary]
    negatives = [v.crisis for line, v in zip(held, verdicts, strict=True) if not line.positive]
    return _share(pos), _share(model_pos), _share(ordinary), _share(negatives)


def run(checkpoints: Sequence[int] = CHECKPOINTS, *, seed: int = SEED) -> int:
    from moderation.screening import screen_many

    try:
        base = crisis_train.base_data(crisis_train.CACHE_DIR, download=False)
    except crisis_train.BaseDataMissing as problem:
        print(f"SKIP learning curve: {problem}")
        return 1
    lines = own_lines()
    held = [line for line in lines if _held_out(line.text)]
    stream_pool = [line for line in lines if not _held_out(line.text)]
    crisis_pool = [line for line in stream_pool if line.positive]
    other_pool = [line for line in stream_pool if not line.positive]
    dev = crisis_learn.dev_set()
    versions = _Versions()
    crisis_model.install_source(
        crisis_model.Source(lambda: versions.active, versions.blobs.__getitem__, 0)
    )
    rng = random.Random(seed)
    _model, meta = crisis_model.current()
    version = str(meta.get("version", "lexicon-only"))
    print("Screening learning curve (self-written English lines; bench/screening_learning.py)")
    print(
        f"  held out: {sum(1 for x in held if x.positive)} crisis lines,"
        f" {sum(1 for x in held if x.ordinary)} ordinary chat,"
        f" {sum(1 for x in held if not x.positive)} not crisis in all;"
        f" stream pool: {len(crisis_pool)} crisis, {len(other_pool)} not"
    )
    print(
        f"  stream: {CRISIS_SHARE:.0%} crisis messages; moderators label what was flagged,"
        f" peers report {REPORT_SHARE:.0%} of misses"
    )
    header = ("labels", "messages", "gate", "recall", "model recall", "ordinary FA", "all FA")
    print("  " + "".join(f"{h:>14}" for h in header))
    print("  " + "".join(f"{c:>14}" for c in ("0", "0", "base", *measure(held))))
    labels: list[Label] = []
    messages = 0
    for checkpoint in checkpoints:
        while len(labels) < checkpoint:
            batch = [
                rng.choice(crisis_pool if rng.random() < CRISIS_SHARE else other_pool)
                for _ in range(50)
            ]
            messages += len(batch)
            for line, verdict in zip(batch, screen_many([b.text for b in batch]), strict=True):
                if verdict.crisis or (line.positive and rng.random() < REPORT_SHARE):
                    labels.append(Label(line.text, line.positive))
                if len(labels) >= checkpoint:
                    break
        old_model, _ = crisis_model.current()
        started = time.perf_counter()
        outcome = crisis_learn.learn(
            base, labels, old_model, version, dev=dev, min_labels=1, known=None
        )
        seconds = time.perf_counter() - started
        if outcome.activated:
            versions.activate(outcome.version, outcome.model, outcome.meta)
            version = outcome.version
        gate = "activated" if outcome.activated else "kept"
        cells = (str(len(labels)), str(messages), gate, *measure(held))
        print("  " + "".join(f"{c:>14}" for c in cells))
        print(f"    {gate}: {outcome.reason} ({seconds:.0f} s)")
    crisis_model.install_source(None)
    print(
        "  recall = share of held-out crisis lines the whole screener flags (lexicon, models);"
        " model recall = the English TF-IDF model alone at its gentle point; FA = false alarms"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    return run(seed=args.seed)


if __name__ == "__main__":
    sys.exit(main())
