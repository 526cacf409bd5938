"""Indirect speech patterns, on sentences written for these tests."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from quotes.core.cards import build_cards
from quotes.extractor import Extractor
from quotes.models import FactCard, Speaker
from quotes.options import ExtractOptions


@pytest.fixture(scope="module")
def cognition(extractor: Extractor) -> Extractor:
    return Extractor(extractor.nlp, include_cognition=True)


def _indirect(cards: list[FactCard]) -> list[FactCard]:
    return [c for c in cards if c.quote.kind == "indirect"]


def _reports(extractor: Extractor, text: str) -> list[tuple[str, str | None]]:
    """(reported words, speaker mention) of each indirect card of ``text``."""
    cards = _indirect(extractor.extract(text, "t"))
    return [(c.quote.text, c.speaker.mention if c.speaker else None) for c in cards]


def _one_card(extractor: Extractor, text: str, content: str) -> Speaker:
    """The speaker of the only indirect card of ``text``, which reports ``content``."""
    cards = _indirect(extractor.extract(text, "t"))
    assert [c.quote.text for c in cards] == [content]
    assert cards[0].speaker is not None
    return cards[0].speaker


# (text, reported clause, speaker, cue, addressee)
CASES = [
    (
        "Ann Patel said the bridge would open in May.",
        "the bridge would open in May",
        "Ann Patel",
        "said",
        None,
    ),
    (
        "Ann Patel said that the bridge would open in May.",
        "the bridge would open in May",
        "Ann Patel",
        "said",
        None,
    ),
    (
        "Ann Patel told Omar Reyes that the bridge would open in May.",
        "the bridge would open in May",
        "Ann Patel",
        "told",
        "Omar Reyes",
    ),
    (
        "Ann Patel has said repeatedly that the bridge will open in May.",
        "the bridge will open in May",
        "Ann Patel",
        "said",
        None,
    ),
    (
        "Omar Reyes praised Ann Patel, who said the bridge would open in May.",
        "the bridge would open in May",
        "Ann Patel",
        "said",
        None,
    ),
    (
        "The bridge will open in May, Ann Patel said on Tuesday.",
        "The bridge will open in May",
        "Ann Patel",
        "said",
        None,
    ),
    (
        "According to Ann Patel, the bridge will open in May.",
        "the bridge will open in May",
        "Ann Patel",
        "According to",
        None,
    ),
    # a tally that names its author speaks for the author
    (
        "According to a tally by the Harbour Institute, the bridge will cost twice as much.",
        "the bridge will cost twice as much",
        "Harbour Institute",
        "According to",
        None,
    ),
    (
        "Ann Patel told reporters on Monday how the city would save the port.",
        "how the city would save the port",
        "Ann Patel",
        "told",
        "reporters",
    ),
    (
        "Karl Brandt met the press. He warned that the port would close in June.",
        "the port would close in June",
        "Karl Brandt",
        "warned",
        None,
    ),
    (
        "In the harbour poll, twelve percent said the bridge should never open.",
        "the bridge should never open",
        "twelve percent",
        "said",
        None,
    ),
]


@pytest.mark.parametrize(("text", "clause", "speaker", "cue", "addressee"), CASES)
def test_reported_clause_patterns(
    extractor: Extractor, text: str, clause: str, speaker: str, cue: str, addressee: str | None
) -> None:
    cards = _indirect(extractor.extract(text, "t"))
    assert [c.quote.text for c in cards] == [clause]
    card = cards[0]
    assert card.speaker is not None and card.speaker.name == speaker
    assert card.cue is not None and card.cue.text == cue
    assert (card.addressee.name if card.addressee else None) == addressee
    assert text[card.quote.start : card.quote.end] == clause


def test_impersonal_passive_has_no_speaker(extractor: Extractor) -> None:
    cards = _indirect(extractor.extract("It was reported that the port would close.", "t"))
    assert len(cards) == 1
    assert cards[0].speaker is None and cards[0].method == "none"


def test_mixed_speech_links_partial_to_indirect(extractor: Extractor) -> None:
    text = "Ann Patel said the old plan was “a costly mistake for the city.”"
    cards = extractor.extract(text, "t")
    indirect = _indirect(cards)
    partial = [c for c in cards if c.quote.kind == "partial"]
    assert len(indirect) == 1 and len(partial) == 1
    assert partial[0].part_of == indirect[0].id
    assert partial[0].speaker is not None and indirect[0].speaker is not None
    assert partial[0].speaker.name == indirect[0].speaker.name == "Ann Patel"


def test_cognition_only_when_asked(extractor: Extractor, cognition: Extractor) -> None:
    text = "Many residents fear that the port will close."
    assert _indirect(extractor.extract(text, "t")) == []
    cards = _indirect(cognition.extract(text, "t"))
    assert [c.quote.text for c in cards] == ["the port will close"]


def test_direct_quote_is_not_also_indirect(extractor: Extractor) -> None:
    text = "Ann Patel said, “The bridge will open in May.”"
    assert _indirect(extractor.extract(text, "t")) == []


def test_object_clause_is_not_reported_speech(extractor: Extractor) -> None:
    text = "The union criticized what the company calls a fair offer."
    assert _indirect(extractor.extract(text, "t")) == []


@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        (
            "Ann Patel wants to sell the old port to the city.",
            "to sell the old port to the city",
            "Ann Patel",
        ),
        (
            "A new study by the ministry shows that rents rose by a third.",
            "rents rose by a third",
            "study",
        ),
        ("The dockers' union called for a strike on Monday.", "a strike", "union"),
        ("Ann Patel denounced the new harbour tax on Monday.", "the new harbour tax", "Ann Patel"),
        (
            "The transcript of the hearing shows that the minister knew about the leak.",
            "the minister knew about the leak",
            "transcript",
        ),
        (
            "In the latest city poll, the mayor leads her rival by six points.",
            "the mayor leads her rival by six points",
            "city poll",
        ),
        (
            "The dockers' union agreed to end the strike next week.",
            "to end the strike next week",
            "union",
        ),
        (
            "Karl Brandt pointed to the rising rents in the old town.",
            "the rising rents in the old town",
            "Karl Brandt",
        ),
        (
            "Ann Patel expressed concern about the cost of the new bridge.",
            "concern about the cost of the new bridge",
            "Ann Patel",
        ),
        (
            "Karl Brandt spoke about the closure of the shipyard.",
            "the closure of the shipyard",
            "Karl Brandt",
        ),
        (
            "The mayor accused the port authority of hiding the accounts.",
            "the port authority of hiding the accounts",
            "mayor",
        ),
        (
            "Karl Brandt urged the council to delay the vote.",
            "the council to delay the vote",
            "Karl Brandt",
        ),
        (
            "The mayor criticized the port authority for hiding the accounts.",
            "the port authority for hiding the accounts",
            "mayor",
        ),
        ("The veteran journalist backed the harbour tax.", "the harbour tax", "journalist"),
        ("A majority of the dockers opposed the new contract.", "the new contract", "majority"),
        (
            "Ann Patel is hoping the ferry will run again by June.",
            "the ferry will run again by June",
            "Ann Patel",
        ),
    ],
)
def test_attitudes_only_with_cognition(
    extractor: Extractor, cognition: Extractor, text: str, content: str, speaker: str
) -> None:
    assert _indirect(extractor.extract(text, "t")) == []
    cards = _indirect(cognition.extract(text, "t"))
    assert [c.quote.text for c in cards] == [content]
    assert cards[0].speaker is not None and speaker in cards[0].speaker.name


@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        ("The mayor was endorsed by the dockers' union.", "The mayor", "union"),
        (
            "Ann Patel was accused of hiding the harbour accounts.",
            "hiding the harbour accounts",
            None,
        ),
    ],
)
def test_passive_attitude_belongs_to_the_agent(
    cognition: Extractor, text: str, content: str, speaker: str | None
) -> None:
    """The subject of a passive stance verb is its target, never its holder."""
    cards = _indirect(cognition.extract(text, "t"))
    assert [c.quote.text for c in cards] == [content]
    name = cards[0].speaker.name if cards[0].speaker is not None else None
    assert name == speaker if speaker is None else speaker in (name or "")


def test_attitude_of_a_thing_is_not_attributed(cognition: Extractor) -> None:
    assert _indirect(cognition.extract("The bill aims to cut taxes for small firms.", "t")) == []


def test_relative_pronoun_grounds_the_speaker(extractor: Extractor) -> None:
    text = "Omar Reyes praised Ann Patel, who said the bridge would open in May."
    card = _indirect(extractor.extract(text, "t"))[0]
    assert card.speaker is not None
    assert (card.speaker.mention, card.speaker.name) == ("who", "Ann Patel")


@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        (
            "Ann Patel's plan to sell the old port was rejected.",
            "to sell the old port",
            "Ann Patel",
        ),
        (
            "Karl Brandt raised questions about the cost of the bridge.",
            "the cost of the bridge",
            "Karl Brandt",
        ),
    ],
)
def test_attitude_noun_held_by_its_owner(
    cognition: Extractor, text: str, content: str, speaker: str
) -> None:
    assert speaker in _one_card(cognition, text, content).name


@pytest.mark.parametrize(
    ("text", "content", "mention"),
    [
        (
            "Karl Brandt is doubling down on his plan to sell the old port.",
            "to sell the old port",
            "Karl Brandt",
        ),
        (
            "The harbour board has been unsparing in its criticism of the new bridge.",
            "the new bridge",
            "The harbour board",
        ),
    ],
)
def test_possessive_pronoun_on_an_attitude_noun_points_to_the_subject(
    cognition: Extractor, text: str, content: str, mention: str
) -> None:
    """ "X is doubling down on his plan": "his" only points back to the clause's subject, which
    is the mention of the holder."""
    assert _one_card(cognition, text, content).mention == mention


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        (
            "Omar Reyes: Ann Patel says the harbour will close in May.\n\nThe board met.",
            "Omar Reyes",
        ),
        # a heading in capitals is no speaker: the report keeps its own subject
        (
            "UPDATE: The council says the harbour will close in May.\n\nThe board met.",
            "The council",
        ),
    ],
)
def test_report_in_a_labelled_line_is_the_labels(
    extractor: Extractor, text: str, mention: str
) -> None:
    """ "NAME: …" opening a paragraph (a headline or a transcript turn) is that person's words,
    a report in its first sentence included."""
    assert _one_card(extractor, text, "the harbour will close in May").mention == mention


def test_dateline_is_not_the_subject(cognition: Extractor) -> None:
    """The parse makes a dateline opening the story the subject and hangs the name after its
    dash on it in apposition; the place never speaks."""
    text = (
        "Port Aldry (AFP) – Award-winning singer Ann Patel, star of the hit show “Harbour "
        "Lights,” is not sure she can vote for the harbour plan."
    )
    assert _one_card(cognition, text, "she can vote for the harbour plan").mention == "Ann Patel"


def test_attitude_noun_without_a_holder_is_not_attributed(cognition: Extractor) -> None:
    """ "amid allegations of fraud": nobody in the text holds them."""
    text = "The program was renewed amid allegations of fraud in the harbour office."
    assert _indirect(cognition.extract(text, "t")) == []


def test_report_inside_a_report_is_one_card(cognition: Extractor) -> None:
    """What he wants is part of what she said he wants: one card, the outer speaker's."""
    text = "Ann Patel said Karl Brandt wants to sell the old port to the city."
    cards = _indirect(cognition.extract(text, "t"))
    assert [c.quote.text for c in cards] == ["Karl Brandt wants to sell the old port to the city"]
    assert cards[0].speaker is not None and cards[0].speaker.name == "Ann Patel"


def test_words_before_a_parenthetical_cue_are_reported_too(extractor: Extractor) -> None:
    text = "Too often, Ann Patel said, the council ignores the harbour workers."
    cards = _indirect(extractor.extract(text, "t"))
    assert [c.quote.text for c in cards] == ["Too often", "the council ignores the harbour workers"]
    assert all(c.speaker is not None and c.speaker.name == "Ann Patel" for c in cards)


def test_clause_parsed_as_adverbial_is_still_reported(extractor: Extractor) -> None:
    """The parser hangs "she would not sell …" on "said" as an adverbial clause; with its own
    subject and no subordinator it is what was said."""
    text = "Ann Patel said after the meeting she would not sell the old port."
    cards = _indirect(extractor.extract(text, "t"))
    assert [c.quote.text for c in cards] == ["after the meeting she would not sell the old port"]
    assert cards[0].speaker is not None and cards[0].speaker.name == "Ann Patel"
    # a real adverbial clause is not
    text = "Ann Patel said nothing because she was tired of the questions."
    assert _indirect(extractor.extract(text, "t")) == []


@pytest.mark.parametrize(
    ("text", "clause", "mention"),
    [
        # the parse gives "said" two subjects; the one next to the verb says it
        (
            "THE HARBOUR Back when she ran the port, Ann Patel said that she considered debt "
            "a last resort.",
            "she considered debt a last resort",
            "Ann Patel",
        ),
        # a name hung in apposition on the subject, running up to the verb, is the subject
        (
            "To understand the real Tom Sawyer, Chief Justice Okafor said, one should visit "
            "this museum.",
            "one should visit this museum",
            "Okafor",
        ),
        # a fronted phrase set off by one comma is no apposition of the subject
        (
            "His promises to cut the rents notwithstanding, independent analyses agree the "
            "port will lose money.",
            "the port will lose money",
            "independent analyses",
        ),
        # a participle hung on an occasion is the speaker's
        (
            "Ann Patel said at a news conference announcing that the port would close in May.",
            "the port would close in May",
            "Ann Patel",
        ),
        # a participle on a document someone issued is the issuer's
        (
            "Ann Patel issued a statement saying that the port would close in May.",
            "the port would close in May",
            "Ann Patel",
        ),
        # "…, as X said" reports the clause the "as" clause hangs on
        (
            "The report does not answer whether the bridge was safe, as the harbour police "
            "have said.",
            "The report does not answer whether the bridge was safe",
            "the harbour police",
        ),
        (
            "As one dockworker pointed out with a photo, the port is too small for the new ships.",
            "the port is too small for the new ships",
            "dockworker",
        ),
    ],
)
def test_the_only_report_and_its_speaker_mention(
    extractor: Extractor, text: str, clause: str, mention: str
) -> None:
    assert _one_card(extractor, text, clause).mention == mention


@pytest.mark.parametrize(
    ("text", "clause", "mention"),
    [
        (
            "While he acknowledged funding was a major reason he felt tired, Brandt also noted "
            "several problems left him angry.",
            "funding was a major reason he felt tired",
            "he",
        ),
        (
            "Patel told the council, after she admitted under questioning she had not yet read "
            "the report.",
            "she had not yet read the report",
            "she",
        ),
    ],
)
def test_subordinate_reporter_owns_the_clause_after_it(
    extractor: Extractor, text: str, clause: str, mention: str
) -> None:
    """ "While he acknowledged …", "after she admitted …": the parser hangs the complement on
    the main verb; it is what the subordinate verb reports."""
    assert (clause, mention) in _reports(extractor, text)


@pytest.mark.parametrize(
    ("text", "cards"),
    [
        (
            "Karl Brandt endorsed Ann Patel, who said she was honored.",
            [("Ann Patel", "Karl Brandt"), ("she was honored", "who")],
        ),
        (
            "Ann Patel praised the dockers, who say the port is too small.",
            [("the dockers", "Ann Patel"), ("the port is too small", "who")],
        ),
        (
            "Karl Brandt criticized the harbour board -- which claims the bridge is safe.",
            [("the harbour board", "Karl Brandt"), ("the bridge is safe", "which")],
        ),
    ],
)
def test_object_ends_before_a_nonrestrictive_relative(
    cognition: Extractor, text: str, cards: list[tuple[str, str]]
) -> None:
    """What was endorsed is Ann Patel; what the relative clause says is another report, of
    its own speaker."""
    assert _reports(cognition, text) == cards


@pytest.mark.parametrize(
    ("text", "cards"),
    [
        (
            "Ann Patel claimed that the harbour tax was fair, although she again refused to "
            "publish her own returns.",
            [("the harbour tax was fair", "Ann Patel"), ("to publish her own returns", "she")],
        ),
        (
            "Karl Brandt said the ferry would run on Sundays, though he declined to say when.",
            [("the ferry would run on Sundays", "Karl Brandt"), ("to say when", "he")],
        ),
        (
            "Democrats want policies that create jobs, and Republicans want policies that "
            "create less debt in the short term (they want lower tax rates and suggest that "
            "such rates would spur growth).",
            [
                ("policies that create jobs", "Democrats"),
                ("policies that create less debt in the short term", "Republicans"),
                ("lower tax rates", "they"),
                ("such rates would spur growth", "they"),
            ],
        ),
    ],
)
def test_report_ends_before_the_writers_aside(
    cognition: Extractor, text: str, cards: list[tuple[str, str]]
) -> None:
    """A contrast set off by a comma and a parenthesis are the writer's, not part of the
    report before them; the reports inside them have their own speakers."""
    assert _reports(cognition, text) == cards


@pytest.mark.parametrize(
    ("text", "content", "mention"),
    [
        (
            "Ann Patel was sure the ferry would run again by June.",
            "the ferry would run again by June",
            "Ann Patel",
        ),
        (
            "The dockers are eager to end the strike before the summer.",
            "to end the strike before the summer",
            "The dockers",
        ),
        (
            "Karl Brandt made it clear that he would not sell the port.",
            "he would not sell the port",
            "Karl Brandt",
        ),
        (
            "The council members were worried about the cost of the bridge.",
            "the cost of the bridge",
            "The council members",
        ),
    ],
)
def test_attitude_adjective_held_by_its_subject(
    extractor: Extractor, cognition: Extractor, text: str, content: str, mention: str
) -> None:
    """ "was sure that", "eager to", "made it clear that", "worried about": with cognition."""
    assert _indirect(extractor.extract(text, "t")) == []
    assert _one_card(cognition, text, content).mention == mention


def test_what_is_clear_to_nobody_is_not_attributed(cognition: Extractor) -> None:
    assert _indirect(cognition.extract("It is clear that the port will close in May.", "t")) == []


def test_closing_report_takes_the_whole_sentence_before_its_comma(extractor: Extractor) -> None:
    """The parse hangs the first clause on "added" as a second complement, or on an earlier verb
    the cue coordinates; all before the comma is what the spokesman added."""
    text = (
        "Okafor had asked harbour officials to delay the vote, but the board rejected that "
        "plan, a spokesman added."
    )
    assert _reports(extractor, text) == [
        (
            "Okafor had asked harbour officials to delay the vote, but the board rejected "
            "that plan",
            "a spokesman",
        )
    ]


# "she said of the vote, in which she was sure Brandt would win.", parsed as the small model
# parses such a sentence at times: "win" hung on "said", not on "sure" right before it.
_MISPARSED_SURE = [
    ("she", "PRON", "PRP", "nsubj", 1, "she"),
    ("said", "VERB", "VBD", "ROOT", 1, "say"),
    ("of", "ADP", "IN", "prep", 1, "of"),
    ("the", "DET", "DT", "det", 4, "the"),
    ("vote", "NOUN", "NN", "pobj", 2, "vote"),
    (",", "PUNCT", ",", "punct", 4, ","),
    ("in", "ADP", "IN", "prep", 9, "in"),
    ("which", "PRON", "WDT", "pobj", 6, "which"),
    ("she", "PRON", "PRP", "nsubj", 9, "she"),
    ("was", "AUX", "VBD", "relcl", 4, "be"),
    ("sure", "ADJ", "JJ", "acomp", 9, "sure"),
    ("Brandt", "PROPN", "NNP", "nsubj", 13, "Brandt"),
    ("would", "AUX", "MD", "aux", 13, "would"),
    ("win", "VERB", "VB", "ccomp", 1, "win"),
    (".", "PUNCT", ".", "punct", 1, "."),
]


def test_clause_right_after_an_attitude_adjective_is_its_content(nlp: Language) -> None:
    words, pos, tags, deps, heads, lemmas = zip(*_MISPARSED_SURE, strict=True)
    spaces = [words[i + 1] not in (",", ".") for i in range(len(words) - 1)] + [False]
    doc = Doc(
        nlp.vocab,
        words=list(words),
        spaces=spaces,
        pos=list(pos),
        tags=list(tags),
        deps=list(deps),
        heads=list(heads),
        lemmas=list(lemmas),
    )
    cards = build_cards(doc, "t", ExtractOptions(include_cognition=True)).cards
    found = [(c.quote.text, c.cue.text if c.cue else None, c.speaker) for c in cards]
    assert [(text, cue) for text, cue, _ in found] == [("Brandt would win", "sure")]
    speaker = found[0][2]
    assert speaker is not None and speaker.start == doc[8].idx  # the "she" who was sure
