"""Lines from the safety review of the es/fr/pt lexicons, through the whole screener.

Section A: crises an earlier tree flagged that a later narrowing silenced; each must stay
flagged at least at the severity it had. Section C: everyday lines a broadened entry read
as a crisis; no lexicon may read them as one (the cross-lingual layer is tested on its own).
Section B: crises every earlier tree missed, kept at the severity of the entry that reads them.
"""

from __future__ import annotations

import pytest

from moderation import multilingual as ml
from moderation.screening import Verdict, screen

#: (text, the least severity it must keep: the earlier tree's, or the entry's for a miss)
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
    # Crises both trees missed: the "no" of "no aguanto" negated what followed it, and
    # casual spellings or a time after laid-out pills were not read at all.
    ("no aguanto mas me voy a matar", 4),
    ("no aguanto más quiero morirme", 3),
    ("não aguento mais quero morrer", 3),
    ("j'ai préparé les cachets, ce soir je les prends tous", 4),
    ("quand vous lirez ceci je ne serai plus là", 4),
    ("jvais me suicider ce soir", 4),
    ("chui a bout jvais me foutre en l'air", 4),
    ("vo me matar hj", 4),
    ("me cortei dnv", 3),
    ("je donne mon chat à ma soeur, je serai plus là de toute façon", 4),
]


@pytest.mark.parametrize(("text", "severity"), REGRESSIONS)
def test_a_crisis_the_earlier_tree_flagged_is_still_flagged(text: str, severity: int) -> None:
    verdict = screen(text)
    assert verdict.crisis, text
    assert verdict.crisis_severity >= severity, (text, verdict.reasons)


def _lexicon_crisis(verdict: Verdict) -> bool:
    return verdict.crisis and "crisis:crosslingual" not in verdict.reasons


#: Everyday lines that only look like a goodbye, the means or a plan.
EVERYDAY: list[str] = [
    "minha amiga me mandou adeus pra sempre, o que eu faço",
    "demain j'en finis avec mes revisions",
    "chau para siempre, Twitter",
    "me mudo a Chile y ya no me van a ver más por el grupo",
    "ya tengo la escopeta cargada para la caza",
    "ya tengo la cuerda lista para escalar mañana",
    "estoy decidida a acabar con todo mi papeleo hoy",
    "voy a tomar todas mis pastillas a su hora, lo prometo",
    "volví a lastimarme la rodilla jugando fútbol",
    "me rasqué hasta sangrar las picaduras de mosquito",
    "no vale la pena vivir amargado por un ex",
    "Profitez-en, vous verrez plus jamais un prix pareil",
    "vous me verrez plus au club le mardi, je change d'horaires",
    "je quitte ce monde, enfin je veux dire Facebook lol",
    "t'inquiète pour les billets, je les ai tous pris.",
    "je suis au bord de la falaise, la vue est incroyable",
    "je vais prendre tous mes médicaments avant de partir en voyage",
    "je me suis griffé jusqu'au sang à cause de l'eczéma",
    "ça vaut pas la peine de vivre stressé pour ça",
    "vou deixar esse mundo melhor do que encontrei",
    "mudei de turno, vcs nao vao mais me ver de manha",
    "tchau pra sempre, facebook",
    "juntei uns remedios pra doar pro posto",
    "to na beira do penhasco tirando foto",
    "vou tomar todos os remédios certinho essa semana",
    "to decidida a acabar com tudo hoje, faxina geral",
    "queimei a mao com isqueiro acendendo o fogao",
    "me arranhei ate sangrar por causa da alergia",
    "nao vale a pena viver preocupado com isso",
    "busco recursos para ayudar a personas con pensamientos suicidas",
]


@pytest.mark.parametrize("text", EVERYDAY)
def test_everyday_lines_are_not_read_as_a_crisis_by_any_lexicon(text: str) -> None:
    assert not _lexicon_crisis(screen(text)), text


@pytest.mark.parametrize("code", ["es", "fr", "pt"])
def test_no_pattern_looks_to_the_end_of_the_message(code: str) -> None:
    """A ``(?!.*word)`` check rescans the rest of the message at every match: quadratic on
    a long paste. Exclusions look within a bounded window (``[^.!?]{0,80}``) instead."""
    for language, entry in ml.examples():
        if language == code:
            assert ".*" not in entry.regex.pattern, entry.id
            assert ".+" not in entry.regex.pattern, entry.id
