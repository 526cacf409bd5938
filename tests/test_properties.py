"""Properties over generated news-like text: never raises, offsets exact, output validates,
ids stable. The long run (QUOTES_FUZZ=1) takes ~10,000 examples; CI runs a short one."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotes.errors import InputError
from quotes.extractor import Extractor
from quotes.schema import record_errors

LONG_RUN = os.environ.get("QUOTES_FUZZ") == "1"
EXAMPLES = 10_000 if LONG_RUN else 60

WORDS = [
    "Ann",
    "Patel",
    "said",
    "told",
    "he",
    "she",
    "the",
    "council",
    "“",
    "”",
    '"',
    "'",
    "‘",
    "’",
    "«",
    "»",
    "„",
    "—",
    ",",
    ".",
    ":",
    "\n",
    "\n\n",
    "can't",
    "players’",
    "'90s",
    "O'Neill",
    "according",
    "to",
    "added",
    "é",
    "日本",
    "🙂",
    "\t",
    "  ",
    "\ufeff",
    "\u200b",
    "'" * 70,  # a run of marks the tokenizer is given in pieces
    "“”" * 40,
]

texts = st.one_of(
    st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join),
    st.lists(st.sampled_from(WORDS), max_size=60).map("".join),
    st.text(max_size=200),
)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=texts, scare=st.booleans())
def test_extraction_never_raises_and_cards_are_exact(
    extractor: Extractor, scare_extractor: Extractor, text: str, scare: bool
) -> None:
    chosen = scare_extractor if scare else extractor
    cards = chosen.extract(text, "fuzz")
    for card in cards:
        data = card.model_dump(mode="json")
        assert record_errors(data, "fact-card") == []
        assert text[card.quote.start : card.quote.end] == card.quote.text
        for part in (card.speaker, card.cue, card.addressee):
            if part is not None:
                mention = getattr(part, "mention", None) or getattr(part, "text", None)
                assert text[part.start : part.end] == mention
    assert [c.id for c in chosen.extract(text, "fuzz")] == [c.id for c in cards]


@settings(
    max_examples=EXAMPLES // 10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=texts, at=st.integers(min_value=0), surrogate=st.integers(0xD800, 0xDFFF))
def test_a_lone_surrogate_is_always_an_input_error(
    extractor: Extractor, text: str, at: int, surrogate: int
) -> None:
    position = at % (len(text) + 1)
    spoiled = text[:position] + chr(surrogate) + text[position:]
    with pytest.raises(InputError, match=rf"U\+{surrogate:04X}\) at character {position}$"):
        extractor.extract(spoiled, "fuzz")
