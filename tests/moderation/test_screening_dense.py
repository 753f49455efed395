"""The dense distress vocabulary (severity 1) and the needle prefilter of crisis patterns.

Every line here was written for these tests; none comes from a data set.
"""

from __future__ import annotations

import re

import pytest

from moderation import screening as scr
from moderation import screening_lexicon as lex
from moderation.screening import screen, screen_many

#: Several distress words together, none of them a crisis phrase on its own.
DENSE: tuple[str, ...] = (
    "Everything feels hopeless and I'm so lonely, I don't know where to turn.",
    "I'm exhausted and miserable, the panic attacks are back and I feel trapped.",
    "Honestly I feel worthless. Constant dread, nightmares every night, I'm falling apart.",
    "I relapsed again last night and the cravings are awful, I feel like a failure.",
    "Numb, isolated, hopeless. That's me at the moment.",
    "I'm drinking to cope and I feel empty inside most days.",
    "I keep getting flashbacks and I'm terrified to sleep, I'm a wreck and so alone.",
    "I have no friends here and I'm lonely and depressed, every day feels pointless.",
)

#: Mild feelings, negations, history, other people and replies: never a crisis.
NOT_DENSE: tuple[str, ...] = (
    "I'm not depressed anymore, honestly doing well.",
    "My sister has been so depressed, how can I help her?",
    "My friend is lonely and anxious since the move, what can I do for him?",
    "Work was a bit stressful today but I got through it.",
    "I'm tired, long day. Heading to bed early.",
    "Lonely weekend but the film helped.",
    "That sounds so hard, I'm here if you want to talk.",
    "You're not a failure and you're not alone, we're here.",
    "I had a panic attack before my presentation but I still did it!",
    "I used to feel worthless, trapped and alone, but therapy really helped.",
    "I'm a failure at houseplants, RIP basil number four.",
    "I was hopeless about finding a job, but I start on Monday!",
    "That horror film gave me nightmares, never again.",
    "My therapist says my anxiety and depression are much better, meds are working.",
)


@pytest.mark.parametrize("line", DENSE)
def test_dense_distress_is_the_gentle_tier(line: str) -> None:
    verdict = screen(line)
    assert verdict.crisis, line
    assert verdict.crisis_severity >= 1
    assert verdict.action == "flag"


@pytest.mark.parametrize("line", NOT_DENSE)
def test_mild_negated_and_third_person_lines_are_allowed(line: str) -> None:
    verdict = screen(line)
    assert not verdict.crisis, (line, verdict.reasons)
    assert verdict.action == "allow"


def _dense(line: str) -> bool:
    text = scr._crisis_copy(scr._normalise(line))
    clauses = scr._breaks(text, scr._CLAUSE_BREAK)
    sentences = scr._breaks(text, scr._SENTENCE_BREAK)
    return scr._dense_distress(text, clauses, sentences, [])


def test_dense_vocabulary_is_labelled_distress() -> None:
    line = "I keep getting flashbacks and I'm terrified to sleep, I'm a wreck and so alone."
    assert _dense(line)
    verdict = screen(line)
    assert verdict.reasons == ["crisis", "crisis:distress"]
    assert verdict.crisis_severity == 1


@pytest.mark.parametrize("line", NOT_DENSE)
def test_the_vocabulary_alone_leaves_ordinary_lines(line: str) -> None:
    assert not _dense(line), line


def test_one_ordinary_word_never_reaches_the_threshold() -> None:
    mild = [p for p, w in lex.DISTRESS_VOCABULARY.items() if w == 1]
    assert mild, "the vocabulary has everyday words of weight 1"
    assert max(lex.DISTRESS_VOCABULARY.values()) < lex.DISTRESS_DENSE_THRESHOLD
    assert not screen("I'm stressed and tired.").crisis


def test_condition_and_care_words_count_once_together() -> None:
    topics = "I have depression, anxiety and ptsd, I see a therapist and a psychiatrist."
    assert not screen(topics).crisis
    assert set(lex.DISTRESS_VOCABULARY) >= lex.DISTRESS_TOPICS


def test_negation_turns_each_word_off() -> None:
    assert screen("I feel hopeless, trapped and worthless.").crisis
    assert not screen("I don't feel hopeless, trapped or worthless any more.").crisis


def test_someone_elses_distress_is_not_the_authors() -> None:
    assert screen("I feel hopeless, trapped and worthless.").crisis
    assert not screen("She feels hopeless, trapped and worthless.").crisis


def test_a_long_post_needs_more_than_a_short_one() -> None:
    core = "I feel alone and miserable, panic attacks again. "
    padding = "We went to the market and bought apples, bread and cheese for the picnic. " * 30
    assert screen(core).crisis
    assert not screen(core + padding).crisis
    assert len((core + padding).split()) >= 2 * lex.DISTRESS_DENSE_WORDS_PER_STEP


def test_when_im_gone_with_its_effect_on_others_is_passive_ideation() -> None:
    assert screen("When I'm gone they'll finally understand.").crisis_severity >= 2
    assert not screen("When I'm gone on holiday, who will feed the cat?").crisis


def test_batch_matches_single() -> None:
    lines = DENSE + NOT_DENSE
    assert screen_many(lines) == [screen(t) for t in lines]


# --- needle prefilter -------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "needles"),
    [
        (r"kill myself", ("kill myself",)),
        (r"\bi (?:want|need) to die\b", (" to die",)),
        (r"(?:pills|rope)", ("pills", "rope")),
        (r"(?:pills|x)", ()),  # one branch has no literal: nothing is required
        (r"(?:so )?sad", ("sad",)),  # an optional part proves nothing
        (r"a.b", ()),
    ],
)
def test_needles_are_literals_every_match_contains(source: str, needles: tuple[str, ...]) -> None:
    assert scr._needles(re.compile(source)) == needles


#: Self-written texts that exercise many crisis and distress patterns.
_PROBE_TEXTS: tuple[str, ...] = (
    "I want to kill myself",
    "i wanna die tonight, i have the pills",
    "I've been self harming again and I hate myself",
    "nobody would miss me if I was gone",
    "I feel so alone and I cry every night",
    "this traffic is killing me lol",
    "I'm not suicidal, just tired",
    "goodbye everyone, thank you for everything",
    "my friend said she wants to die, how do I help",
    "I can't do this anymore, I'm done",
    "what's the least painful way to go",
    "I punched the wall until my knuckles bled",
)


def test_the_prefilter_never_changes_a_search() -> None:
    patterns = [p for *_, p in scr._CRISIS] + [p for _, _, p in scr._DISTRESS]
    assert sum(1 for p in patterns if p.needles) > len(patterns) // 2
    for text in _PROBE_TEXTS:
        norm = scr._crisis_copy(scr._normalise(text))
        for p in patterns:
            with_needles = [m.span() for m in p.finditer(norm)]
            plain = [m.span() for m in p.regex.finditer(norm)] if not p.bounded else None
            if plain is not None:
                assert with_needles == plain, (text, p.regex.pattern[:80])
            if p.needles and not any(n in norm for n in p.needles):
                assert p.regex.search(norm) is None, (text, p.regex.pattern[:80])
