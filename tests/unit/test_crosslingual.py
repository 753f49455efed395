"""The cross-lingual crisis layer: the pure module, its training, and its hook in screen().

Every line here was written for these tests (none is an exemplar the layer was
trained on), so the hook tests also check that the layer generalises a little.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation import abuse_model, screening
from moderation import crosslingual as xl
from moderation import crosslingual_train as train

CI = os.environ.get("CI") == "true"


def test_the_built_artefact_is_there_and_current_under_ci() -> None:
    """`make setup` builds the artefact; under CI a missing or stale one fails."""
    if not xl.ARTEFACT.exists():
        if CI:
            pytest.fail(f"{xl.ARTEFACT} is missing: `make setup` should have built it")
        pytest.skip("no built artefact here (make setup builds it; the layer trains in memory)")
    model = xl.Model.load(xl.ARTEFACT)
    assert model.meta["data_sha256"] == xl.data_hash(), "exemplars changed: run make setup"
    assert model.meta["encoder"] == xl.ENCODER
    assert 0.5 <= model.gentle <= model.crisis < 1.0


def test_status_reports_version_hash_points_and_figures() -> None:
    status = xl.status()
    assert status["ready"] is True
    assert status["training_data_sha256"] == xl.data_hash()
    assert status["training_data_current"] is True
    assert set(status["operating_points"]) == {"crisis", "gentle"}
    dev = status["figures"]["dev"]
    assert {"es", "de", "fr", "pt", "it", "nl", "en", "all"} <= set(dev)
    # The budget the operating points were chosen under, met on the lines never tuned on.
    assert dev["all"]["ordinary_raised_gentle"] <= 0.03


def test_exemplars_parse_with_every_category_in_every_language() -> None:
    items = train.read_exemplars()
    by_language: dict[str, set[str]] = {}
    for item in items:
        by_language.setdefault(item.language, set()).add(item.category)
    needed = {"passive", "ideation", "plan", "date", "means", "overdose", "selfharm", "goodbye"}
    needed |= {"giving", "idiom", "negation", "third", "chat", "support"}
    for language in ("es", "de", "fr", "pt", "it", "nl", "en"):
        assert needed <= by_language[language], language
    assert sum(1 for i in items if i.dev) > len(items) // 8
    # Translations share a group, and a group is never split between train and dev.
    groups: dict[str, set[bool]] = {}
    for item in items:
        groups.setdefault(item.group, set()).add(item.dev)
    assert all(len(sides) == 1 for sides in groups.values())


def test_bad_exemplar_lines_are_named() -> None:
    with pytest.raises(ValueError, match="xx:2"):
        train.parse(["0\tchat\thello", "7\tchat\twhat"], "xx")
    with pytest.raises(ValueError, match="xx:1"):
        train.parse(["2\tplan"], "xx")
    assert train.parse(["# a comment", "", "1\tpassive\tnope"], "xx")[0].group == "passive:1"


def test_predictions_are_deterministic_probabilities() -> None:
    texts = ["ich kann nicht mehr, ich will nur noch sterben", "heute regnet es schon wieder"]
    first = xl.predict_many(texts)
    assert first == xl.predict_many(texts)
    # One by one or in a batch: the same up to float noise of the batched matmul.
    assert first == pytest.approx([xl.predict_many([t])[0] for t in texts], abs=1e-5)
    assert all(0.0 <= p <= 1.0 for p in first)
    assert first[0] > first[1]
    assert xl.predict_many([]) == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_never_raises_on_any_text(text: str) -> None:
    (p,) = xl.predict_many([text])
    assert 0.0 <= p <= 1.0
    assert xl.severity_for(p) in (0, 1, 2)


def test_junk_and_huge_inputs() -> None:
    texts = ["", "   ", "\x00\ud800\x07", "🙂" * 5000, "quiero " * 40_000, "𝔥𝔢𝔩𝔭", "١٢٣"]
    probabilities = xl.predict_many(texts)
    assert len(probabilities) == len(texts)
    assert all(0.0 <= p <= 1.0 for p in probabilities)


def test_severity_is_monotone_in_the_probability() -> None:
    points = xl.operating_points()
    assert 0.0 < points["gentle"] <= points["crisis"] < 1.0
    grid = np.linspace(0.0, 1.0, 201)
    severities = [xl.severity_for(float(p)) for p in grid]
    assert severities == sorted(severities)
    assert xl.severity_for(points["crisis"]) == 2
    assert xl.severity_for(points["gentle"]) >= 1
    assert xl.severity_for(0.0) == 0


def test_looks_english() -> None:
    assert xl.looks_english("i can't do this anymore")
    assert xl.looks_english("lol ok")
    assert xl.looks_english("12345 !!!")
    assert not xl.looks_english("ya no puedo con esto")
    assert not xl.looks_english("ich hab keine kraft mehr")
    assert not xl.looks_english("я больше не могу")
    assert not xl.looks_english("non ce la faccio")


def test_training_pipeline_on_a_tiny_exemplar_set(tmp_path: Path) -> None:
    """The whole pipeline (parse, grouped folds, calibration, points, save, load)."""
    rows = []
    for k in range(12):
        rows.append(f"2\tideation\tquiero morir ya, no aguanto mas {k}")
        rows.append(f"2\tplan\testa noche me tiro del puente {k}")
        rows.append(f"0\tchat\thoy comi paella con mi familia {k}")
        rows.append(f"0\tchat\tmañana voy al gimnasio temprano {k}")
    (tmp_path / "es.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    items = train.read_exemplars(tmp_path)
    model = train.train(items, xl.embed, folds=3, data_sha256=xl.data_hash(tmp_path))
    target = tmp_path / "model.npz"
    model.save(target)
    loaded = xl.Model.load(target)
    assert loaded.meta["data_sha256"] == xl.data_hash(tmp_path)
    assert loaded.meta["lines"]["train"] + loaded.meta["lines"]["dev"] == len(items)
    vectors = xl.embed(["me quiero morir", "voy a comer paella"])
    assert loaded.probabilities(vectors) == model.probabilities(vectors)
    crisis, chat = loaded.probabilities(vectors)
    assert crisis > chat
    with pytest.raises(ValueError, match="every fold"):
        train.train(items[:4], xl.embed, folds=3)


# --- the hook in screen() ----------------------------------------------------------------

#: Crisis lines in the phrasing of people in chat, in words no lexicon pattern was written for.
CRISIS = (
    "no le encuentro sentido a nada, esta noche pienso acabar con todo",
    "ich habe heute alle meine schlaftabletten gesammelt und nehme sie heute nacht",
    "je ne veux plus me reveiller, ce soir je vais en finir",
    "nao aguento mais viver assim, vou me matar hoje",
    "ho deciso, stanotte mi tolgo la vita",
    "ik kan niet meer, ik ga vannacht een einde aan mijn leven maken",
)
#: Look-alike idioms and everyday chat that must stay quiet.
QUIET = (
    "me muero de risa con este video jajaja",
    "ich sterbe vor langeweile in dieser vorlesung",
    "je meurs de faim, on commande des pizzas ?",
    "morri de vergonha na reuniao hoje kkk",
    "sto morendo dal caldo in ufficio",
    "ik lig helemaal dubbel van het lachen",
    "heute war ein guter tag, wir waren im park",
    "vamos al cine el sabado, os apuntais?",
)


def test_crises_in_other_languages_are_flagged() -> None:
    """Lines written for this test, never trained on: the layer finds most of them.

    Its recall on unseen lines is about one half to two thirds (bench/screening.py
    reports it per language), so this asks for most, not all.
    """
    verdicts = screening.screen_many(CRISIS)
    flagged = [v for v in verdicts if v.crisis]
    assert len(flagged) >= len(CRISIS) - 2, [v.reasons for v in verdicts]
    for verdict in flagged:
        assert verdict.action == "flag"
        assert verdict.crisis_severity >= 1
        assert verdict.reasons[0] == "crisis"
    assert any("crisis:crosslingual" in v.reasons for v in flagged)


@pytest.mark.parametrize("text", QUIET)
def test_look_alike_idioms_and_chat_stay_quiet(text: str) -> None:
    verdict = screening.screen(text)
    assert not verdict.crisis
    assert "crisis:crosslingual" not in verdict.reasons


def test_the_reason_names_the_layer_and_batches_agree() -> None:
    texts = [*CRISIS, *QUIET, "hello, how was your day?"]
    batch = screening.screen_many(texts)
    assert batch == [screening.screen(t) for t in texts]
    assert any("crisis:crosslingual" in v.reasons for v in batch)


def test_english_chat_reaches_the_encoder_and_long_english_posts_do_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[list[str]] = []
    real = xl.embed

    def spy(texts: list[str]) -> object:
        asked.append(list(texts))
        return real(texts)

    # What the encoder reads (English chat is encoded once, for the crisis and abuse
    # layers); the abuse layer trains on its own lines first, before the spy.
    abuse_model.load()
    monkeypatch.setattr(xl, "embed", spy)
    long_post = "I had a long day at work and the bus was late again. " * 10
    assert len(long_post) > xl.ENGLISH_CHAT_CHARS
    screening.screen_many(["this traffic is killing me", long_post])
    assert asked == [["this traffic is killing me"]]
    asked.clear()
    # Swedish has no lexicon: the encoder at the shared points reads it.
    screening.screen("jag vill inte leva längre")
    assert asked == [["jag vill inte leva längre"]]


@pytest.mark.parametrize(
    "text",
    [
        "sorted out who gets my guitar and my games, wont be needing them",
        "the bottle of pills is right here next to my bed",
        "gonna miss you guys, thanks for everything, this is it for me",
    ],
)
def test_english_crisis_in_everyday_words_is_raised(text: str) -> None:
    """No lexicon pattern names these (giving things away, the means, a goodbye)."""
    verdict = screening.screen(text)
    assert verdict.crisis
    assert {"crisis:model", "crisis:model_gentle"} & set(verdict.reasons)


@pytest.mark.parametrize(
    "text",
    [
        "goodbye all, see you on monday!",
        "picked saturday for the picnic, everything is ready",
        "giving my old games to my nephew, i never play them",
        "we're here for you, please stay safe tonight",
    ],
)
def test_english_look_alikes_of_everyday_crisis_stay_quiet(text: str) -> None:
    assert not screening.screen(text).crisis


def test_a_crisis_policy_above_the_layer_keeps_it_quiet() -> None:
    policy = screening.ScreeningPolicy(crisis_min_severity=3)
    # A line only this layer reads (severity 2 here), not the Dutch lexicon.
    only_layer = "ik kan niet meer, ik ga vannacht een einde aan mijn leven maken"
    assert not screening.screen(only_layer, policy=policy).crisis
    assert screening.screen(only_layer).crisis


def test_ordinary_english_chat_rarely_reaches_the_encoder() -> None:
    from bench.screening import ORDINARY_CHAT

    routed = [t for t in ORDINARY_CHAT if not xl.looks_english(t)]
    assert len(routed) <= 0.03 * len(ORDINARY_CHAT), routed
    items = train.read_exemplars()
    misread = [i.text for i in items if (i.language == "en") != xl.looks_english(i.text)]
    assert len(misread) <= 0.01 * len(items), misread
