"""Tests for quotes.marks: the quotation-mark scanner over raw text.

Every sentence here is made up for these tests. Expected offsets are computed by finding the
expected content in the text, so each table row states what the scanner must return exactly.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quotes.core.marks import QuoteSpan, paragraphs, scan_quotes


def at(text: str, sub: str, nth: int = 0) -> tuple[int, int]:
    """(start, end) of the nth occurrence of sub in text."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return start, start + len(sub)


def contents(text: str) -> list[tuple[int, int]]:
    return [(q.start, q.end) for q in scan_quotes(text)]


def expect(text: str, *subs: str) -> list[tuple[int, int]]:
    return [at(text, sub) for sub in subs]


# --- mark styles -------------------------------------------------------------------------

STYLES = [
    ('She said "we will rebuild the bridge" on Monday.', "we will rebuild the bridge", '"', '"'),
    ("The mayor said “the river is rising” again.", "the river is rising", "“", "”"),
    ("He called the plan ‘a bold gamble’ yesterday.", "a bold gamble", "‘", "’"),
    ("The coach called it 'a turning point' after the match.", "a turning point", "'", "'"),
    ("Le ministre a dit « nous restons ici » hier.", " nous restons ici ", "«", "»"),
    ("Die Ärztin sagte «wir bleiben hier» am Abend.", "wir bleiben hier", "«", "»"),
    ("Er sagte »wir bleiben hier« und ging.", "wir bleiben hier", "»", "«"),
    ("Sie nannte es ‹ein kleines Wunder› gestern.", "ein kleines Wunder", "‹", "›"),
    ("Sie sagte „wir bleiben hier“ und ging.", "wir bleiben hier", "„", "“"),
    ("Sie nannte es ‚ein Wunder‘ gestern.", "ein Wunder", "‚", "‘"),
    ("''We are ready,'' the captain said.", "We are ready,", "''", "''"),
]


@pytest.mark.parametrize(("text", "content", "open_mark", "close_mark"), STYLES)
def test_each_mark_style(text: str, content: str, open_mark: str, close_mark: str) -> None:
    start, end = at(text, content)
    assert scan_quotes(text) == [
        QuoteSpan(
            start=start,
            end=end,
            open_start=start - len(open_mark),
            close_end=end + len(close_mark),
            open_mark=open_mark,
            close_mark=close_mark,
            paragraph=0,
            continues_previous=False,
            closed=True,
        )
    ]


MIXED = [
    ('"We’re running out of time,” the engineer warned.', "We’re running out of time,"),
    ('“Nobody expected this." she wrote.', "Nobody expected this."),
    ("Reporters heard “the vote is final'' from the clerk.", "the vote is final"),
    ("He called it ‘a fair result' on air.", "a fair result"),
    ("She labelled it 'a fresh start’ in her memo.", "a fresh start"),
]


@pytest.mark.parametrize(("text", "content"), MIXED)
def test_open_and_close_in_different_styles(text: str, content: str) -> None:
    assert contents(text) == expect(text, content)


# --- apostrophes -------------------------------------------------------------------------

NO_QUOTES = [
    "We can't stop now and it's late, so don’t wait for me.",
    "You’re right that they’d rather leave.",
    "The committee's report and the mayor’s reply arrived.",
    "The leaders' summit ended early.",
    "The players’ union rejected the offer.",
    "The Joneses' house was sold to the Smiths’ cousins.",
    "Give 'em time; we love rock 'n' roll from the '90s and dance ’til dawn.",
    "They stayed 'cause the band played ’em all until ‘til late.",
    "Ms. O'Neill met D’Angelo and Mr. O’Brien at noon.",
    "Kids were runnin' and jumpin' in the street.",
    "He is 6'2\" tall and she is 5’7” tall.",
    "A stray ” mark and a lone ' here.",
]


@pytest.mark.parametrize("text", NO_QUOTES)
def test_apostrophes_are_not_quotes(text: str) -> None:
    assert scan_quotes(text) == []


APOSTROPHES_INSIDE = [
    (
        'She said "the leaders\' summit was a waste of time" to reporters.',
        "the leaders' summit was a waste of time",
    ),
    ("He called it ‘the farmers’ best harvest’ in years.", "the farmers’ best harvest"),
    ("'It's over and we can't win,' she said.", "It's over and we can't win,"),
    ("'We played rock 'n' roll all night,' he said.", "We played rock 'n' roll all night,"),
    (
        "“O’Neill’s players’ union won’t sign,” the agent said.",
        "O’Neill’s players’ union won’t sign,",
    ),
    ("She mocked ‘expert opinions’ and left the room.", "expert opinions"),
    ('"He is 6\'2" tall and strong," the coach said.', "He is 6'2\" tall and strong,"),
    ("The leaders' summit called it 'a new chapter' in talks.", "a new chapter"),
    ("He said 'we'll see' and the players' union agreed.", "we'll see"),
    ("The ‘90s were fine, she said, calling it ‘a calm decade’.", "a calm decade"),
]


@pytest.mark.parametrize(("text", "content"), APOSTROPHES_INSIDE)
def test_apostrophes_inside_and_around_quotes(text: str, content: str) -> None:
    assert contents(text) == expect(text, content)


# --- nesting -----------------------------------------------------------------------------

NESTED = [
    (
        "“He told me ‘never give up’ before the race,” she said.",
        "He told me ‘never give up’ before the race,",
    ),
    (
        '"The sign said “closed for repairs” all week," he said.',
        "The sign said “closed for repairs” all week,",
    ),
    ('"She shouted "stop" twice," the guard said.', 'She shouted "stop" twice,'),
    ("''They told us, 'wait here,''' she said.", "They told us, 'wait here,'"),
    ("'''Hold still,' he said,'' she recalled.", "'Hold still,' he said,"),
    (
        "He said “she called it ‘a “rare” gift’ today” and left.",
        "she called it ‘a “rare” gift’ today",
    ),
]


@pytest.mark.parametrize(("text", "content"), NESTED)
def test_nested_quotes_belong_to_the_outer_one(text: str, content: str) -> None:
    assert contents(text) == expect(text, content)


def test_several_quotes_in_one_paragraph() -> None:
    text = '“First,” she said, “second.” Then ‘third’ and "fourth one".'
    assert contents(text) == expect(text, "First,", "second.", "third", "fourth one")


# --- paragraph continuation --------------------------------------------------------------


@pytest.mark.parametrize("sep", ["\n", "\n\n", "\n  \n", "\r\n"])
def test_quote_continues_into_next_paragraph(sep: str) -> None:
    first = '"The first part of the statement runs here.'
    second = '"And the second part ends now," she said.'
    text = first + sep + second
    one = at(text, "The first part of the statement runs here.")
    two = at(text, "And the second part ends now,")
    spans = scan_quotes(text)
    assert [(q.start, q.end) for q in spans] == [one, two]
    assert spans[0] == QuoteSpan(
        start=one[0],
        end=one[1],
        open_start=one[0] - 1,
        close_end=one[1],
        open_mark='"',
        close_mark=None,
        paragraph=0,
        continues_previous=False,
        closed=False,
    )
    assert spans[1] == QuoteSpan(
        start=two[0],
        end=two[1],
        open_start=two[0] - 1,
        close_end=two[1] + 1,
        open_mark='"',
        close_mark='"',
        paragraph=1,
        continues_previous=True,
        closed=True,
    )


def test_quote_continues_over_three_paragraphs() -> None:
    text = "He began: “One.\n\n“Two, still going.\n\n“Three, and done,” he said."
    spans = scan_quotes(text)
    assert [(q.start, q.end) for q in spans] == expect(
        text, "One.", "Two, still going.", "Three, and done,"
    )
    assert [q.paragraph for q in spans] == [0, 1, 2]
    assert [q.continues_previous for q in spans] == [False, True, True]
    assert [q.closed for q in spans] == [False, False, True]
    assert [q.close_mark for q in spans] == [None, None, "”"]


def test_continuation_needs_an_opening_mark_on_the_next_paragraph() -> None:
    text = '"This quote never gets its closing mark\nThe reporter moved on to "other news" then.'
    spans = scan_quotes(text)
    assert [(q.start, q.end) for q in spans] == expect(
        text, "This quote never gets its closing mark", "other news"
    )
    assert [q.closed for q in spans] == [False, True]
    assert [q.continues_previous for q in spans] == [False, False]


def test_short_unclosed_quote_still_continues() -> None:
    text = "“Yes.\n“No,” she said."
    spans = scan_quotes(text)
    assert [(q.start, q.end) for q in spans] == expect(text, "Yes.", "No,")
    assert [q.continues_previous for q in spans] == [False, True]


# --- unbalanced marks --------------------------------------------------------------------

UNBALANCED = [
    # An unclosed double quote of 3+ words runs to its paragraph end; later quotes survive.
    (
        '"This line never closes at all\nLater she said "we agree" again.',
        ["This line never closes at all", "we agree"],
    ),
    # Too short to stand unclosed: dropped.
    ('He wrote "maybe\nThen "a real quote" follows.', ["a real quote"]),
    # A stray closer is ignored.
    ("A stray ” mark sits here.\nThen “a real quote” follows.", ["a real quote"]),
    ('Odd mark" here.\n\nShe said "all is well" today.', ["all is well"]),
    ('A stray mark" sits in this line and "a quote" follows.', ["a quote"]),
    # An unclosed single quote is dropped, whatever its length.
    ("The ‘idea was odd and never closed.\nShe said ‘fine’ later.", ["fine"]),
    # The quotes inside a dropped opener are top level after all.
    ('Odd "so ‘ok’\nNext line.', ["ok"]),
    # An unclosed quote does not swallow the next paragraph's quote.
    (
        "“Unclosed but long enough here\n\nThen ‘one more’ line.",
        ["Unclosed but long enough here", "one more"],
    ),
]


@pytest.mark.parametrize(("text", "subs"), UNBALANCED)
def test_unbalanced_marks_cost_only_their_paragraph(text: str, subs: list[str]) -> None:
    assert contents(text) == expect(text, *subs)


EMPTY = [
    ("", []),
    ("\n\n   \n", []),
    ('He said "" and left.', []),
    ("Nothing “ ” here.", []),
    ("Just ‘’ this.", []),
    ('He said "" then "yes please" later.', ["yes please"]),
    ("No marks at all in this line.", []),
]


@pytest.mark.parametrize(("text", "subs"), EMPTY)
def test_empty_quotes_and_inputs(text: str, subs: list[str]) -> None:
    assert contents(text) == expect(text, *subs)


def test_loose_opener_keeps_inner_whitespace() -> None:
    text = "She said “ we are ready” at noon."
    assert contents(text) == expect(text, " we are ready")


def test_offsets_index_the_unmodified_text() -> None:
    text = "\u00a0Ünïcödé 😀 “naïve café” — « déjà vu »\t‘ok’"
    spans = scan_quotes(text)
    assert [text[q.start : q.end] for q in spans] == ["naïve café", " déjà vu ", "ok"]


# --- paragraphs --------------------------------------------------------------------------

PARAGRAPHS = [
    ("", []),
    ("one line", ["one line"]),
    ("a\n\nb\n   \nc", ["a", "b", "c"]),
    ("first\r\nsecond\n", ["first", "second"]),
    ("  indented\n\t\n", ["  indented"]),
    ("x\u2029y", ["x", "y"]),
]


@pytest.mark.parametrize(("text", "lines"), PARAGRAPHS)
def test_paragraphs(text: str, lines: list[str]) -> None:
    assert [text[s:e] for s, e in paragraphs(text)] == lines
    assert all(text[s:e].strip() for s, e in paragraphs(text))


# --- properties --------------------------------------------------------------------------

PIECES = st.sampled_from(
    [
        "said",
        "the",
        "players",
        "leaders",
        "O",
        "Neill",
        "can",
        "t",
        "90s",
        "em",
        "n",
        "6",
        "2",
        "é",
        "😀",
        "中文",
        " ",
        " ",
        "  ",
        "\t",
        "\u00a0",
        "\n",
        "\n\n",
        "\r\n",
        ",",
        ".",
        "—",
        "(",
        ")",
        '"',
        "“",
        "”",
        "‘",
        "’",
        "'",
        "''",
        "'''",
        "«",
        "»",
        "‹",
        "›",
        "„",
        "‚",
    ]
)
TEXTS = st.one_of(st.lists(PIECES, max_size=60).map("".join), st.text(max_size=80))


def check_invariants(text: str, spans: list[QuoteSpan]) -> None:
    paras = paragraphs(text)
    previous: QuoteSpan | None = None
    for q in spans:
        assert 0 <= q.open_start < q.start <= q.end <= q.close_end <= len(text)
        assert text[q.open_start : q.start] == q.open_mark
        assert text[q.start : q.end].strip()
        assert q.closed == (q.close_mark is not None)
        if q.close_mark is None:
            assert q.close_end == q.end == paras[q.paragraph][1]
        else:
            assert text[q.end : q.close_end] == q.close_mark
        p_start, p_end = paras[q.paragraph]
        assert p_start <= q.open_start and q.close_end <= p_end
        if previous is not None:
            assert previous.start < q.start
            assert previous.close_end <= q.open_start
        if q.continues_previous:
            assert previous is not None and not previous.closed
            assert previous.paragraph == q.paragraph - 1
        previous = q


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_scanner_never_raises_and_keeps_its_invariants(text: str) -> None:
    check_invariants(text, scan_quotes(text))


def test_invariants_hold_on_a_long_messy_text() -> None:
    text = ("“a ‘b’ \"c d e\n'f’ g''h'''i «j» „k“ ‚l‘ 6'2\" ” ’ ' \n\n" * 400)[:-3]
    check_invariants(text, scan_quotes(text))


def test_double_quote_closed_by_a_single_mark_typo() -> None:
    text = "She tweeted: “We can win.’ She left. Later she starred in “Harbour Lights.”"
    spans = scan_quotes(text)
    assert [text[q.start : q.end] for q in spans] == ["We can win.", "Harbour Lights."]
    assert spans[0].closed and spans[0].close_mark == "’"


_INTERVIEW = (
    "Rhona Vell spoke to Ivo Marsh about her garden.\n\n"
    "MARSH: Why roses?\n\n"
    "VELL: My mother grew them. She said, ‘Roses forgive you.’\n\n"
    "MARSH: Do they?\n\n"
    "VELL: Mostly."
)


@pytest.mark.parametrize(
    ("text", "turns"),
    [
        # every labelled paragraph of a dialogue is one turn; a quote inside it is the turn's
        (
            _INTERVIEW,
            [
                "MARSH: Why roses?",
                "VELL: My mother grew them. She said, ‘Roses forgive you.’",
                "MARSH: Do they?",
                "VELL: Mostly.",
            ],
        ),
        # Q and A, and labels with diacritics and hyphens
        (
            "Q: Why?\nA: Because.\nQ: Really?\nA: Yes.",
            ["Q: Why?", "A: Because.", "Q: Really?", "A: Yes."],
        ),
        (
            "NÍ BHRIAIN: One.\nTILL-ROSS: Two.\nNÍ BHRIAIN: Three.\nTILL-ROSS: Four.",
            ["NÍ BHRIAIN: One.", "TILL-ROSS: Two.", "NÍ BHRIAIN: Three.", "TILL-ROSS: Four."],
        ),
        # one speaker's labels, or headings used once each, are no transcript
        ("UPDATE: The road reopened.\nSTAT OF THE WEEK: 43 buses.", []),
        ("VELL: One.\nVELL: Two.\nMARSH: Three.", []),
        # a capitalised word before a colon in prose is no label
        ("Photo: the mayor.\nRead more: the port.\nPhoto: the bay.\nRead more: the ferry.", []),
    ],
)
def test_transcript_turns(text: str, turns: list[str]) -> None:
    assert contents(text) == expect(text, *turns)
