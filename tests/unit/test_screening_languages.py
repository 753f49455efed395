"""Crisis language in es, de, fr, pt, it, nl: every lexicon entry's own examples,
look-alike idioms, negation and third person, malformed files, language
identification, and a screener that never raises."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation import multilingual as ml
from moderation.language import identify
from moderation.screening import Verdict, screen, screen_many

LANGUAGES = ("es", "de", "fr", "pt", "it", "nl")
ENTRIES = ml.examples()


def test_every_language_has_a_lexicon() -> None:
    assert set(LANGUAGES) <= set(ml.languages())


@pytest.mark.parametrize("code", LANGUAGES)
def test_each_language_covers_every_category_broadly(code: str) -> None:
    entries = [e for c, e in ENTRIES if c == code]
    categories = {e.category for e in entries}
    for category in (
        "passive_wish",
        "ideation",
        "plan",
        "date_time",
        "means",
        "overdose_taken",
        "self_harm_now",
        "self_harm_urge",
        "goodbye",
        "giving_away",
        "hopelessness",
        "history",
        "third_party",
    ):
        assert category in categories, (code, category)
    assert len(entries) >= 30
    assert sum(len(e.must_match) for e in entries) >= 120
    assert sum(len(e.must_not_match) for e in entries) >= 90


@pytest.mark.parametrize(("code", "entry"), ENTRIES, ids=[e.id for _, e in ENTRIES])
def test_entry_examples(code: str, entry: ml.Entry) -> None:
    for text in entry.must_match:
        found = ml.scan_one(code, text)
        if entry.category == "third_party":
            assert found.third_party, text
            assert not found.severity, text
        else:
            assert entry.id in found.entry_ids, text
            assert found.severity >= entry.severity, text
    for text in entry.must_not_match:
        found = ml.scan_one(code, text)
        if entry.category == "third_party":
            assert not found.third_party, text
        else:
            assert found.severity == 0, (text, found.entry_ids)


@pytest.mark.parametrize(("code", "entry"), ENTRIES, ids=[e.id for _, e in ENTRIES])
def test_entry_examples_through_the_whole_screener(code: str, entry: ml.Entry) -> None:
    """The same examples through screen(): every language's lexicon and the English one."""
    for verdict, text in zip(screen_many(entry.must_match), entry.must_match, strict=True):
        if entry.category == "third_party":
            assert verdict.third_party_concern, text
            assert not verdict.crisis, text
        else:
            assert verdict.crisis, text
            assert verdict.action == "flag", text
            assert verdict.language == code, text
            assert f"language:{code}" in verdict.reasons
    if entry.category != "third_party":
        for verdict, text in zip(
            screen_many(entry.must_not_match), entry.must_not_match, strict=True
        ):
            # No lexicon, English or another language's, reads a crisis into a
            # look-alike (the cross-lingual layer is tested on its own).
            assert not _lexicon_crisis(verdict), text


def _lexicon_crisis(verdict: Verdict) -> bool:
    return verdict.crisis and "crisis:crosslingual" not in verdict.reasons


#: Figures of speech that must stay quiet, per language.
IDIOMS = {
    "es": [
        "me muero de risa",
        "me mata la curiosidad",
        "me muero de hambre, vamos a comer",
        "este trafico me va a matar",
        "estoy muerta de cansancio",
        "me quiero morir de la verguenza jajaja",
    ],
    "de": [
        "ich sterbe vor Langeweile",
        "ich lach mich tot",
        "die Hitze bringt mich noch um",
        "ich bin todmüde",
        "ich könnte sterben vor Hunger",
    ],
    "fr": [
        "je meurs de faim",
        "je suis morte de rire",
        "ce boulot va me tuer",
        "je suis mort de fatigue",
        "j'ai failli mourir de honte",
    ],
    "pt": [
        "morro de rir",
        "to morrendo de fome",
        "quase morri de vergonha",
        "esse calor vai me matar",
        "to morta de cansaço",
    ],
    "it": [
        "muoio dal ridere",
        "sto morendo di fame",
        "questo caldo mi uccide",
        "sono stanca morta",
        "mi ammazzo di lavoro questa settimana",
    ],
    "nl": [
        "ik ga dood van de honger",
        "ik lach me dood",
        "ik schrok me dood",
        "ik ben doodmoe",
        "ik verveel me dood",
    ],
}


@pytest.mark.parametrize(("code", "text"), [(c, t) for c, texts in IDIOMS.items() for t in texts])
def test_look_alike_idioms_stay_quiet(code: str, text: str) -> None:
    verdict = screen(text)
    assert not verdict.crisis
    assert not verdict.third_party_concern


NEGATED = [
    "no quiero morir",
    "nunca he pensado en suicidarme",
    "ich will nicht sterben",
    "ich will mich nicht umbringen",
    "je veux pas mourir",
    "je n'ai jamais pensé au suicide",
    "não quero morrer",
    "nunca pensei em me matar",
    "non voglio morire",
    "non ho mai pensato di uccidermi",
    "ik wil niet dood",
    "ik heb nooit aan zelfmoord gedacht",
]


@pytest.mark.parametrize("text", NEGATED)
def test_negation_is_not_a_crisis(text: str) -> None:
    assert not screen(text).crisis


THIRD_PERSON = [
    "mi amiga quiere morir",
    "mi hermano se quiere matar, que hago?",
    "meine Schwester will nicht mehr leben",
    "er will sterben",
    "ma soeur veut se suicider",
    "meu irmão quer se matar",
    "la mia amica vuole morire",
    "mijn vriend wil dood",
]


@pytest.mark.parametrize("text", THIRD_PERSON)
def test_someone_else_at_risk_is_a_concern_not_the_authors_crisis(text: str) -> None:
    verdict = screen(text)
    assert not verdict.crisis
    assert verdict.third_party_concern
    assert "third_party_concern" in verdict.reasons


REPORTED = [
    "mi jefe me dijo que me matara",
    "er hat gesagt ich soll mich umbringen",
    "elle m'a dit « je veux mourir » dans la chanson",
]


@pytest.mark.parametrize("text", REPORTED)
def test_someone_elses_words_are_not_the_authors_crisis(text: str) -> None:
    assert not screen(text).crisis


#: A "can't go on" phrase keeps its negation to itself: the crisis phrase after it is
#: the author's, at least at the severity it carries on its own.
CANT_GO_ON_THEN_CRISIS = [
    ("no aguanto mas me voy a matar", 4),
    ("no aguanto más quiero morirme", 3),
    ("ich kann nicht mehr ich will sterben", 3),
    ("ich halte es nicht mehr aus, ich will sterben", 3),
    ("je n'en peux plus je veux mourir", 3),
    ("não aguento mais quero morrer", 3),
    ("nao aguento mais vou me matar hoje", 4),
    ("nn reggo piu voglio morire", 3),
    ("non reggo più voglio morire", 3),
    ("nn reggo piu mi ammazzo stanotte", 4),
    ("non ce la faccio più voglio morire", 3),
    ("ik kan niet meer ik wil dood", 3),
    ("ik hou het niet meer vol ik wil dood", 3),
]


@pytest.mark.parametrize(("text", "severity"), CANT_GO_ON_THEN_CRISIS)
def test_a_cant_go_on_phrase_does_not_negate_the_crisis_after_it(text: str, severity: int) -> None:
    assert ml.detect(text).severity >= severity
    assert screen(text).crisis_severity >= severity
    # Nothing was scoped away, so the learned layer is not told to stand down.
    assert not ml.understood(text)


#: ...while a negation of its own, in the next clause, still silences the phrase.
CANT_GO_ON_THEN_NEGATED = [
    "no aguanto mas pero no quiero morir",
    "ich kann nicht mehr, aber ich will nicht sterben",
    "je n'en peux plus mais je veux pas mourir",
    "não aguento mais mas não quero morrer",
    "non ce la faccio più ma non voglio morire",
    "ik kan niet meer maar ik wil niet dood",
]


@pytest.mark.parametrize("text", CANT_GO_ON_THEN_NEGATED)
def test_a_negation_after_a_cant_go_on_phrase_still_negates(text: str) -> None:
    assert ml.detect(text).severity < 3
    assert "ideation" not in ml.detect(text).kinds


#: A reporting word governs its own clause only: after a comma or "and"/"but" the
#: author speaks again.
REPORTED_THEN_OWN = [
    "mi mamá dice que soy un fracaso, quiero morir",
    "mi jefe me grito y yo solo quiero morir",
    "meine mutter hat gesagt ich bin faul, ich will nicht mehr leben",
    "er schrieb mir heute und ich will sterben",
    "ma mère dit que je suis nulle, je veux mourir",
    "je sais pas quoi dire, je veux mourir",
    "minha mãe diz que eu sou um fracasso, quero morrer",
    "meu ex mandou mensagem hoje e eu quero morrer",
    "mandou mensagem mas eu so quero morrer",
    "mia madre dice che sono un fallimento, voglio morire",
    "il prof ha detto che sono pigro e voglio morire",
    "ik weet niet wat ik moet zeggen, ik wil dood",
    "mijn moeder zei dat ik lui ben en ik wil dood",
]


@pytest.mark.parametrize("text", REPORTED_THEN_OWN)
def test_a_reporting_word_does_not_reach_into_the_next_clause(text: str) -> None:
    assert ml.detect(text).severity >= 3
    assert screen(text).crisis_severity >= 3
    assert not ml.understood(text)


@pytest.mark.parametrize(
    "text",
    [
        "NO QUIERO VIVIR MAS",
        "ya no quiero vivir más",
        "ich will nich mehr leben",
        "Ich will NICHT MEHR LEBEN",
        "j'ai plus envie de vivre",
        "jai plus envie de vivre",
        "nao quero mais viver",
        "non voglio più vivere",
        "ik wil dooood",
    ],
)
def test_accents_case_and_typing_habits(text: str) -> None:
    assert screen(text).crisis


def test_escalation_next_to_the_means_or_a_time() -> None:
    verdict = screen("quiero morir, tengo las pastillas guardadas para hacerlo")
    assert verdict.crisis_severity == 4


def test_history_is_gentle_unless_it_is_behind_them() -> None:
    assert screen("intente suicidarme a los 16").crisis_severity == 1
    assert not screen("intente suicidarme a los 16 pero ahora estoy mucho mejor").crisis


# --- Verdict.language ---------------------------------------------------------------------


def test_verdict_language_defaults_and_serialises() -> None:
    old = Verdict(
        crisis=False, crisis_severity=0, offensive=False, contact_details=False, action="allow"
    )
    assert old.language == "und"
    verdict = screen("Wie war euer Wochenende? Ich war wandern mit meinem Hund.")
    assert verdict.language == "de"
    assert verdict.to_dict()["language"] == "de"
    assert screen("good morning everyone, how did you sleep?").language == "en"
    assert screen("🙂🙂").language == "und"


@pytest.mark.parametrize(
    ("text", "prior", "expected"),
    [
        ("quiero morir", None, "es"),
        ("ich will sterben", None, "de"),
        ("voglio morire", None, "it"),
        ("ik wil dood", None, "nl"),
        ("hola", None, "und"),
        ("hola", ["es"], "es"),
        ("ciao", ["it"], "it"),
        ("ok", ["de"], "und"),
        ("👍", ["es"], "und"),
        ("gracias", ["zz", "ES "], "es"),
        ("buenas noches a todos, hasta mañana", ["de"], "es"),
    ],
)
def test_language_identification_on_short_lines(
    text: str, prior: list[str] | None, expected: str
) -> None:
    assert identify(text, languages=prior) == expected


def test_a_prior_never_hides_a_crisis() -> None:
    verdict = screen("quiero morir", languages=["nl"])
    assert verdict.crisis
    assert verdict.language == "es"


# --- malformed files ----------------------------------------------------------------------


def _entry(**changes: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "id": "xx-one",
        "category": "ideation",
        "severity": 3,
        "pattern": "quiero morir",
        "must_match": ["quiero morir"],
        "must_not_match": ["no"],
    }
    entry.update(changes)
    return entry


_SCOPING: dict[str, object] = {
    "negators": ["no"],
    "first_person": ["yo"],
    "other_person": ["ella"],
    "reporting": ["dijo"],
    "clause_words": ["que"],
}


def _file(tmp_path: Path, **changes: object) -> Path:
    data: dict[str, object] = {
        "language": "xx",
        "scoping": dict(_SCOPING),
        "entries": [_entry()],
    }
    data.update(changes)
    path = tmp_path / "xx.toml"
    path.write_text(_toml(data), encoding="utf-8")
    return path


def _toml(data: dict[str, object]) -> str:
    """The few shapes a lexicon file has, as TOML (a JSON string, list or number is a
    TOML value too)."""
    lines = [f"{k} = {json.dumps(v)}" for k, v in data.items() if not isinstance(v, dict | list)]
    for key in ("scoping", "macros"):
        table = data.get(key)
        if isinstance(table, dict):
            lines.append(f"[{key}]")
            lines += [f"{k} = {json.dumps(v)}" for k, v in table.items()]
    entries = data.get("entries")
    for entry in entries if isinstance(entries, list) else []:
        lines.append("[[entries]]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in entry.items()]
    return "\n".join(lines) + "\n"


def test_a_well_formed_file_loads(tmp_path: Path) -> None:
    lexicon = ml.load_lexicon(_file(tmp_path))
    assert lexicon.language == "xx"
    assert [e.id for e in lexicon.entries] == ["xx-one"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"entries": [_entry(pattern="quiero (morir")]}, "'xx-one': pattern does not compile"),
        ({"entries": [_entry(category="sadness")]}, "'xx-one': category must be one of"),
        ({"entries": [_entry(severity=1)]}, "'xx-one': severity 1 is not allowed for ideation"),
        ({"entries": [_entry(must_match=[])]}, "'xx-one': must_match must be a non-empty list"),
        ({"entries": [_entry(pattern="Quiero Morir")]}, "'xx-one': pattern must be lower case"),
        ({"entries": [_entry(pattern="quiero %NOPE%")]}, "'xx-one': unknown macro %NOPE%"),
        ({"entries": [_entry(), _entry()]}, "'xx-one': id is used twice"),
        ({"entries": [_entry(extra=1)]}, "'xx-one': unknown keys ['extra']"),
        ({"entries": [{"category": "ideation"}]}, "entry 1: id must be a non-empty string"),
        ({"language": "yy"}, "language: 'yy' does not match the file name"),
        ({"scoping": {"negators": "no"}}, "scoping.negators: must be a list of words"),
        (
            {"entries": [_entry(pattern="quiero morir\b")]},
            "'xx-one': pattern holds the control character '\\x08'",
        ),
        (
            {"scoping": {**_SCOPING, "figurative_after": [" ?de risa", "\\s?lol\b"]}},
            "scoping.figurative_after pattern 2: pattern holds the control character '\\x08'",
        ),
    ],
)
def test_a_malformed_file_fails_naming_the_file_and_entry(
    tmp_path: Path, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ml.LexiconError) as caught:
        ml.load_lexicon(_file(tmp_path, **changes))
    assert str(caught.value).startswith("xx.toml: ")
    assert message in str(caught.value)


def test_cant_go_on_and_coordinators_are_read_from_the_file(tmp_path: Path) -> None:
    phrase = "no aguanto mas quiero morir"
    reported = "el jefe dijo algo y quiero morir"
    bare = ml.load_lexicon(_file(tmp_path))
    assert bare.cant_go_on is None
    assert bare.coordinators == frozenset()
    assert not ml._scan(bare, phrase).severity  # the "no" reaches the phrase
    assert not ml._scan(bare, reported).severity  # "dijo" reaches past the "y"
    scoping = {**_SCOPING, "cant_go_on": ["\\bno aguanto mas\\b"], "coordinators": ["y"]}
    lexicon = ml.load_lexicon(_file(tmp_path, scoping=scoping))
    assert ml._scan(lexicon, phrase).severity == 3
    assert ml._scan(lexicon, reported).severity == 3
    assert not ml._scan(lexicon, "no quiero morir").severity  # a negator of its own still counts
    assert not ml._scan(lexicon, "el jefe dijo quiero morir").severity


@pytest.mark.parametrize(
    ("scoping", "message"),
    [
        ({**_SCOPING, "cant_go_on": "no"}, "scoping.cant_go_on: must be a list of patterns"),
        ({**_SCOPING, "cant_go_on": ["(no"]}, "scoping.cant_go_on: pattern does not compile"),
        ({**_SCOPING, "coordinators": [""]}, "scoping.coordinators: must be a list of words"),
    ],
)
def test_a_malformed_scoping_option_fails_naming_it(
    tmp_path: Path, scoping: dict[str, object], message: str
) -> None:
    with pytest.raises(ml.LexiconError) as caught:
        ml.load_lexicon(_file(tmp_path, scoping=scoping))
    assert message in str(caught.value)


def test_a_file_that_is_not_toml_fails_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "xx.toml"
    path.write_text("[scoping\n", encoding="utf-8")
    with pytest.raises(ml.LexiconError, match=r"^xx\.toml: not valid TOML"):
        ml.load_lexicon(path)


# --- never raises -------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_screen_never_raises_on_any_unicode(text: str) -> None:
    verdict = screen(text, languages=["es", "de"])
    assert len(verdict.language) in {2, 3}


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "quiero morir",
                "ich will",
                "mourir",
                "умереть",
                "死にたい",
                "أريد",
                "😢",
                "\u200b",
                "\u0301",
                "ﬁ",
                "''",
                "«",
                "%PILLS%",
                "(?:",
                "\\",
                "ß",
                "İ",
            ]
        ),
        max_size=30,
    ),
    st.lists(st.sampled_from(["es", "de", "", "xx", "english", "12"]), max_size=3),
)
def test_screen_never_raises_on_mixed_scripts(parts: list[str], prior: list[str]) -> None:
    screen(" ".join(parts), languages=prior)


def test_screen_handles_100_kilobyte_strings() -> None:
    long_text = ("ich habe einen langen Tag gehabt und bin müde. " * 2200)[:100_000]
    assert not screen(long_text).crisis
    assert screen(long_text + " ich will nicht mehr leben").crisis
    assert not screen("ü" * 100_000).crisis


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ich will nicht sterben", True),  # negated inside the phrase
        ("nunca he pensado en matarme", True),  # negated before it
        ("mi amiga quiere morir", True),  # someone else
        ("ich lach mich tot", True),  # a figure of speech
        ("ich will sterben", False),  # the author's own crisis: nothing scoped away
        ("wie war dein Tag?", False),
        ("", False),
    ],
)
def test_understood_tells_the_learned_layer_a_lexicon_read_the_phrase(
    text: str, expected: bool
) -> None:
    assert ml.understood(text) is expected


# --- a trailing laugh ------------------------------------------------------------------------

_LAUGHS = (" lol", " xd", " haha", " jajaja", " mdr", " kkkk")


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_trailing_laugh_never_takes_a_crisis_phrase_back(code: str) -> None:
    """English reads "i want to die lol" as a crisis; every language does the same, so a
    laugh typed after a crisis phrase never hides it from the moderators."""
    wishes = [e.must_match[0] for c, e in ENTRIES if c == code and e.category == "ideation"]
    assert wishes
    for text in wishes:
        for laugh in _LAUGHS:
            assert ml.scan_one(code, text + laugh).severity > 0, text + laugh


def test_the_english_screener_reads_a_crisis_phrase_before_a_laugh() -> None:
    for laugh in _LAUGHS:
        assert screen("i want to die" + laugh).crisis, laugh
