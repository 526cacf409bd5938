"""The parsing pipeline the extractor loads: its changes to spaCy's must not change annotations."""

from __future__ import annotations

import numpy
import pytest
import spacy
from spacy.language import Language

from quotes import pipeline
from quotes.pipeline import (
    FAST_ATTRIBUTE_RULER,
    FastAttributeRuler,
    default_model_name,
    load_model,
)

from .conftest import SEED

ATTRIBUTES = ["TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD"]
# Contractions, "gonna", expletives and odd whitespace: the cases the ruler's longer and
# dependency patterns exist for.
TEXTS = [
    SEED.read_text(encoding="utf-8"),
    "Let's go. We ain't gonna wait, there's no time and there were no votes.\n\n  Gotta run.",
    "“I dunno,” she said.\t\tThe U.S. isn't   ready; it's 5 p.m. and they're late.",
    "",
]


@pytest.fixture(scope="module")
def spacy_ruler_nlp() -> Language:
    """The extractor's pipeline with spaCy's own attribute ruler back in its place."""
    nlp = load_model.__wrapped__()
    source = spacy.load(default_model_name())
    nlp.add_pipe("attribute_ruler", source=source, before=FAST_ATTRIBUTE_RULER)
    nlp.remove_pipe(FAST_ATTRIBUTE_RULER)
    return nlp


def test_fast_attribute_ruler_replaces_spacys(nlp: Language) -> None:
    assert FAST_ATTRIBUTE_RULER in nlp.pipe_names
    assert "attribute_ruler" not in nlp.pipe_names


@pytest.mark.parametrize("text", TEXTS)
def test_fast_attribute_ruler_sets_what_spacys_sets(
    nlp: Language, spacy_ruler_nlp: Language, text: str
) -> None:
    ours, theirs = nlp(text), spacy_ruler_nlp(text)
    assert [t.text for t in ours] == [t.text for t in theirs]
    assert numpy.array_equal(ours.to_array(ATTRIBUTES), theirs.to_array(ATTRIBUTES))


def test_fast_attribute_ruler_cache_stays_bounded(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    ruler = nlp.get_pipe(FAST_ATTRIBUTE_RULER)
    assert isinstance(ruler, FastAttributeRuler)
    monkeypatch.setattr(pipeline, "_RULER_CACHE_LIMIT", 5)
    nlp("One two three four five six seven eight nine ten.")
    before = dict(ruler.cache)
    nlp("Eleven twelve.")
    assert len(ruler.cache) < len(before)


def test_line_breaks_start_sentences(nlp: Language) -> None:
    doc = nlp("Updated 1:50 p.m.\nFamed doctor Ann Patel said it.")
    starts = {s.start_char for s in doc.sents}
    assert doc.text.index("Famed") in starts
