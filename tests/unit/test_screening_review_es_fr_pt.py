"""Lines from the safety review of the es/fr/pt lexicons, through the whole screener.

Section A: crises an earlier tree flagged that a later narrowing silenced; each must stay
flagged at least at the severity it had. Section C: everyday lines a broadened entry read
as a crisis; no lexicon may read them as one (the cross-lingual layer is tested on its own).
"""

from __future__ import annotations

import pytest

from moderation.screening import Verdict, screen

#: (text, the severity the earlier tree gave it)
REGRESSIONS = [
    # "j'en finis avec ..." ends a life when the object is one, not only "la vie".
    ("demain j'en finis avec cette souffrance", 4),
    ("cette nuit j'en finis avec la douleur", 4),
    ("ce soir j'en finis avec l'existence", 4),
    ("ce soir j'en finis avec ce monde", 4),
    ("ce soir j'en finis avec mon existence", 4),
    ("demain j'en finis avec cette putain de vie", 4),
    # Portuguese "mandou" is "sent", not someone else's words.
    ("meu ex mandou mensagem hoje e eu quero morrer", 3),
    ("mandou mensagem mas eu so quero morrer", 3),
    ("ele mandou eu sumir, quero morrer", 3),
    ("minha chefe mandou eu refazer tudo, vou me matar hoje", 4),
]


@pytest.mark.parametrize(("text", "severity"), REGRESSIONS)
def test_a_crisis_the_earlier_tree_flagged_is_still_flagged(text: str, severity: int) -> None:
    verdict = screen(text)
    assert verdict.crisis, text
    assert verdict.crisis_severity >= severity, (text, verdict.reasons)


def _lexicon_crisis(verdict: Verdict) -> bool:
    return verdict.crisis and "crisis:crosslingual" not in verdict.reasons


#: Everyday lines: a reported goodbye is a concern at most, not the author's crisis.
EVERYDAY: list[str] = [
    "minha amiga me mandou adeus pra sempre, o que eu faço",
    "demain j'en finis avec mes revisions",
]


@pytest.mark.parametrize("text", EVERYDAY)
def test_everyday_lines_are_not_read_as_a_crisis_by_any_lexicon(text: str) -> None:
    assert not _lexicon_crisis(screen(text)), text
