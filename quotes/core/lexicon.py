"""Rule data only: the words and marks the rules look for. No logic lives here.

Keeping the lexicon apart from the code lets a linguist extend it without reading the rules,
and lets tests enumerate it. Each section names the modules that use it; a test fails when an
entry is used by none of them.
"""

from __future__ import annotations

# --- the tokenizer ---
# used by: quotes.pipeline

#: Extra infixes: punctuation and a quotation mark glued inside a token ("said,“Look").
GLUED_QUOTE_INFIXES: tuple[str, ...] = (
    r"[,;:](?=[“‘\"«„])",
    r"(?<=[,;:])[“‘\"«„]",
    r"(?<=[.,!?])[”’»](?=\w)",
)


# --- invisible characters ---
# used by: quotes.pipeline, quotes.core.grammar, quotes.core.marks

#: Invisible format characters (byte-order mark, zero-width space and joiners, word joiner,
#: soft hyphen, direction marks and isolates). Beside a mark or a word they count as
#: whitespace: the tokenizer splits them off and the rules look through them.
INVISIBLE_CHARS: frozenset[str] = frozenset(
    "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)


# --- quotation marks ---
# used by: quotes.core.marks, quotes.evaluate

#: Double-weight marks: straight, curly, low-high, guillemets, and the typewriter pair '' that
#: some archives (NYT) use for “ and ”. Marks are strings; only '' is longer than one char.
DOUBLE_QUOTE_MARKS: frozenset[str] = frozenset({'"', "“", "”", "„", "«", "»", "''"})

#: Single-weight marks. Several of them double as apostrophes.
SINGLE_QUOTE_MARKS: frozenset[str] = frozenset("'‘’‚‹›")

#: Every mark the scanner looks at.
QUOTE_MARKS: frozenset[str] = DOUBLE_QUOTE_MARKS | SINGLE_QUOTE_MARKS

#: Marks that may open a quote. “ also closes German „…“; ” opens in sloppy or Swedish text;
#: » opens German »…«. ’ never opens: at a word start it is an elision (’til, ’90s).
OPENING_MARKS: frozenset[str] = frozenset({'"', "“", "”", "„", "«", "»", "''"}) | frozenset("'‘‚‹›")

#: Marks that may close a quote. The low marks „ ‚ only ever open.
CLOSING_MARKS: frozenset[str] = frozenset({'"', "“", "”", "«", "»", "''"}) | frozenset("'‘’‹›")

#: Marks that may be an apostrophe (can't, players’, ’til) rather than a quotation mark.
APOSTROPHE_MARKS: frozenset[str] = frozenset("'‘’")

#: Guillemets may be set off by a space inside the quote (French « Oui »).
SPACED_MARKS: frozenset[str] = frozenset("«»‹›")

#: Openers whose glyph alone says "open": they open even when a stray space follows (“ Yes).
LOOSE_OPENERS: frozenset[str] = frozenset("“„")

#: Marks that stand for inches right after feet (6'2", 5’10”), not for a quotation.
INCH_MARKS: frozenset[str] = frozenset({'"', "”", "''"})

#: The double marks that mix freely: "…”, “…", ''…” are all one quote.
DOUBLE_FAMILY: frozenset[str] = frozenset({'"', "“", "”", "''"})

#: The single marks that mix freely: '…’, ‘…'.
SINGLE_FAMILY: frozenset[str] = frozenset("'‘’")

#: Opening mark -> closing marks that end it. Within one weight any style closes any other;
#: guillemets only pair with guillemets (either direction: «…» and German »…«).
QUOTE_PAIRS: dict[str, frozenset[str]] = {
    '"': DOUBLE_FAMILY,
    "“": DOUBLE_FAMILY,
    "”": DOUBLE_FAMILY,
    "„": DOUBLE_FAMILY,
    "''": DOUBLE_FAMILY,
    "«": frozenset("»"),
    "»": frozenset("«"),
    "'": SINGLE_FAMILY,
    "‘": SINGLE_FAMILY,
    "‚": SINGLE_FAMILY,
    "‹": frozenset("›"),
    "›": frozenset("‹"),
}

#: Characters before a mark that let it open a quote: brackets, dashes, slash, other marks.
OPEN_CONTEXT_CHARS: frozenset[str] = frozenset("([{<-‐‑‒–—―/\"'“”‘’„‚«»‹›")

#: Characters after a mark that let it close a quote: sentence punctuation, brackets, dashes.
CLOSE_CONTEXT_CHARS: frozenset[str] = frozenset(".,;:!?…)]}>-‐‑‒–—―/*\"'“”‘’„‚«»‹›")

#: Words that follow an apostrophe standing for dropped letters ('em, ’til, 'cause), lowercase.
ELISIONS: frozenset[str] = frozenset(
    {
        "em",
        "n",
        "til",
        "cause",
        "cos",
        "cuz",
        "bout",
        "round",
        "tis",
        "twas",
        "nuff",
        "neath",
        "tween",
        "gainst",
        "fraid",
        "kay",
        "scuse",
    }
)

#: Elisions written with an apostrophe on both sides (rock 'n' roll).
WRAPPED_ELISIONS: frozenset[str] = frozenset({"n"})

#: Digits after an apostrophe that abbreviate a year or decade ('90s, class of '16).
ELIDED_YEAR_DIGITS: int = 2

#: Lowercase words that follow a closing quote but not a plural possessive (‘bad hombres’ and
#: …): what follows a possessive is the possessed noun phrase, never a conjunction, preposition,
#: pronoun, auxiliary or article.
NOT_POSSESSED_WORDS: frozenset[str] = frozenset(
    {
        "and",
        "or",
        "but",
        "nor",
        "so",
        "as",
        "than",
        "that",
        "which",
        "who",
        "when",
        "while",
        "because",
        "if",
        "to",
        "of",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "about",
        "is",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "will",
        "would",
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "you",
        "said",
        "says",
        "the",
        "a",
        "an",
    }
)

#: An unclosed double quote still counts (to its paragraph end) when it has this many words.
MIN_UNCLOSED_WORDS: int = 3


# --- speakers: names, titles, pronouns, types ---
# used by: quotes.core.entities, quotes.core.cards, quotes.core.grammar

#: Titles and roles kept apart from the canonical name; longest first when matching.
TITLES: frozenset[str] = frozenset(
    """
    President|Vice President|Prime Minister|Deputy Prime Minister|Chancellor|King|Queen|Prince
    Princess|Pope|Secretary|Secretary of State|Foreign Minister|Defense Minister|Minister
    Senator|Sen.|Sen|Representative|Rep.|Rep|Congressman|Congresswoman|Governor|Gov.|Gov
    Lt. Gov.|Lieutenant Governor|Mayor|Judge|Justice|Chief Justice|General|Gen.|Gen|Admiral
    Adm.|Colonel|Col.|Major|Maj.|Captain|Capt.|Lieutenant|Lt.|Sergeant|Sgt.|Commissioner
    Chairman|Chairwoman|Chair|Speaker|Leader|Majority Leader|Minority Leader|Ambassador
    Director|Spokesman|Spokeswoman|Spokesperson|Attorney General|Sheriff|Chief|Officer
    Mr.|Mr|Mrs.|Mrs|Ms.|Ms|Miss|Dr.|Dr|Prof.|Professor|Rev.|Reverend|Sir|Dame|Lord|Lady
    CEO|Chief Executive|Founder|Council Secretary|Security Council Secretary|Premier|Sheikh
    Councillor|Councilor|Councilman|Councilwoman|Alderman|Superintendent|Trustee|Prosecutor
    Coroner|Inspector|Detective|Constable|Commander|Lord Justice|Lady Justice|Mr Justice
    Mrs Justice|Fire Chief|Police Chief|District Attorney|Assistant District Attorney
    Health Minister|Environment Minister|Finance Minister|Interior Minister|Archbishop|Bishop
    Cardinal|Rabbi|Imam|Sister|Father|Pastor|Coach|Manager|President-elect|Delegate|Del.
    """.replace("\n", "|").split("|")
) - {""}

#: Gender that a title implies, for pronoun agreement.
TITLE_GENDER: dict[str, str] = {
    "Mr.": "m",
    "Mr": "m",
    "Mrs.": "f",
    "Mrs": "f",
    "Ms.": "f",
    "Ms": "f",
    "Miss": "f",
    "King": "m",
    "Queen": "f",
    "Prince": "m",
    "Princess": "f",
    "Congressman": "m",
    "Congresswoman": "f",
    "Spokesman": "m",
    "Spokeswoman": "f",
    "Chairman": "m",
    "Chairwoman": "f",
    "Sir": "m",
    "Dame": "f",
    "Lord": "m",
    "Lady": "f",
    "Councilman": "m",
    "Councilwoman": "f",
    "Alderman": "m",
    "Lord Justice": "m",
    "Lady Justice": "f",
    "Mr Justice": "m",
    "Mrs Justice": "f",
    "Sister": "f",
    "Father": "m",
}

#: Lower-case words allowed inside a person's name ("Charles de Gaulle", "Osama bin Laden").
NAME_PARTICLES: frozenset[str] = frozenset(
    "de da del della der den di du van von bin bint al el la le ibn dos das y ap ní nic mac "
    "ó ua ter ten zu vom af av".split()
)

#: Pronoun features: (gender, number, kind). kind "person" or "org" (it) or "any" (they).
PRONOUNS: dict[str, tuple[str, str, str]] = {
    "he": ("m", "sg", "person"),
    "him": ("m", "sg", "person"),
    "his": ("m", "sg", "person"),
    "she": ("f", "sg", "person"),
    "her": ("f", "sg", "person"),
    "hers": ("f", "sg", "person"),
    "it": ("n", "sg", "org"),
    "its": ("n", "sg", "org"),
    "they": ("x", "pl", "any"),
    "them": ("x", "pl", "any"),
    "their": ("x", "pl", "any"),
    "i": ("x", "sg", "self"),
    "we": ("x", "pl", "self"),
}

#: Relative pronouns that can ground a speaker ("Ann Patel, who said …").
RELATIVE_PRONOUNS: frozenset[str] = frozenset({"who", "which", "that"})

#: Head nouns of common-noun speakers that are organisations ("the ministry said").
ORGANIZATION_NOUNS: frozenset[str] = frozenset(
    """
    council ministry department agency company firm government administration committee
    commission campaign office court party parliament congress senate house board bank
    fund group organization organisation union association federation league team army
    military police embassy service authority regulator institute university newspaper
    network channel corporation bureau spokesperson spokesman spokeswoman kremlin
    white-house statement report hospital school college charity trust club clinic museum
    district exchange
    """.split()
)

#: Common nouns for groups of people ("officials said", "critics argue").
COLLECTIVE_NOUNS: frozenset[str] = frozenset(
    """
    officials critics analysts experts observers residents voters supporters opponents
    lawmakers legislators senators democrats republicans aides advisers advisors sources
    people witnesses protesters leaders members investigators prosecutors authorities
    diplomats economists scientists researchers activists reporters journalists crowd
    audience students workers employees parents readers viewers listeners
    """.split()
)

#: Entity labels of the NER that name a speaker, and the speaker type each gives.
ENTITY_SPEAKER_TYPES: dict[str, str] = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "organization",
    "NORP": "collective",
}

#: Title and role words in lower case, for recognising person nouns ("the senator said"):
#: the one-word titles above, and roles that are no title.
TITLE_WORDS: frozenset[str] = frozenset(
    t.lower().rstrip(".") for t in TITLES if " " not in t
) | frozenset(
    """
    official aide adviser advisor lawyer attorney economist analyst expert researcher scientist
    doctor author writer reporter editor candidate lawmaker legislator senator president
    chairman executive director manager owner worker teacher student voter resident witness
    source
    """.split()
)


# --- reporting verbs, cues, subjects and addressees ---
# used by: quotes.core.grammar, quotes.core.indirect

#: Lemmas of verbs that report speech or writing. Far beyond textacy's 55: news uses many.
SPEECH_VERBS: frozenset[str] = frozenset(
    """
    say tell add interject insist warn ask note shout write tweet post declare claim argue
    explain reply respond quip answer announce state remark comment observe mention recall
    report acknowledge admit concede confirm deny contend maintain assert affirm allege
    suggest propose recommend urge plead beg demand order command instruct advise caution
    complain lament grumble protest object counter retort rebut snap bark yell scream cry
    exclaim whisper mutter murmur sigh laugh joke tease chuckle gush rave boast brag
    predict promise pledge vow swear guarantee assure reassure threaten
    continue repeat reiterate stress emphasize emphasise underscore highlight point
    describe characterize characterise call label brand dub term
    testify tell inform notify disclose reveal divulge explain clarify elaborate
    conclude summarize summarise sum agree disagree dispute question wonder
    charge accuse blame criticize criticise condemn denounce slam blast berate attack
    praise hail commend applaud thank congratulate welcome
    text email message telephone phone blog preach lecture proclaim pronounce
    recount relate narrate describe decree rule decide
    interrupt chime counsel muse opine posit reason theorize theorise speculate
    estimate calculate figure guess acknowledge concur echo
    caution chide scold admonish rebuke reprimand lash fire hit jab knock mock ridicule
    sneer scoff huff fume rage rant thunder roar growl hiss
    signal indicate hint imply insinuate
    specify stipulate vouch attest certify read press
    """.split()
)

#: Verbs that report speech only with a given object or particle: "as she put it", "Trump shot
#: back", "she went on", "he chimed in", "the senator weighed in".
SPEECH_VERB_PHRASES: dict[str, frozenset[str]] = {
    "put": frozenset({"it"}),
    "shoot": frozenset({"back"}),
    "fire": frozenset({"back"}),
    "hit": frozenset({"back"}),
    "push": frozenset({"back"}),
    "go": frozenset({"on"}),
    "chime": frozenset({"in"}),
    "weigh": frozenset({"in"}),
    "cry": frozenset({"out"}),
    "speak": frozenset({"out", "up"}),
    "lash": frozenset({"out"}),
    "spell": frozenset({"out"}),
    "sound": frozenset({"off"}),
    "write": frozenset({"back"}),
}

#: Occasions on which a speaker speaks: a participle hung on one ("said at a news conference
#: announcing …") is the speaker's, not the occasion's.
OCCASION_NOUNS: frozenset[str] = frozenset(
    """
    conference interview meeting event rally speech hearing briefing session appearance
    address summit debate ceremony forum gathering luncheon dinner breakfast visit tour
    """.split()
)

#: Documents that speak for whoever puts them out: a participle hung on one issued by someone
#: ("issued a statement saying …", "is running ads accusing …") reports for the issuer.
ISSUED_NOUNS: frozenset[str] = frozenset(
    """
    statement release announcement letter memo report ad advertisement commercial spot video
    tweet post email message petition editorial column essay note filing brief lawsuit
    complaint motion resolution
    """.split()
)

#: Verbs that put out a document in the issuer's name (lemmas).
ISSUING_VERBS: frozenset[str] = frozenset(
    """
    issue release publish put post send run air file write sign circulate unveil distribute
    launch produce share deliver
    """.split()
)

#: Dashes that close a dateline opening a story ("OSLO, Norway -", "Lisbon (AFP) –").
DATELINE_DASHES: frozenset[str] = frozenset({"-", "–", "—", "--"})

#: Speech verbs whose passive "by" names who relayed the words, not who said them.
RELAYING_VERBS: frozenset[str] = frozenset("quote cite paraphrase".split())

#: Nouns that can head a reporting phrase as a cue ("in a statement", "according to").
ACCORDING_TO: tuple[str, str] = ("according", "to")

#: Verbs whose object is the addressee ("told Zelenskyy", "asked reporters").
ADDRESSEE_OBJECT_VERBS: frozenset[str] = frozenset(
    """
    tell ask inform assure reassure warn urge remind advise instruct order command beg
    notify caution brief question answer thank congratulate text email message phone
    telephone berate scold chide admonish rebuke reprimand blast accuse
    """.split()
)

#: Prepositions that introduce an addressee ("interjected to Zelenskyy").
ADDRESSEE_PREPOSITIONS: frozenset[str] = frozenset({"to"})

#: Things that can be the source of an attribution ("the poll shows", "the letter reads").
SOURCE_NOUNS: frozenset[str] = frozenset(
    """
    study poll survey report data analysis research statement letter memo document review
    audit investigation article ad advertisement video website book column editorial
    email message
    """.split()
)

#: Entity labels that never speak (numbers, dates, money), whatever their position.
NON_SPEAKER_ENTITY_TYPES: frozenset[str] = frozenset(
    "CARDINAL ORDINAL PERCENT MONEY QUANTITY DATE TIME".split()
)

#: ... except as the subject of a verb, where they count people ("19 percent said").
COUNTED_SPEAKERS: frozenset[str] = frozenset({"CARDINAL", "PERCENT"})

#: Words opening a clause that dates another event ("…,” when Clinton blasted him).
TIME_CLAUSE_MARKERS: frozenset[str] = frozenset("when while as after before once".split())

#: Words ending in a full stop that do not end a sentence ("Mr. Obama said").
ABBREVIATIONS: frozenset[str] = frozenset(
    """
    mr mrs ms dr prof sen rep gov lt col gen adm capt sgt maj cmdr rev st jr sr messrs mmes
    inc corp co ltd bros no vs etc jan feb mar apr jun jul aug sep sept oct nov dec
    u.s u.k u.n d.c a.m p.m ft mt dept univ assn est approx del
    ala ariz ark calif colo conn fla ga ill ind kan kans ky la md mass mich minn miss mo mont
    neb nev okla ore pa tenn tex va vt wash wis wyo
    """.split()
)


# --- quotes inside the writer's sentence ---
# used by: quotes.core.embedded, quotes.core.sieves

#: Verbs whose governed quoted fragment is the subject's words ("accused X of being “…”").
#: Every speech verb qualifies; these add evaluative verbs that rarely take full quotes.
PARTIAL_GOVERNORS: frozenset[str] = SPEECH_VERBS | frozenset(
    """
    dismiss decry deride lambaste excoriate castigate pan trash rip bash skewer
    defend tout champion promote push pitch sell vow
    """.split()
)

#: Verbs after which a quoted term is nobody's words: naming, not reporting.
SCARE_GOVERNORS: frozenset[str] = frozenset("cast dub nickname title name style term know".split())

#: Words right before a quoted term that mark it as a scare quote or a name.
SCARE_MARKERS: frozenset[str] = frozenset(
    """
    so-called dubbed titled entitled named nicknamed branded termed word term phrase
    """.split()
)

#: Verbs that say the speech did NOT happen ("refrained from calling it an “invasion”").
NON_EVENT_VERBS: frozenset[str] = frozenset(
    "refrain decline avoid refuse stop cease fail neglect hesitate".split()
)

#: Nouns for words someone said: a quote beside them is an utterance, not a title.
UTTERANCE_NOUNS: frozenset[str] = frozenset(
    "word remark message phrase line comment statement answer reply question slogan motto "
    "chant refrain mantra tweet quote promise vow warning plea".split()
)

#: Words a title-case headline or work title leaves in lower case.
TITLE_SMALL_WORDS: frozenset[str] = frozenset("a an the of and or in on to for at by with".split())


# --- indirect speech ---
# used by: quotes.core.indirect

#: Entity types of a speaker label opening a paragraph ("JAKE TAPPER:", "Gingrich:").
LABEL_ENTITY_TYPES: frozenset[str] = frozenset({"PERSON", "ORG", "NORP"})

#: Subjects of impersonal passive reports ("it was reported that …"): no speaker.
PASSIVE_REPORT_SUBJECTS: frozenset[str] = frozenset({"it", "this", "that", "there"})

#: Words opening a wh-clause, and the verbs for which such a clause is what was reported
#: ("asked why …", "told reporters how …"); after other verbs it is an object ("criticized what …").
WH_WORDS: frozenset[str] = frozenset("what which who whom whose where when why how".split())

#: The subordinator of a report set beside the clause it reports ("…, as police have said").
AS_REPORT_MARKERS: frozenset[str] = frozenset({"as"})

#: Subordinators of a contrast the writer sets after a report ("claimed that X was smart,
#: although he refused …"): what follows is not part of what was reported.
CONTRAST_MARKERS: frozenset[str] = frozenset("although though whereas while".split())

QUESTION_VERBS: frozenset[str] = frozenset(
    "ask wonder question inquire explain tell say describe reveal recount disclose".split()
)

#: Cognition and attitude verbs: PolNeAR annotates them as attributions; speech-only by default.
COGNITION_VERBS: frozenset[str] = frozenset(
    """
    think believe fear hope expect feel know understand worry doubt suspect assume
    wish want reckon imagine consider realize realise recognize recognise
    learn discover notice sense see hear
    """.split()
)

#: With cognition on: verbs of intention, desire, appeal and appearance whose xcomp is the
#: attributed content ("wants to …", "urged voters to …", "seems to …"). Attempts ("tried
#: to …") are acts, not attitudes, and are left out.
INTENTION_VERBS: frozenset[str] = frozenset(
    """
    want plan intend aim seek pledge promise vow threaten refuse decline offer propose hope
    expect push vote agree wish prefer like love hate dare decide choose fail
    urge ask call tell order instruct advise warn encourage persuade convince beg plead
    demand invite seem appear
    """.split()
)

#: With cognition on: verbs of evidence whose clause is attributed to their subject ("the poll
#: shows that …", "researchers found that …").
EVIDENCE_VERBS: frozenset[str] = frozenset(
    "show find reveal indicate demonstrate prove conclude estimate project".split()
)

#: With cognition on: verbs of communication, judgement, attitude and evaluation whose direct
#: object is the attributed content ("cited the report", "backed the plan", "offered praise").
#: Publishing verbs are left out: what is "released" or "posted" is a thing, not a view.
STANCE_VERBS: frozenset[str] = frozenset(
    """
    cite support back endorse oppose criticize criticise attack praise discuss announce
    propose unveil defend promote reject blame urge demand deny condemn denounce slam blast
    welcome applaud mention dismiss challenge tout highlight question note
    offer show see describe address want express write say answer ignore confirm accept
    seek reference prefer list understand congratulate promise pledge recall threaten
    emphasize emphasise stress tweet remind consider predict acknowledge admit concede
    reiterate echo repeat favor favour decry bemoan lament cheer articulate signal recount
    present rebut advocate suggest explain reveal believe expect view thank insult mock
    identify name deem embrace recognize recognise frame portray characterize characterise
    label dub brand term detail document outline sketch pitch champion justify clarify
    summarize summarise dispute doubt fear love like hate despise admire respect trust
    distrust fault regret mourn remember imagine anticipate envision foresee forecast
    estimate request recommend approve commend hail lambaste ridicule deride downplay
    exaggerate declare proclaim report claim accuse charge compare share
    broadcast investigate review examine analyze analyse assess evaluate judge
    interpret misstate misrepresent invoke tackle
    """.split()
)

#: With cognition on: verb + preposition pairs whose object is the attributed content
#: ("called for a ban", "spoke about her record", "accused him of lying").
STANCE_PREPOSITIONS: dict[str, frozenset[str]] = {
    verb: frozenset(preps.split("/"))
    for verb, preps in (
        pair.split(":")
        for pair in """
        call:for point:to refer:to allude:to object:to respond:to react:to
        speak:about/of/on talk:about/of write:about/on tweet:about joke:about
        boast:about brag:about complain:about worry:about care:about think:about/of
        warn:about/of/against comment:on weigh:on elaborate:on reflect:on speculate:about/on
        insist:on focus:on dwell:on harp:on testify:about/on ask:about inquire:about
        accuse:of remind:of assure:of convince:of suspect:of
        see:as view:as describe:as regard:as cast:as portray:as characterize:as
        criticize:for criticise:for blame:for praise:for attack:for/over apologize:for
        fault:for thank:for advocate:for argue:for/against lobby:for push:for vote:for/against
        rail:against protest:against caution:against stand:by hint:at
        """.split()
    )
}

#: With cognition on: nouns of utterance, attitude and intention whose complement is the
#: attributed content ("Clinton's plan to …", "his comments about …", "raised questions
#: about …"), with the prepositions that introduce it.
ATTITUDE_NOUNS: frozenset[str] = frozenset(
    """
    question comment remark statement claim charge allegation accusation criticism concern
    worry fear hope doubt belief view opinion position stance support opposition plan proposal
    promise pledge vow threat call demand request warning argument conclusion decision
    determination agreement commitment interest idea theory assessment estimate forecast
    outlook message speech debate discussion condemnation praise attack complaint skepticism
    scepticism disdain reluctance eagerness desire wish intent intention goal aim
    acknowledgment acknowledgement admission denial insistence suggestion recommendation
    prediction assertion contention insinuation suspicion assumption expectation adulation
    admiration contempt obsession push effort motion refusal willingness readiness
    """.split()
)

ATTITUDE_NOUN_PREPOSITIONS: frozenset[str] = frozenset(
    "about of on over for against to with in".split()
)

#: With cognition on: adjectives (word forms) of certainty, desire and feeling whose clause,
#: infinitive or prepositional object is attributed to their subject ("she was sure that …",
#: "is eager to …", "were worried about …", "made it clear that …").
ATTITUDE_ADJECTIVES: frozenset[str] = frozenset(
    """
    sure certain confident convinced aware unaware clear afraid worried concerned hopeful
    optimistic pessimistic skeptical sceptical doubtful eager anxious keen determined unsure
    uncertain adamant insistent critical supportive wary angry upset furious disappointed
    pleased happy glad proud satisfied frustrated incensed outraged
    """.split()
)

ATTITUDE_ADJECTIVE_PREPOSITIONS: frozenset[str] = frozenset("about of over with on at".split())

#: Verbs whose subject receives an attitude rather than holding it ("faced criticism over …").
RECEIVING_VERBS: frozenset[str] = frozenset(
    "face receive draw attract get earn prompt spark trigger provoke invite fuel stir".split()
)

#: With cognition on: sources whose findings a sentence opened by "in" reports ("In the latest
#: poll, Clinton led by 5 points").
FINDING_SOURCES: frozenset[str] = frozenset(
    "poll survey study report analysis research review audit investigation census".split()
)

#: Documents and counts whose author an "according to" phrase may name after them ("according
#: to a tally by the agency", "a report from the institute"): the author is the source.
AUTHORED_SOURCES: frozenset[str] = FINDING_SOURCES | frozenset(
    "count tally data estimate figure filing statement letter memo".split()
)

#: Prepositions that name the author of such a document.
AUTHOR_PREPOSITIONS: frozenset[str] = frozenset({"by", "from"})

#: Endings of nouns for people by role ("journalist", "politician", "interviewer") and words
#: that count people ("a majority of voters", "half", "others"): subjects that can hold a view
#: though no list names them.
PERSON_NOUN_ENDINGS: tuple[str, ...] = ("ist", "ian", "er", "or", "ee")

COUNTING_WORDS: frozenset[str] = frozenset(
    """
    majority minority plurality half third quarter percent many most others some all both
    few several one
    """.split()
)


# --- transcripts ---
# used by: quotes.core.sieves

#: Verbs of an interview's introduction: "she spoke to X" (X asks the questions), "X
#: interviewed her" (X asks them).
INTERVIEW_VERBS: frozenset[str] = frozenset("speak talk interview question".split())
INTERVIEWING_VERBS: frozenset[str] = frozenset("interview question".split())
INTERVIEW_PREPOSITIONS: frozenset[str] = frozenset({"to", "with"})


# --- names and mentions of speakers ---
# used by: quotes.core.entities, quotes.core.coref

#: Generational suffixes: part of a person's canonical name ("J.R. Pickett Jr."), never the
#: surname a short form uses.
GENERATIONAL_SUFFIXES: frozenset[str] = frozenset("Jr. Jr Sr. Sr II III IV V".split())

#: Post-nominal letters: honours and ranks written after a name ("Rosalind Pemberton KC"), not
#: part of the canonical name.
POSTNOMINALS: frozenset[str] = frozenset(
    "KC QC SC MP MEP MSP MLA MBE OBE CBE DBE KBE PhD Ph.D. MD Esq Esq. JP FRS".split()
)

#: Characters that glue two name parts into one word ("Tiller-Moss", "O’Marra").
NAME_GLUE: frozenset[str] = frozenset("-‐‑'’")

#: Words that mark an organisation's legal form or holding ("Ossory Foods Inc."): a short form
#: may drop them ("Ossory Foods"), and they make a name an organisation's.
ORG_DESIGNATORS: frozenset[str] = frozenset(
    """
    inc inc. plc co co. corp corp. ltd ltd. llc llp lp sa s.a. ag nv n.v. gmbh bv ab asa oy
    spa s.p.a. group holdings company corporation limited
    """.split()
)

#: Head nouns of bodies that belong to or stand beside another organisation ("Vennmouth Rail
#: Workers’ Union" is not "Vennmouth Rail"): a short form never stands for a name that adds one.
ASSOCIATION_NOUNS: frozenset[str] = frozenset(
    """
    union association federation guild society club alliance coalition council committee
    board trust foundation caucus chapter branch local branch campaign
    """.split()
)

#: Nouns that name a company in general: "the company said" is the most recent company.
COMPANY_NOUNS: frozenset[str] = frozenset(
    """
    company firm business maker manufacturer retailer carrier operator supplier chain lender
    insurer developer startup airline brand group
    """.split()
)

#: Nouns for documents that speak for whoever issued them: "the statement said".
DOCUMENT_NOUNS: frozenset[str] = frozenset(
    """
    statement release announcement letter filing notice memo message post email report
    transcript
    """.split()
)

#: Nouns for a person who speaks for an organisation: "a spokesperson for X said" is X's words.
SPOKESPERSON_NOUNS: frozenset[str] = frozenset(
    "spokesperson spokesman spokeswoman representative spokespeople".split()
)

#: Nouns for people by role or description: a name's leading role word is not part of it
#: ("Teenager Pella Morrow"), and "the coach said" names the person last given that role.
PERSON_ROLE_NOUNS: frozenset[str] = frozenset(
    """
    coach manager captain teenager leader officer chief executive director spokesperson
    spokesman spokeswoman representative official lawyer attorney prosecutor judge coroner
    analyst economist scientist researcher professor doctor nurse teacher student driver
    worker volunteer farmer trader owner co-owner founder co-founder resident witness victim
    survivor mother father wife husband son daughter parent pensioner swimmer cleaner rescuer
    firefighter clerk florist usher reporter journalist editor critic host singer
    singer-songwriter songwriter rapper novelist author writer artist player rider skipper
    navigator winner champion candidate councillor councilor trustee superintendent chair
    chairman chairwoman president secretary minister mayor governor senator investigator
    engineer neurologist biologist ecologist microbiologist participant patient customer
    passenger shopkeeper campaigner activist supporter protester fan handler operator
    presenter broadcaster commentator historian expert adviser advisor aide consultant
    strategist pollster organizer organiser negotiator inspector detective constable
    commander general sergeant lieutenant colonel soldier medic paramedic surgeon physician
    dentist pharmacist midwife chef baker waiter barista mechanic electrician plumber builder
    miner fisherman fisher docker steelworker shopper tourist visitor local neighbour neighbor
    friend relative sister brother grandmother grandfather granddaughter grandson widow
    widower woman man girl boy child person teen youngster veteran retiree pilot sailor
    """.split()
)

#: Nouns that say a person is a woman or a man: gender evidence from the article itself.
GENDERED_NOUNS: dict[str, str] = {
    **dict.fromkeys(
        """
        woman mother wife daughter sister girl grandmother granddaughter widow actress
        spokeswoman chairwoman businesswoman congresswoman councilwoman lady queen princess
        aunt niece mum mom stepmother
        """.split(),
        "f",
    ),
    **dict.fromkeys(
        """
        man father husband son brother boy grandfather grandson widower spokesman
        businessman congressman councilman king prince uncle nephew dad stepfather
        """.split(),
        "m",
    ),
}

#: Third-person pronouns and the personal pronoun each is a form of ("his" is a form of "he").
PRONOUN_FORMS: dict[str, str] = {
    **dict.fromkeys("he him his himself".split(), "he"),
    **dict.fromkeys("she her hers herself".split(), "she"),
    **dict.fromkeys("they them their theirs themselves themself".split(), "they"),
    **dict.fromkeys("it its itself".split(), "it"),
}

#: The gender a personal pronoun gives its referent.
PRONOUN_GENDER: dict[str, str] = {"he": "m", "she": "f"}

#: Determiners and quantifiers that introduce a person nobody names: "one driver said", "a
#: retired nurse said", "several residents shouted".
INDEFINITE_WORDS: frozenset[str] = frozenset(
    "a an one another some several many few two three four five other others".split()
)

#: First-person words in a quote: how its speaker refers to itself, one person or a group.
FIRST_PERSON_SINGULAR: frozenset[str] = frozenset("i me my mine myself".split())
FIRST_PERSON_PLURAL: frozenset[str] = frozenset("we us our ours ourselves".split())


# --- the corpus speaker index ---
# used by: quotes.corpus

#: Generational suffixes (compared without dots, lower case): "Donald Trump Jr." and "Donald
#: Trump" are two people, so the corpus speaker index never merges across a suffix.
NAME_SUFFIXES: frozenset[str] = frozenset("jr sr ii iii iv".split())

#: Articles dropped before names are compared across a corpus ("the Pentagon", "Pentagon").
NAME_ARTICLES: frozenset[str] = frozenset({"the"})
