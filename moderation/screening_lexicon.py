"""Pattern tables for :mod:`moderation.screening` (pure data, no logic).

Every pattern here was written from general knowledge of how people talk
about suicide, self-harm, hopelessness, abuse and contact details; none is
taken from a data set. Patterns run on *normalised* text (see
``screening._normalise``): lower case, curly quotes straightened,
leetspeak and censored words resolved, runs of three or more equal letters
collapsed to one, contractions expanded ("i'm" -> "i am", "can't" ->
"can not", "wanna" -> "want to") and filler words such as "so", "just",
"really" or "f***ing" removed from the crisis copy. A doubled letter in a
pattern also matches a single one ("kill" matches "kil"), so that
"killlll myself" (collapsed to "kil myself") is still found.
"""

from __future__ import annotations

from typing import Final, Literal

#: How a crisis pattern decides whether the *author* is the person at risk.
#: ``inherent``: the phrase is first person by itself ("kill myself").
#: ``default``: first person unless another subject governs it
#: ("she wants to die" is not the author).
#: ``required``: needs a first-person subject nearby or a very short
#: subject-less fragment ("suicidal rates among veterans" is not a crisis).
Mode = Literal["inherent", "default", "required"]

PILLS: Final = (
    r"(?:pills?|tablets?|meds|medication|medicine|sleeping pills|pain ?killers"
    r"|paracetamol|tylenol|ibuprofen|aspirin|xanax|insulin|antidepressants|prescription)"
)

# Ways of ending one's life, in first person. Used inside larger patterns.
KMS: Final = (
    r"(?:kill(?:ing|ed)? my ?self|kms|unaliv(?:e|ing|ed) (?:my ?self|me)"
    r"|end(?:ing)? (?:my ?self|my (?:own )?life|it all|everything|my existence"
    r"|my suffering|things for good)"
    r"|end(?:ing)? it(?= *(?:$|[.,!?;]|tonight|today|soon|forever|for good|once and for all|now|"
    r"bad|badly|already))"
    r"|tak(?:e|ing) my (?:own )?life|commit(?:ting)? suicide|do(?:ing)? my ?self in"
    r"|of[f](?:ing)? my ?self|top(?:ping)? my ?self|neck(?:ing)? my ?self"
    r"|hang(?:ing)? my ?self|shoot(?:ing)? my ?self|self ?delet(?:e|ing)"
    r"|(?:stab|poison|suffocate|gas|electrocute|strangle|smother)(?:bing|ing)? my ?self"
    r"|us(?:e|ing) (?:it|them|the gun|a gun|the knife|a knife|the pills|the rope) on my ?self"
    r"|end(?:ing)? (?:things|everything)(?! with| between| at work| there| here| on a)"
    r"|slit(?:ting)? my (?:wrists?|throat)|drown(?:ing)? my ?self"
    r"|jump(?:ing)? (?:off|from) (?:a|the|my) (?:bridge|building|roof|cliff|balcony|ledge)"
    r"|(?:jump|throw my ?self|step)(?:ing)? in front of (?:a|the) (?:train|bus|car|truck|lorry)"
    r"|(?:walk|step|run|jump)(?:ing)? (?:out )?in(?:to)? (?:the )?(?:traffic|sea|ocean|river|lake)"
    r"|throw(?:ing)? my ?self (?:of[f]|in front of|under|from|into)"
    r"|driv(?:e|ing) (?:my car )?(?:into|of[f]) (?:a|the) (?:tree|wall|bridge|cliff|"
    r"oncoming traffic|lake|river)"
    r"|crash(?:ing)? my car (?:on purpose|deliberately)"
    r"|swerv(?:e|ing) into (?:oncoming traffic|a tree|a wall|a truck|a lorry|the barrier)"
    r"|(?:take|taking|swallow|swallowing|down|downing) (?:all|every|every one|the whole bottle|"
    r"a handful|handfuls) (?:of )?(?:my |the |these )?(?:\w+ )?"
    + PILLS
    + r"|(?:eat|eating|suck on|sucking on|swallow) (?:a|my|the) (?:bullet|barrel|gun|rifle|pistol|"
    r"shotgun|glock)"
    r"|put(?:ting)? a bullet (?:in|through) my (?:head|brain|skull)"
    r"|blow(?:ing)? my (?:brains|head) (?:out|of[f])"
    r"|pull(?:ing)? the trigger (?:on my ?self|for good)"
    r"|overdos(?:e|ing)|od|ctb|unalive|suicide)"
)


TIME_SOON: Final = (
    r"(?:tonight|today|this weekend|tomorrow|right now|this week|in an hour"
    r"|after (?:work|school|everyone is asleep)|when everyone is asleep|soon)"
)

#: "Disappear for a weekend", "disappear into a book": a break, not a wish to die.
NOT_AWAY_FOR_A_BIT: Final = (
    r"(?! (?:for (?:a|the|an|some|two|three|\d+)|into|to (?:the|a|my)|under|in (?:a|the|my)|"
    r"from (?:work|school|this|the)|on (?:holiday|vacation|a trip)))"
)

#: (kind, severity, mode, pattern). Severity: 4 plan/means/intent/attempt,
#: 3 active ideation or recent self-harm, 2 passive ideation or self-harm
#: urges, 1 hopelessness / strong distress.
CRISIS_PATTERNS: Final[tuple[tuple[str, int, Mode, str], ...]] = (
    # --- 4: intent, plan, means, an attempt under way -------------------
    (
        "plan",
        4,
        "default",
        r"\b(?:going to|will|shall|about to|ready to|decided to|have decided to|"
        r"made up my mind to|plan to|planning to|planned to|prepared to|preparing to|"
        r"finally going to|tonight i will|tonight i am going to) " + KMS,
    ),
    (
        "plan",
        4,
        "default",
        r"\b(?:(?:going to|about to|ready to|decided to|have decided to) end it|decided to die)\b"
        r"(?! (?:with|between|off|for (?:him|her|them|us)))",
    ),
    (
        "plan",
        4,
        "inherent",
        r"\bi have (?:a|my) (?:plan|method|date|way) (?:to|for) (?:" + KMS + r"|die|end)",
    ),
    (
        "plan",
        4,
        "default",
        r"\b(?:how (?:many|much)|what amount of|what dose of) (?:\w+ )?"
        r"(?:pills|tablets|paracetamol|tylenol|ibuprofen|insulin|aspirin|\w+) "
        r"(?:does it take|would it take|it takes|it would take|do i need|would i need|"
        r"to (?:die|overdose|od|kill)|"
        r"is (?:lethal|fatal|deadly|enough to die))",
    ),
    (
        "plan",
        4,
        "default",
        r"\b(?:best|easiest|quickest|fastest|painless|surest|least painful|quietest|cleanest) "
        r"(?:way|ways|method|methods) (?:to|of) (?:die|dying|kill(?:ing)? my ?self|"
        r"commit(?:ting)? suicide|suicide|end(?:ing)? (?:it|my life)|overdos(?:e|ing))",
    ),
    (
        "plan",
        4,
        "inherent",
        r"\bhow (?:to|do i|can i|would i|should i|could i) (?:" + KMS + r")",
    ),
    (
        "means",
        4,
        "inherent",
        r"\bi (?:have been|have|am|was|started|keep) (?:saving|stockpiling|hoarding|collecting|"
        r"stocking up on|stashing|hiding|saving up) (?:up )?(?:\w+ ){0,2}" + PILLS,
    ),
    ("means", 4, "inherent", r"\bi have (?:enough|saved|stockpiled) (?:\w+ ){0,2}" + PILLS + r"\b"),
    (
        "means",
        4,
        "inherent",
        r"\bi (?:bought|got|have|have got|tied|made|found|hid|hidden|have tied) (?:a|the|my) "
        r"(?:rope|noose|rope ready|rope tied)\b",
    ),
    (
        "means",
        4,
        "default",
        r"\b(?:the|my|a) (?:rope|noose|rope and chair) is (?:ready|up|tied|waiting)",
    ),
    (
        "means",
        4,
        "inherent",
        r"\bi (?:bought|got|loaded) (?:a|the|my) (?:gun|pistol|rifle|shotgun) "
        r"(?:to|so i can|for my ?self|and)",
    ),
    (
        "attempt",
        4,
        "default",
        r"\b(?:i )?(?:have )?(?:just |already )?(?:took|taken|swallowed|downed|ate|had) "
        r"(?:all|a bunch|a lot|a handful|handfuls|the whole|too many|way too many|\d+|"
        r"loads|all of|every one of|everything|(?:a |the |my |two |three )?(?:whole |entire |"
        r"full )?"
        r"(?:bottles?|box|boxes|packets?|packs?|strips?|jars?|handfuls?)) (?:of )?(?:my |the |"
        r"these |those )?"
        r"(?:\w+ )?" + PILLS,
    ),
    (
        "attempt",
        4,
        "inherent",
        r"\bi (?:have )?(?:just )?(?:overdosed|od ?ed|od d|od)\b(?! on (?:coffee|sugar|caffeine|"
        r"chocolate))",
    ),
    (
        "attempt",
        4,
        "inherent",
        r"\bi (?:have )?(?:just )?cut (?:my ?self )?(?:too |very |really )?deep",
    ),
    (
        "attempt",
        4,
        "default",
        r"\b(?:can not|will not|it will not|could not) stop (?:the )?bleeding",
    ),
    ("attempt", 4, "inherent", r"\bi am bleeding (?:a lot|out|badly|everywhere|heavily)"),
    (
        "attempt",
        4,
        "inherent",
        r"\bi (?:have )?(?:slit|slashed|cut open|sliced) my (?:wrists?|throat)",
    ),
    (
        "attempt",
        4,
        "inherent",
        r"\bi am (?:standing |sitting )?(?:on|at) (?:the|a) (?:edge of (?:the|a) )?"
        r"(?:ledge|edge|bridge|railing|rooftop|roof|train tracks|tracks|cliff)\b"
        r"(?:.{0,40}\b(?:jump|end|die|goodbye|done|over))",
    ),
    (
        "attempt",
        4,
        "default",
        r"\b(?:about|ready|going|plan|planning|decided) to jump\b(?! (?:in|into|on|at|ship|rope|"
        r"the queue|"
        r"start|right in|back)\b)",
    ),
    (
        "goodbye",
        4,
        "inherent",
        r"\b(?:wrote|written|writing|write|left|leaving|finished|drafted) (?:my |a |the )?"
        r"(?:suicide|goodbye|farewell|last) (?:notes?|letters?)",
    ),
    ("goodbye", 4, "inherent", r"\bmy suicide (?:note|letter|plan)"),
    (
        "attempt",
        4,
        "inherent",
        r"\bi (?:have )?(?:tried|attempted|tried to) (?:to )?(?:" + KMS + r")\b.{0,30}"
        r"\b(?:last night|yesterday|today|this morning|tonight|an hour ago|again)\b",
    ),
    # --- 3: active ideation, self-harm acts -----------------------------
    (
        "ideation",
        3,
        "default",
        r"\b(?:want|wanted|wanting|wants|need|needed|wish|would like|would love|would rather|"
        r"feel like|felt like|longing|long|desperate|begging|aching|tempted|"
        r"urge|urges|considering|contemplating|seriously considering) "
        r"to (?:die|be dead|" + KMS + r")\b",
    ),
    (
        "ideation",
        3,
        "required",
        r"\b(?:thinking|thought|think|thinks|obsessing|fantasi[sz]ing|dreaming|daydreaming|"
        r"researching|googling|looking up|reading) (?:a lot |constantly |again )?(?:about|of|up) "
        r"(?:suicide|" + KMS + r"|ending (?:it|it all|my life|things|everything)|"
        r"taking my (?:own )?life|hanging my ?self|killing my ?self|overdosing|jumping)\b",
    ),
    (
        "ideation",
        3,
        "required",
        r"\bsuicidal\b(?! (?:rates?|prevention|awareness|people|persons?|veterans?|vets?|soldiers?|"
        r"patients?|squad|tendencies|behaviou?rs?|active|members?|friends?|individuals?|teens?|"
        r"kids?|clients?|users?|ones?|men|women|youth|service ?members?|troops?|marines?|airmen|"
        r"sailors?|hotline|crisis|ideation in|thoughts in|risk|warning|signs?|callers?|"
        r"brothers?|sisters?))",
    ),
    (
        "ideation",
        3,
        "required",
        r"\b(?:suicide|suicidal) (?:thoughts?|feelings?|ideation|urges?|ideas?|plans?)\b",
    ),
    (
        "ideation",
        3,
        "required",
        r"\b(?:having|have|had|my|dealing with|struggling with|fighting) (?:si|"
        r"suicidal ideation)\b",
    ),
    ("ideation", 3, "inherent", r"\bkms\b(?<!\d kms)(?<!\dkms)(?<!\d\.kms)"),
    (
        "ideation",
        3,
        "inherent",
        r"\bi (?:should|might|may|could|will probably|would|can|might as well|want|wanna|need) "
        r"(?:" + KMS + r")\b",
    ),
    (
        "ideation",
        3,
        "required",
        r"\b(?:contemplat(?:e|ing|ed)|consider(?:ing|ed)?|plan(?:ning|ned)?|think(?:ing)? of|"
        r"think(?:ing)? about|mulling over|weighing up|romantici[sz]ing|fantasi[sz]ing about) "
        r"(?:" + KMS + r"|killing my ?self|ending (?:it|it all|my life|things|everything)|"
        r"taking my (?:own )?life|my (?:own )?death|my suicide|an overdose)\b",
    ),
    ("ideation", 3, "default", r"\b(?:give up and die|lie down and die|curl up and die)\b"),
    (
        "ideation",
        3,
        "default",
        r"\b(?:go through with it|going ahead (?:and|with) (?:it|ending it)|"
        r"go ahead and (?:do it|end it))\b",
    ),
    (
        "ideation",
        3,
        "inherent",
        r"\b(?:suicide|killing my ?self|ending it|dying) (?:is|has been|keeps|keeps coming|"
        r"is always|is constantly) "
        r"(?:on|in|into|back into|back on) my mind\b",
    ),
    (
        "ideation",
        3,
        "required",
        r"\b(?:thoughts?|feelings?|ideas?|urges?) (?:of|about) (?:suicide|killing my ?self|"
        r"ending it|ending my life|taking my (?:own )?life)\b",
    ),
    (
        "ideation",
        3,
        "inherent",
        r"\b(?:gun|pistol|barrel|rifle|blade|knife|razor) (?:to|in|against|under|at) my (?:head|"
        r"mouth|temple|chin|throat|wrist|wrists)\b",
    ),
    (
        "ideation",
        3,
        "default",
        # "I'd rather die than sing karaoke" is a joke; "...than go on like this" is not.
        r"\bwould rather (?:be dead|die|not be alive|not exist)\b(?! than (?!(?:live|living|go on|"
        r"going on|keep|be alive|feel|wake up|continue|exist|suffer|spend|face|deal|be like this|"
        r"be me)\b))",
    ),
    ("ideation", 3, "inherent", r"\bi (?:am|feel) ready to die\b(?! for)"),
    ("plan", 4, "inherent", r"\b(?:my|the) plan is to (?:" + KMS + r"|die|end it)\b"),
    (
        "plan",
        4,
        "default",
        r"\b(?:planning|planned|plan) (?:my|a|the) (?:death|suicide|exit|last day|final day)\b",
    ),
    (
        "plan",
        4,
        "default",
        r"\b"
        + PILLS
        + r" (?:\w+ ){0,4}(?:ready to take|lined up|counted out|in front of me|in my hand)\b",
    ),
    ("plan", 4, "inherent", r"\bi am ready to take (?:them|it|all of them|the pills|my pills)\b"),
    (
        "passive",
        2,
        "default",
        r"\b(?:done|finished) (?:living|with living|being alive|existing|with being alive|"
        r"with existing)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:can not|do not want to|will not) (?:keep living|keep going|go on|carry on|"
        r"live) like this\b",
    ),
    (
        "self_harm",
        3,
        "inherent",
        r"\b(?:until|till) (?:i bleed|it bleeds|it hurts|i bruise|i can not feel|the blood)\b",
    ),
    (
        "self_harm",
        2,
        "default",
        r"\b(?:feel like|want to go back to|wanting|urge to go back to|tempted to start|"
        r"craving|crave|thinking about|thinking of|miss) (?:cutting|self ?harming|sh|"
        r"burning my ?self|hurting my ?self|harming my ?self)\b(?! (?:my hair|the|class|back|down|"
        r"carbs|ties|it|out|him|her|them|you|sugar|costs))",
    ),
    (
        "plan",
        4,
        "default",
        r"\b(?:look(?:ing|ed)? up|research(?:ing|ed)?|googl(?:e|ing|ed)|search(?:ing|"
        r"ed)?(?: for| up)?|"
        r"read(?:ing)? about|watch(?:ing|ed)? videos (?:on|about)) (?:\w+ ){0,2}(?:ways?|"
        r"methods?|how) "
        r"to (?:die|" + KMS + r")\b",
    ),
    (
        "means",
        4,
        "default",
        r"\b(?:tied|tying|tie|hung|hanging|bought|got|made|making) (?:a|the|my) "
        r"(?:rope|noose|belt|cord) (?:to|from|around|over|on)\b",
    ),
    ("means", 4, "default", r"\b(?:pills|rope|gun|noose|blades?|razors?|the means) and a plan\b"),
    (
        "means",
        4,
        "default",
        r"\ba plan and (?:the )?(?:pills|rope|gun|noose|blades?|razors?|means)\b",
    ),
    (
        "attempt",
        4,
        "inherent",
        r"\b(?:attempted|attempt|tried)\b.{0,80}\b(?:going to|want to|will|planning to|"
        r"thinking (?:about|of)|about to|ready to) (?:try|attempt|do it)(?:ing)? again\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:imagin(?:e|ing)|picturing|planning|thinking about|dreaming about|"
        r"fantasi[sz]ing about) "
        r"my (?:own )?(?:funeral|death|grave)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:go to sleep|fall asleep|sleep) (?:forever|for good|permanently)\b"
        r"(?<!could sle[e]p forever)(?<!could sle[e]p for go[o]d)",
    ),
    (
        "passive",
        2,
        "inherent",
        r"\bwhy (?:am|was) i (?:alive|born|still alive|still here|here)\b|"
        r"\bwhy (?:do|should) i (?:bother )?(?:live|living|exist|stay alive|keep living|"
        r"keep going)\b",
    ),
    ("passive", 2, "default", r"\bfeel(?:ing)? like dying\b"),
    (
        "passive",
        2,
        "inherent",
        r"\b(?:would|will|does|do) (?:anyone|anybody|people|you|they|everyone) (?:care|notice|"
        r"miss me|"
        r"cry|mind) if i (?:died|was gone|were gone|disappeared|killed my ?self|was dead|were dead|"
        r"ended it|ended my life|was not here|were not here)\b",
    ),
    (
        "self_harm",
        2,
        "default",
        r"\b(?:want|need|urge|urges|itching|tempted|craving) to cut\b(?! (?:my hair|the|a|an|it|"
        r"class|back|down|of[f]|out|ties|and|in|up|costs|him|her|them|you|carbs|sugar|corners|"
        r"loose|my losses|through|school|work|my nails))",
    ),
    (
        "hopelessness",
        1,
        "inherent",
        r"\bi have nothing left\b(?! (?:to (?:do|say|add|eat)|in the fridge|over))",
    ),
    ("hopelessness", 1, "required", r"\b(?:tired|sick|exhausted) of everything\b"),
    ("hopelessness", 1, "default", r"\bwant (?:the|this) pain to (?:stop|end|go away)\b"),
    (
        "ideation",
        3,
        "default",
        r"\b(?:want|wish for|need|crave|long for|pray for|hope for|welcome|embrace|dream of|"
        r"dream about|yearn for|ache for) (?:death|oblivion|the end|eternal sleep|"
        r"it all to be over|to be gone|the void)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:death|dying|being dead|not existing|ending it|not being alive|not waking up|"
        r"suicide|killing my ?self|the void|oblivion) (?:would be|will be|sounds|seems|feels|is|"
        r"looks|would feel) (?:like )?(?:a |such a |the )?(?:much |far |a lot |way )?(?:relief|"
        r"peaceful|peace|nice|good|"
        r"better|easier|the answer|tempting|appealing|freedom|freeing|comforting|welcome|"
        r"so much better|a mercy|a blessing|inviting|a way out|the way out|an escape|the escape)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:it|everything|life|things|the world|everyone|my family) (?:would|will) be (?:so )?"
        r"(?:much |far |a lot |way )?(?:easier|better|simpler|happier|relieved|lighter|fine|okay) "
        r"if i (?:was |were |am |did |just )?"
        r"(?:dead|gone|not here|not around|never born|not alive|die|disappeared|died|"
        r"stopped existing|did not exist|never existed)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\bwant(?:ed)? to be gone\b(?! (?:by|before|for|from|on|when|in|at|"
        r"early|soon|already)\b)",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:pray|hope|wish) (?:that )?(?:god|the universe|death|someone|something|the lord|"
        r"the cancer|cancer|this illness|the illness|the disease|an accident|a car|a bus) "
        r"(?:will |would |could )?(?:takes?|take|kills?|finish(?:es)?) me\b",
    ),
    (
        "self_harm",
        3,
        "default",
        r"\b(?:the )?(?:razor|blade|cutting|burning|self ?harm|sh|pain|bleeding) (?:is|"
        r"are) the only "
        r"(?:thing|things|way) (?:that )?(?:helps|help|works|work|makes me feel|calms me|i can)\b",
    ),
    (
        "self_harm",
        2,
        "default",
        r"\bwant to (?:bleed|see (?:my own )?blood|feel (?:physical )?pain)\b",
    ),
    (
        "ideation",
        3,
        "inherent",
        r"\b(?:picturing|imagining|visuali[sz]ing|seeing|see) my ?self (?:hanging|dead|dying|"
        r"jumping|in a coffin|bleeding out|overdosing|on the tracks)\b",
    ),
    (
        "plan",
        4,
        "default",
        r"\b(?:counting down|count down) (?:the )?(?:days|hours|weeks)? ?(?:until|till|to) "
        r"(?:i )?(?:die|end it|" + KMS + r")",
    ),
    (
        "plan",
        4,
        "inherent",
        r"\bi am (?:ending|going to end) it(?=\s*(?:$|[.!?,]|tonight|today|now|all|for good))",
    ),
    (
        "ideation",
        3,
        "default",
        r"\b(?:do not think i will|i will not|i might not|i may not|not going to) make it "
        r"(?:through|to|past) (?:the night|tonight|tomorrow|the weekend|morning|the week)\b",
    ),
    (
        "ideation",
        3,
        "default",
        r"\b(?:sitting|standing|lying|sat|here) (?:here |alone )?with (?:a|the|my) "
        r"(?:knife|blade|razor|gun|pills|rope|noose|bottle of pills)\b",
    ),
    (
        "attempt",
        4,
        "default",
        r"\b(?:swallowed|took|taken|downed|ate) (?:everything|all|whatever) (?:in|from) (?:the|my) "
        r"(?:medicine cabinet|cabinet|drawer|bathroom|first aid kit)\b",
    ),
    (
        "ideation",
        3,
        "default",
        r"\ball i (?:can |ever )?think (?:about|of) is (?:ending it|dying|death|suicide|"
        + KMS
        + r")\b"
        r"|\b(?:suicide|dying|death|ending it|killing my ?self) is all i (?:can |"
        r"ever )?think about\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:lost|losing|no|do not have|have no) (?:the |my |all )?will to live\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:no one|nobody|noone|not a single person|not one person) (?:would|will|is going to|"
        r"would even|will even|would ever) (?:miss me|notice|care|cry|come to my funeral)\b.{0,25}"
        r"\b(?:if|when|once|after) i (?:am|was|were|die|died|disappear|disappeared|kill|killed|"
        r"left|leave|go|went)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:can not|could not) (?:bear|face|stand|handle|take|do|go on) (?:to )?(?:live|living|"
        r"another day|one more day|waking up|being alive|this life|to be alive)\b",
    ),
    (
        "attempt",
        4,
        "default",
        r"\b(?:standing|sitting|stood|sat|i am) (?:on|at) (?:the )?(?:edge of (?:the|a) "
        r"(?:roof|rooftop|bridge|cliff|building|platform|balcony|car park)|ledge)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:fade away|disappear|vanish|drift away|go away)(?: forever)? and never "
        r"(?:come back|return|be seen again|wake up)\b"
        r"|\b(?:want|wish|wish i could|need) to (?:fade away|fade out|drift away|cease)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:disappointed|upset|sad|angry|annoyed|frustrated|gutted) (?:that )?"
        r"(?:i am still (?:alive|here|breathing)|to (?:still )?be alive|i woke up|to wake up|"
        r"i did not die|i survived|i am alive)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:tired of being|sick of being|hate being|i am just|always|only ever) a "
        r"(?:burden|waste of space)\b",
    ),
    (
        "plan",
        4,
        "default",
        r"\b(?:look(?:ing|ed)? up|research(?:ing|ed)?|googl(?:e|ing|ed)|search(?:ing|ed)?(?: for)?|"
        r"read(?:ing)? about|found) (?:\w+ )?(?:painless|quick|easy|peaceful|reliable|lethal|"
        r"fatal) "
        r"(?:ways?|methods?|doses?|amounts?)\b",
    ),
    (
        "self_harm",
        2,
        "default",
        r"\b(?:keep|keeping|hide|hid|hiding|carry|have) (?:a |my |the |some )?(?:razor )?"
        r"(?:blade|razor|blades|razors) (?:\w+ ){0,3}(?:for when|just in case|hidden|secret|"
        r"so no one|so nobody)\b",
    ),
    (
        "self_harm",
        3,
        "inherent",
        r"\bmy (?:wrists|arms|thighs|legs|stomach|skin) (?:are|is) (?:a mess|covered in (?:cuts|"
        r"scars|"
        r"burns)|cut up|bleeding|scarred)\b",
    ),
    (
        "self_harm",
        2,
        "default",
        r"\b(?:need|want) (?:the )?pain to feel (?:something|anything|real|alive)\b"
        r"|\b(?:hurt|cut|burn|harm)(?:ing)? (?:my ?self )?to feel (?:something|anything|alive|"
        r"real)\b",
    ),
    ("hopelessness", 1, "required", r"\bwhat is the point\W*$"),
    (
        "hopelessness",
        1,
        "default",
        r"\b(?:i am done fighting|i can not fight (?:this|it|any ?more)|i am tired of fighting|"
        r"i have no fight left)\b",
    ),
    (
        "self_harm",
        3,
        "default",
        r"\b(?:going to|will|might|about to|afraid i will|scared i will|scared i am going to|"
        r"afraid i am going to) (?:hurt|cut|harm|burn) my ?self\b",
    ),
    ("self_harm", 3, "inherent", r"\bi (?:have )?cut (?:again|last night|today|tonight|deeper)\b"),
    (
        "ideation",
        3,
        "default",
        r"\b(?:do not|can not) see my ?self (?:living|alive|being alive|being here|making it|"
        r"surviving|getting old|growing old) (?:past|beyond|through|to|until|much longer|for|"
        r"another|into)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:someone|somebody|god|something) (?:would|could|will|should) (?:just )?(?:end it|"
        r"kill me|end my life|take me|put me out of my misery)\b|\bput me out of my misery\b",
    ),
    (
        "means",
        2,
        "inherent",
        r"\bi (?:bought|got|picked up|ordered|have been buying) (?:a bunch of|a lot of|loads of|"
        r"enough|extra|multiple|several|boxes of|two boxes of|three boxes of|a stash of) "
        r"(?:\w+ )?" + PILLS + r"\b",
    ),
    (
        "hopelessness",
        1,
        "default",
        r"\b(?:my )?life has no (?:meaning|point|purpose|value)\b(?! without| unless| until)",
    ),
    (
        "passive",
        2,
        "default",
        r"\bno way i can (?:go on|keep going|carry on|do this any ?more|live like this|"
        r"keep living)\b",
    ),
    (
        "attempt",
        4,
        "default",
        r"\b(?:in (?:the|a|my) (?:closed )?garage with the engine (?:running|on)|"
        r"(?:car|engine) running in (?:the|a|my) (?:closed )?garage)\b",
    ),
    (
        "ideation",
        3,
        "default",
        r"\bhow easy it would be to (?:let go|jump|end it|die|step of[f]|fall|swerve|crash|"
        r"drive of[f]|step in front|" + KMS + r")\b",
    ),
    ("means", 2, "default", r"\bcount(?:ing)? (?:the|my|all the|all my) (?:pills|tablets|meds)\b"),
    (
        "passive",
        2,
        "default",
        r"\b(?:do not think|doubt) (?:anyone|anybody|people|they) would (?:miss me|notice|care)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\bwaiting (?:to die|for (?:death|the end|it all to end|my time to come|"
        r"my turn to die))\b",
    ),
    (
        "ideation",
        3,
        "default",
        r"\b(?:the )?only (?:thing|reason|things|reasons|one) (?:stopping|keeping|holding) me "
        r"(?:back |here |alive |going )?(?:is|are|from)\b"
        r"|\bonly (?:thing|reason) (?:i am|i have) (?:still )?(?:alive|here)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:can not|do not) (?:imagine|picture|see) (?:my ?self )?(?:being alive|being here|"
        r"still here|still alive|making it|being around|growing old|getting old)\b",
    ),
    (
        "plan",
        4,
        "default",
        r"\bhow long (?:it takes|does it take|would it take|it would take) to (?:bleed out|die|"
        r"drown|"
        r"suffocate|overdose|hang)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\bif (?:i do not wake up|tomorrow does not come|i never wake up|i die|i died)\b.{0,30}"
        r"\b(?:fine|okay|ok|good|better|relief|happy|glad)\b",
    ),
    (
        "ideation",
        3,
        "default",
        r"\b(?:hope|wish|pray|want) (?:this|it) (?:is|will be|to be) my (?:last|final) "
        r"(?:birthday|christmas|year|day|night|week|summer|winter|new year)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\bconvince my ?self to (?:stay|keep going|keep living|live|stay alive|not do it|"
        r"not kill)\b",
    ),
    (
        "ideation",
        3,
        "default",
        r"\b(?:voices?|they|it) (?:keep |keeps |are |is )?(?:telling|tell|tells|told) me to "
        r"(?:die|end it|hurt my ?self|cut|" + KMS + r")\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:give|giving|gave) up for good\b|\bclose to giving up on (?:life|everything|"
        r"living)\b",
    ),
    (
        "ideation",
        3,
        "inherent",
        r"\b(?:kill my ?self|end my (?:own )?life|take my (?:own )?life|hang my ?self|"
        r"unalive my ?self|of[f] my ?self|shoot my ?self|self ?delete)\b",
    ),
    (
        "ideation",
        3,
        "default",
        r"\b(?:suicide|death|dying|ending it|killing my ?self) (?:is|seems|seems like|"
        r"feels like|looks like|"
        r"is starting to look like|is starting to feel like|might be) (?:the|my|an|a) (?:only |"
        r"best |last |easiest |real |good )?"
        r"(?:option|way out|way|answer|choice|solution|escape)\b",
    ),
    (
        "ideation",
        3,
        "default",
        r"\b(?:i am|i would be|i will be|i would be much|would be|be) better off dead\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:i am|i would be|i will be|would be|be|i am much) better off (?:gone|not here|"
        r"not alive|not existing|never born|not being here|not around|six feet under)\b",
    ),
    ("ideation", 3, "inherent", r"\bi (?:deserve|ought|need|should|have|must) (?:to )?die\b"),
    (
        "ideation",
        3,
        "default",
        r"\b(?:do not|no longer|never) want to (?:live|be alive|go on living|keep living|"
        r"continue living|stay alive|carry on living)\b",
    ),
    ("ideation", 3, "default", r"\b(?:i|me) (?:\w+ )?(?:unalive|unaliving|sewerslide)\b"),
    ("ideation", 3, "inherent", r"\bgo through with it\b"),
    (
        "self_harm",
        3,
        "inherent",
        r"\b(?:i (?:have )?)?(?:just |already )?(?<!to )(?<!to just )(?:cut|burned|burnt|hurt|"
        r"harmed|scratched|punched|"
        r"hit|starved|cutted|carved into|burn|harm|punch|starve|scratch|bruise|"
        r"bruised) my ?self(?! (?:by accident|accidentally|shaving|cooking|"
        r"playing|at the gym|lifting|running|skating|climbing|"
        r"on (?:a|the|my) (?:stove|oven|iron|kettle|pan|knife|glass|nail|bike|trampoline|stairs)|"
        r"in (?:a|the) (?:kitchen|garden|gym|game|match|garage)|while|falling|tripping|chopping|"
        r"when i (?:fell|tripped|slipped|was (?:cooking|playing|running|shaving|lifting))))",
    ),
    (
        "self_harm",
        3,
        "inherent",
        r"\bi (?:have )?(?:been |am |started |keep |kept )?(?:cutting|burning|hurting|harming|"
        r"self ?harming|scratching|hitting) (?:my ?self|my (?:arms?|wrists?|legs?|thighs?|skin|"
        r"stomach|body))",
    ),
    (
        "self_harm",
        3,
        "inherent",
        r"\b(?:been|started|keep|kept|am|still|i am|i have been|i keep|i started) "
        r"(?:cutting|self ?harming|sh ?ing|burning my ?self|hurting my ?self|harming my ?self) "
        r"(?:again|every day|every night|daily|for (?:weeks|months|days|years)|a lot|more|"
        r"(?:\w+ )?(?:times )?a (?:day|week))",
    ),
    ("self_harm", 3, "inherent", r"\bi (?:self ?harm|sh)\b(?! (?:in the past|years ago))"),
    (
        "self_harm",
        3,
        "inherent",
        r"\bi (?:relapsed|slipped|caved)(?: again)?(?: on| with| and| into| back into)? "
        r"(?:self ?harm|sh|cutting|cut|burning)",
    ),
    (
        "self_harm",
        3,
        "inherent",
        r"\bi (?:have )?(?:cut|carved|sliced|burned|burnt) (?:into )?my (?:arms?|wrists?|legs?|"
        r"thighs?|skin|stomach|hips?)\b",
    ),
    ("self_harm", 3, "inherent", r"\b(?:fresh|new|deep) (?:cuts|wounds|burns) on my\b"),
    # --- 2: passive ideation, self-harm urges ----------------------------
    (
        "passive",
        2,
        "inherent",
        r"\bi (?:wish|hope|pray|kind of wish|almost wish|sometimes wish) (?:that )?i "
        r"(?:was|were|would be|could be|had been|would|could|will|would just|could just|can|did|"
        r"do)? ?"
        r"(?:dead|never born|never been born|not born|not alive|gone|never existed|not exist|"
        r"did not exist|die|"
        r"died|disappear|vanish|stop existing|not wake up|never wake up|do not wake up|"
        r"sleep forever|fall asleep and (?:never|not) wake up|get hit|got hit|get run over|crash|"
        r"had never been born|cease to exist|be erased|not be here)\b" + NOT_AWAY_FOR_A_BIT,
    ),
    (
        "passive",
        2,
        "inherent",
        r"\bi (?:hope|wish) (?:a|that a|some) (?:car|bus|truck|train|lorry) (?:hits|hit|"
        r"runs over|would hit) me",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:(?:do not|never|no longer) want to wake up|hope i (?:do not|never|will not) wake up|"
        r"wish i (?:would not|did not|could not|would never|will not) wake up|"
        r"(?:would rather|prefer to) not wake up)\b(?! (?:early|at|before|for|until|till))",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:go to sleep|fall asleep|sleep|lie down) and (?:never|not) (?:wake|get) up\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:want to|wish i could|need to|would like to) sleep (?:forever|and never wake)",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:do not|never|no longer) want to (?:exist|be here any ?more|be around any ?more|"
        r"be here no (?:more|longer)|be around no (?:more|longer)|"
        r"be here any longer|be on this earth|be in this world|wake up)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:want|wish|need|wanted) to (?:stop existing|not exist|cease to exist|"
        r"disappear forever|vanish forever|disappear for good|not be alive|be erased)\b",
    ),
    (
        "passive",
        2,
        "inherent",
        r"\b(?:everyone|everybody|people|the world|my family|my friends|my kids|my children|"
        r"my parents|"
        r"they|you all|you guys|you|he|she|my mum|my mom|my dad|my partner|this group|the group|"
        r"all of you|this world) (?:would|will|would all|will all|would honestly|is|are|would be|"
        r"will be|would probably|would definitely) (?:be )?(?:better|happier|fine|okay|ok|relieved|"
        r"better off|happier off) (?:off )?without me\b",
    ),
    (
        "passive",
        2,
        "inherent",
        r"\bbetter (?:off )?if i (?:was|were|had|would) (?:gone|dead|not here|not around|"
        r"never born|not alive|disappeared|died)",
    ),
    (
        "passive",
        2,
        "inherent",
        r"\b(?:no one|nobody|noone|not a single person|not one person|nobody at all) "
        r"(?:would|will|is going to|would even|will even|would ever) (?:miss me|notice if i|"
        r"care if i|notice i am gone|come to my funeral|notice (?:if )?i (?:was|were|am) gone)",
    ),
    (
        "passive",
        2,
        "default",
        r"\bif i (?:died|was gone|were gone|disappeared|killed my ?self|was dead|"
        r"were dead)\b.{0,30}\b(?:no one|nobody|noone|who) (?:would|will) (?:care|notice|miss)",
    ),
    (
        "passive",
        2,
        "required",
        r"\b(?:i am|i feel like|i feel|feeling like|i have become|i am nothing but|i am only|"
        r"i am such|"
        r"i am always|i have always been|i will always be) (?:a |such a |nothing but a |the )?"
        r"(?:burden|waste of (?:space|oxygen|air|life))\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:no|not a|not one|not a single|there is no|i have no|i see no|i can not find a|"
        r"can not think of a|can not see a|(?:do not|can not|fail to|no longer) see (?:a|the|any)|"
        r"(?:can not|do not) find (?:a|the|any)|is there (?:a|any)|what is the) "
        r"(?:reason|point) (?:to|in|for|of|for me to) "
        r"(?:live|living|stay|stick around|hold on|be here|me living|keep living|go on|going on|"
        r"be alive|being alive|stay alive|"
        r"staying alive|wake up|waking up|keep going|carry on|exist|existing|my life|me to live|"
        r"me being here|me being alive|me existing|me living|being here|being alive)\b",
    ),
    ("passive", 2, "default", r"\bnothing (?:left )?to live for\b"),
    (
        "passive",
        2,
        "default",
        r"\b(?:life|living|my life|this life|existence) (?:is not|is no longer|does not feel|"
        r"not|ai not|is never|isnt) worth (?:it|living|the pain|the effort)\b",
    ),
    ("passive", 2, "default", r"\bnot worth living\b"),
    (
        "passive",
        2,
        "default",
        r"\bwhat is the point (?:of|in) (?:living|life|being alive|going on|existing|"
        r"staying alive|my life|carrying on|waking up)\b",
    ),
    (
        "passive",
        2,
        "required",
        r"\b(?:tired|sick|exhausted|weary) (?:of|with) (?:living|being alive|existing|life|"
        r"waking up|being me|my life|this life|fighting to stay alive)\b(?! (?:in|with|among|"
        r"like|paycheck|here|there|at|on|under|out|from|alone|next|without|as|of|for))",
    ),
    (
        "passive",
        2,
        "inherent",
        r"\bi (?:should not|should never|do not deserve to) (?:be alive|exist|have been born|"
        r"live|be here any ?more)\b",
    ),
    ("passive", 2, "default", r"\bi (?:was|should) never (?:have been|been) born\b"),
    (
        "passive",
        2,
        "required",
        r"\b(?:give|giving|gave|given) up on (?:life|living|staying alive|my life)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:do not|no longer) know how (?:much )?longer i can (?:go on|keep going|do this|"
        r"hold on|take (?:it|this)|keep doing this|cope|last|survive)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:want|wish|need) (?:it|everything|it all|all of it|all of this|my life|life|"
        r"this life) (?:all )?to (?:end|stop|be over)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:(?:please|someone|somebody|god|lord|universe)(?: please)? kill me|"
        r"kill me please|kill me already)\b(?! now)",
    ),
    ("passive", 2, "inherent", r"^\W*kill me\W*$"),
    (
        "passive",
        2,
        "default",
        r"\b(?:thinking|thought|think) (?:a lot )?(?:about|of) (?:dying|not being alive|"
        r"not existing|not being here|not waking up|being dead)\b",
    ),
    ("passive", 2, "inherent", r"\bi (?:have )?(?:tried|attempted) (?:to )?(?:" + KMS + r")\b"),
    (
        "passive",
        2,
        "inherent",
        r"\b(?:my|previous|last|first|second) (?:suicide )?attempts?\b(?= .{0,30}\b(?:again|"
        r"thinking|want|plan|scared))",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:hate|hating) (?:being alive|existing|that i exist|that i am alive|"
        r"waking up every day)\b",
    ),
    (
        "self_harm",
        2,
        "default",
        r"\b(?:want|wanted|need|needed|urge|urges|tempted|itching|craving|crave|feel like|"
        r"thinking about|thinking of|trying not|struggling not|fighting the urge|"
        r"resisting the urge) "
        r"to (?:cut|burn|hurt|harm|punish|scratch|hit|starve|bruise) (?:my ?self|my (?:arms?|"
        r"wrists?|"
        r"legs?|thighs?|skin|body))\b",
    ),
    (
        "self_harm",
        2,
        "default",
        r"\b(?:self ?harm|sh|cutting|cut|burning|relapse) (?:urges?|cravings?|thoughts)\b",
    ),
    (
        "self_harm",
        2,
        "default",
        r"\b(?:urges?|craving|tempted|want|wanted|need) to (?:self ?harm|sh|cut again|"
        r"relapse on (?:sh|self ?harm)|start cutting|start self ?harming)\b",
    ),
    (
        "self_harm",
        2,
        "required",
        r"\b(?:struggling with|dealing with|my|fighting|addicted to) (?:self ?harm|self ?injury|"
        r"cutting)\b",
    ),
    (
        "self_harm",
        2,
        "inherent",
        r"\bi (?:deserve|need) (?:to (?:hurt|suffer|bleed|feel pain|be punished)|pain)\b",
    ),
    # --- 1: hopelessness, strong distress ---------------------------------
    (
        "hopelessness",
        1,
        "required",
        # "I was hopeless about finding a job, but...": history; the weighted
        # vocabulary still counts it together with other distress.
        r"\b(?<!was )(?<!were )hopeless\b(?! (?:romantic|at|with|case at|when it comes))",
    ),
    (
        "hopelessness",
        1,
        "required",
        r"\b(?:no|lost all|lost|out of|without|zero|not any|have no|there is no|"
        r"any) hope (?:left|any ?more|for me|at all|of getting better)\b",
    ),
    ("hopelessness", 1, "default", r"\b(?:i have|i) (?:lost|given up) (?:all )?hope\b"),
    (
        "hopelessness",
        1,
        "default",
        r"\bthere is no hope\b(?! for (?!(?:me|us|my (?:future|life|recovery))\b))",
    ),
    (
        "hopelessness",
        1,
        "default",
        r"\b(?:nothing|it|things|life|my life) (?:will|is going to|are going to|"
        r"is ever going to|ever) "
        r"(?:never|not|not ever) (?:going to )?(?:get|be|getting) better\b(?! (?:without|unless|"
        r"until|if|on its own|by))"
        r"|\bnothing (?:will|is going to|is ever going to)? ?(?:ever )?(?:gets?|getting|be|"
        r"change|changes) better\b"
        r"|\b(?:it|things|life) (?:never|will never|is never going to|"
        r"are never going to) (?:gets?|get|be|going to get) better\b",
    ),
    (
        "hopelessness",
        1,
        "required",
        r"\b(?:i am|i feel|feeling|i have become|i am becoming|i am such|i am nothing but|"
        r"i have always been) "
        r"(?:completely |totally |utterly |a )?(?:\w+ (?:and|&) )?(?:worthless|empty|useless|"
        r"pathetic|like a failure|"
        r"a failure|"
        r"a waste|empty inside|dead inside|numb|like nothing|trapped|broken|unlovable|"
        r"a lost cause|beyond help|beyond saving|like i am drowning|like giving up)\b"
        r"(?! (?:at|with|in the kitchen|when it comes|for (?:this|the) (?:job|team)|after|from|"
        r"because of|since the|when the|today after|stomach))",
    ),
    (
        "hopelessness",
        1,
        "inherent",
        r"\bi (?:hate|loathe|despise|can not stand|am disgusted by) "
        r"(?:my ?self(?! for (?!being\b|existing\b|living\b)\w+ing\b)|my life|"
        r"who i am|being me|everything about me)\b",
    ),
    (
        "hopelessness",
        1,
        "required",
        r"\b(?:give|giving|gave|given) up on (?:everything|my ?self|it all|trying|the future)\b",
    ),
    (
        "hopelessness",
        1,
        "default",
        r"\b(?:there is )?no way out\b(?! of (?:the|this|that) (?:car park|parking|building|"
        r"maze|room|meeting|contract))",
    ),
    (
        "hopelessness",
        1,
        "default",
        r"\b(?:can not|could not|can no longer) (?:take|do|handle|cope with|deal with|bear|stand|"
        r"keep doing|live like|go on like|carry on like) (?:this|it|life|any of this|everything|"
        r"this pain|the pain|this life|my life) (?:any ?more|any longer|much longer)\b",
    ),
    (
        "hopelessness",
        1,
        "default",
        r"\bi (?:can not|could not) (?:cope|go on|keep going|carry on|do this)(?: any ?more|"
        r" any longer)?\s*(?:$|[.!?,;])",
    ),
    (
        "hopelessness",
        1,
        "default",
        r"\b(?:i am|i feel) (?:done|finished) with (?:life|living|everything|it all|the world|"
        r"my life|trying)\b(?! (?:admin|insurance|drawing|coaching|lessons|for (?:today|now)))",
    ),
    (
        "hopelessness",
        1,
        "required",
        r"\bwhat is the point (?:of (?:anything|trying|it all|any of it|anything any ?more)|"
        r"any ?more)\b",
    ),
    (
        "hopelessness",
        1,
        "inherent",
        r"\b(?:everyone|everybody|the whole world|the world) (?:hates|would hate|"
        r"is better off hating) me\b",
    ),
    (
        "hopelessness",
        1,
        "inherent",
        r"\b(?:no one|nobody|noone|not a single person) (?:cares|loves|wants|likes|needs|"
        r"would care|will ever love|will ever care) (?:about )?me\b",
    ),
    ("hopelessness", 1, "inherent", r"\bi (?:ruin|destroy|wreck) everything\b"),
    (
        "hopelessness",
        1,
        "default",
        r"\b(?:the pain|it|everything|life|this) (?:is|feels) (?:unbearable|too much to bear|"
        r"never ending and|pointless|meaningless|hopeless)\b",
    ),
    (
        "hopelessness",
        1,
        "default",
        r"\b(?:my|this) life is (?:pointless|meaningless|worthless|a mess i can not fix|over)\b",
    ),
    (
        "hopelessness",
        1,
        "inherent",
        r"\bi am (?:at|reaching|past) (?:my|the) (?:breaking point|limit|end of my rope|"
        r"end of my tether)\b",
    ),
    ("hopelessness", 1, "inherent", r"\bi am at rock bottom\b"),
    (
        "hopelessness",
        1,
        "default",
        r"\b(?:i (?:can not|do not) see (?:a|any) (?:future|way forward|way out|light)|"
        r"no future for me|i have no future)\b",
    ),
    ("hopelessness", 1, "default", r"\b(?:what is|is there) (?:even )?(?:the )?point of me\b"),
    (
        "hopelessness",
        1,
        "default",
        r"\b(?:want|wanted|wish i could|need) to (?:disappear|vanish)\b" + NOT_AWAY_FOR_A_BIT,
    ),
    (
        "hopelessness",
        1,
        "inherent",
        r"\bi (?:hate|hate it|can not stand) (?:being alive|my existence)\b",
    ),
    ("hopelessness", 1, "default", r"\b(?:thinking|thought|think) (?:a lot )?about death\b"),
)

#: More ways of saying it, in the gerund, through a method or indirectly.
CRISIS_PATTERNS_EXTRA: Final[tuple[tuple[str, int, Mode, str], ...]] = (
    (
        "ideation",
        3,
        "default",
        r"\b(?:killing|offing|hanging|shooting|drowning|unaliving|poisoning|stabbing) my ?self\b"
        r"(?! (?:at|with|over|for|trying|working|studying|on|in (?:the|this) (?:gym|heat)|"
        r"to (?:get|make|finish|meet|keep|please|pay)|laughing|here))",
    ),
    (
        "ideation",
        3,
        "default",
        r"\b(?:close to|on the verge of|on the brink of|came close to|come close to|nearly|almost) "
        r"(?:\w+ ){0,4}?(?:killing my ?self|ending (?:it all|my life|everything|it)|"
        r"taking my (?:own )?life|overdosing|jumping|suicide|hanging my ?self)\b",
    ),
    (
        "ideation",
        3,
        "default",
        r"\b(?:give|giving|gave) up and (?:jump|end it|end it all|go|kill my ?self|let go)\b",
    ),
    (
        "ideation",
        3,
        "default",
        r"\b(?:eat|eating|suck on|sucking on|swallow|swallowing) (?:a|my|the) (?:bullet|barrel|"
        r"gun|shotgun|glock|pistol|rifle)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:tried|attempted|try|trying|tries) to \W?end\W? (?:it|it all|things|my life)\b"
        r"(?! (?:with|between|off|on (?:a|good)|amicably|nicely|politely))",
    ),
    (
        "ideation",
        3,
        "default",
        r"\bwhy (?:would|should) (?:you|i|anyone|one) not (?:kill (?:your|my|them) ?self|"
        r"end it|just end it)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:want|wanted|wish|need) (?:my life|this life|life|my existence|it all|everything) "
        r"to (?:be over|cease|stop|end)\b",
    ),
    (
        "ideation",
        3,
        "default",
        r"\b(?:strangulation|hanging|an overdose|overdosing|jumping|drowning|slitting my wrists|"
        r"the rope|the gun|the pills|a gun|pills|suicide|ending it) (?:is|was|are|were|seems|"
        r"seemed|is still|was still) (?:still )?(?:on the table|an option|"
        r"my (?:best |only )?option|the (?:best|easiest|only|quickest) (?:option|way|choice))\b",
    ),
    (
        "ideation",
        3,
        "default",
        r"\b(?:thought|thinking|think|planned|planning) (?:about |of )?how i (?:would|could|will|"
        r"am going to) (?:do it|die|end it|kill my ?self|end my life)\b",
    ),
    (
        "ideation",
        3,
        "default",
        r"\b(?:strangulation|strangling my ?self|hanging my ?self|hanging|overdosing|an overdose|"
        r"jumping|slitting my wrists|suicide|killing my ?self|ending it)\b[^.!?\n]{0,80}"
        r"\b(?:still |back )?on the table\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:no one|nobody|noone) would (?:ever )?(?:know or )?(?:find me|find my body|"
        r"look for me|come looking for me|know i was gone|know i am gone)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:pray|praying|hope|hoping|wish|wishing) (?:that )?(?:god|the lord|the universe|"
        r"death|fate|someone|something) (?:will |would |could )?(?:gets? it (?:done|over with)|"
        r"ends? it|ends? my life|lets? me die|let me go|takes? me (?:away|home|soon|now)?)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:close to|on the verge of|on the brink of|near to|came close to) (?:\w+ ){0,2}?"
        r"(?:giving up|leaving it all behind|leaving this world|letting go of (?:it all|life|"
        r"everything)|being done with (?:it all|life|everything))\b",
    ),
    (
        "ideation",
        3,
        "default",
        r"\b(?:(?:can not|do not|could not) see )?(?:no|any|a) (?:other )?"
        r"(?:way out|way forward|way through|option|choice|exit) "
        r"(?:except|but|other than|apart from|besides) (?:death|dying|suicide|ending it|"
        r"ending my life|killing my ?self)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\bwant out of (?:this life|life|this world|existence|being alive)\b"
        r"|\b(?:had|have had|i have had) enough of (?:life|living|this life|existing|"
        r"being alive)\b|\bfed up (?:with|of) (?:living|life|being alive|existing)\b",
    ),
    (
        "ideation",
        3,
        "default",
        r"\b(?:think|thinking|thought|fantasi[sz]ing|dreaming) (?:a lot )?(?:about|of) "
        r"(?:driving|swerving|crashing|stepping|walking|jumping|throwing my ?self) "
        r"(?:my car )?(?:off (?:the|a) (?:road|bridge|cliff|roof|building)|into (?:traffic|"
        r"oncoming traffic|a tree|a wall|the river|the sea)|in front of)\b",
    ),
    (
        "ideation",
        3,
        "default",
        r"\b(?:close to|so close to|this close to|nearly|almost) "
        r"(?:doing it|going through with it)\b"
        r"|\b(?:going to|will|gonna) do it this time\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:can not|do not think i can|do not know if i can|not sure i can) hold on "
        r"(?:much |for much )?(?:longer|any ?more|any longer)\b",
    ),
    (
        "ideation",
        3,
        "default",
        r"\b(?:scared|afraid|terrified|worried) (?:of )?what i (?:might|will|could|am going to) "
        r"do to my ?self\b|\bi (?:do not|can not) trust my ?self (?:around|with|near) "
        r"(?:knives|a knife|pills|my pills|my meds|the pills|blades|razors|a gun|the gun|sharp)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:can not wait|looking forward) to (?:die|be dead|dying|not exist)\b"
        r"|\bif i (?:died|die|were to die|was to die) (?:tomorrow|today|tonight|in my sleep|"
        r"right now)\b.{0,20}\b(?:would not|will not|do not|would never) (?:mind|care)\b",
    ),
    ("ideation", 3, "default", r"\bwant to jump(?=\s*(?:$|[.!?]))"),
    (
        "passive",
        2,
        "default",
        r"\b(?:want|wish|long|need|ready) to (?:be with|join|see) (?:my |our )?"
        r"(?:dad|father|mum|mom|mother|brother|sister|grandma|grandad|grandpa|grandmother|grandfather|son|daughter|"
        r"wife|husband|partner|friend|baby|family) (?:again )?(?:in heaven|up there|on the other "
        r"side|in the afterlife)\b"
        r"|\b(?:want|wish|long|need) to join (?:my |our )?(?:dad|father|mum|mom|mother|brother|"
        r"sister|son|daughter|wife|husband|partner|baby)(?=\s*(?:$|[.!?]))",
    ),
    (
        "passive",
        2,
        "default",
        r"\bsoon i (?:will not|am not going to) be (?:a (?:problem|burden|bother|nuisance)|"
        r"around|here|in (?:anyone's|your) way)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:hope|wish|pray) i (?:get|got|am|die|end up) (?:in|into) (?:an accident|a crash|"
        r"a car crash)\b|\b(?:hope|wish|pray) i (?:get|got) (?:hit|run over) by\b"
        r"|\b(?:do not|would not|could not|no longer) care (?:if|whether) i (?:live|lived|die|"
        r"died|wake up|woke up|make it|get hit|got hit|survive)\b"
        r"|\b(?:would not|do not|would never) (?:care|mind) if (?:a|some) (?:car|bus|truck|"
        r"lorry|train) (?:hit|hits|ran over|runs over) me\b"
        r"|\b(?:fine|okay|ok|happy|glad|relieved|at peace) if i (?:never|did not|do not) "
        r"(?:woke|wake) up\b"
        r"|\b(?:would not|will not|do not) mind if i (?:died|never woke up|did not wake up|"
        r"was dead|were dead|was gone|did not make it)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:no one|nobody|noone) would (?:ever )?(?:go to|attend|show up (?:at|to)|"
        r"turn up (?:at|to)) my funeral\b",
    ),
    (
        "plan",
        4,
        "default",
        r"\b(?:least painful|most painless|painless|easiest|quickest|fastest|surest) "
        r"(?:way|ways|method|methods) to (?:go|do it|check out|leave this world|end things)\b",
    ),
    (
        "self_harm",
        3,
        "inherent",
        r"\bcarv(?:e|ed|ing) (?:\w+ ){0,2}into my (?:skin|arms?|wrists?|legs?|thighs?|stomach)\b",
    ),
    (
        "ideation",
        3,
        "default",
        r"\b(?:want|wanted|ready|need|wish|going|planning|about|decided) to (?:leave|exit|depart) "
        r"(?:this|the) (?:world|earth|life)\b",
    ),
    (
        "ideation",
        3,
        "default",
        r"\b(?:keep|kept|been|always) (?:looking|staring|glancing) at (?:the|my|a) (?:train tracks|"
        r"tracks|knife|knives|blade|blades|razor|pills|rope|gun|bridge|edge|noose)\b"
        r"|\b(?:looking|staring|stared|looked) at (?:the|my|a) (?:train tracks|tracks|knife|blade|"
        r"razor|pills|rope|gun|noose) (?:a lot|again|for hours|every (?:day|night))\b",
    ),
    (
        "means",
        4,
        "default",
        r"\b(?:stopped|not|quit) taking my (?:meds|pills|medication|tablets) (?:so )?(?:that )?"
        r"(?:i can |to )(?:save|stockpile|hoard|keep|collect|store) them\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\bbetter off (?:in the ground|in a grave|in a box|in a coffin|underground|in the dirt)\b"
        r"|\bi (?:deserve|ought) (?:to be dead|death|to not exist|to not be alive|to rot)\b"
        r"|\blosing the (?:fight|battle|will) to (?:stay alive|live|keep living|keep going)\b"
        r"|\b(?:wonder|wondering|imagine|imagining) (?:what it would be like )?(?:to not exist|"
        r"not existing|to be dead|being dead|to stop existing)\b",
    ),
    (
        "ideation",
        3,
        "default",
        r"\bmake (?:the|this|all the) (?:pain|hurt|suffering) (?:stop|end|go away) (?:permanently|"
        r"forever|for good)\b"
        r"|\bonly (?:option|way out|choice|solution|answer|escape|thing left)(?: left)? "
        r"(?:is|would be|seems to be|for me is) (?:to )?(?:end it|die|death|dying|suicide|"
        r"ending it|ending my life|killing my ?self)\b"
        r"|\b(?:wish i had|need|do not have|lack|find|finding|get|getting) the (?:courage|guts|"
        r"nerve|strength) to (?:end it|do it|die|kill my ?self|end my life|go through with it|"
        r"jump|pull the trigger)\b",
    ),
    (
        "ideation",
        3,
        "default",
        r"\b(?:not going to|will not|do not think i will|might not|may not) make it to (?:my|the) "
        r"(?:next )?(?:birthday|christmas|new year|end of the (?:week|month|year)|summer|"
        r"spring|winter|weekend)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\bbetter off with (?:the|my) (?:life )?insurance\b"
        r"|\bmy life insurance (?:would|will|could) (?:pay|cover|help|take care|be worth)\b"
        r"|\b(?:do not|no longer) want to do (?:this|the) (?:whole )?life(?: thing)?\b"
        r"|\bmy (?:last|final|dying) wish (?:is|would be) (?:that|for) (?:my|everyone|they|"
        r"people|you)\b",
    ),
    (
        "self_harm",
        3,
        "inherent",
        r"\b(?:until|till) my (?:knuckles|arms?|skin|hands?|wrists?|legs?|thighs?) "
        r"(?:bled|bleed|were bleeding|are bleeding|went numb|bruised)\b",
    ),
    (
        "ideation",
        3,
        "default",
        r"\b(?:alcohol|vodka|whiskey|whisky|wine|booze|gin|rum) and (?:my |the |all my |some )?"
        r"(?:sleeping )?(?:pills|tablets|meds|painkillers)\b",
    ),
    (
        "self_harm",
        2,
        "inherent",
        r"\b(?:hide|hiding|cover|covering|hid) (?:up )?my (?:scars|cuts|wounds|burns|bruises)\b",
    ),
    (
        "self_harm",
        3,
        "default",
        r"\b(?:started|start|went back to|back to|relapsed into|resorted to|turned to) "
        r"(?:cutting|self ?harm(?:ing)?|burning my ?self|hurting my ?self|hitting my ?self)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:i )?(?:wish|hope|pray) (?:i could|to) (?:just )?(?:fall asleep|sleep|go to sleep) "
        r"and (?:never|not) wake\b"
        r"|\bnot (?:wanting|want) to wake up (?:again|tomorrow|any ?more)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:i )?(?:feel|felt|feeling) like (?:dying|disappearing forever|not existing|"
        r"ending it|i should die|i should not be alive|i should not exist)\b",
    ),
)

#: Safety statements, elliptical "I can't anymore", methods at hand, self-harm
#: in the present, and other common ways of saying it that the tables above miss.
CRISIS_PATTERNS_MORE: Final[tuple[tuple[str, int, Mode, str], ...]] = (
    # --- the author says they are not safe with themselves -----------------
    (
        "ideation",
        3,
        "inherent",
        r"\bi (?:do not|can not|no longer) trust my ?self(?! (?:to (?:cook|drive|pick|choose|"
        r"remember|make (?:good|the right) (?:choices|decisions))|with (?:money|cake|chocolate|"
        r"sweets|a credit card|my phone)))\b",
    ),
    (
        "ideation",
        3,
        "inherent",
        r"\bi (?:do not|no longer) feel safe (?:with|around|from|by) my ?self\b"
        r"|\bi am not safe (?:with|around|from|by) my ?self\b"
        r"|\bi am not safe(?: (?:right now|tonight|at the moment|any ?more|alone)"
        r"(?= *(?:$|[.!?,;]))|\W*$)"
        r"|\b(?:scared|afraid|terrified|worried) (?:of|about) what i (?:might|will|could|am going "
        r"to) do(?: to my ?self)?(?= *(?:$|[.!?,;]|to my ?self|tonight|if))",
    ),
    # --- means at hand -----------------------------------------------------
    (
        "means",
        4,
        "inherent",
        r"\bi (?:have|have got|got|bought|am holding|am sitting with|have been holding) "
        r"(?:the|my|a|enough|all the|all my|some) (?:\w+ )?(?:pills|tablets|meds|rope|noose|blade|"
        r"blades|razor|razors|knife|gun)(?: \w+)? "
        r"(?:ready|lined up|counted out|in (?:my|front of me)|next to me|on the (?:table|bed|desk)|"
        r"to (?:do it|end it|use on my ?self))\b",
    ),
    (
        "means",
        4,
        "inherent",
        r"\bi (?:have|got) everything i need to (?:do it|end it|end my life|"
        r"kill my ?self|go through with it)\b",
    ),
    (
        "plan",
        4,
        "inherent",
        r"\bi (?:know|have figured out|have worked out|have decided|thought about) (?:exactly )?"
        r"(?:how|where|when) i (?:would|will|am going to|want to) (?:do it|end it|die|"
        + KMS
        + r")\b",
    ),
    (
        "plan",
        4,
        "default",
        r"\b(?:thinking (?:of|about)|researching|looking (?:up|into)|reading about) "
        r"(?:ways|methods|how) (?:to|of) (?:die|dying|end it|" + KMS + r")\b",
    ),
    (
        "plan",
        4,
        "default",
        r"\bhow many (?:\w+ )?(?:pills|tablets|"
        + PILLS
        + r") (?:would|will|could|does it take to) "
        r"(?:kill|end) me\b",
    ),
    # --- active and passive wishes said another way ------------------------
    (
        "passive",
        2,
        "default",
        r"\bwish(?:ing)? i (?:was|were|could be|would be) dead\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:i would be|i am|i will be|i should be|probably|everyone would be) better off dead\b"
        r"|^\W*better off dead\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:can not wait to|looking forward to|look forward to) (?:die|dying|be dead|"
        r"being dead|not exist|not existing|not being here)\b"
        r"|\bdeath (?:can not|could not) come (?:soon|fast|quick)(?:ly)? enough\b"
        r"|\b(?:can|could) i (?:die|be dead) already\b|\b(?:die|dead) already\s*(?:$|[.!?,;])",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:want|need|wish|ready|going) to leave (?:this|the) (?:world|earth|planet|life)\b"
        r"(?! (?:a better place|better than))"
        r"|\b(?:do not|no longer) want to (?:be on|live on|stay on|be in) (?:this|the) "
        r"(?:planet|earth|world)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:doing|do) (?:everyone|everybody|the world|them|my family) a favou?r "
        r"(?:if|by) (?:i )?(?:died|dying|dead|disappeared|disappearing|gone|leaving|killing "
        r"my ?self|ending it)\b",
    ),
    (
        "passive",
        2,
        "inherent",
        r"\bi (?:should|ought to|deserve to) (?:be dead|die|not be alive|not exist)\b"
        r"(?! (?:of|from|laughing|for (?:a|this|that)))",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:fantasi[sz]e|fantasi[sz]ing|dream|dreaming|daydream|daydreaming) (?:about|of) "
        r"(?:dying|death|not existing|being dead|my death|not waking up)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:can not|could not) (?:get|shake) (?:the )?(?:thoughts?|idea) of (?:dying|death|"
        r"suicide|killing my ?self|ending it) out of my (?:head|mind)\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\bwish i (?:would|could|will) (?:get|catch|have) (?:cancer|sick|ill|an illness|"
        r"hit by (?:a|the) \w+) and die\b",
    ),
    (
        "passive",
        2,
        "default",
        r"\bwhy (?:even )?bother (?:living|being alive|existing|staying alive|waking up)\b",
    ),
    (
        "ideation",
        3,
        "default",
        r"\b(?:feel|felt|feeling) like doing it again\b"
        r"|\b(?:going to|want to|thinking (?:of|about)|might) (?:try|attempt) again\b"
        r"(?= *(?:$|[.!?,;]|soon|tonight|this time))",
    ),
    (
        "ideation",
        3,
        "default",
        r"\b(?:my (?:mind|brain|head)|the voices?|something) (?:keeps? )?(?:telling|tells|told) me "
        r"to (?:die|" + KMS + r"|hurt my ?self|cut|jump)\b",
    ),
    (
        "ideation",
        3,
        "default",
        r"\b(?:drive|driving|crash|crashing|swerve|swerving) (?:my car )?(?:of[f]|into) "
        r"(?:the road|a (?:tree|wall|pole)|oncoming)\b(?= *(?:$|[.!?,;]|on purpose|and))",
    ),
    # --- self-harm now -----------------------------------------------------
    (
        "self_harm",
        3,
        "inherent",
        r"\bi (?:have been|am|keep|have started|started) (?:self ?harming|cutting my ?self|"
        r"burning my ?self|harming my ?self|starving my ?self|punching my ?self|"
        r"hitting my ?self|scratching my ?self)\b",
    ),
    (
        "self_harm",
        3,
        "inherent",
        r"\bi (?:self ?harmed|cut my ?self|burned my ?self|burnt my ?self|harmed my ?self|sh ?ed) "
        r"(?:again|last night|tonight|today|yesterday|this morning|earlier)\b"
        r"|\bi (?:burned|burnt|cut|hit|scratched) (?:my ?self|my \w+) on purpose\b",
    ),
    (
        "self_harm",
        2,
        "inherent",
        r"\bi am (?:relapsing|going to relapse|about to relapse)"
        r"(?: (?:on|into|with) (?:sh|self ?harm|"
        r"cutting))?(?= *(?:$|[.!?,;]|on sh|on self|into sh|into self))"
        r"|\bi (?:am going to|want to|might|will) relapse (?:on|into|with) (?:sh|self ?harm|"
        r"cutting)\b",
    ),
    (
        "self_harm",
        2,
        "default",
        r"\b(?:thoughts?|urges?|ideas?) (?:of|about) "
        r"(?:hurting|harming|cutting|burning) my ?self\b",
    ),
    # --- hopelessness, elliptical and everyday ways of saying it ----------
    (
        "hopelessness",
        1,
        "default",
        r"\b(?:i )?(?:can not|could not) "
        r"(?:do it|do this|take it|cope|keep fighting|fight (?:it|this))? ?"
        r"(?:any ?more|no more)\b(?! (?:of|than|with|because|at))"
        r"|\bi (?:do not|no longer) want to (?:keep going|go on|carry on|keep fighting|fight "
        r"any ?more|do this any ?more|try any ?more)\b",
    ),
    (
        "hopelessness",
        1,
        "default",
        r"\bi (?:do not know|have no idea) how (?:much more|much longer) i can (?:take|do this|"
        r"go on|hold on|keep going|cope|bear|handle)\b"
        r"|\b(?:barely|only just) (?:holding on|hanging on|keeping my head above water)\b"
        r"|\bhanging (?:on )?by a thread\b"
        r"|\bi am at my (?:lowest|lowest point|worst)\b"
        r"|\bi have never (?:felt|been) (?:this|so) (?:low|hopeless|empty|alone|bad)\b",
    ),
    (
        "hopelessness",
        1,
        "inherent",
        r"\bi (?:want|need) out(?= *(?:$|[.!?,;]|of (?:this life|life|this world|here|everything|"
        r"it all)))",
    ),
    (
        "hopelessness",
        1,
        "inherent",
        r"\bi (?:want to|am ready to|feel like|am about to) giv(?:e|ing) up(?: on (?:everything|"
        r"life|my ?self|it all|living))?(?= *(?:$|[.!?,;]))"
        r"|\bi am (?:done|finished) (?:trying|fighting)(?= *(?:$|[.!?,;]|any ?more))",
    ),
    (
        "hopelessness",
        1,
        "default",
        r"\b(?:my|this) life (?:seems|feels|is|has become|has been) (?:pointless|meaningless|"
        r"worthless|hopeless|empty|over)\b"
        r"|\b(?:there is )?nothing left for me(?! to)\b",
    ),
    (
        "hopelessness",
        1,
        "default",
        r"\b(?:want|wish|need) (?:this|it all|everything) to (?:be over|stop|end|cease)\b"
        r"|\bwant (?:it|everything|it all|all of it) to (?:cease|seize)\b"
        r"|\b(?:i )?(?:should|could) (?:disappear|vanish)\b" + NOT_AWAY_FOR_A_BIT,
    ),
    (
        "hopelessness",
        1,
        "default",
        r"\b(?:i want to|i wish i could|i need to) (?:feel nothing|stop feeling|not feel "
        r"anything)\b(?! (?:about|for|towards))",
    ),
    (
        "hopelessness",
        1,
        "inherent",
        r"\b(?:it is|everything is|this is) my fault,? i (?:should|deserve to) (?:be dead|die)\b"
        r"|\bi am (?:a|an) \w+ and a (?:waste of (?:space|oxygen|air)|burden)\b",
    ),
    (
        "passive",
        2,
        "inherent",
        # "when I'm gone they'll understand": a death imagined through its effect
        # on others ("when I'm gone on holiday, who feeds the cat?" stays out).
        r"\b(?:when|once|after) i am (?:dead and )?gone,? (?:they|everyone|everybody|people|"
        r"nobody|no one|my (?:family|parents|kids|children|friends|mum|mom|dad)|the world|"
        r"things) (?:will|would|can|might)\b",
    ),
    # --- warning signs people name without the word "suicide" ---------------
    (
        "passive",
        2,
        "default",
        r"\bif i died (?:tomorrow|today|tonight|in my sleep)?,? i (?:would|will) (?:be|feel) "
        r"(?:relieved|happy|glad|grateful)\b",
    ),
    (
        "ideation",
        3,
        "default",
        r"\bhop(?:e|ing) (?:a|the|some) (?:car|bus|truck|lorry|train|drunk driver) "
        r"(?:hits|will hit|would hit|runs over|will run over|kills) me\b",
    ),
    (
        "passive",
        2,
        "inherent",
        r"\bi (?:hope|wish|pray) "
        r"(?:something (?:bad|terrible|awful) (?:happens|would happen) to me|"
        r"i (?:get|got) (?:hit by (?:a|the) (?:car|bus|truck|lorry|train)|"
        r"killed(?! (?:off|first|in (?:the )?(?:game|match|zombie)))|cancer)|"
        r"i (?:do not|never) wake up)\b",
    ),
    (
        "passive",
        2,
        "inherent",
        r"\bi (?:do not|no longer) (?:plan|expect|intend) (?:on|to) (?:be|being|still be) alive "
        r"(?:for|by|at|on|next|this|after|much longer)\b",
    ),
    (
        "ideation",
        3,
        "default",
        r"\b(?:feel|felt|feeling) like (?:" + KMS + r")\b",
    ),
    (
        "hopelessness",
        1,
        "default",
        # "(so) done with life" without "I am": filler words are dropped before matching.
        r"^\W*(?:completely |totally )?done with (?:life|living|being alive|existing|this life)\b"
        r"(?! (?:admin|insurance|drawing|coaching|lessons|for (?:today|now)))",
    ),
    (
        "ideation",
        3,
        "default",
        r"\bwant(?:ed|ing)? to stop breathing\b(?! (?:so |through|loudly|like))",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:thoughts|the ones|thinking|dreams|ideas) about not (?:being here|being alive|"
        r"existing|waking up)\b",
    ),
    (
        "passive",
        2,
        "default",
        # "die in my sleep": the "in my ..." of a break ("disappear in my room") does not apply.
        r"\b(?:wish|hope|pray|want|wanted) (?:that )?(?:i )?(?:could |would |will |to )?"
        r"(?:die|pass away|slip away) in my sleep\b"
        r"(?! (?:when i am (?:old|older|ninety|\d+)|at (?:ninety|a hundred|\d+)|of old age|"
        r"one day|some day|someday|years from now))",
    ),
    (
        "self_harm",
        2,
        "default",
        r"\b(?:having|had|have|get|getting|got|keep having) (?:bad |dark |strong )?"
        r"(?:thoughts|urges?) (?:of|about|to) (?:self harm(?:ing)?|cutting(?: my ?self)?|"
        r"hurting my ?self|harming my ?self|hurt my ?self|harm my ?self|cut)\b"
        r"|\b(?:hard|harder|difficult|struggling|a struggle) (?:not )?to (?:not )?"
        r"(?:hurt|harm|cut|burn) my ?self\b",
    ),
    (
        "passive",
        2,
        "inherent",
        r"\bi (?:am not going to|will not|do not think i will|might not|may not) "
        r"(?:make it|last|survive) (?:through )?(?:the night|tonight|this night|much longer)"
        r"(?= *(?:$|[.!?,;]))",
    ),
    (
        "self_harm",
        3,
        "default",
        # Subjectless or after a comma ("relapsed, cut last night"); "i relapsed
        # and cut" is also read by the first-person "i relapsed" pattern above.
        r"\brelapsed?,? (?:and |by )?(?:cut(?:ting)?|self harm(?:ing|ed)?|burn(?:ing|ed|t)?|"
        r"hurt(?:ing)? my ?self|harmed my ?self)\b"
        r"|\b(?:my|the) (?:razor|razors|blade|blades|knife|lighter) (?:is|are|keeps?|has been|"
        r"have been) calling (?:to )?me\b"
        r"|\bdo something (?:bad|stupid|drastic|terrible|dangerous) to my ?self\b",
    ),
    (
        "ideation",
        3,
        "default",
        r"\b(?:easy|easier|tempting) to (?:swallow|take|down) (?:everything|all (?:of )?(?:it|them|"
        r"my \w+)) in (?:the|my) (?:cabinet|cupboard|drawer|medicine cabinet|bathroom)\b",
    ),
    (
        "passive",
        2,
        "default",
        # "tired. of everything. of being alive.": the plain form has its own pattern.
        r"\btired\W+of \w+\W+of (?:being alive|living|existing)\b"
        r"(?! (?:in|with|like|on|off|under|at|from|alone|paycheck))"
        r"|\bi (?:did not|do not) want to wake up (?:again|ever|any ?more|ever again)\b"
        # "idk why" and "not sure why" read "maybe" here (see screening._NOT_NEGATION).
        r"|\b(?:maybe|dunno why) i am still (?:alive|breathing)(?= *(?:$|[.!?]))"
        r"|\b(?:want|wish|need|long|longing) to be free (?:from|of) (?:this life|life|living|"
        r"existence|this world|it all)\b(?! of)"
        r"|\b(?:wish|want|need) (?:i could |to )?stop (?:living|being alive)\b"
        r"(?! (?:in|with|like|under|at|off|on|for|paycheck|from))"
        r"|\b(?:life|everything|the world|things|everyone) would be (?:better|easier) if i "
        r"(?:was|were) not (?:in it|here|around|alive)\b",
    ),
    (
        # "idk why I'm still here" may mean a job or a party: the gentle tier only.
        "hopelessness",
        1,
        "default",
        r"\b(?:maybe|dunno why) i am still (?:here|around)(?= *(?:$|[.!?]))",
    ),
    (
        "hopelessness",
        1,
        "default",
        r"\bnot strong enough to (?:keep going|go on|carry on|keep fighting|fight (?:this|it|"
        r"any ?more)|keep living|survive)\b(?! (?:on|with|at|to|in|through|without))",
    ),
    (
        "plan",
        4,
        "inherent",
        r"\b(?:tonight|today|tomorrow|this weekend) is (?:the (?:night|day)|when) i (?:"
        + KMS
        + r")",
    ),
    (
        "passive",
        2,
        "default",
        r"\b(?:want|wanted|wanting) (?:it|my life|life|everything) to (?:be over|end) "
        r"sooner (?:rather )?than later\b",
    ),
    (
        "self_harm",
        3,
        "default",
        r"\bi (?:cut|self harmed|burned my ?self|burnt my ?self) (?:again )?"
        r"(?:last night|tonight|this morning|yesterday)(?= *(?:$|[.!?,;]))",
    ),
    (
        "ideation",
        3,
        "inherent",
        r"\b(?:scared|afraid|worried|terrified) (?:that )?(?:i will|ill|i might|i am going to|"
        r"i would) do something (?:stupid|drastic|dangerous|bad)"
        r"(?= *(?:$|[.!?,;]|to my ?self|tonight|today))"
        r"|\bi am (?:going to|about to) do something (?:drastic|stupid)"
        r"(?= *(?:$|[.!?]|to my ?self|tonight|today|soon))",
    ),
    (
        "ideation",
        3,
        "default",
        r"\b(?:thinking|thought|think|keep thinking|been thinking) (?:a lot )?about "
        r"(?:the|my|dad s|my dad s) (?:gun|rifle|pistol|shotgun|rope|noose|stash of pills)\b"
        r"(?! (?:safe|license|licence|club|range|show|collection|cleaning))",
    ),
    (
        "ideation",
        3,
        "inherent",
        r"\bhow many (?:of )?my (?:\w+ )?" + PILLS + r" (?:would|will) be too many\b",
    ),
)

#: Phrases that, right after a match, show it is a figure of speech
#: ("I could die of embarrassment", "want to die my hair").
HYPERBOLE_AFTER: Final = (
    r"^\s*(?:of (?:embarrassment|shame|laughter|laughing|boredom|cringe|cuteness|happiness|"
    r"excitement|jealousy)|laughing|from (?:laughing|embarrassment|cringe)|"
    r"(?:my|her|his|your|their) hair|in (?:the game|a game|minecraft|fortnite|game)|of[f]\b|"
    r"for (?:a|some|that|this|those|these) \w+|on stage|inside from cringe)"
)

#: Farewell language. Strong cues alone are worrying; weak ones only together.
GOODBYE_STRONG: Final[tuple[str, ...]] = (
    r"\bby the time (?:you|anyone|someone|somebody|you all|you guys|people|"
    r"my family) (?:\w+ )?(?:read|reads|see|sees|find|finds|get|gets) this\b",
    r"\bi (?:will not|am not going to|may not|might not) be (?:here|around|alive|on this earth) "
    r"(?!.{0,60}\b(?:holiday|vacation|trip|travel\w*|away|leave|visiting|conference|moving|busy|"
    r"work|camp|festival|offline|signal)\b)"
    r"(?:tomorrow|much longer|for (?:much )?long|any ?more|any longer|by (?:tomorrow|morning|"
    r"then|the weekend)|next week|to see)",
    r"\bthis is (?:my )?goodbye\b",
    r"\b(?:do not think|doubt|not sure) i will (?:be here|be around|be alive|still be here) "
    r"(?!.{0,60}\b(?:holiday|vacation|trip|travel\w*|away|leave|visiting|conference|moving|busy|"
    r"work|camp|festival|offline|signal)\b)"
    r"(?:tomorrow|much longer|for (?:much )?long|next (?:week|month|year)|by (?:tomorrow|morning|"
    r"then|the weekend|christmas|my birthday)|to see)",
    r"\bmade (?:my )?peace\b.{0,30}\bready\b",
    r"\b(?:letter|note)s? (?:to (?:\w+ ){1,2})?explaining (?:everything|why)\b",
    r"\btell my (?:mum|mom|mother|dad|father|family|parents|sister|brother|kids?|children|wife|"
    r"husband|partner|friends) (?:that )?i (?:love|am sorry|loved)\b",
    r"\bmy (?:final|last) goodbye\b",
    r"\b(?:goodbye|bye) (?:forever|world|cruel world|for good|for the last time)\b",
    r"\b(?:my|these are my) (?:last|final) words\b",
    r"\byou (?:will not|wo not|are not going to) (?:hear from|see) me (?:again|ever again|"
    r"any ?more)\b",
    r"\b(?:see|meet) you (?:all )?(?:on the other side|in (?:the )?next life|in another life|"
    r"in heaven|in the afterlife)\b",
    r"\bi (?:will|am going to) be (?:gone|dead) (?:by|before) (?:tomorrow|morning|tonight|"
    r"the weekend|then|the time)\b",
    r"\bi am saying (?:my )?goodbyes?\b",
    r"\bsaying (?:my )?goodbyes? to (?:my|everyone|all|you)\b",
    r"\b(?:i have|i) made (?:my )?peace with (?:dying|death|ending it|it all|leaving)\b",
    r"\bi (?:will not|am not going to) be a (?:burden|problem|bother|nuisance|weight)"
    r"(?: (?:for|to|on) (?:anyone|anybody|you|everyone|them|my family))? "
    r"(?:much longer|any ?more|for (?:much )?long)\b",
    r"\b(?:tonight|today|this) (?:is|will be) my (?:last|final) (?:night|day)\b"
    r"|\bmy (?:last|final) (?:night|day) (?:alive|on earth|here|on this planet)\b",
)

GOODBYE_WEAK: Final[tuple[str, ...]] = (
    r"\bthank(?:s| you) (?:all |everyone |guys |so much |all so much )?for everything\b",
    r"\b(?:i am )?sorry for everything\b",
    r"\b(?:please )?forgive me\b",
    r"\bi love (?:you all|you guys|all of you|everyone|you so much)\b",
    r"\b(?:goodbye|bye|farewell) (?:everyone|all|guys|friends|everybody|all of you|my friends)\b",
    r"\btake care of (?:my (?:cat|cats|dog|dogs|kids?|children|pets?|family|mum|mom|plants)|"
    r"each other|yourselves|him|her)(?: for me)?\b",
    r"\b(?:when|after|once) i am gone\b|\b(?:when|after|once) i (?:die|am dead)\b",
    r"\bi (?:will not|am not going to|may not|might not) be (?:here|around|alive)(?=\s*(?:$|"
    r"[.!?,]|to see|because))",
    r"\bgiv(?:e|ing|en) (?:all )?my (?:stuff|things|belongings|possessions) away\b",
    r"\b(?:giving|gave|given) away (?:all )?(?:of )?my (?:stuff|things|belongings|possessions|"
    r"clothes|cat|dog|pets?|books)\b",
    r"\bthank(?:s| you) (?:all |everyone |guys )?for (?:trying|being there|all you have done)\b",
    r"\bi am ready to go\b(?=\W*(?:$|goodbye|bye))",
    r"\b(?:goodbye|bye|farewell)\W*$",
    r"\bi know what i (?:am going to|have to|need to|must|will) do\W*$",
    r"\b(?:writing|wrote|made|updated|finished) my will\b",
    r"\bneed (?:the )?courage to (?:do it|go through with it|end it)\b",
    r"\b(?:wrote|written|writing|left) (?:everyone|my family|my parents|them|you all) (?:a )?"
    r"(?:letters?|notes?)\b",
    r"\b(?:do not|please do not) (?:blame your ?selves|blame anyone|be sad|cry for me|miss me|"
    r"worry about me any ?more)\b",
    r"\bit (?:is|was) not (?:anyone's|anyones|your|any of your) fault\b",
    r"\bi am (?:finally )?at peace (?:now|with it|with my decision)\b",
    r"\b(?:wanted|want|need) to say goodbye\b(?! to (?:my|the|our) (?:old|house|flat|job|car|"
    r"dog|cat))",
    r"\blook after my (?:cat|cats|dog|dogs|kids?|children|pets?|family|plants)\b",
    r"\bsorry (?:i was not|i could not be|i am not|i was never) (?:stronger|strong enough|"
    r"enough|better)\b",
    r"\b(?:wrote|written|writing|left) (?:letters|notes) (?:to|for) (?:my|everyone|each of)\b",
    r"\b(?:this|it) is the end(?: for me)?\s*(?:$|[.!])",
    r"\b(?:tonight|today) is the (?:night|day)\s*(?:$|[.!])",
)

#: "This is my last message": a farewell unless it is plainly casual (see below).
GOODBYE_LAST_MESSAGE: Final = (
    r"\b(?:this|it|that) (?:is|will be|was) (?:my|the) (?:last|final) (?:message|post|words|"
    r"thing i (?:say|write|post)|time (?:i post|you hear from me|i write))\b"
)

#: Makes a "last message" farewell casual ("last message tonight, see you tomorrow").
GOODBYE_CASUAL: Final = (
    r"\b(?:for (?:today|tonight|now|the day|the night|the week|a while|a bit)|of (?:the day|"
    r"the night|today|tonight)|"
    r"see (?:you|ya|u)|speak (?:soon|tomorrow|later)|talk (?:soon|tomorrow|later)|good ?night|"
    r"before (?:bed|work|i go|sleep|i sleep|school)|going to bed|off to bed|tomorrow|brb|later|"
    r"back (?:soon|on|next|in)|next week|on (?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)|"
    r"deleting (?:the|this) app|taking a break|logging off for|in this (?:thread|topic))\b"
)

#: Means named alongside ideation (severity >= 2) upgrade it to 4.
MEANS: Final = (
    r"\b(?:pills?|tablets|overdose|rope|noose|gun|firearm|pistol|rifle|blades?|razors?|"
    r"train tracks|railway line|bridge|ledge|a plan|the plan|my plan|method|barrel|trigger|"
    r"bullets?|"
    r"set a date|picked a date|chosen a date|chose a date)\b(?<!end of my rope)(?<!end of the rope)"
)

#: A time named in the same sentence as active ideation (severity >= 3) upgrades it to 4.
TIMING: Final = (
    r"\b(?:tonight|today|this weekend|tomorrow|right now|after (?:work|school)|"
    r"when everyone is asleep|note|letter)\b"
)

#: Words that end a clause for negation and subject scoping.
CLAUSE_BREAK: Final = (
    r"[.!?;:\n,\"()\[\]]|\b(?:but|however|though|although|except|yet|whereas|and then|because)\b"
)

NEGATORS: Final = frozenset(
    {
        "not",
        "never",
        "no",
        "nor",
        "used",
        "stopped",
        "quit",
        "without",
        "hardly",
        "nobody",
        "neither",
    }
)

FIRST_PERSON: Final = frozenset({"i", "me", "my", "myself", "mine", "we", "us", "our", "ourselves"})

OTHER_PERSON: Final = frozenset(
    {
        "he",
        "she",
        "they",
        "him",
        "her",
        "them",
        "his",
        "hers",
        "their",
        "theirs",
        "himself",
        "herself",
        "themselves",
        "themself",
        "you",
        "your",
        "yourself",
        "yourselves",
        "friend",
        "friends",
        "mate",
        "mates",
        "bestie",
        "buddy",
        "pal",
        "sister",
        "sis",
        "brother",
        "bro",
        "sibling",
        "mom",
        "mum",
        "mother",
        "dad",
        "father",
        "parent",
        "parents",
        "son",
        "daughter",
        "kid",
        "kids",
        "child",
        "children",
        "partner",
        "boyfriend",
        "girlfriend",
        "bf",
        "gf",
        "husband",
        "wife",
        "fiance",
        "fiancee",
        "cousin",
        "aunt",
        "uncle",
        "grandma",
        "grandpa",
        "nan",
        "grandmother",
        "grandfather",
        "roommate",
        "flatmate",
        "housemate",
        "coworker",
        "colleague",
        "classmate",
        "student",
        "students",
        "someone",
        "somebody",
        "anyone",
        "anybody",
        "person",
        "people",
        "patient",
        "patients",
        "client",
        "clients",
        "member",
        "members",
        "veteran",
        "veterans",
        "soldier",
        "soldiers",
        "guy",
        "guys",
        "girl",
        "girls",
        "man",
        "woman",
        "men",
        "women",
        "character",
        "teen",
        "teenager",
        "ex",
        "neighbour",
        "neighbor",
        "boss",
        "teacher",
        "everyone",
        "everybody",
        "moms",
        "mums",
        "dads",
        "sisters",
        "brothers",
        "folks",
        "yall",
    }
)

#: A subject-less fragment that starts like this is the author talking.
SUBJECTLESS_STARTERS: Final = frozenset(
    {
        "feel",
        "feeling",
        "felt",
        "been",
        "having",
        "getting",
        "got",
        "want",
        "wanted",
        "thinking",
        "keep",
        "always",
        "still",
        "constantly",
        "again",
        "currently",
        "lately",
        "today",
        "tonight",
        "sometimes",
        "honestly",
        "am",
        "was",
        "really",
        "so",
        "too",
        "pretty",
        "very",
        "extremely",
        "super",
        "kind",
        "becoming",
        "struggling",
        "fighting",
        "dealing",
        "tired",
        "sick",
        "need",
        "wish",
        "hate",
        "completely",
        "totally",
        "utterly",
    }
)

#: Reporting verbs; a quoted crisis phrase after one is someone else's words.
REPORTING: Final = (
    r"\b(?:said|says|say|saying|told|tells|tell|texted|texts|wrote|writes|posted|posts|asked|"
    r"asks|messaged|goes|went|mentioned|screamed|yelled|shouted)\b"
)

#: A helper asking how to support someone else.
SUPPORT_CONTEXT: Final = (
    r"\b(?:how (?:do|can|should|could) i (?:help|support|talk to|reach|approach|be there for)|"
    r"what (?:do|should|can|could) i (?:do|say)|worried (?:about|for) (?:my|a|him|her|them)|"
    r"(?:my|a) (?:friend|sister|brother|mom|mum|dad|partner|son|daughter|kid|child|cousin|"
    r"roommate|coworker|colleague|boyfriend|girlfriend|husband|wife) (?:is|has been|keeps|said|"
    r"told|says|texted|wants|tried)|"
    r"(?:he|she|they) (?:said|told me|says|keeps saying|texted|mentioned|wants|tried))\b"
)

# --- offensive language --------------------------------------------------------

INSULT_NOUNS: Final = (
    r"(?:idiot|idiots|moron|morons|imbecile|loser|losers|bitch|bitches|cunt|cunts|dick|dicks|"
    r"dickhead|asshole|assholes|arsehole|arseholes|bastard|bastards|twat|twats|prick|pricks|"
    r"wanker|wankers|jerk|jerks|scum|scumbag|piece of shit|piece of crap|piece of garbage|"
    r"waste of space|waste of oxygen|whore|whores|slut|sluts|hoe|hoes|skank|douche|douchebag|"
    r"dumbass|jackass|dipshit|shithead|fuckwit|fucker|motherfucker|pussy|freak|freaks|clown|"
    r"trash|garbage|creep|creeps|pig|pigs|cow|sheep|retard|retards|psycho|nutjob|weirdo|"
    r"attention seeker|attention whore|snowflake|crybaby|cry baby|parasite|vermin|animal|animals)"
)

INSULT_ADJECTIVES: Final = (
    r"(?:stupid|dumb|idiotic|pathetic|worthless|useless|ugly|fat|disgusting|brainless|moronic|"
    r"retarded|gross|creepy|psycho|crazy|insane|annoying|repulsive|vile|a joke|a disgrace|"
    r"an embarrassment|trash|garbage|fake|attention seeking|attention-seeking|dramatic|"
    r"a waste|so dumb|braindead|brain dead|hopeless|weak|spineless|lame)"
)

_FILL: Final = (
    r"(?:(?:a|an|such|such a|so|really|fucking|fking|freaking|effing|bloody|absolute|absolutely|"
    r"complete|completely|total|totally|little|the|most|biggest|utter|utterly|stupid|dumb|ugly|"
    r"fat|pathetic|worthless|sad|lazy|useless|disgusting) )*"
)

#: Abuse so harmful in a support room that it is always held.
SEVERE_ABUSE: Final[tuple[str, ...]] = (
    r"\b(?:kill|hang|neck|unalive|shoot|off|drown|hurt|cut) (?:your ?self|your ?selves|ur ?self|"
    r"yo ?self)\b",
    r"\bkys\b",
    # Not the author's own wish ("I wish I could just die", "I want to just die").
    r"(?<!could )(?<!would )(?<!should )(?<!rather )(?<!might )(?<!to )(?<!i )(?<!me )"
    r"\b(?:go|please|just|pls|plz|then) (?:and )?(?:die|drown|jump off|rot|kill your ?self)\b",
    r"\b(?:i )?hope (?:you|u|that you) (?:die|get cancer|get raped|rot|suffer|burn|get hit|"
    r"choke|starve|kill your ?self|never wake up)\b",
    r"\byou (?:should|deserve to|need to|ought to|better) (?:die|not exist|kill your ?self|"
    r"be dead|suffer|be raped|disappear forever)\b",
    r"\b(?:no one|nobody|noone) (?:likes|loves|wants|cares about|would miss|will miss|"
    r"would care if) you\b",
    r"\bi (?:will|am going to|would|could|want to|wanna|should|gonna) (?:kill|hurt|find|beat|"
    r"rape|stab|shoot|murder|strangle|punch) (?:you|u|all of you|you all|your (?:family|kids))\b",
    r"\bi know where you live\b",
    r"\b(?:the world|everyone|everybody|this group|we) (?:would|"
    r"will) be better (?:off )?without you\b",
    r"\bdo (?:everyone|us all|us|the world) a favou?r and (?:die|leave|kill your ?self|"
    r"disappear)\b",
    r"\b(?:you are|you) (?:a )?waste of (?:space|oxygen|air|skin|life)\b",
    r"\byou are (?:(?:so|such|a|an|fucking|completely|totally|utterly) )*(?:worthless|pathetic|"
    r"disgusting|subhuman|a nobody|nothing|vermin|a parasite)\b",
    r"\b(?:why do not you|why not) (?:just )?(?:die|kill your ?self)\b",
)

#: Insults and hostility aimed at a reader (second person or "everyone here").
TARGETED: Final[tuple[str, ...]] = (
    r"\b(?:you are|you is|you were|your|ur|you|u|you all are|you guys are|all of you are|"
    r"yall are|you are all|you are such|you are being|you look like|you sound like|"
    r"you act like)\s+" + _FILL + r"(?:" + INSULT_NOUNS + r"|" + INSULT_ADJECTIVES + r")\b",
    r"\b(?:fuck|fck|fk|screw|f|frick|fuk|damn) (?:you|u|off|ur ?self|your ?self|yall|you all|"
    r"all of you|this group|everyone here)\b(?!'re| are| r\b)",
    r"\b(?:shut (?:the fuck |tf |your (?:mouth|face) |it )?up|stfu|gtfo|foad|piss off|"
    r"bugger off|sod off|get lost(?! in| on| at| trying| while| for| looking| without)|"
    r"go to hell|go fuck your ?self|eat shit|suck (?:my|a) (?:dick|"
    r"cock))\b",
    r"\byou (?:suck|disgust me|make me sick|are nothing|are a nobody|are not wanted|"
    r"do not belong here|are the worst)\b",
    r"\b(?:nobody|no one|noone) (?:asked|cares about|gives a (?:shit|fuck|damn) about) (?:you|"
    r"your|what you)\b",
    r"\b(?:everyone|everybody|people|all of you|you all|you guys|this group|this room|this chat|"
    r"yall|the people) (?:here |in here |in this (?:group|room|chat) )?(?:is|are) "
    + _FILL
    + r"(?:"
    + INSULT_NOUNS
    + r"|"
    + INSULT_ADJECTIVES
    + r")\b",
    r"\b(?:stop|quit) (?:being|acting) (?:a |an |so |such a )?(?:"
    + INSULT_NOUNS
    + r"|"
    + INSULT_ADJECTIVES
    + r"|dramatic|attention seeking|a baby)\b",
    r"\b(?:get over it|nobody wants to hear (?:it|your)|man up|toughen up|grow a pair)\b",
)

#: Gendered, sexual or dehumanising insults: offensive even when aimed at someone
#: who is not in the room (milder ones about an absent boss or ex are venting).
HARSH_NOUNS: Final = (
    r"\b(?:bitch|bitches|cunt|cunts|whore|whores|slut|sluts|hoe|hoes|skank|skanks|twat|twats|"
    r"pussy|pussies|motherfucker|motherfuckers|vermin|subhuman|retard|retards)\b"
)

#: Self-directed uses that never count as targeting ("I'm such an idiot").
SELF_DIRECTED_BEFORE: Final = (
    r"(?:\bi am|\bi was|\bi feel like|\bi have been|\bi can be|\bi will be|\bi act like|"
    r"\bi look like|\bi sound like|\bmade me feel like|\bi am being|\bi am acting like|"
    r"\bcall me)\W+"
    r"(?:(?:a|an|such|such a|so|the|biggest|total|little|fucking|fking|lazy|stupid|crazy|basic|bad|"
    r"complete|absolute|moody|grumpy|dramatic|whiny|sad|needy)\W+){0,3}$"
)

#: Slur stems, ROT13-encoded so that the source does not spell them out.
#: Decoded at import; matched as whole words with optional "s", "z", "es" or "ed".
SLURS_ROT13: Final[tuple[str, ...]] = (
    "avttre",
    "avttn",
    "avttnm",
    "avtt",
    "snttbg",
    "snt",
    "qlxr",
    "genaal",
    "genaavr",
    "furznyr",
    "ergneq",
    "fcvp",
    "puvax",
    "tbbx",
    "jrgonpx",
    "xvxr",
    "enturnq",
    "gbjryurnq",
    "pnzry wbpxrl",
    "fnaq avttre",
    "wnc",
    "tlccb",
    "vawha",
    "fdhnj",
    "jbt",
    "ubzb",
    "yrfob",
    "srzvanmv",
    "erqfxva",
    "phpx",
    "ovzob",
    "jvttre",
    "ornare",
    "avttnu",
    "avtthu",
    "avppn",
    "avppnf",
    "avttnf",
    "snttbgf",
    "snttl",
    "snttvg",
)

# --- contact details and off-platform moves -------------------------------------

PLATFORMS: Final = (
    r"(?:insta|instagram|ig|snap|snapchat|sc|discord|whatsapp|whats app|wa|telegram|tg|kik|signal|"
    r"wechat|line|facebook|fb|messenger|twitter|x|tiktok|tt|reddit|skype|zoom|steam|xbox|psn|"
    r"email|e-mail|mail|gmail|tumblr|threads|bluesky|mastodon|viber|imessage|facetime|hangouts|"
    r"teams|twitch|youtube|onlyfans|tinder|hinge|bumble|grindr|linkedin|phone|cell|mobile|text)"
)

OFF_PLATFORM: Final[tuple[str, ...]] = (
    r"\b(?:add|follow|find|message|msg|dm|pm|text|call|hit|hmu|contact|reach|friend|ping|inbox|"
    r"snap|whatsapp|telegram|kik|email|e-mail|mail|ring|facetime|skype|look) me (?:up )?(?:on|"
    r"at|via|over|through|@)\s*"
    r"(?!the (?:park|cafe|library|meeting|group|session|station)|home|work|school|(?:this|"
    r"the) (?:room|group|chat|app|site|platform)|here|hearth)\S",
    r"\b(?:dm|pm|inbox|hmu|direct message|private message|privately message) me\b",
    r"\b(?:dm|pm|message|msg|text|whatsapp|snap|email|e-mail|call|ring) me (?:privately|"
    r"directly|sometime|later|tonight|any ?time|whenever|if you|when you|please|instead|"
    r"outside)\b",
    r"\b(?:text|call|ring|snap|whatsapp|email|e-mail|dm|pm) me\s*(?:$|[.!?])",
    r"\bmy (?:dms|pms|inbox) (?:are|is) (?:open|always open)\b",
    r"\bslide into my dms\b",
    r"\bsend me (?:a|your) (?:dm|pm|private message|text|email|e-mail|snap|friend request|"
    r"number)\b",
    r"\bmy (?:snap|snapchat|insta|instagram|ig|discord|whatsapp|telegram|kik|twitter|tiktok|"
    r"facebook|fb|"
    r"number|phone number|cell number|mobile number|cell|mobile|digits|handle|username|user name|"
    r"gamertag|gamer tag|skype|signal|wechat|line id|email address|email|e-mail|discord tag|tag|"
    r"socials|"
    r"contact info|contact details|address)\s*(?:is|:|=|-|@|handle|name|id)\s*\S",
    r"\b(?:what is|whats|give me|send me|can i (?:get|have)|could i (?:get|have)|drop|share|"
    r"post|tell me) "
    r"(?:your|ur|you) (?:snap|snapchat|insta|instagram|ig|discord|whatsapp|telegram|kik|number|"
    r"phone number|digits|email|e-mail|handle|username|@|socials|fb|facebook|address|tiktok|"
    r"twitter|cell|mobile)\b",
    r"\b(?:i am|i'm) on (?:snap|snapchat|insta|instagram|ig|discord|whatsapp|telegram|kik|"
    r"tiktok|twitter|reddit|signal|line|wechat|skype) (?:as|@|at|under|its|it is|if)\b",
    r"\b(?:let us|lets|let's|we (?:should|could|can)|want to|wanna|can we|could we|shall we|"
    r"we will) "
    r"(?:talk|chat|move|continue|take this|take it|go|connect|meet|hang out|speak|keep talking|"
    r"message|text) "
    r"(?:this |it )?(?:on|over|to|in|via|through|onto) (?:"
    + PLATFORMS
    + r"|(?:somewhere|someplace|some place) (?:else|private|more private)|private|dms?|pms?|"
    r"another app|a different app)\b",
    r"\b(?:let us|lets|let's|we (?:should|could)|want to|wanna|can we|"
    r"could we) meet (?:up )?(?:in person|irl|in real life|offline|face to face)\b",
    r"\b(?:where do you live|what is your address|send me your address|my address is|"
    r"what city do you live in)\b",
    r"\b(?:join|check out|come to) my (?:server|discord|channel|group chat|gc|onlyfans|page)\b",
    r"\b(?:scan|add) my (?:qr|code|snapcode)\b",
)

#: Hotlines that may be shared freely (digits only, no separators).
CRISIS_NUMBERS: Final = frozenset(
    {
        "988",
        "911",
        "999",
        "112",
        "111",
        "000",
        "116123",
        "116111",
        "116006",
        "741741",
        "85258",
        "18002738255",
        "8002738255",
        "131114",
        "1800273825",
        "08001110111",
        "08001110222",
        "686868",
        "18668884357",
        "0800689999",
        "08006895555",
        "116117",
        "3114",
        "13000",
        "18009855990",
        "18004844357",
    }
)

#: Support and crisis-service sites that may be linked.
RESOURCE_DOMAINS: Final = frozenset(
    {
        "988lifeline.org",
        "samaritans.org",
        "crisistextline.org",
        "findahelpline.com",
        "befrienders.org",
        "iasp.info",
        "nhs.uk",
        "mind.org.uk",
        "lifeline.org.au",
        "kidshelpphone.ca",
        "talksuicide.ca",
        "giveusashout.org",
        "thetrevorproject.org",
        "suicidepreventionlifeline.org",
        "samhsa.gov",
        "beyondblue.org.au",
        "telefonseelsorge.de",
        "ok2talk.org",
        "nami.org",
        "rethink.org",
        "papyrus-uk.org",
        "thecalmzone.net",
    }
)

TLDS: Final = (
    r"(?:com|net|org|io|me|co|uk|gg|ly|tv|app|xyz|info|link|to|be|us|ca|au|de|fr|nl|ru|cc|"
    r"site|online|live|chat|social|page|dev|ai|biz|store|shop|club|fm|ie|nz|in|es|it|onion)"
)

NUMBER_WORDS: Final = {
    "zero": "0",
    "oh": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "won": "1",
    "to": "2",
    "too": "2",
    "for": "4",
    "fore": "4",
    "ate": "8",
    "nil": "0",
    "owe": "0",
}

#: Someone else at risk (for ``third_party_concern``, never for ``crisis``).
THIRD_PARTY_RISK: Final = (
    r"\b(?:kill(?:ing|ed|s)?|hurt(?:ing|s)?|harm(?:ing|s)?|cut(?:ting|s)?|hang(?:ing|s)?|"
    r"unaliv(?:e|ing|ed)|"
    r"starv(?:e|ing|es)|burn(?:ing|s|ed)?|of[f](?:ing)?) (?:him|her|them)sel(?:f|ves)\b"
    r"|\b(?:end|take|ending|taking|ended|took) (?:his|her|their) (?:own )?life\b"
    r"|\b(?:he|she|they|he is|she is|they are|friend|brother|sister|son|daughter|partner|mum|"
    r"mom|dad) "
    r"(?:is |are |was |were |has been |have been |feels |felt |seems )?suicidal\b"
    r"|\b(?:he|she|they) (?:wants?|wanted|keeps? saying (?:he|she|they) wants?) to die\b"
    r"|\b(?:he|she|they) (?:is|are|has been|have been|was|were) (?:self ?harming|cutting)\b"
)

#: A sentence set in the past ("I was suicidal years ago") is history, not a
#: crisis now, unless it also points at the present ("...and it's back again").
PAST_CONTEXT: Final = (
    r"\b(?:years ago|months ago|a long time ago|long ago|in the past|back then|"
    r"back in (?:the day|school|high school|college|uni)|in (?:high|middle|secondary) school|"
    r"when i was (?:younger|a kid|a child|"
    r"a teen|"
    r"a teenager|little|in school|in high school|at school|at uni|in college|\d+)|"
    r"as a (?:kid|child|teen|teenager)|in my (?:teens|twenties|youth)|"
    r"(?:over|for|clean for) (?:a|one|two|three|four|five|six|\d+) (?:years?|months?)|"
    r"in (?:19|20)\d\d)\b"
)

PRESENT_CONTEXT: Final = (
    r"\b(?:again|still|lately|recently|these days|right now|tonight|today|this week|"
    r"coming back|came back|returned|returning|any more|anymore)\b"
)

#: First-person disclosures of past suicidal thoughts, attempts or self-harm
#: that the crisis patterns do not read in the past tense. With the crisis
#: patterns that matched only in a sentence set in the past, they make the
#: "history" kind of severity 1: a past attempt is the strongest known risk
#: factor, so moderators see it, gently and at the lowest priority, unless the
#: message also says things are better now (``RECOVERY_CONTEXT``).
#: (mode, pattern); modes as in ``CRISIS_PATTERNS``.
HISTORY_PATTERNS: Final[tuple[tuple[Mode, str], ...]] = (
    ("default", r"\b(?:suicide )?attempt survivor\b"),
    (
        "default",
        r"\bsurvivor of (?:a |an |my |two |three |four |several |multiple |\d+ )?"
        r"(?:suicide |suicidal )?attempts?\b",
    ),
    (
        "required",
        r"\b(?:survived|after|since|before|from) (?:a |my |two |three |several |multiple |\d+ )?"
        r"(?:(?:failed|previous|last|first|second|third) )?suicide attempts?\b",
    ),
    (
        "default",
        r"\b(?:survived|after|since) my (?:(?:last|first|previous) )?attempt\b(?! (?:at|to))",
    ),
    ("required", r"\battempted suicide\b"),
    (
        "default",
        r"\b(?:my|made a|made an|had a|had an|had two|had several) "
        r"(?:(?:failed|previous|last|first|second|serious) )?suicide attempts?\b",
    ),
    (
        "default",
        r"\b(?:nearly|almost|very nearly|came close to) "
        r"(?:killed|killing|ended|ending|took|taking) (?:my ?self|my (?:own )?life)\b",
    ),
    (
        "default",
        r"\bused to (?:self harm|cut (?:my ?self|my (?:arms?|wrists?|legs?|thighs?))|"
        r"burn my ?self|hurt my ?self|harm my ?self|"
        r"think (?:about|of) (?:suicide|killing my ?self|ending (?:it|my life)|dying))\b",
    ),
    (
        "default",
        r"\bi (?:have |had )?(?:self harmed|harmed my ?self|was self harming|was cutting)\b",
    ),
    (
        "default",
        r"\b(?:history of|years of|my old|my past) (?:self harm(?:ing)?|cutting|"
        r"suicide attempts?|suicidal (?:thoughts|ideation|feelings))\b",
    ),
    (
        "default",
        r"\b(?:thought|thought about|considered|contemplated|had thoughts of|had thoughts about) "
        r"(?:death and |dying and )?(?:suicide|killing my ?self|ending my (?:own )?life|"
        r"taking my (?:own )?life)\b",
    ),
    ("required", r"\bsuicidal (?:thoughts|ideations?|feelings|episodes?)\b"),
    (
        "default",
        r"\b(?:ended up|was|woke up|landed|found my ?self) in (?:the )?(?:er|a and e|hospital|icu|"
        r"emergency room|psych ward) after (?:overdosing|an overdose|my attempt|a suicide attempt|"
        r"trying to (?:kill|end))\b",
    ),
    ("required", r"\bsuicide survivor\b"),
)

#: Words that put a disclosed past in the past for good ("...and I'm in a much
#: better place now"): a history disclosure with one of these is not flagged.
RECOVERY_CONTEXT: Final = (
    # Not after "not"/"never": "I'm not doing ok" is no recovery.
    r"(?<!not )(?<!never )"
    r"\b(?:(?:much |a lot |so much |far |way )?better (?:place|now|these days|today)|"
    r"doing (?:much |a lot |so much |way )?(?:well|ok|okay|good|great|better|fine)|"
    r"(?:been |stayed |i am |im )?clean (?:for|since)|(?:\w+ )?(?:years?|months?) clean|"
    r"no longer (?:suicidal|self harming|cutting|depressed|(?:feel|have) (?:that way|like that|"
    r"those thoughts|the urge)|want to die)|"
    r"in recovery|recovered|symptom free|stable now|"
    # "it helped" stays out: "I cut, it helped me feel something" is no recovery.
    r"(?:therapy|treatment|medication|meds|counselling|counseling|talking|rehab|my therapist) "
    r"(?:really |has |have |truly )?(?:helped|helps)|"
    r"(?:things|life) (?:got|gets|get|has got|has gotten|have gotten|are|is) "
    r"(?:so much |much |a lot |way )?better|"
    r"it (?:got|gets|has got|has gotten) (?:so much |much |a lot |way )?better|"
    r"glad (?:i am|im) (?:still )?(?:here|alive)|saved my life|turned my life around|"
    r"(?:is|it is|its) (?:manageable|under control) now|now (?:it is|its) manageable|"
    r"(?:managed|learned|learnt) to (?:cope|manage)|got (?:help|through it|through that|better))\b"
)


# --- weighted distress cues (severity 1) ----------------------------------------

#: Distress and hopelessness cues in first person: (weight, mode, pattern).
#: A message whose distinct, un-negated cues add up to at least
#: ``DISTRESS_THRESHOLD`` (and that matched no crisis pattern) gets severity 1,
#: the gentle tier. Weight 3 cues are enough alone; weight 2 are strong but
#: common in everyday venting; weight 1 are ordinary low-mood words that only
#: count when several come together ("I feel so alone, my depression is back,
#: I cry every night"). Each cue counts once per message.
DISTRESS_THRESHOLD: Final = 3

DISTRESS_CUES: Final[tuple[tuple[int, Mode, str], ...]] = (
    # --- 3: enough on its own -------------------------------------------------
    (3, "default", r"\bcry(?:ing)? my ?self to sleep\b"),
    (
        3,
        "inherent",
        r"\bi (?:do not|no longer) (?:matter|deserve (?:to (?:be happy|be loved|live|exist|"
        r"be here|be alive)|love|happiness|anything good|anyone))\b",
    ),
    (
        3,
        "default",
        r"\b(?:i am|i feel|feeling|i have been|i have felt) (?:alone|lonely|isolated) "
        r"(?:all the time|every day|in this world|in the world|no matter what|forever|"
        r"my whole life|in everything|for (?:years|months|so long|a long time|ages))\b",
    ),
    (
        3,
        "inherent",
        r"\bi (?:have|got) (?:no one|nobody|noone|not a single person|not one person)"
        r"(?! (?:else )?(?:to (?:blame|thank)|but my ?self to blame))\b",
    ),
    (3, "default", r"\b(?:i am|i feel|feeling) (?:hollow|dead inside|empty inside|nothing)\b"),
    # "There's no point anymore" said on its own (not "no point arguing").
    (
        3,
        "inherent",
        r"\bthere is no point (?:any ?more|in anything|to anything)(?= *(?:$|[.!?,;]))",
    ),
    # Urges, said the way people in recovery say them (self-harm, drinking, using).
    (
        3,
        "default",
        r"\b(?:the |my )?urges? (?:are|is|have been|has been) (?:really |very )?(?:bad|strong|"
        r"back|overwhelming|unbearable|too much)\b(?! (?:to|for)\b)"
        r"|\burges? to (?:relapse|use|drink|cut|self harm|hurt my ?self) (?:are|is|have been|"
        r"has been) (?:really |very )?(?:strong|bad|overwhelming|unbearable)\b",
    ),
    (3, "inherent", r"\bi have nothing (?:and|or|left and) (?:no one|nobody|noone)\b"),
    (
        3,
        "default",
        r"\bi (?:have not|did not|have never) (?:talked|spoken|talk|speak) to (?:anyone|anybody|"
        r"a soul|another person|a single person) (?:in|for) (?:days|weeks|months|years)\b"
        r"|\b(?:weeks|months|years) since (?:anyone|anybody|someone|a single person) (?:texted|"
        r"called|messaged|talked to|spoke to|hugged|touched|visited|asked about) me\b"
        r"|\b(?:the )?loneliest i have (?:ever )?(?:been|felt)\b"
        r"|\beveryone (?:else )?(?:has|have) (?:someone|somebody|friends|a partner|people) "
        r"(?:except|but|apart from) me\b",
    ),
    (
        3,
        "default",
        r"\b(?:no one|nobody|noone) (?:ever )?wants to (?:hang out|talk|be friends|spend time|"
        r"be around|be with) (?:with )?me\b",
    ),
    (
        3,
        "inherent",
        r"\bi (?:do not|never) have (?:any|a single|one) (?:real |close |true )?friends?\b"
        r"|\bi (?:have )?never had (?:a|any|one) (?:real |single |true |close )?friends?\b",
    ),
    (
        3,
        "default",
        r"\b(?:do not|can not|no longer) see the point (?:of|in) (?:anything|trying|life|living|"
        r"going on|carrying on|getting up|any of it|it all)\b",
    ),
    (
        3,
        "default",
        r"\b(?:i )?(?:do not|never) (?:belong|fit) (?:in|on) (?:this|the) (?:world|earth|planet)\b",
    ),
    (
        3,
        "default",
        r"\bwhy (?:could not|can not|did not|was not|is not|would not|could it not) "
        r"(?:it|that) (?:have been|be) me\b",
    ),
    (
        3,
        "default",
        r"\bi (?:do not|no longer|can not) (?:know|see) (?:how|why) (?:to keep going|"
        r"i keep going|i am still here|i bother|to go on|i should (?:go on|keep going|bother)|"
        r"to keep living|i keep living)\b",
    ),
    (
        3,
        "default",
        r"\b(?:i am|i feel|feeling) (?:so )?(?:tired|sick|exhausted|drained|weary) (?:of|with) "
        r"(?:everything|it all|all of (?:this|it)|fighting|struggling|"
        r"feeling (?:this way|like this|"
        r"nothing|empty|worthless|sad|alone)|being (?:alone|lonely|sad|depressed|miserable|"
        r"unhappy|me|this way|like this|a failure)|hurting|suffering|crying|the pain)\b",
    ),
    (
        3,
        "default",
        r"\b(?:i am|i feel|i have been|i have felt) (?:sad|depressed|miserable|unhappy|lonely|"
        r"empty|numb|hopeless|worthless|suicidal|low|down|alone) (?:for (?:weeks|months|years|"
        r"so long|a long time|ages)|every (?:single )?day|all the time|all day every day|"
        r"day after day|every waking moment)\b",
    ),
    (3, "default", r"\bnothing (?:matters|makes me happy|brings me joy|helps) any ?more\b"),
    (
        3,
        "inherent",
        r"\bi (?:will|am going to) (?:always be|die|end up|be) alone\b"
        r"|\bi will never (?:be happy|find (?:love|anyone|someone|happiness)|get better|"
        r"be (?:good )?enough|be loved|have friends|be normal|be okay|be ok)\b",
    ),
    (
        3,
        "default",
        r"\b(?:i am|i feel) (?:like )?(?:i am )?(?:drowning|suffocating|sinking|dying inside|"
        r"falling apart|breaking apart|shattered|crushed|destroyed)\b",
    ),
    (
        3,
        "default",
        r"\b(?:i am|i have been|i feel like i am) in (?:a )?(?:dark|bad|horrible|terrible|"
        r"awful|really bad|very dark|black) (?:place|hole|pit|spiral)\b",
    ),
    # --- 2: strong, but common in everyday venting ------------------------------
    (
        2,
        "default",
        r"\b(?:i am|i feel|feeling|i have been|i have felt|i get) (?:[a-z]+, (?:and |or )?){0,3}"
        r"(?:like )?(?:such )?(?:depressed|miserable|"
        r"hopeless|helpless|defeated|desperate|broken|lost|worthless|pathetic|useless|trapped|"
        r"devastated|heartbroken|unlovable|unwanted|unloved|disgusting|repulsive|hideous|"
        r"not good enough|never good enough|not enough|a loser|a disappointment|a mistake|"
        r"a failure|a shell|a ghost|invisible to everyone|like a burden|"
        r"like nothing|like garbage|like trash|like shit|like crap|like a ghost|"
        r"like a zombie|like a robot|like an outsider|like an alien)\b"
        # "a failure at houseplants": a skill, unless it is life itself
        r"(?! at (?!life\b|everything\b|being\b|living\b))",
    ),
    (
        2,
        "default",
        r"\b(?:no one|nobody|noone) (?:cares|understands|listens|notices|gets it|checks on me|"
        r"texts me|talks to me|wants me|likes me|loves me|would notice|would care|"
        r"would miss me|ever (?:texts|calls|asks|cares|reaches out))\b",
    ),
    (
        2,
        "inherent",
        r"\bi (?:have|got) no (?:friends|purpose|motivation|future|reason|will|joy|life|"
        r"family|support|one to (?:talk to|turn to)|energy left|hope)\b",
    ),
    (
        2,
        "default",
        r"\bi (?:have )?(?:lost|no longer have) (?:all )?(?:interest|motivation|the will|"
        r"the desire|my will|joy|hope|my purpose|all my friends|the ability to feel|myself)\b",
    ),
    (
        2,
        "inherent",
        r"\bi (?:hate|can not stand|am sick of|despise) (?:this life|everything|living|"
        r"waking up|my body|the way i am|how i am|the person i am|being (?:alone|me|this way|"
        r"like this|lonely|so lonely|depressed))\b",
    ),
    (
        2,
        "default",
        r"\b(?:everything|my life|life|it all|my world) (?:is |feels |has been |seems )?"
        r"(?:falling apart|"
        r"crumbling|collapsing|hell|a living hell|a nightmare|too much|pointless|meaningless|"
        r"empty|unbearable|over|ruined|a waste|going nowhere)\b",
    ),
    (
        2,
        "default",
        r"\b(?:every|each) (?:day|morning|night) (?:is|feels like|feels|has been) (?:a struggle|"
        r"a battle|hell|torture|pointless|empty|a fight|worse|harder|the same|unbearable)\b",
    ),
    (
        3,
        "default",
        r"\b(?:i )?(?:cry|crying|cried|sob|sobbing|weep|weeping) (?:all the time|all day|"
        r"all night|every (?:single )?(?:day|night|morning)|nonstop|non stop|"
        r"(?:every|most) nights?)\b",
    ),
    (
        2,
        "default",
        r"\b(?:i )?(?:cry|crying|cried|sob|sobbing|weep|weeping) (?:for hours|at night|again)\b"
        r"|\bi keep crying\b|\bon the verge of (?:tears|crying)\b",
    ),
    (
        1,
        "default",
        r"\b(?:i am|i have been|i keep|i was|been|i just) (?:crying|sobbing|in tears|cried)\b",
    ),
    (
        3,
        "default",
        r"\b(?:why|maybe) (?:do |should )?i (?:even )?(?:bother|keep trying|try)(?: any ?more)?"
        r"(?=\s*(?:$|[.!?,;]))",
    ),
    (
        3,
        "default",
        r"\bexisting,? (?:not|rather than|instead of|but not) living\b"
        r"|\b(?:a ghost|a stranger|a prisoner|trapped|a passenger) in my own (?:life|body|head|"
        r"mind|skin)\b",
    ),
    (
        2,
        "inherent",
        r"\bi (?:never|can not|do not) do anything right\b"
        r"|\bi (?:ruin|mess up|screw up|fuck up|destroy|sabotage) (?:everything|every|"
        r"everything i touch|my life|all my)\b"
        r"|\bi (?:have )?(?:screwed|fucked|messed|ruined) (?:up )?my (?:entire |whole )?life\b",
    ),
    (
        2,
        "inherent",
        r"\bi (?:give up|have given up|am giving up|want to give up|am ready to give up|"
        r"feel like giving up)\b(?! (?:on (?:him|her|them|that|the|this|my (?:diet|phone|car))|"
        r"smoking|drinking|coffee|sugar|meat|caffeine|my seat|trying to (?:find|get|fix)))",
    ),
    (
        2,
        "default",
        r"\b(?:why|what is the point of|why should i) (?:even )?(?:bother|try|trying|"
        r"keep trying)\b(?! (?:to|with|the|a|out|on|it|this))",
    ),
    (
        2,
        "default",
        r"\b(?:tired|sick|exhausted) of (?:being )?(?:alone|lonely|sad|depressed|hurting|"
        r"suffering|crying|struggling|trying)\b",
    ),
    (
        2,
        "default",
        r"\bnothing (?:matters|makes me happy|brings me joy|helps|works|changes|"
        r"to look forward to)\b|\bi have nothing (?:left|to look forward to)\b",
    ),
    (
        2,
        "default",
        r"\bi (?:can not|do not) (?:feel|enjoy) (?:anything|joy|happy|happiness|alive|"
        r"normal|okay)(?: any ?more)?\b",
    ),
    (
        2,
        "default",
        r"\b(?:my )?(?:depression|despair|loneliness|sadness|misery|anxiety|emptiness) "
        r"(?:is|has been|keeps) (?:killing|eating|consuming|crushing|destroying|overwhelming|"
        r"winning|getting worse|back|taking over|swallowing|drowning)\b",
    ),
    (
        2,
        "default",
        r"\bi (?:hate|loathe|despise) (?:my ?self|who i (?:am|have become))\b",
    ),
    (
        2,
        "default",
        r"\bstruggling to (?:cope|keep going|get out of bed|stay alive|survive|"
        r"function|breathe|find a reason|see the point|get through the day)\b",
    ),
    (
        3,
        "inherent",
        r"\bi (?:hate|loathe|despise|can not stand) who i (?:am|have become|turned into)\b",
    ),
    (
        2,
        "default",
        r"\b(?:i )?(?:do not|can not) (?:want to|bring my ?self to) (?:get out of bed|"
        r"wake up|face (?:anyone|people|the day|tomorrow|another day|the world))\b",
    ),
    # --- 1: ordinary low-mood words, counted only together ---------------------
    (
        1,
        "default",
        r"\b(?:i am|i feel|feeling|i have been|i have felt|i get|i got) "
        r"(?:[a-z]+, (?:and |or )?){0,3}"
        r"(?:sad|down|low|awful|"
        r"terrible|horrible|anxious|scared|afraid|overwhelmed|exhausted|drained|tired|"
        r"unmotivated|unhappy|upset|hurt|lonely|isolated|alone|invisible|ugly|stupid|"
        r"insecure|ashamed|guilty|rejected|abandoned|left out|forgotten|stuck|numb|empty|"
        r"sick of it|flat|weak|dumb|a burden|fucked up|messed up|"
        r"worn out|burnt out|burned out|overworked|heavy|unstable)\b",
    ),
    (
        1,
        "inherent",
        r"\bmy (?:depression|loneliness|anxiety|sadness|insomnia|self hatred|self loathing|"
        r"low self esteem|panic attacks|mental health|dark thoughts)\b",
    ),
    (
        1,
        "default",
        r"\b(?:dark|intrusive|negative|horrible|awful|scary|terrible|depressing|"
        r"self destructive) thoughts\b",
    ),
    (
        1,
        "default",
        r"\b(?:life|everything|my life|it all|the world) (?:sucks|is hard|is shit|is crap|"
        r"is a mess|is so hard|is too hard|is exhausting|is overwhelming|is grey|is gray|"
        r"is dark)\b",
    ),
    (1, "default", r"\bwhat(?: the (?:fuck|hell|heck))? is wrong with me\b"),
    (2, "default", r"\b(?:it is|everything is|this is|life is) all too much\b"),
    (2, "default", r"\bi (?:do not|never) (?:belong|fit in) anywhere\b"),
    (2, "default", r"\b(?:fuck|screw|i hate) (?:this|my) (?:life|existence)\b"),
    (
        2,
        "default",
        r"\b(?:spend|spent|spending) (?:every|each|all my) (?:weekend|weekends|night|nights|"
        r"evening|evenings|holiday|holidays|day|days) alone\b"
        r"|\b(?:i am|always|only ever) the one (?:left out|left behind|forgotten|nobody picks)\b",
    ),
    (1, "default", r"\b(?:it is|this is|that is|loneliness is) killing me\b|\bisolating\b"),
    (
        2,
        "default",
        r"\b(?:i am|i feel|i am feeling|i have been|i have been feeling) (?:alone|lonely|"
        r"isolated|empty|numb|depressed|miserable|hopeless|worthless)(?=\s*(?:$|[.!?;]))",
    ),
    (
        2,
        "default",
        r"\b(?:i am|i feel|feeling) (?:sick|tired|exhausted|drained) and (?:tired|exhausted|"
        r"sick|drained|worn out)\b",
    ),
    (
        2,
        "default",
        r"\b(?:no|lost (?:all )?|have no|zero) interest in (?:anything|\w+ing|life|things)\b"
        r"|\b(?:do not|can not|no longer) (?:enjoy|see (?:any )?(?:pleasure|joy) in|"
        r"find (?:any )?(?:pleasure|joy) in|get (?:any )?(?:pleasure|joy) from) (?:anything|"
        r"things|life|what i used to|the things i used to)\b"
        r"|\bthings i used to (?:enjoy|love|like)\b",
    ),
    (
        2,
        "default",
        r"\bmy (?:soul|heart|spirit|mind) (?:is|feels) (?:broken|shattered|crushed|empty|dead|"
        r"tired|heavy|in pieces)\b",
    ),
    (
        2,
        "default",
        r"\b(?:i )?(?:can not|could not) (?:handle|take|bear|stand) (?:this|the) "
        r"(?:pain|hurt|sadness|loneliness|feeling)\b",
    ),
    (2, "inherent", r"\bi (?:do not|can not) (?:like|love|stand|accept) my ?self\b"),
    (
        1,
        "default",
        r"\b(?:the|this) (?:loneliness|emptiness|sadness|despair|numbness|pain inside)\b"
        r"|\bpain in(?:side)? my (?:chest|heart)\b"
        r"|\b(?:stay|stayed|staying|lie|lay|lying|rot|rotting) "
        r"in (?:my )?bed (?:all day|for days|the whole day)\b"
        r"|\b(?:spent|spend|spending) (?:the|all|all the|another) (?:whole |entire )?day "
        r"in (?:my )?bed\b"
        r"|\b(?:the )?(?:energy|motivation|will|desire) to do anything\b",
    ),
    (
        1,
        "default",
        r"\b(?:i )?(?:can not|do not) (?:get out of bed|sleep|eat|function|focus|concentrate|"
        r"cope|breathe)\b|\bi have no (?:energy|motivation|appetite|friends)\b",
    ),
    (
        1,
        "default",
        r"\b(?:i )?(?:miss|missed) (?:being happy|feeling (?:happy|normal|okay|alive|anything)|"
        r"the old me|who i (?:was|used to be))\b",
    ),
    (
        1,
        "default",
        r"\b(?:i am|i feel) (?:struggling|not (?:okay|ok|fine|alright|doing well|coping))\b",
    ),
    (1, "default", r"\b(?:please help me|i need help|somebody help|someone help)\b"),
    (
        1,
        "default",
        r"\b(?:i do not know|i have no idea) (?:what to do|what i am doing|how to (?:cope|"
        r"go on|keep going|get better|fix (?:this|it|my ?self)|deal with (?:this|it)))"
        r"(?: any ?more| with my ?self| with my life)?\b",
    ),
    (1, "default", r"\b(?:losing my mind|going crazy|going insane|falling apart)\b"),
    (
        1,
        "inherent",
        r"\b(?:i am|i have been|i feel) (?:a )?(?:mess|wreck|loser|failure|fraud|joke|freak|"
        r"waste)\b(?! at (?!life\b|everything\b|being\b|living\b))",
    ),
    (1, "default", r"\b(?:no|without) (?:friends|one to talk to|purpose|meaning|direction)\b"),
    (
        2,
        "default",
        r"\bi (?:do not|never) have (?:any )?(?:friends|anyone|anybody|a single friend|"
        r"people who care|a social life)\b|\bi wish i had (?:friends|a friend|someone|anyone)\b",
    ),
    (
        1,
        "default",
        r"\b(?:i am|i feel) (?:a )?(?:lonely|sad|depressed|miserable|broken) "
        r"(?:person|loner|mess|guy|girl|man|woman|soul|kid)\b|\bi miss (?:her|him|them|you)\b",
    ),
)

_INTENSIFIER: Final = (
    r"(?:so|very|really|extremely|incredibly|painfully|unbearably|utterly|completely|totally|"
    r"deeply|truly|horribly|terribly|awfully|desperately|fucking|so fucking|so very|too)"
)

#: Cues that count only with an intensifier, read on the text *with* filler
#: words: "I'm so alone" is distress, "I'm alone at home tonight" is not.
DISTRESS_INTENSE: Final[tuple[tuple[int, Mode, str], ...]] = (
    (
        2,
        "default",
        r"\b(?:i am|i feel|feeling|i have been|i have felt|i am just|i just feel) "
        + _INTENSIFIER
        + r" (?:(?:sad and )?alone|lonely|isolated|empty|numb|depressed|miserable|worthless|"
        r"hopeless|broken|lost|unhappy|useless|pathetic|unwanted|unloved)\b"
        r"(?! (?:without (?:my|the|her|his|our)|this (?:week|weekend)|since (?:she|he|they|my)))"
        r"|\b(?:i am|i feel) "
        + _INTENSIFIER
        + r" (?:done|tired of (?:everything|it all|life|living|trying))\b",
    ),
    (
        1,
        "default",
        r"\b(?:i am|i feel|feeling|i have been|i have felt|i am just|i just feel) "
        + _INTENSIFIER
        + r" (?:sad|down|low|tired|exhausted|drained|anxious|scared|overwhelmed|hurt|upset|"
        r"stressed|stupid|ugly|insecure|ashamed|weak|defeated|confused)\b",
    ),
)

# --- distress vocabulary (severity 1, dense expression) ----------------------------

#: Words and short phrases of suffering, written from clinical and everyday
#: language (despair, self-worth, isolation, sadness, panic, trauma, exhaustion,
#: craving and relapse, breakdown). Matched as whole tokens on the normalised
#: crisis text ("can't" is "can not", fillers such as "so" and "really" are
#: gone). Each distinct entry the author says of themselves now adds its weight
#: once; a message needs ``DISTRESS_DENSE_THRESHOLD`` in all, so one ordinary
#: word ("tired", "stressed", "a panic attack on the bus") never reaches it but
#: several together ("I'm hopeless and alone, I cry every night") do.
#: Weight 3: despair or self-hatred that says a lot alone; 2: strong but common
#: in ordinary venting; 1: everyday low mood, counted only in company.
DISTRESS_VOCABULARY: Final[dict[str, int]] = {
    # despair, hopelessness
    "hopeless": 3, "hopelessness": 3, "despair": 3, "despairing": 3, "in despair": 3,
    "no hope": 3, "lost all hope": 3, "lost hope": 3, "no future": 3, "rock bottom": 3,
    "nothing to live for": 3, "no reason to live": 3, "no point in living": 3,
    "no way out": 3, "can not go on": 3, "can not keep going": 3, "can not take it": 3,
    "can not cope": 3, "can not handle life": 3, "can not handle it": 2, "unbearable": 3,
    "pointless": 2, "meaningless": 2, "no point": 2, "what is the point": 2, "give up": 2,
    "gave up": 2, "giving up": 2, "want to disappear": 3, "wish i could disappear": 3,
    "trapped": 2, "stuck": 1, "helpless": 2, "desperate": 2, "defeated": 2,
    "no light at the end": 3, "getting worse": 1, "worse every day": 2,
    "worse than the last": 2, "spiral": 2, "spiralling": 2, "spiraling": 2,
    "downward spiral": 3, "dark place": 3, "dark hole": 3, "darkness": 2,
    "sooner than later": 1, "over with": 1, "tired of living": 3, "tired of life": 3,
    "too tired to live": 3, "sick of living": 3, "sick of life": 3, "hate my life": 3,
    "hate life": 3, "life sucks": 2, "my life sucks": 2, "ruined my life": 2,
    # self-worth, self-hatred
    "worthless": 3, "worthlessness": 3, "self loathing": 3, "self hatred": 3,
    "self hate": 3, "hate myself": 3, "loathe myself": 3, "despise myself": 3,
    "disgusted with myself": 3, "disgust myself": 3, "ashamed of myself": 2,
    "useless": 2, "pathetic": 2, "a failure": 2, "failure": 1, "a burden": 2,
    "burden to": 2, "a bad person": 2, "a terrible person": 2, "a horrible person": 2,
    "a disappointment": 2, "a waste of space": 3, "waste of space": 3, "unlovable": 3,
    "not good enough": 2, "never good enough": 2, "loser": 1, "shame": 1, "ashamed": 1,
    "guilt": 1, "guilty": 1, "hate who i am": 3, "hate the person i am": 3,
    "worst person": 2, "deserve nothing": 3, "do not deserve": 2,
    # isolation, loneliness
    "lonely": 2, "loneliness": 2, "isolated": 2, "isolation": 2, "all alone": 3,
    "completely alone": 3, "entirely alone": 3, "alone": 1, "no friends": 3,
    "zero friends": 3, "no real friends": 3, "not a single friend": 3,
    "no one to talk to": 3, "nobody to talk to": 3, "no one cares": 3, "nobody cares": 3,
    "no one understands": 2, "nobody understands": 2, "no one notices": 2,
    "nobody notices": 2, "unwanted": 2, "unloved": 3, "abandoned": 2, "rejected": 1,
    "left out": 1, "invisible": 1, "outcast": 2, "loner": 1, "a loner": 2,
    "do not belong": 2, "do not fit in": 2, "never fit in": 2, "by myself all": 2,
    "no one to turn to": 3, "nobody to turn to": 3, "no social life": 2,
    # sadness, emptiness, numbness
    "depressed": 2, "depression": 1, "depressive": 2, "severely depressed": 3,
    "deeply depressed": 3, "depressive episode": 3, "miserable": 2, "misery": 2,
    "empty": 1, "emptiness": 2, "empty inside": 3, "dead inside": 3, "hollow": 2,
    "numb": 2, "numbness": 2, "feel nothing": 3, "feel anything": 1, "anhedonia": 3,
    "heartbroken": 2, "broken": 1, "sad": 1, "sadness": 2, "unhappy": 1,
    "crying": 1, "cry": 1, "cried": 1, "sobbing": 2, "in tears": 2, "tears": 1,
    "cry myself to sleep": 3, "cried myself to sleep": 3, "crying myself to sleep": 3,
    "grief": 1, "grieving": 1, "hurting": 2, "suffering": 2, "in pain": 1, "agony": 2,
    "torment": 2, "tormented": 2, "so much pain": 2, "emotional pain": 3,
    "no joy": 3, "no motivation": 2, "no energy": 1, "unmotivated": 1,
    "lost interest": 2, "no interest": 2, "lost myself": 1, "losing myself": 2,
    "grey": 1, "gray": 1, "heavy": 1, "weight on my chest": 2,
    # panic, anxiety, fear
    "panic attack": 2, "panic attacks": 2, "anxiety attack": 2, "anxiety attacks": 2,
    "panicking": 2, "panic": 1, "anxious": 1, "anxiety": 1, "terrified": 2, "dread": 2,
    "freaking out": 1, "scared": 1, "afraid": 1, "frightened": 1, "on edge": 1,
    "can not breathe": 2, "heart racing": 2, "paralyzed": 2, "paralysed": 2,
    "overwhelmed": 1, "overwhelming": 1, "catastrophizing": 2, "catastrophising": 2,
    "constant fear": 2, "paranoid": 2, "paranoia": 2, "irrational": 1,
    # trauma
    "flashbacks": 3, "flashback": 3, "nightmares": 2, "night terrors": 2,
    "triggered": 2, "trauma": 2, "traumatic": 2, "traumatized": 2, "traumatised": 2,
    "ptsd": 1, "cptsd": 1, "hypervigilant": 2, "hypervigilance": 2, "dissociate": 2,
    "dissociating": 2, "dissociation": 2, "abused": 2, "survivor guilt": 3,
    "haunted": 2, "haunts me": 2,
    # exhaustion, not functioning
    "exhausted": 1, "drained": 1, "burnt out": 1, "burned out": 1, "worn out": 1,
    "tired": 1, "insomnia": 1, "can not sleep": 1, "can not eat": 1,
    "can not function": 2, "barely function": 2, "can not focus": 1,
    "get out of bed": 1, "out of bed": 1, "in bed all day": 2, "whole day in": 1,
    "weak": 1, "shutting down": 2, "shut down": 1, "can not handle": 1,
    # breakdown, struggle
    "breakdown": 2, "mental breakdown": 3, "nervous breakdown": 3, "breaking down": 2,
    "falling apart": 2, "fall apart": 2, "losing my mind": 2, "lose my mind": 2,
    "going crazy": 1, "going insane": 1, "struggling": 1, "struggle": 1,
    "hard to cope": 2, "not coping": 2, "crisis": 1, "mental health": 1,
    "intrusive thoughts": 2, "dark thoughts": 3, "negative thoughts": 2,
    "racing thoughts": 2, "hearing voices": 2, "voices": 1, "hallucinations": 2,
    "mood swings": 1, "manic": 1, "mania": 1, "episode": 1, "meltdown": 1,
    "screaming": 1, "scream": 1,
    # craving, relapse, drinking
    "relapse": 1, "relapsed": 3, "relapsing": 3, "cravings": 2, "craving": 2,
    "withdrawal": 2, "withdrawals": 2, "addicted": 2, "addiction": 1, "addict": 1,
    "alcoholic": 2, "drinking again": 3, "using again": 3, "drunk again": 3,
    "hangover": 1, "blackout": 1, "blacked out": 2, "sober": 1, "sobriety": 1,
    "binge": 1, "binging": 1, "bingeing": 1,
    # care
    "therapist": 1, "therapy": 1, "psychiatrist": 1, "antidepressants": 1,
    "meds": 1, "medication": 1, "diagnosed": 1, "inpatient": 1, "hospitalized": 1,
    "hospitalised": 1, "crisis team": 2,
    # more everyday ways of saying it
    "do not know where to turn": 3, "nowhere to turn": 3, "need help right now": 2,
    "out of control": 2, "not in control": 2, "can not stop myself": 2,
    "ruining my life": 2, "ruin my life": 1, "wrecked my life": 2, "numb the pain": 3,
    "drink to cope": 3, "drinking to cope": 3, "drink to forget": 3, "urge to drink": 2,
    "urge to use": 2, "want to use": 2, "about to relapse": 3, "close to relapsing": 3,
    "wake up depressed": 2, "rather die": 2, "rather be dead": 3, "stressed": 1,
    "mortified": 1, "embarrassed": 1, "humiliated": 2, "no one to help": 2,
    "can not do anything right": 2, "nothing i do is right": 2, "everything i do is wrong": 2,
    "hate everything": 2, "hate everyone": 1, "no purpose": 2, "lost my purpose": 2,
    "feel like a failure": 3, "feel like a burden": 3, "feel like an alien": 2,
    "feel like an outsider": 2, "feel like nothing": 3, "feel like shit": 2,
    "feel like crap": 2, "feel awful": 2, "feel terrible": 2, "feel horrible": 2,
    "feel broken": 3, "feel lost": 2, "feel empty": 3, "feel numb": 3, "feel hopeless": 3,
    "feel worthless": 3, "feel alone": 3, "feel lonely": 2, "feel trapped": 3,
    "feel stuck": 2, "feel sick": 1, "feel weak": 2, "feel ugly": 2, "feel stupid": 1,
    "feel dead": 3, "feel invisible": 3, "feel unwanted": 3, "feel unloved": 3,
    "want to cry": 2, "wanted to cry": 1, "cry my eyes out": 2, "breaking point": 3,
    "at my limit": 2, "end of my rope": 3, "end of my tether": 3, "last straw": 2,
    "barely hanging on": 3, "barely holding on": 3, "barely surviving": 3,
    "just surviving": 2, "going through the motions": 2, "on autopilot": 1,
    "no one would notice": 3, "nobody would notice": 3, "no one would care": 3,
    "nobody would care": 3, "nobody likes me": 3, "no one likes me": 3,
    "a wreck": 2, "a nervous wreck": 2, "a mess": 1, "a complete mess": 2,
    "self medicating": 2, "self medicate": 2, "everyone hates me": 3, "everybody hates me": 3,
    "all my fault": 2, "my fault": 1,
}  # fmt: skip

#: Condition and care words: talking about one's own depression, therapist or
#: meds is a topic, not distress, so together they count at most once.
DISTRESS_TOPICS: Final = frozenset(
    {"depression", "anxiety", "ptsd", "cptsd", "addiction", "therapist", "therapy",
     "psychiatrist", "antidepressants", "meds", "medication", "diagnosed", "inpatient",
     "hospitalized", "hospitalised", "mental health", "sober", "sobriety", "episode",
     "manic", "mania", "crisis", "addict"}
)  # fmt: skip

#: Sum of distinct vocabulary weights that gives severity 1 (see above) ...
DISTRESS_DENSE_THRESHOLD: Final = 6
#: ... plus one for every this many words: a long post meets more by chance.
DISTRESS_DENSE_WORDS_PER_STEP: Final = 200
