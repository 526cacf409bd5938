"""Every attribution pattern, on sentences written for these tests."""

from __future__ import annotations

import pytest

from quotes.extractor import Extractor
from quotes.models import FactCard


def _card(cards: list[FactCard], text: str, fragment: str) -> FactCard:
    start = text.index(fragment)
    found = [c for c in cards if c.quote.start <= start < c.quote.end]
    assert found, f"no card covers {fragment!r}: {[c.quote.text for c in cards]}"
    return found[0]


# (text, a fragment of the quote, kind, speaker name, cue text, addressee name, method)
CASES = [
    (
        "“The bridge will open in May,” Mayor Ann Patel said.",
        "bridge will open",
        "direct",
        "Ann Patel",
        "said",
        None,
        "cue_adjacent",
    ),
    (
        "“The bridge will open in May,” said Ann Patel.",
        "bridge will open",
        "direct",
        "Ann Patel",
        "said",
        None,
        "cue_adjacent",
    ),
    (
        "Ann Patel said: “The bridge will open in May.”",
        "bridge will open",
        "direct",
        "Ann Patel",
        "said",
        None,
        "cue_adjacent",
    ),
    (
        "Ann Patel told Omar Reyes, “The bridge will open in May.”",
        "bridge will open",
        "direct",
        "Ann Patel",
        "told",
        "Omar Reyes",
        "cue_adjacent",
    ),
    (
        "Omar Reyes spoke first. “Please sit down,” Ann Patel interjected to Omar Reyes.",
        "Please sit down",
        "direct",
        "Ann Patel",
        "interjected",
        "Omar Reyes",
        "cue_adjacent",
    ),
    (
        "“We will not sell the port,” the minister, Karl Brandt, said on Monday.",
        "will not sell",
        "direct",
        "Karl Brandt",
        "said",
        None,
        "cue_adjacent",
    ),
    (
        "Karl Brandt, the country’s finance minister, said: “We will not sell the port.”",
        "will not sell",
        "direct",
        "Karl Brandt",
        "said",
        None,
        "cue_adjacent",
    ),
    (
        "Omar Reyes tried to leave, prompting Ann Patel to stand up and say, “Stay.”",
        "Stay",
        "direct",
        "Ann Patel",
        "say",
        None,
        "cue_embedded",
    ),
    (
        "“The plan is fair,” Ann Patel said, before adding, “It is also cheap.”",
        "also cheap",
        "direct",
        "Ann Patel",
        "adding",
        None,
        "cue_embedded",
    ),
    (
        "“The plan is fair,” Ann Patel said, adding, “It is also cheap.”",
        "also cheap",
        "direct",
        "Ann Patel",
        "adding",
        None,
        "cue_embedded",
    ),
    (
        "Ann Patel accused Omar Reyes of being “reckless” during the debate.",
        "reckless",
        "partial",
        "Ann Patel",
        "accused",
        "Omar Reyes",
        "partial_governor",
    ),
    (
        "Karl Brandt spoke for an hour, blasting the council for “wasting public money.”",
        "wasting public money",
        "partial",
        "Karl Brandt",
        "blasting",
        None,
        "partial_governor",
    ),
    (
        "Ann Patel said,“The bridge will open in May.”",
        "bridge will open",
        "direct",
        "Ann Patel",
        "said",
        None,
        "cue_adjacent",
    ),
    (
        "“We were wrong to wait so long,” Omar Reyes, 58, told Radio Nord on Monday.",
        "wrong to wait",
        "direct",
        "Omar Reyes",
        "told",
        "Radio Nord",
        "cue_adjacent",
    ),
    (
        "“What if the port closed?” the 43-year-old asked in a video.",
        "What if the port",
        "direct",
        "the 43-year-old",
        "asked",
        None,
        "cue_adjacent",
    ),
    (
        "Ann Patel: “The bridge will open in May.”",
        "bridge will open",
        "direct",
        "Ann Patel",
        None,
        None,
        "colon_intro",
    ),
    (
        "“The plan is fair,” Ann Patel shot back.",
        "plan is fair",
        "direct",
        "Ann Patel",
        "shot",
        None,
        "cue_adjacent",
    ),
    (
        "As Ann Patel put it, “the port is not for sale.”",
        "port is not for sale",
        "direct",
        "Ann Patel",
        "put",
        None,
        "cue_adjacent",
    ),
    (
        "“We are ready,” Karl Brandt, a port manager, said Thursday on Radio Nord.",
        "We are ready",
        "direct",
        "Karl Brandt",
        "said",
        None,
        "cue_adjacent",
    ),
    (
        "“We are ready,” state Del. Ann Patel (D-Va.) told the crowd.",
        "We are ready",
        "direct",
        "Ann Patel",
        "told",
        "crowd",
        "cue_adjacent",
    ),
    (
        "According to Karl Brandt, “the port is not for sale.”",
        "port is not for sale",
        "direct",
        "Karl Brandt",
        None,
        None,
        "according_to",
    ),
    (
        "“The port is not for sale, and it never will be.” — Karl Brandt",
        "port is not for sale",
        "direct",
        "Karl Brandt",
        None,
        None,
        "dash_byline",
    ),
    (
        "The city council released a statement on Friday. In it, the council said:\n\n"
        "“The budget is balanced for the first time in a decade.”",
        "budget is balanced",
        "direct",
        "city council",
        "said",
        None,
        "colon_intro",
    ),
    (
        "Ann Patel to Port Board: ‘You Have Failed This City.’\n\nThe mayor spoke on Monday.",
        "You Have Failed",
        "direct",
        "Ann Patel",
        None,
        None,
        "colon_intro",
    ),
    # a quote signed on the line below, the dash glued to a title or apart
    (
        "The senator spoke on Monday.\n\n“We will not give up on the port, not now and not "
        "ever.”\n\n- Ann Patel.\n\nThe port closed in May.",
        "not give up",
        "direct",
        "Ann Patel",
        None,
        None,
        "dash_byline",
    ),
    (
        "Tweets of the night.\n\n“She will be a great mayor, the best we have had.”\n"
        "-President Omar Beale, tweeting after Ann Patel's speech.\n\nMore later.",
        "great mayor",
        "direct",
        "Omar Beale",
        None,
        None,
        "dash_byline",
    ),
    # a quote paragraph with no earlier quote in reach: the person the paragraph before is about
    (
        "The council met on Monday.\n\nAnn Patel praised the port crews for their work in the "
        "storm.\n\n“We will reopen before the summer, and the ships will come back.”",
        "reopen before",
        "direct",
        "Ann Patel",
        "praised",
        None,
        "nearest_speaker",
    ),
    # a story's first quote, a paragraph of its own: the person the next paragraph opens on
    (
        "Floods cut off the village.\n\n“Nobody from the council has set foot on this street "
        "since the water came up.”\n\nMarek Hollowell, 71, has lived on Ferry Lane all his "
        "life.",
        "set foot",
        "direct",
        "Marek Hollowell",
        None,
        None,
        "nearest_speaker",
    ),
    # pressing a question is speaking
    (
        "“Would the port close before May?” Ann Patel pressed. The minister did not answer.",
        "port close",
        "direct",
        "Ann Patel",
        "pressed",
        None,
        "cue_adjacent",
    ),
    # an inverted written source the parse takes for an object
    (
        "The port authority sent an email on Friday. “The berths reopen on Monday,” read the "
        "email.",
        "berths reopen",
        "direct",
        "email",
        "read",
        None,
        "cue_adjacent",
    ),
    # a headline of a name alone, which the tagger calls a noun: named in the story
    (
        "Quill: ‘Tonight the valley voted for change’\n\nTeodor Quill won the by-election on "
        "Friday.",
        "valley voted",
        "direct",
        "Teodor Quill",
        None,
        None,
        "colon_intro",
    ),
    (
        "The new ad uses footage of Ann Patel asking, “Why is the port still closed?”",
        "port still closed",
        "direct",
        "Ann Patel",
        "asking",
        None,
        "cue_adjacent",
    ),
    (
        "Patel was asked by host Omar Reyes, “Will the port close this year?”",
        "port close",
        "direct",
        "Omar Reyes",
        "asked",
        "Patel",
        "cue_adjacent",
    ),
    (
        "Karl Brandt told the paper that the board “has failed the workers,” adding, "
        "“The mayor knew it all along.”",
        "mayor knew",
        "direct",
        "Karl Brandt",
        "adding",
        None,
        "cue_embedded",
    ),
    (
        "“This is a great day!” beamed Karl Brandt of the dockers’ union, who had waited "
        "all night.",
        "great day",
        "direct",
        "Karl Brandt",
        "beamed",
        None,
        "cue_adjacent",
    ),
    (
        "At the rally Karl Brandt answered, “I will fix the port,” as Ann Patel shouted at him.",
        "fix the port",
        "direct",
        "Karl Brandt",
        "answered",
        None,
        "cue_adjacent",
    ),
]


@pytest.mark.parametrize(
    ("text", "fragment", "kind", "speaker", "cue", "addressee", "method"), CASES
)
def test_attribution_patterns(
    extractor: Extractor,
    text: str,
    fragment: str,
    kind: str,
    speaker: str,
    cue: str | None,
    addressee: str | None,
    method: str,
) -> None:
    card = _card(extractor.extract(text, "t"), text, fragment)
    assert card.quote.kind == kind
    assert card.speaker is not None
    assert card.speaker.name == speaker
    assert text[card.speaker.start : card.speaker.end] == card.speaker.mention
    assert (card.cue.text if card.cue else None) == cue
    assert (card.addressee.name if card.addressee else None) == addressee
    assert card.method == method


NO_SPEAKER_CASES = [
    # a story's first quote that speaks of the person the next paragraph opens on
    (
        "Floods cut off the village.\n\n“Marek Hollowell has not slept since the water came "
        "up.”\n\nMarek Hollowell, 71, has lived on Ferry Lane all his life.",
        "not slept",
    ),
    # a long line below a quote is no signature
    (
        "The port closed.\n\n“We will not give up on the port, not now and not ever.”\n\n- "
        "and then the Harwick Port Council walked out of the hall on Monday with its members.",
        "not give up",
    ),
    # a headline word the story never names is no speaker
    ("Opinion: ‘We must act now on the port’\n\nThe council met on Friday.", "act now"),
]


@pytest.mark.parametrize(("text", "fragment"), NO_SPEAKER_CASES)
def test_quotes_left_without_a_speaker(extractor: Extractor, text: str, fragment: str) -> None:
    card = _card(extractor.extract(text, "t"), text, fragment)
    assert (card.speaker, card.method) == (None, "none")


def test_continuation_paragraph_takes_previous_speaker(extractor: Extractor) -> None:
    text = (
        "“We have raised the money,” said Ann Patel, the project director.\n\n"
        "“Construction starts next spring and ends the year after.”"
    )
    cards = extractor.extract(text, "t")
    first, second = _card(cards, text, "raised"), _card(cards, text, "Construction")
    assert second.method == "continuation"
    assert second.speaker is not None and second.speaker.name == "Ann Patel"
    # A continuation is grounded in the mention that attributed the quote it continues.
    assert first.speaker is not None and second.speaker.start == first.speaker.start
    assert second.continues == first.id


def test_colon_paragraph_without_a_speech_verb_introduces_the_quotes(
    extractor: Extractor,
) -> None:
    text = (
        "Ann Patel wrote to the council on Monday.\n\n"
        "She then listed three conditions for the deal:\n\n"
        "“The port stays public.\n\n"
        "“The workers keep their contracts.”"
    )
    cards = extractor.extract(text, "t")
    assert [c.method for c in cards] == ["colon_intro", "continuation"]
    assert all(c.speaker is not None and c.speaker.name == "Ann Patel" for c in cards)


def test_colon_hung_on_an_object_finds_the_clause_subject(extractor: Extractor) -> None:
    text = (
        "The debate ran late.\n\n"
        "On July 6, Ann Patel made the following comment:\n\n"
        "“For young people, the unemployment rate is far too high.”"
    )
    card = extractor.extract(text, "t")[0]
    assert card.method == "colon_intro"
    assert card.speaker is not None and card.speaker.name == "Ann Patel"


def test_transcript_turns_name_their_speakers(extractor: Extractor) -> None:
    text = (
        "Radio Nord host Omar Reyes interviewed Ann Patel. A partial transcript follows:\n\n"
        '"REYES: Will the port close?\n\n'
        '"PATEL: Not this year. The budget is safe.\n\n'
        '"And the workers keep their contracts."'
    )
    cards = extractor.extract(text, "t")
    assert [c.quote.text for c in cards] == [
        "Will the port close?",
        "Not this year. The budget is safe.",
        "And the workers keep their contracts.",
    ]
    assert [c.speaker.name if c.speaker else None for c in cards] == [
        "Omar Reyes",
        "Ann Patel",
        "Ann Patel",
    ]
    assert [c.speaker.mention if c.speaker else None for c in cards][:2] == ["REYES", "PATEL"]
    assert [c.method for c in cards] == ["colon_intro", "colon_intro", "continuation"]


def test_multi_paragraph_quote_gives_one_card_per_paragraph(extractor: Extractor) -> None:
    text = (
        "Ann Patel said:\n\n"
        "“The first phase is done. The second phase starts in June.\n\n"
        "“The third phase will take two more years.”"
    )
    cards = extractor.extract(text, "t")
    assert [c.quote.text for c in cards] == [
        "The first phase is done. The second phase starts in June.",
        "The third phase will take two more years.",
    ]
    assert all(c.speaker is not None and c.speaker.name == "Ann Patel" for c in cards)
    assert cards[1].continues == cards[0].id


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("The two leaders announced a “no limits” partnership last year.", "no limits"),
        ("Critics mocked the so-called “peace dividend” of the treaty.", "peace dividend"),
        (
            "The mayor criticized what the paper casts as “provocations” by the union.",
            "provocations",
        ),
        ("The agency refrained from calling the strike an “emergency” on Tuesday.", "emergency"),
        # Titles of works set beside their noun, even with a speaker in the sentence.
        (
            "In her 2019 book, “Ports of the North Sea,” Ann Patel argued for public ownership.",
            "Ports of the North",
        ),
        ("Karl Brandt was a guest on the radio show, “Harbourside.” He talked about it.", "Harb"),
    ],
)
def test_scare_quotes_are_not_cards_by_default(
    extractor: Extractor, scare_extractor: Extractor, text: str, fragment: str
) -> None:
    assert extractor.extract(text, "t") == []
    scare = _card(scare_extractor.extract(text, "t"), text, fragment)
    assert scare.quote.kind == "scare"
    assert scare.speaker is None


def test_pronoun_skips_a_subject_the_article_calls_he(extractor: Extractor) -> None:
    # The gender comes from the article ("his hosts"), never from a first name.
    text = (
        "Mary Lopez met Robert Chen in Denver on Monday. Robert Chen thanked his hosts.\n\n"
        "“This was a productive day,” she said."
    )
    card = _card(extractor.extract(text, "t"), text, "productive")
    assert card.speaker is not None
    assert (card.speaker.name, card.speaker.mention) == ("Mary Lopez", "she")


@pytest.mark.parametrize(
    ("text", "fragment", "speaker"),
    [
        # a pronoun prefers the subject to the object
        (
            "Karl Brandt met Omar Reyes at the port. Later Karl Brandt praised Omar Reyes.\n\n"
            "“The port is in good hands,” he said.",
            "good hands",
            "Karl Brandt",
        ),
        # an untitled fragment does not hide the previous speaker
        (
            "“The port is safe,” Ann Patel said on Radio Nord’s “Morning Show.” “We will keep "
            "every job.”",
            "keep every job",
            "Ann Patel",
        ),
    ],
)
def test_speaker_from_the_text_before(
    extractor: Extractor, text: str, fragment: str, speaker: str
) -> None:
    card = _card(extractor.extract(text, "t"), text, fragment)
    assert card.speaker is not None and card.speaker.name == speaker


def test_object_pronoun_addressee_is_not_the_speaker(extractor: Extractor) -> None:
    text = "“Sit down,” Ann Patel told Omar Reyes, and then she told him, “Listen.”"
    card = _card(extractor.extract(text, "t"), text, "Listen")
    assert card.addressee is not None and card.addressee.name == "Omar Reyes"


def test_organisation_speaker_named_canonically(extractor: Extractor) -> None:
    text = (
        "The Northern Water Authority raised prices in March.\n\n"
        "“Prices had to rise to pay for the new pipes,” the authority said."
    )
    card = _card(extractor.extract(text, "t"), text, "Prices had")
    assert card.speaker is not None
    assert card.speaker.name == "Northern Water Authority"
    assert card.speaker.type == "organization"


def test_line_breaks_start_sentences_before_parsing(extractor: Extractor) -> None:
    text = "10:40 a.m.\n\nPort director Ann Patel once said: “The harbour never sleeps.”"
    doc = extractor.nlp(text)
    port = doc.char_span(text.index("Port"), text.index("Port") + 4)
    assert port is not None and port.start in {s.start for s in doc.sents}
    card = _card(extractor.extract(text, "t"), text, "harbour")
    assert card.speaker is not None and card.speaker.name == "Ann Patel"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # A negated or passive speech verb reports nothing; the earlier speaker goes on.
        (
            "“The port will stay open,” Ann Patel said on Monday. Karl Brandt did not comment "
            "on the plan. “Our goal is to keep every job.”",
            "Ann Patel",
        ),
        (
            "“The port will stay open,” Ann Patel said after Karl Brandt was called to the "
            "hearing. “Our goal is to keep every job.”",
            "Ann Patel",
        ),
        # A name, not words: "a group called …" is no cue.
        (
            "“The port will stay open,” Ann Patel said, praising a union group called "
            "Harbour First. “Our goal is to keep every job.”",
            "Ann Patel",
        ),
        # A new paragraph about a person: its first cue-less quote is theirs.
        (
            "“The port will stay open,” Ann Patel said on Monday.\n\nKarl Brandt, the union "
            "leader, saw the decision as a turning point for the city. “This is a good day for "
            "the workers.”",
            "Karl Brandt",
        ),
    ],
)
def test_cueless_quote_takes_the_speaker_the_text_before_gives(
    extractor: Extractor, text: str, speaker: str
) -> None:
    card = extractor.extract(text, "t")[-1]
    assert card.speaker is not None and card.speaker.name == speaker


def test_words_beside_an_utterance_noun_are_a_quote(extractor: Extractor) -> None:
    text = "At the end of her speech, Ann Patel added the words, “Thank You Harbourside.”"
    card = _card(extractor.extract(text, "t"), text, "Thank You")
    assert card.quote.kind == "direct"
    assert card.speaker is not None and card.speaker.name == "Ann Patel"


def test_capitalised_sentence_after_a_quote_goes_on_speaking(
    extractor: Extractor, scare_extractor: Extractor
) -> None:
    text = "“The port is safe,” Ann Patel said, smiling. “Big Ships. Big Jobs.”"
    card = _card(extractor.extract(text, "t"), text, "Big Ships")
    assert card.quote.kind == "direct"
    assert card.speaker is not None and card.speaker.name == "Ann Patel"
    # Alone, the same words are a slogan, not an utterance.
    alone = "The union printed new posters. “Big Ships. Big Jobs.”"
    assert _card(scare_extractor.extract(alone, "t"), alone, "Big Ships").quote.kind == "scare"


@pytest.mark.parametrize(
    ("fragment", "speaker"),
    [
        ("Why roses?", "Ivo Marsh"),  # a label is the surname the intro gives in full
        ("My mother grew them", "Rhona Vell"),
        ("Do they?", "Ivo Marsh"),
    ],
)
def test_transcript_turn_speakers(extractor: Extractor, fragment: str, speaker: str) -> None:
    text = (
        "Rhona Vell spoke to Ivo Marsh about her garden.\n\n"
        "MARSH: Why roses?\n\n"
        "VELL: My mother grew them. She said, ‘Roses forgive you.’\n\n"
        "MARSH: Do they?\n\n"
        "VELL: Mostly."
    )
    card = _card(extractor.extract(text, "t"), text, fragment)
    assert (card.quote.kind, card.method, card.cue) == ("direct", "colon_intro", None)
    assert card.quote.text == text[text.index(fragment) :].split("\n")[0]
    assert card.speaker is not None
    assert (card.speaker.name, card.speaker.named) == (speaker, True)


@pytest.mark.parametrize(
    ("intro", "fragment", "speaker"),
    [
        ("She spoke to Strand Wire’s Ivo Marsh.", "What changed?", "Ivo Marsh"),
        ("She spoke to Strand Wire’s Ivo Marsh.", "Everything did.", "Rhona Vell"),
        ("Ivo Marsh interviewed her at the port.", "What changed?", "Ivo Marsh"),
        ("Ivo Marsh interviewed her at the port.", "Everything did.", "Rhona Vell"),
    ],
)
def test_q_and_a_turns_belong_to_the_interviewer_and_the_guest(
    extractor: Extractor, intro: str, fragment: str, speaker: str
) -> None:
    text = (
        f"Harbour master Rhona Vell retires on Friday. {intro}\n\n"
        "Q: What changed?\n\nA: Everything did.\n\nQ: And next?\n\nA: A small boat."
    )
    card = _card(extractor.extract(text, "t"), text, fragment)
    assert card.speaker is not None
    assert card.speaker.name == speaker


@pytest.mark.parametrize(
    ("text", "fragment", "name", "mention"),
    [
        # a double hyphen is a byline dash too
        (
            "Two victims wrote to the court.\n\n"
            "“I trusted her with my savings.” -- Harold Ekwueme, 91",
            "trusted her",
            "Harold Ekwueme",
            "Harold Ekwueme",
        ),
        # an age phrase the parse leaves without a subject relation still speaks
        (
            "Fintan O’Marra, 52, won the prize.\n\n“I have another one half written,” the "
            "52-year-old said.",
            "another one",
            "Fintan O’Marra",
            "the 52-year-old",
        ),
        # a hyphenated role word is not the name: "co" of "co-owner"
        (
            "“I had a line out the door,” said co-owner Denholm Okereke of the Low Tide shop.",
            "line out the door",
            "Denholm Okereke",
            "Denholm Okereke",
        ),
        # a participle the parse hangs on a quote speaks for the clause's subject
        (
            "Mr. Trump hardly clarified the matter, treating her remark first as a compliment -- "
            "''That makes me smart'' -- and, when questioned after the debate, asserting, "
            "''Of course, I pay federal taxes.''",
            "I pay federal taxes",
            "Trump",
            "Trump",
        ),
        # a quote that ends its sentence is not the cue of the next one; the colon's own
        # clause speaks ("I had to change my answer:"), not the main clause's "She"
        (
            'I laughed and said, "I do not believe it." She became so upset that I had to '
            'change my answer: "Of course I believe it. I was just kidding." To which she '
            'said, "Thank God."',
            "Of course",
            "I",
            "I",
        ),
        # after a fragment, a quote opening its paragraph is the person the last sentence of
        # the paragraph before is about
        (
            "Though she called the bank’s conduct “outrageous”, Clinton restricted her comments "
            "to hypothetical scenarios.\n\n“If any bank can’t be managed, it should be broken up.”",
            "any bank",
            "Clinton",
            "Clinton",
        ),
    ],
)
def test_attribution_repairs_around_the_parse(
    extractor: Extractor, text: str, fragment: str, name: str, mention: str
) -> None:
    card = _card(extractor.extract(text, "t"), text, fragment)
    assert card.speaker is not None
    assert (card.speaker.name, card.speaker.mention) == (name, mention)
