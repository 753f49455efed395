"""The learned English crisis layer (``moderation.crisis_model``) and its training.

Self-written lines only. Tests that need the real model find it built by
``make setup`` (``make test`` runs setup first): outside CI a missing model
skips them with the reason; under ``CI=true`` it fails them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import joblib
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation import crisis_model, crisis_train
from moderation.screening import screen, screen_many


@pytest.fixture(autouse=True)
def _default_model_file() -> Iterator[None]:
    """Every test starts and ends on the model file setup builds."""
    crisis_model.use_model_file(None)
    yield
    crisis_model.use_model_file(None)


@pytest.fixture
def real_model() -> None:
    if crisis_model.available():
        return
    reason = f"the crisis model is not built: {crisis_model.status()['problem']}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}. `make test` builds it under CI; it must be there.")
    pytest.skip(reason)


# --- a tiny model, trained here, so the pipeline and the hook are tested without the real data

TINY_POSITIVE = [
    "zebra stripes everywhere tonight",
    "i keep seeing zebra crossings",
    "zebra zebra zebra",
    "the zebra is back again",
    "a zebra in my dreams",
    "zebra plans for tonight",
]
TINY_NEGATIVE = [
    "lovely weather for a walk",
    "what is everyone cooking",
    "my cat is asleep on the sofa",
    "see you all on thursday",
    "the bus was late again",
    "i finished my book",
]


def _tiny_examples() -> list[crisis_train.Example]:
    return [crisis_train.Example(t, 1, 1.0) for t in TINY_POSITIVE] + [
        crisis_train.Example(t, 0, 1.0) for t in TINY_NEGATIVE
    ]


@pytest.fixture
def tiny_model(tmp_path: Path) -> Path:
    model = crisis_train.fit(_tiny_examples(), C=100.0)  # confident beyond both points
    path = crisis_train.save(model, {"version": "tiny-1", "training_data_sha256": "abc"}, tmp_path)
    crisis_model.use_model_file(path)
    return path


def _coefficients(model: object) -> np.ndarray:
    return np.asarray(model.named_steps["logisticregression"].coef_)  # type: ignore[attr-defined]


def test_training_is_deterministic() -> None:
    first = crisis_train.fit(_tiny_examples())
    second = crisis_train.fit(_tiny_examples())
    assert np.array_equal(_coefficients(first), _coefficients(second))
    probe = ["zebra tonight", "cooking dinner", ""]
    assert np.array_equal(first.predict_proba(probe), second.predict_proba(probe))


def test_training_needs_both_labels() -> None:
    with pytest.raises(ValueError, match="both"):
        crisis_train.fit([crisis_train.Example("zebra", 1)] * 3)


def test_saved_model_round_trips(tiny_model: Path) -> None:
    bundle = joblib.load(tiny_model)
    assert bundle["meta"]["version"] == "tiny-1"
    assert crisis_model.available()
    zebra, cat = crisis_model.predict_many(["a zebra again tonight", "my cat is asleep"])
    assert zebra > 0.5 > cat
    info = crisis_model.status()
    assert info["active"]
    assert info["version"] == "tiny-1"
    assert info["training_data_sha256"] == "abc"


def test_prepare_normalises_case_quotes_links_and_space() -> None:
    assert crisis_train.prepare("I\u2019M  Done   https://x.example/y ") == "i'm done"


def test_self_written_data_is_read_without_comments() -> None:
    examples = crisis_train.self_written()
    assert {e.label for e in examples} == {0, 1}
    assert not any(e.text.startswith("#") or not e.text for e in examples)
    assert len([e for e in examples if e.label == 0]) >= 300


def test_data_hash_depends_on_every_part_and_its_order() -> None:
    base = crisis_train.data_hash([b"a", b"b"])
    assert base == crisis_train.data_hash([b"a", b"b"])
    assert base != crisis_train.data_hash([b"b", b"a"])
    assert base != crisis_train.data_hash([b"a", b"c"])


def test_reddit_posts_become_labelled_examples() -> None:
    examples = crisis_train.posts_to_examples(
        [("SuicideWatch", "x" * 5000), ("selfharm", "b"), ("teaching", "Marking all weekend.")]
    )
    assert [e.label for e in examples] == [1, 1, 0]
    assert len(examples[0].text) == crisis_train.POST_CHARS
    assert {e.weight for e in examples} == {crisis_train.POST_WEIGHT}


def test_the_csv_reader_skips_empty_posts() -> None:
    data = b"subreddit,post\nsuicidewatch,hello there\nteaching,\n,orphan\n"
    assert crisis_train.read_rmhd(data) == [("suicidewatch", "hello there")]


# --- missing or broken artefact: the lexicon screens alone


def test_missing_model_leaves_the_lexicon_alone(tmp_path: Path) -> None:
    crisis_model.use_model_file(tmp_path / "absent.joblib")
    assert not crisis_model.available()
    assert crisis_model.predict_many(["i want to die", "hello"]) == [0.0, 0.0]
    assert crisis_model.severities(["anything"]) == [0]
    info = crisis_model.status()
    assert not info["active"]
    assert "make setup" in info["problem"]
    verdict = screen("I want to kill myself")
    assert verdict.crisis
    assert "crisis:model" not in verdict.reasons
    assert screen("lovely weather today").action == "allow"


def test_a_corrupt_model_file_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / "crisis_en.joblib"
    path.write_bytes(b"not a model at all")
    crisis_model.use_model_file(path)
    assert not crisis_model.available()
    assert "could not be loaded" in crisis_model.status()["problem"]
    assert screen("see you all on thursday").action == "allow"


# --- the hook in screen(): the lexicon's verdicts stand, the model fills silence


def test_model_adds_a_verdict_where_the_lexicon_is_silent(tiny_model: Path) -> None:
    verdict = screen("the zebra is back again tonight")
    assert verdict.crisis
    assert verdict.action == "flag"
    assert verdict.reasons[0] == "crisis"
    assert verdict.reasons[1] in {"crisis:model", "crisis:model_gentle"}
    assert verdict.crisis_severity == (2 if "crisis:model" in verdict.reasons else 1)


def test_lexicon_verdicts_stand_beside_the_model(tiny_model: Path) -> None:
    lines = [
        "I want to kill myself",
        "my friend said she wants to die, how do I help?",
        "I'm not suicidal anymore",
        "see you all on thursday",
    ]
    with_model = screen_many(lines)
    crisis_model.use_model_file(Path("/nonexistent/crisis_en.joblib"))
    without = screen_many(lines)
    assert with_model == without


def test_third_party_concern_is_not_turned_into_a_crisis(tiny_model: Path) -> None:
    verdict = screen("my friend keeps talking about zebra plans and said she wants to die")
    assert not verdict.crisis
    assert verdict.third_party_concern


def test_policy_minimum_severity_filters_the_gentle_point(tiny_model: Path) -> None:
    from moderation.screening import ScreeningPolicy

    strict = ScreeningPolicy(crisis_min_severity=3)
    assert not screen("zebra zebra zebra", policy=strict).crisis


def test_screen_many_equals_screen_one_by_one(tiny_model: Path) -> None:
    lines = ["zebra zebra", "hello there", "the zebra is back", "I want to die", ""]
    assert screen_many(lines) == [screen(t) for t in lines]


# --- the real model, built by setup


def test_real_model_gives_probabilities(real_model: None) -> None:
    texts = ["hello", "i want to end my life tonight", "", "🙂" * 10]
    probs = crisis_model.predict_many(texts)
    assert len(probs) == len(texts)
    assert all(0.0 <= p <= 1.0 for p in probs)
    assert crisis_model.predict_many([]) == []


def test_real_model_respects_its_operating_points(real_model: None) -> None:
    assert 0.0 < crisis_model.GENTLE_POINT < crisis_model.CRISIS_POINT < 1.0
    texts = ["i took every pill i had", "lovely walk today", "i'm so tired of it all", "ok"]
    for p, s in zip(crisis_model.predict_many(texts), crisis_model.severities(texts), strict=True):
        expected = (
            2 if p >= crisis_model.CRISIS_POINT else 1 if p >= crisis_model.GENTLE_POINT else 0
        )
        assert s == expected


def test_real_model_status_names_its_data(real_model: None) -> None:
    info = crisis_model.status()
    assert info["active"]
    assert info["version"].startswith(crisis_train.RECIPE)
    assert len(info["training_data_sha256"]) == 64
    assert info["sources"]["rmhd_positive_posts"] > 0


def test_real_model_separates_crisis_from_chat_on_average(real_model: None) -> None:
    crisis_lines = [
        "pills all counted out on the table, tonight is it",
        "im gonna jump off the car park roof after work",
        "this is my last message, thank u all x",
    ]
    chat_lines = [
        "anyone up for a film night on friday?",
        "my sourdough finally rose!!",
        "you're killing it with the new haircut",
    ]
    crisis_p = crisis_model.predict_many(crisis_lines)
    chat_p = crisis_model.predict_many(chat_lines)
    assert min(crisis_p) > max(chat_p)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.text(max_size=300), max_size=5))
def test_real_model_never_raises_on_random_unicode(real_model: None, texts: list[str]) -> None:
    probs = crisis_model.predict_many(texts)
    assert len(probs) == len(texts)
    assert all(0.0 <= p <= 1.0 for p in probs)


def test_real_model_reads_100_kb_messages(real_model: None) -> None:
    huge = ["i want to die " * 8000, "\u0000\ud7ff" * 50_000, "x" * 100_000]
    probs = crisis_model.predict_many(huge)
    assert all(0.0 <= p <= 1.0 for p in probs)
    assert all(v.action in {"allow", "flag", "hold", "block"} for v in screen_many(huge))


# --- the direct path (TF-IDF and logistic regression without the pipeline's overhead)

#: Short chat, long posts, repeats, punctuation only, links, non-Latin script: the
#: direct path must give the pipeline's probabilities on all of them.
EQUIVALENCE_LINES = [
    "hello there",
    "i want to die",
    "I can't keep going like this, everything is pointless and I'm so tired",
    "zebra zebra zebra zebra",
    "",
    "   ",
    "?!?!",
    "see https://example.org/a/b and www.example.com",
    "pills all counted out on the table, tonight is it. " * 40,
    "ich will nicht mehr leben",
    "я устал от всего",
    "\u201cquoted\u201d and \u2018curly\u2019 and NFKC \ufb01ne",
]


def _pipeline(texts: list[str]) -> list[float]:
    model, _ = crisis_model.current()
    clipped = [t[: crisis_model.MAX_CHARS] for t in texts]
    return [float(p) for p in model.predict_proba(clipped)[:, 1]]  # type: ignore[union-attr]


def test_direct_path_reproduces_the_tiny_pipeline(tiny_model: Path) -> None:
    model, _ = crisis_model.current()
    assert crisis_model._fast(model) is not None
    lines = [*EQUIVALENCE_LINES, *TINY_POSITIVE, *TINY_NEGATIVE]
    got = crisis_model.predict_many(lines)
    assert np.allclose(got, _pipeline(lines), rtol=0.0, atol=1e-9)
    assert got == [crisis_model.predict_many([t])[0] for t in lines]


def test_direct_path_reproduces_the_real_pipeline(real_model: None) -> None:
    model, _ = crisis_model.current()
    assert crisis_model._fast(model) is not None
    lines = [*EQUIVALENCE_LINES, *crisis_train.read_lines(crisis_train.POSITIVES_FILE)[:200]]
    assert np.allclose(crisis_model.predict_many(lines), _pipeline(lines), rtol=0.0, atol=1e-9)


def test_a_layout_the_direct_path_does_not_know_falls_back_to_the_pipeline(
    tmp_path: Path,
) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    texts = [*TINY_POSITIVE, *TINY_NEGATIVE]
    labels = [1] * len(TINY_POSITIVE) + [0] * len(TINY_NEGATIVE)
    # Plain term counts (no sublinear tf): the direct path would disagree, so it must
    # not be used.
    model = make_pipeline(TfidfVectorizer(), LogisticRegression(C=100.0)).fit(texts, labels)
    path = tmp_path / "plain.joblib"
    joblib.dump({"model": model, "meta": {"version": "plain-1"}}, path)
    crisis_model.use_model_file(path)
    loaded, _ = crisis_model.current()
    assert crisis_model._fast(loaded) is None
    assert crisis_model.predict_many(texts) == _pipeline(texts)


def test_a_direct_path_that_disagrees_is_not_used(
    tiny_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model, _ = crisis_model.current()
    monkeypatch.setattr(crisis_model._Linear, "decision", lambda self, text: 0.0)
    crisis_model._fast_for.clear()
    assert crisis_model._fast(model) is None
    assert crisis_model.predict_many(TINY_POSITIVE) == _pipeline(TINY_POSITIVE)
