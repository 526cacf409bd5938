"""The parsing pipeline the extractor loads: its changes to spaCy's must not change annotations."""

from __future__ import annotations

import numpy
import pytest
import spacy
from spacy.language import Language
from spacy.pipeline import DependencyParser, EntityRecognizer
from spacy.tokens import Doc, Span

from quotes import pipeline
from quotes.decoders import FastEntityRecognizer, FastParser, speed_up_decoders
from quotes.pipeline import (
    FAST_ATTRIBUTE_RULER,
    FastAttributeRuler,
    FastLemmatizer,
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


def test_one_token_patterns_match_as_spacys_matcher_does(nlp: Language) -> None:
    ruler = nlp.get_pipe(FAST_ATTRIBUTE_RULER)
    assert isinstance(ruler, FastAttributeRuler) and ruler.patterns is not None
    for doc in _before(nlp, FAST_ATTRIBUTE_RULER, DECODER_TEXTS):
        keys = doc.to_array(ruler.key_attrs).reshape(len(doc), len(ruler.key_attrs)).tolist()
        for token, key in zip(doc, keys, strict=True):
            expected = [
                m for m, _, _ in ruler.single(doc[token.i : token.i + 1], allow_missing=True)
            ]
            assert sorted(ruler.patterns.match(tuple(key))) == sorted(expected), token.text


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


# Names of three kinds, dates and numbers, an entity at the very end, whitespace runs and
# line breaks inside a sentence: every BILUO move and each of its validity rules.
DECODER_TEXTS = [
    *TEXTS,
    "Senator Elizabeth Warren told CNN on Tuesday that 19 percent of Americans backed the "
    "$2.3 million plan.\n\nThe European Union and Wells Fargo declined.  Ask Karl Brandt",
    "New York\n\nApple Inc. said Monday.   \n  \u201cYes,\u201d said Ann.",
    "a",
]


def _before(nlp: Language, name: str, texts: list[str]) -> list[Doc]:
    """The texts run through the pipeline up to component ``name`` (not included)."""
    docs = [nlp.make_doc(text) for text in texts]
    for other, component in nlp.pipeline:
        if other == name:
            return docs
        docs = [component(doc) for doc in docs]
    raise AssertionError(f"no component {name}")


@pytest.mark.parametrize(
    ("name", "attributes"),
    [("parser", ["HEAD", "DEP", "SENT_START"]), ("ner", ["ENT_IOB", "ENT_TYPE", "ENT_KB_ID"])],
)
def test_fast_decoders_annotate_what_spacys_decoders_annotate(
    nlp: Language, name: str, attributes: list[str]
) -> None:
    fast = nlp.get_pipe(name)
    assert isinstance(fast, FastParser if name == "parser" else FastEntityRecognizer)
    spacys = fast.inner
    assert type(spacys) is (DependencyParser if name == "parser" else EntityRecognizer)
    docs = _before(nlp, name, DECODER_TEXTS)
    theirs = [doc.copy() for doc in docs]
    spacys.set_annotations(theirs, spacys.predict(theirs))
    ours = [doc.copy() for doc in docs]
    list(fast.pipe(ours, batch_size=4))  # batches mixing long, short and empty docs
    for mine, reference in zip(ours, theirs, strict=True):
        assert numpy.array_equal(mine.to_array(attributes), reference.to_array(attributes))
        assert [(e.start, e.end, e.label_) for e in mine.ents] == [
            (e.start, e.end, e.label_) for e in reference.ents
        ]


def test_fast_recogniser_leaves_preset_entities_to_spacy(nlp: Language) -> None:
    fast = nlp.get_pipe("ner")
    (doc,) = _before(nlp, "ner", ["Ann Patel met Karl Brandt in Paris."])
    doc.set_ents([Span(doc, 0, 2, label="ORG")], default="missing")
    expected = doc.copy()
    fast.inner.set_annotations([expected], fast.inner.predict([expected]))
    fast(doc)
    assert (doc.ents[0].start, doc.ents[0].end, doc.ents[0].label_) == (0, 2, "ORG")
    assert (
        doc.to_array(["ENT_IOB", "ENT_TYPE"]).tolist()
        == expected.to_array(["ENT_IOB", "ENT_TYPE"]).tolist()
    )


def test_cached_lemmatizer_lemmatizes_as_spacys_does(nlp: Language) -> None:
    fast = nlp.get_pipe("lemmatizer")
    assert isinstance(fast, FastLemmatizer)
    docs = _before(nlp, "lemmatizer", DECODER_TEXTS * 2)  # the second time from the cache
    ours = [fast(doc.copy()) for doc in docs]
    theirs = [fast.inner(doc.copy()) for doc in docs]
    for mine, reference in zip(ours, theirs, strict=True):
        assert [t.lemma_ for t in mine] == [t.lemma_ for t in reference]


def test_fast_decoders_keep_spacys_names_and_attributes(nlp: Language) -> None:
    assert nlp.pipe_names.index("parser") < nlp.pipe_names.index("ner")
    assert "PERSON" in nlp.get_pipe("ner").labels  # the wrapped component's
    speed_up_decoders(nlp)  # idempotent
    assert isinstance(nlp.get_pipe("ner"), FastEntityRecognizer)
