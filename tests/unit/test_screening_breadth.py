"""Everyday English crisis chat (issue 15): known misses, each with the look-alikes
that must stay quiet and the adversarial crisis lines a scope change must not drop.

Every line was written for Hearth; none comes from a benchmark or data set.
"""

from __future__ import annotations

import pytest

from moderation.screening import screen


def _lexicon_severity(text: str) -> int:
    """Severity from the lexicon alone, so a learned layer cannot hide a regression."""
    from moderation.screening import _crisis_copy, _detect_crisis, _normalise

    normalised = _normalise(text)
    return _detect_crisis(_crisis_copy(normalised), normalised).severity


@pytest.mark.parametrize(
    "text",
    [
        "are these pills enough to kill me?",
        "would 30 of my sertraline be enough to kill me",
        "i used to cut. i still do",
        "cutting tonight",
        "just cut 20 times",
        "i cut my arm today",
        "im cutting rn",
        "are your thoughts of dying loud today? mine are screaming",
        "how loud are ur thoughts of dying today? same, all day",
        "it gets better they say. not for me, tonight i end it",
        "i was suicidal too. it does get better. but not for me, i want to die",
        "i was suicidal last night too. it does get better",
        "been suicidal for years and got through it. now its back",
        "i took like 30 pills 10 mins ago",
        "im sitting on the train tracks",
        "the rope is around my neck",
        "sh'd last night",
        "overdosed",
    ],
)
def test_everyday_crisis_is_flagged_by_the_lexicon(text: str) -> None:
    assert _lexicon_severity(text) >= 2, text
    assert screen(text).crisis


@pytest.mark.parametrize(
    "text",
    [
        "cut my hair short today, love it",
        "we need to cut costs this month",
        "im trying to cut carbs",
        "i cut him off, he was toxic",
        "i cut my finger chopping veggies lol",
        "is this coffee enough to kill me lol",
        "took my pills this morning like the doc said",
        "are your thoughts of dying loud today? we can talk",
        "are your thoughts of dying loud today? mine are quieter now",
        "sat on the roof watching the sunset, so pretty",
    ],
)
def test_look_alikes_stay_quiet(text: str) -> None:
    assert not screen(text).crisis, text


def test_a_supporters_question_about_urges_is_not_abuse() -> None:
    verdict = screen("how are the urges to hurt yourself today?")
    assert verdict.action == "allow"
    assert not verdict.offensive
    assert screen("go hurt yourself").action == "hold"


def test_a_supporters_own_recovery_in_the_same_sentence_is_at_most_gentle() -> None:
    assert screen("i was suicidal too, it gets better i promise").crisis_severity <= 1


# A recovery told in a later sentence does not put the author's past away: the
# author can take it back in words no list holds, and these were silenced (4/3 -> 0)
# when it did. Each must flag at no less than before that change.
@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("i was suicidal too honestly. it does get better. i have the pills here", 4),
        ("i was suicidal too. it does get better. the rope is in my room though", 4),
        ("i was suicidal too. it does get better. but not for me", 3),
        ("i was suicidal too. it does get better. i just dont think ill be here to see it", 3),
        ("i was suicidal too. it does get better they say. i dont believe it", 3),
        ("i was suicidal too. it does get better for most people. not me though", 3),
        ("i was suicidal too. it does get better, for other people", 3),
        (
            "u r not alone. i was suicidal too. it does get better. "
            "doesnt matter for me, wrote my note",
            3,
        ),
    ],
)
def test_a_later_recovery_does_not_silence_a_crisis(text: str, severity: int) -> None:
    verdict = screen(text)
    assert verdict.crisis_severity >= severity, text
    assert verdict.action != "allow"


def test_a_subjectless_recovery_after_the_authors_past_is_theirs() -> None:
    assert _lexicon_severity("been suicidal for years and got through it") == 0
    assert _lexicon_severity("been suicidal all week") >= 2


@pytest.mark.parametrize(
    "text",
    [
        "you should want to kill yourself",
        "i hope you are going to kill yourself tonight",
        "i wish you would want to hang yourself",
        "i hope you're gonna kill yourself",
    ],
)
def test_telling_someone_to_kill_themselves_is_held(text: str) -> None:
    verdict = screen(text)
    assert verdict.action == "hold", text
    assert verdict.offensive


class _RangeRecorder:
    """Stands in for a compiled pattern and records how much text each call reads."""

    def __init__(self, pattern: object, spans: list[int]) -> None:
        self._pattern = pattern
        self._spans = spans

    def _read(self, name: str, text: str, *args: int) -> object:
        pos = args[0] if args else 0
        endpos = args[1] if len(args) > 1 else len(text)
        self._spans.append(min(endpos, len(text)) - pos)
        return getattr(self._pattern, name)(text, *args)

    def search(self, text: str, *args: int) -> object:
        return self._read("search", text, *args)

    def findall(self, text: str, *args: int) -> object:
        return self._read("findall", text, *args)

    def finditer(self, text: str, *args: int) -> object:
        return self._read("finditer", text, *args)

    def match(self, text: str, *args: int) -> object:
        return self._read("match", text, *args)


def test_scope_checks_read_a_window_not_the_whole_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every match in a message is scoped; a scope check that read to the end of the
    message made a long one quadratic ("took all my " * 9000 took minutes). Each
    check must read a bounded window around its match, however long the message."""
    import moderation.screening as screening

    spans: list[int] = []
    for name in ("_PAST", "_PRESENT", "_PAST_VERB", "_PEER_SUPPORT", "_RECOVERY"):
        monkeypatch.setattr(screening, name, _RangeRecorder(getattr(screening, name), spans))
    word = screening._WORD
    recorder = _RangeRecorder(word, spans)
    # The one-pass tokeniser (finditer over the whole message) is linear: keep it.
    monkeypatch.setattr(
        screening,
        "_WORD",
        type("_Words", (), {"findall": recorder.findall, "finditer": word.finditer})(),
    )
    text = "took all my pills " * 1500 + "i was suicidal and got through it " * 50
    assert screening.screen(text).crisis
    assert len(spans) > 1000
    window = 2 * screening.SCOPE_WINDOW + 100
    assert max(spans) <= window, max(spans)


# Everyday lines the breadth entries first read as crises (review of be2c424): each
# is also a must_not_match example on its entry.
@pytest.mark.parametrize(
    "text",
    [
        "got my hair cut today",
        "had my hair cut yesterday",
        "the power got cut last night",
        "my hours got cut again",
        "that comment cut deep",
        "cut my leg on a rusty nail",
        "a recipe: cut the onions, cut again into cubes",
        "im cutting rn so no pizza for me",
        "im cutting now, down 5kg since january",
        "still cutting now but bulking next month",
        "i used to cut my hair, still do",
        "i still cut coupons every week",
        "i still cut my own hair",
        "i had all day to study",
        "we ate all the cake",
        "i took all the photos at the wedding",
        "took all my friends to the movies",
        "took all of my kids to the zoo",
        "did 5 shots and downed them all lol",
        "i took 20 mg prozac this morning",
        "had 50 mg sertraline, doc upped it",
        "took 10 mg melatonin to sleep",
        "keeping my meds in my bag from now on",
        "been keeping my meds in a pill organiser",
        "i kept my pills in the drawer",
        "saving my prescription money",
        "will these cramps kill me",
        "would these heels kill me lol",
        "will these deadlines kill me lol",
        "can these spicy wings kill me lol",
        "would 5 redbulls be enough to kill me lol",
        "are 3 coffees enough to kill me haha",
        "friday is my last day!",
        "friday is my last day. so excited",
        "we picked a date!",
        "we picked a date for the bbq",
        "i picked the date for my birthday dinner",
        "cant make the meetup, tomorrow ill be gone.",
        "by monday im gone.",
        "after christmas im gone. moving to leeds",
        "what about the laundry? im doing it tonight",
        "hw due friday. im doing it tonight",
        "when my mom leaves for work im doing it",
        "thanks for trying to help me, i figured it out",
        "thanks for trying to help me!",
        "my nerf gun is next to me",
        "my glue gun is on my desk",
        "i got my water gun out for the kids",
        "the headphone cable is around my neck",
        "the cord round my neck keeps tangling",
        "taping the bathroom door frame before painting",
        "taped the garage door for painting",
        "drove over the bridge.",
        "driving over the bridge is scary for me",
        "researching methods.",
        "im researching methods rn for my stats class",
        "ill use my shotgun tonight on the zombies",
        "im jumping off the edge of the pool",
        "i fill my pockets with stones every beach walk",
    ],
)
def test_everyday_look_alikes_are_no_crisis_to_the_lexicon(text: str) -> None:
    assert _lexicon_severity(text) == 0, text
