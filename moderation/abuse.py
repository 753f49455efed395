"""Targeted abuse: insults, exclusion and threats aimed at a reader or at a group.

Pure: standard library only (no Flask, no database), imported by
:mod:`moderation.screening`, which runs these rules on its normalised text
(lower case, "you're"/"ur"/"u r" spelled out as "you are"/"your"/"you are",
leetspeak and censored words resolved) and combines the tier with the
profanity model's probability:

``severe`` (always held)
    Telling someone to die or hurt themselves ("kys", "k y s", "drop dead"),
    threats ("watch your back", "you'll regret this"), "go back to where you
    came from", dehumanising a group ("<people> are vermin").
``insult`` (held: the score is raised to ``INSULT_FLOOR``, over the hold threshold)
    An insult noun or a degrading adjective aimed at a reader ("you're
    pathetic", "shut up you idiot", "ur so ugly lol", "you liar"), being shut out
    of the group ("we don't want you here", "get out of this group"), and
    degrading generalisations about a group of people ("women are stupid").
``mild`` (flagged: delivered, a moderator may look)
    Milder put-downs ("you're so annoying", "you're delusional"), dismissals
    ("who asked", "cry about it", "grow up", "get a life", "go away"), and
    milder generalisations ("boomers are the worst").

Not targeted, so never counted: self-directed put-downs ("I'm such an idiot"),
venting and swearing at things ("this fucking day", "damn it", "ugh this stupid
phone"), absent people ("my boss is an idiot": the profanity model's venting
factor decides), negated phrases ("you're not stupid", "no one here thinks
you're stupid"), someone else's words reported by the author ("someone at school
told me to kys", "he said 'nobody wants you'"), and playful surprise ("shut up,
no way, congrats", "you crazy legend"). Each rule carries the lines it must
and must not match; ``tests/unit/test_screening_abuse.py`` runs them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

Tier = Literal["severe", "insult", "mild"]
#: Tiers from strongest to weakest.
TIERS: Final[tuple[Tier, ...]] = ("severe", "insult", "mild")

# --- vocabulary ----------------------------------------------------------------------

#: Insult nouns: aimed at a reader they are held.
HARD_NOUNS: Final = (
    r"(?:idiots?|morons?|imbeciles?|losers?|bitch(?:es)?|cunts?|dicks?|dickheads?|assholes?|"
    r"arseholes?|bastards?|twats?|pricks?|wankers?|jerks?|scum|scumbags?|piece of (?:shit|crap|"
    r"garbage|trash|work)|waste of (?:space|oxygen|air|skin|time|life)|whores?|sluts?|hoes?|"
    r"skanks?|douche(?:bag)?s?|dumbass(?:es)?|jackass(?:es)?|dipshits?|shitheads?|fuckwits?|"
    r"fuckers?|motherfuckers?|pussy|freaks?|clowns?|trash|garbage|creeps?|pigs?|cow|"
    r"retards?|psychos?|nutjobs?|weirdos?|attention (?:seeker|whore)|snowflakes?|cry ?baby|"
    r"crybabies|parasites?|vermin|liars?|hypocrites?|cowards?|fools?|muppets?|failure|"
    r"disgrace|embarrassment|disappointment|laughing ?stock|(?:complete |total |absolute |"
    r"fucking )?joke|trolls?|snakes?|rats?|leech(?:es)?|lowlifes?|degenerates?|simps?|incels?|"
    r"karens?|nobody|dorks?|dummy|dumbo|cretins?|halfwits?|dimwits?|nitwits?|buffoons?|"
    r"numpty|pillocks?|tossers?|bellends?|knobheads?|gits?|plonkers?|maggots?|cockroach(?:es)?|"
    r"perverts?|pervs?|frauds?|narcissists?|sociopaths?|psychopaths?|nutcases?|lunatics?|"
    r"burden|animals?|subhuman|bots?|shills?|npcs?|traitors?|sellouts?|grifters?|scammers?|"
    r"crooks?|thie(?:f|ves)|tools?|wastes? of (?:space|time)|(?:terrible|horrible|awful|"
    r"disgusting|vile|evil|toxic|nasty|pathetic|sad|miserable|shit|shitty) (?:person|"
    r"human(?: being)?|excuse for (?:a )?(?:person|human(?: being)?|a man|a woman)))"
)

#: Degrading adjectives: aimed at a reader they are held.
HARD_ADJECTIVES: Final = (
    r"(?:pathetic|worthless|useless|disgusting|ugly|fat|stupid|dumb|idiotic|moronic|retarded|"
    r"brainless|brain ?dead|hideous|repulsive|revolting|vile|gross|subhuman|pitiful|spineless|"
    r"gutless|a waste|nothing|a nobody|trash|garbage|scum|filth|filthy)"
)

#: Milder put-downs: aimed at a reader they are flagged.
MILD_ADJECTIVES: Final = (
    r"(?:annoying|dramatic|weird|lame|crazy|insane|psycho|cringe|cringey|cringy|delusional|"
    r"ignorant|clueless|toxic|evil|insufferable|unbearable|irrelevant|dense|thick|boring|"
    r"selfish|entitled|arrogant|obnoxious|petty|childish|immature|fake|creepy|a child|a baby|"
    r"full of (?:shit|crap|it)|the problem|the worst|a (?:nasty|sad) piece of work|"
    r"such a (?:baby|child)|so extra|a mess|mental|unhinged|deranged|a racist|a bigot|a nazi|"
    r"a fascist|a hater|a fake|needy|clingy|attention seeking|overreacting|so sensitive|"
    r"embarrassing your ?self|making a fool of your ?self)"
)

#: Words between "you are" and the insult ("you are such a fucking idiot").
FILL: Final = (
    r"(?:(?:a|an|such|such a|so|really|fucking|fking|freaking|effing|bloody|absolute|"
    r"absolutely|complete|completely|total|totally|little|the|most|biggest|utter|utterly|"
    r"stupid|dumb|ugly|fat|pathetic|worthless|sad|lazy|useless|disgusting|just|literally|"
    r"actually|honestly|seriously|still|always|being|acting|such an|one|big|massive|"
    r"certified|proper|right|damn|dam|very|too|truly|clearly|obviously|an absolute) )*"
)

#: Who is addressed: a reader, or everyone in the room.
YOU: Final = (
    r"(?:you are|you were|you is|your all|your|you|ya|you all are|you all|you guys are|you guys|"
    r"you people are|you people|you lot are|you lot|all of you are|you are all|everyone here is|"
    r"everybody here is|everyone in (?:this|the) (?:group|room|chat) is|this group is full of|"
    r"this room is full of|this chat is full of|you look like|you sound like|you act like|"
    r"you are acting like|you are being|look at you,?)"
)

#: Groups of people (for generalisations).
GROUPS: Final = (
    r"(?:women|men|girls|boys|immigrants|migrants|refugees|foreigners|muslims|jews|christians|"
    r"atheists|gays|gay people|lesbians|trans people|trans women|trans men|black people|"
    r"white people|asians|mexicans|indians|arabs|africans|liberals|conservatives|leftists|"
    r"lefties|democrats|republicans|feminists|boomers|millennials|zoomers|fat people|"
    r"disabled people|autistic people|poor people|these people|those people|people like you|"
    r"you people|religious people|old people|teenagers|bisexuals|queers|tories|remoaners)"
)

#: Dehumanising words for a group.
DEHUMANISING: Final = (
    r"(?:vermin|animals|parasites|cockroaches|rats|subhuman|sub human|scum|filth|a disease|"
    r"a plague|savages|a cancer|pests|insects|not human|not even human|less than human)"
)

# --- rules -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One pattern, its tier, and the lines it must and must not match."""

    name: str
    tier: Tier
    pattern: str
    matches: tuple[str, ...]
    not_matches: tuple[str, ...] = ()


RULES: Final[tuple[Rule, ...]] = (
    Rule(
        "tell someone to die",
        "severe",
        r"^(?:just |go |now |then |pls |please )?die\s*[.!]*$|"
        r"\b(?:k\W?y\W?s|drop dead|go (?:and )?(?:kys|die in a (?:hole|ditch|fire))|"
        r"(?:jump|walk) (?:off a (?:bridge|cliff)|in front of a (?:train|bus))|"
        r"(?:go|please|pls|plz) (?:hang|neck|unalive) your ?self|"
        r"(?:hope|wish) (?:you|your) (?:die|get hit by a (?:bus|car|train)|burn|rot|"
        r"never wake up|get run over))\b",
        ("k y s", "drop dead", "go kys", "i hope you get hit by a bus", "go die in a hole"),
        ("my plant dropped dead", "kinda sad", "i wish i could die", "i hope you get better"),
    ),
    Rule(
        "threat",
        "severe",
        r"\b(?:watch your back|(?:you|your) (?:will|are going to|going to|gonna) regret "
        r"(?:this|that|it|"
        r"saying that|messing with me)|i (?:will|am going to|am gonna|gonna) (?:(?:find|get|end|"
        r"destroy|ruin|beat|smash|hurt) you(?: up)?(?! (?:a|an|some|the|one|something|anything|"
        r"more|back|home|there|later|tomorrow|when|if|at|from|in|on|to)\b)|make you (?:pay|"
        r"suffer|regret it))\b|"
        r"you (?:are|will be) dead (?:meat|when i)|i will make you (?:pay|suffer|regret)|"
        r"i (?:would|will|want to|am going to|could) (?:slap|punch|hit|smack|kick|stab|strangle) "
        r"you|make your life (?:hell|a living hell|miserable))",
        (
            "watch your back",
            "you will regret this",
            "your going to regret that",
            "i am going to beat you up",
            "i will find you",
        ),
        (
            "you will regret not going to the gig",
            "i will find you a link to the recipe",
            "i will make you laugh",
            "i will get you a coffee",
        ),
    ),
    Rule(
        "go back to your country",
        "severe",
        r"\b(?:go|get|fuck off|piss off) back to (?:where you (?:came|come) from|your (?:own )?"
        r"(?:country|countries)|(?:africa|mexico|china|india|pakistan|poland|the jungle|your cave))"
        r"|\bgo home where you belong\b|\b(?:your|you) (?:kind|people) (?:are not|is not|aren't) "
        r"welcome\b",
        (
            "go back to where you came from",
            "go back to your own country",
            "go home where you belong",
        ),
        ("i want to go back to where i grew up", "go back to your notes and try again"),
    ),
    Rule(
        "dehumanise a group",
        "severe",
        r"\b(?:all )?"
        + GROUPS
        + r" (?:are|is) (?:all |just |nothing but |like )?"
        + DEHUMANISING
        + r"|\b"
        + GROUPS
        + r" (?:should|need to|must|ought to) (?:all )?(?:die|be (?:killed|shot|"
        r"gassed|deported|exterminated|wiped out|locked up|sterilised|sterilized)|not exist|"
        r"go back)\b",
        ("immigrants are vermin", "muslims are animals", "refugees should be deported"),
        ("my cats are animals lol", "rats are clever animals"),
    ),
    Rule(
        "insult aimed at a reader",
        "insult",
        r"\b" + YOU + r"\s+" + FILL + r"(?:" + HARD_NOUNS + r"|" + HARD_ADJECTIVES + r")\b"
        r"(?! (?:of|about|at|for|to|in) )",
        (
            "you are pathetic",
            "shut up you idiot",
            "your so ugly lol",
            "you liar",
            "you are a complete joke",
            "you all are clowns",
            "look at you, pathetic",
            "this group is full of losers",
        ),
        (
            "you are not stupid",
            "thank you for the trash bags",
            "you are a star",
            "you are the best",
            "your cat looks like a little loaf",
        ),
    ),
    Rule(
        "an insult noun after an article",
        "insult",
        r"\b(?:you are|you were|your|you all are|you are all) (?:a|an|such a|such an|the) "
        r"(?:[a-z]+ ){0,3}" + HARD_NOUNS + r"\b(?! (?:of|about|at|for|to|in) )",
        ("you are a lying corrupt traitor", "your a dumb ass clown"),
        ("you are a star in a sea of idiots", "you are a good friend to that idiot dog"),
    ),
    Rule(
        "a bare insult",
        "insult",
        r"^(?:you )?" + FILL + HARD_NOUNS + r"(?: lol| lmao| lmfao| fr| tbh| smh| mate| bro| dude|"
        r" honestly)*\s*[.!?]*$",
        ("idiot", "loser lol", "moron.", "absolute clown"),
        ("idiot me, forgot my keys", "clowns scare me"),
    ),
    Rule(
        "you deserve",
        "insult",
        r"\b(?:you|your) (?:deserve|deserves) (?:to be (?:alone|miserable|hated|hurt|bullied|"
        r"dumped|left|abandoned|unhappy)|everything bad|nothing good|no friends|to suffer|"
        r"to feel like this|what you get)\b|\byou have no (?:friends|life|brain|brains|"
        r"personality)\b|\bimagine being (?:this|so|that) "
        + FILL
        + r"(?:"
        + HARD_ADJECTIVES
        + r"|"
        + MILD_ADJECTIVES
        + r")\b",
        ("you deserve to be alone", "you have no friends", "imagine being this dumb"),
        ("you deserve a rest", "you deserve good things", "you have no idea how happy i am"),
    ),
    Rule(
        "what a ... you are",
        "insult",
        r"\bwhat (?:a|an) " + FILL + r"(?:" + HARD_NOUNS + r") (?:you are|you all are|you)\b",
        ("what a loser you are", "what an idiot you are"),
        ("what an idiot i am", "what a day you had"),
    ),
    Rule(
        "insult as address",
        "insult",
        r"(?:^|[.!?,] )(?:stupid|dumb|ugly|fat|pathetic|useless|worthless|silly|little) (?:boy|"
        r"girl|man|woman|cow|idiot|loser|kid|child|pig|bitch|moron|clown|fool)\b"
        r"|\b(?:ok|okay|bye|whatever|lol|lmao|cope|sure|yeah|shut up|fuck off|get lost|go away"
        r"|stfu|gtfo|cry more|nobody asked) " + FILL + r"(?:" + HARD_NOUNS + r")\s*[.!?]*$",
        ("stupid boy", "ok loser", "whatever idiot", "stfu nobody asked clown"),
        ("my stupid boy dog ate my sock", "ok great", "a little girl waved at me"),
    ),
    Rule(
        "shut out of the group",
        "insult",
        r"\b(?:we|nobody|no one|noone|everyone|everybody|people) (?:here |in here |in (?:this|the) "
        r"(?:group|room|chat) )?(?:do not|does not|really do not|all) (?:want|need|like) (?:you|"
        r"people like you)(?: here| around| in (?:this|the|our) (?:group|room|chat))?\b"
        r"|\b(?:everyone|everybody|we all|people) (?:here )?(?:hates?|dislikes?|despises?|can not "
        r"stand) you\b"
        r"|\b(?:get|go) out of (?:this|the|our|my) (?:group|room|chat|space)\b"
        r"|\byou (?:do not|will never|never) (?:belong|fit in)(?: here| in (?:this|the|our) "
        r"(?:group|room|chat))?\b"
        r"|\b(?:leave|go) and (?:do not|never) come back\b|^just leave(?: already)?[.!]*$"
        r"|\b(?:this|the|our) (?:group|room|chat|world|place) (?:would|will) be better (?:off )?"
        r"without you\b"
        r"|\bpeople like you (?:should not|should never|do not|are not allowed to) (?:be|belong|"
        r"exist|be allowed)\b",
        (
            "we do not want you here",
            "everyone hates you",
            "get out of this group",
            "you do not belong in this group",
            "the group would be better without you",
            "leave and do not come back",
        ),
        ("we want you here", "you belong here", "i want to get out of the house"),
    ),
    Rule(
        "degrading generalisation",
        "insult",
        r"\b(?:all )?"
        + GROUPS
        + r" (?:are|is) (?:all |just |so |such |fucking |really |all just )*"
        r"(?:" + HARD_NOUNS + r"|" + HARD_ADJECTIVES + r")\b",
        ("women are stupid", "liberals are idiots", "gay people are disgusting"),
        ("women are amazing", "old people are so wise"),
    ),
    Rule(
        "milder put-down",
        "mild",
        r"\b" + YOU + r"\s+" + FILL + MILD_ADJECTIVES + r"\b(?! (?:of|about|at|for|to|in) )"
        r"|\byou (?:ruin|spoil|wreck) everything\b",
        ("you are so annoying", "you are delusional", "you are the problem", "you ruin everything"),
        ("you are not dramatic", "that film was so boring"),
    ),
    Rule(
        "milder generalisation",
        "mild",
        r"\b(?:all )?" + GROUPS + r" (?:are|is) (?:all |just |so |such |fucking |really )*"
        r"(?:" + MILD_ADJECTIVES + r"|the worst|a joke|pigs|dogs|the problem)\b",
        ("men are annoying", "boomers are the worst", "women are so dramatic"),
        ("men are welcome too", "these people are lovely"),
    ),
    Rule(
        "dismissal",
        "mild",
        r"(?:^|[.!?,] )(?:nobody|no one|noone|who) (?:even |fucking |tf |the fuck )?asked(?: you|"
        r" for your opinion)?\b(?! (?:for|about|me|if|whether|to))"
        r"|^(?:nobody|no one|noone) (?:cares|gives a (?:shit|fuck|damn))(?: lol| mate| dude| bro|"
        r" tbh)?\s*[.!?]*$|\b(?:nobody|no one|noone) (?:cares|gives a (?:shit|fuck|damn)) about "
        r"(?:you|your)\b"
        r"|\b(?:no one|nobody|noone) cares what you (?:think|say|feel)\b"
        r"|(?:^|[.!?,] )(?:go cry (?:to|about|in|somewhere)|cry (?:about it|more|harder)|"
        r"touch grass|cope harder|seethe|"
        r"get over your ?self|bite me|shut (?:it|your (?:mouth|face|trap|gob|pie hole)))\b"
        r"|(?:^|[.!?,] )(?:get a (?:life|grip|clue)|grow up|go away|quit (?:whining|moaning)|"
        r"stop (?:whining|moaning|crying like a baby|being a baby))\b"
        r"(?! (?:to|in|with|around|fast|so|quick|rain|now|for|from|this weekend|on holiday))",
        (
            "who asked",
            "cry about it",
            "get a life",
            "grow up you baby",
            "go away",
            "shut your mouth",
        ),
        (
            "i need to grow up and do my taxes",
            "time to get a life outside work",
            "go away rain, come back another day",
            "i feel like nobody cares about me",
            "who asked for pineapple on the pizza",
        ),
    ),
)

_COMPILED: Final = tuple((rule, re.compile(rule.pattern)) for rule in RULES)

# --- scoping ---------------------------------------------------------------------------

_NEGATORS: Final = frozenset(
    {"not", "never", "no", "nobody", "noone", "neither", "nor", "hardly", "without", "stop"}
)
#: Someone else's words reported by the author ("he said", "she called me").
_REPORTING: Final = re.compile(
    r"\b(?:said|says|say|told me(?: to)?|tells me(?: to)?|telling me(?: to)?|called me|calls me|"
    r"call me|yelled|shouted|screamed|texted|wrote|messaged|commented|posted|replied|used to "
    r"(?:say|call me|tell me)|would (?:say|tell me)|kept saying|keeps saying|heard)\b"
)
_SENTENCE_BREAK: Final = re.compile(r"[.!?;\n]")
_QUOTED: Final = re.compile(r"\"[^\"]{1,300}\"|(?<!\w)'[^']{1,300}'(?!\w)")
#: Playful surprise or praise: milder put-downs in the same message are banter.
_PLAYFUL: Final = re.compile(
    r"\b(?:legend|legends|amazing|congrats|congratulations|love (?:that|it|this|you)|so happy|"
    r"proud of you|awesome|brilliant|well done|no way|omg|hilarious|genius|you did it|so cool|"
    r"i am so jealous|lucky you|haha+|hehe+)\b"
)


def _negated(text: str, start: int) -> bool:
    before = text[max(0, start - 40) : start]
    tokens = re.findall(r"[a-z]+", before)[-4:]
    return any(t in _NEGATORS for t in tokens)


def _reported(text: str, start: int) -> bool:
    """Inside the author's report of what someone else said (not first person)."""
    clause_start = 0
    for m in _SENTENCE_BREAK.finditer(text, 0, start):
        clause_start = m.end()
    for q in _QUOTED.finditer(text):
        if q.start() <= start < q.end():
            clause_start = 0
            break
    before = text[clause_start:start]
    for m in _REPORTING.finditer(before):
        who = re.findall(r"[a-z]+", before[: m.start()])[-2:]
        if "i" not in who:
            return True
    return False


def scoped(text: str, start: int) -> bool:
    """A match at ``start`` counts: not negated, not someone else's reported words."""
    return not _negated(text, start) and not _reported(text, start)


def is_playful(text: str) -> bool:
    """Praise or playful surprise in the message ("shut up, no way, congrats")."""
    return _PLAYFUL.search(text) is not None


@dataclass(frozen=True)
class Found:
    """The strongest targeted-abuse rule that fired, if any."""

    tier: Tier | None
    rule: str = ""


def find(normalised: str) -> Found:
    """The strongest tier of targeted abuse in ``normalised`` text (see the module doc)."""
    best: tuple[int, str] | None = None
    playful: bool | None = None
    for rule, regex in _COMPILED:
        rank = TIERS.index(rule.tier)
        if best is not None and rank >= best[0]:
            continue
        for m in regex.finditer(normalised):
            start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip(" .!?,")))
            if not scoped(normalised, start):
                continue
            if rule.tier == "mild":
                if playful is None:
                    playful = is_playful(normalised)
                if playful:
                    continue
            best = (rank, rule.name)
            break
    if best is None:
        return Found(None)
    return Found(TIERS[best[0]], best[1])


def fired(normalised: str) -> list[str]:
    """The names of every rule that fires in ``normalised`` (for the rule tests)."""
    names: list[str] = []
    playful = is_playful(normalised)
    for rule, regex in _COMPILED:
        for m in regex.finditer(normalised):
            start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip(" .!?,")))
            if scoped(normalised, start) and not (rule.tier == "mild" and playful):
                names.append(rule.name)
                break
    return names
