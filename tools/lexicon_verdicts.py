"""Screen every own line we can find and store (or compare) the verdicts.

Guards a change to the English lexicon that must not change behaviour (moving
the patterns into data files, tidying a pattern): run it with ``save`` before
the change and with ``compare`` after; any line whose action, severity,
reasons or scores differ is printed. The lines come from the project's own
data (``moderation/data/*.txt``, ``moderation/exemplars/*.tsv``,
``bench/data/*``) and from every string literal in the screening, crisis,
abuse and contact tests (read with ``ast``, so test code is never run).

    .venv/bin/python -m tools.lexicon_verdicts save /tmp/verdicts.json
    .venv/bin/python -m tools.lexicon_verdicts compare /tmp/verdicts.json
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_TEST_NAMES = (
    "screen",
    "crisis",
    "abuse",
    "contact",
    "link",
    "lexicon",
    "multilingual",
    "distress",
)


def _data_lines() -> list[str]:
    lines: list[str] = []
    files = [
        *sorted((ROOT / "moderation" / "data").glob("*.txt")),
        *sorted((ROOT / "moderation" / "exemplars").glob("*.tsv")),
        *sorted((ROOT / "bench" / "data").glob("*")),
    ]
    for path in files:
        for raw in path.read_text(encoding="utf-8").splitlines():
            if not raw.strip() or raw.startswith("#"):
                continue
            # A TSV line: take every text-looking column (labels are short).
            cells = raw.split("\t") if path.suffix == ".tsv" else [raw]
            lines += [c for c in cells if len(c) > 3]
    return lines


def test_strings() -> list[str]:
    """Every string literal of more than three characters in the screening-related tests."""
    out: list[str] = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        if not any(n in path.name for n in _TEST_NAMES):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and len(node.value) > 3
                and "\n" not in node.value.strip()
            ):
                out.append(node.value)
    return out


def corpus() -> list[str]:
    return list(dict.fromkeys(_data_lines() + test_strings()))


def verdicts(texts: list[str]) -> dict[str, dict[str, object]]:
    from moderation import screening

    out: dict[str, dict[str, object]] = {}
    step = 500
    for k in range(0, len(texts), step):
        batch = texts[k : k + step]
        for text, verdict in zip(batch, screening.screen_many(batch), strict=True):
            out[text] = verdict.to_dict()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=("save", "compare"))
    parser.add_argument("path", type=Path)
    args = parser.parse_args(argv)
    texts = corpus()
    now = verdicts(texts)
    if args.mode == "save":
        args.path.write_text(json.dumps(now, ensure_ascii=False, indent=0), encoding="utf-8")
        print(f"{len(now)} verdicts saved to {args.path}")
        return 0
    before = json.loads(args.path.read_text(encoding="utf-8"))
    missing = [t for t in before if t not in now]
    changed = [t for t in before if t in now and before[t] != now[t]]
    for text in changed:
        print(f"CHANGED {text!r}\n  before {before[text]}\n  after  {now[text]}")
    print(f"{len(before)} lines compared, {len(changed)} changed, {len(missing)} not screened now")
    return 1 if changed or missing else 0


if __name__ == "__main__":
    sys.exit(main())
