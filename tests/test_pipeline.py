"""The parsing pipeline the extractor loads: its changes to spaCy's must not change annotations."""

from __future__ import annotations

from typing import Any

import numpy
import pytest
import spacy
from spacy.language import Language
from spacy.pipeline import DependencyParser, EntityRecognizer
from spacy.tokens import Doc, Span

from quotes import decoders, pipeline
from quotes.decoders import FastEntityRecognizer, FastParser, speed_up_decoders, swap_component
from quotes.pipeline import (
    LINE_SENTENCES,
    FastAttributeRuler,
    FastLemmatizer,
    default_model_name,
    load_model,
    prepare_pipeline,
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
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, FastAttributeRuler)
    swap_component(nlp, "attribute_ruler", ruler.inner)
    return nlp


def test_fast_attribute_ruler_replaces_spacys(nlp: Language) -> None:
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, FastAttributeRuler)
    assert nlp.get_pipe_meta("attribute_ruler").factory == "attribute_ruler"  # spaCy's config
    assert ruler.sequences  # "gon na", "there 's": matched from their tokens' tests
    assert ruler.mergeable  # each token's matches set at once


@pytest.mark.parametrize("text", TEXTS)
def test_fast_attribute_ruler_sets_what_spacys_sets(
    nlp: Language, spacy_ruler_nlp: Language, text: str
) -> None:
    ours, theirs = nlp(text), spacy_ruler_nlp(text)
    assert [t.text for t in ours] == [t.text for t in theirs]
    assert numpy.array_equal(ours.to_array(ATTRIBUTES), theirs.to_array(ATTRIBUTES))


def test_one_token_patterns_match_as_spacys_matcher_does(nlp: Language) -> None:
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, FastAttributeRuler) and ruler.patterns is not None
    for doc in _before(nlp, "attribute_ruler", DECODER_TEXTS):
        keys = doc.to_array(ruler.key_attrs).reshape(len(doc), len(ruler.key_attrs)).tolist()
        for token, key in zip(doc, keys, strict=True):
            expected = [
                m for m, _, _ in ruler.single(doc[token.i : token.i + 1], allow_missing=True)
            ]
            ours = [m for m in ruler.patterns.match(tuple(key)) if m >= 0]  # not a step's
            assert sorted(ours) == sorted(expected), token.text


def test_fast_attribute_ruler_cache_stays_bounded(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    ruler = nlp.get_pipe("attribute_ruler")
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


ALL_ATTRIBUTES = [*ATTRIBUTES, "SENT_START", "ENT_IOB", "ENT_TYPE"]


def _same_annotations(ours: Doc, theirs: Doc) -> bool:
    return [t.text for t in ours] == [t.text for t in theirs] and numpy.array_equal(
        ours.to_array(ALL_ATTRIBUTES), theirs.to_array(ALL_ATTRIBUTES)
    )


def test_saved_pipeline_is_spacys_and_loads_with_spacy_load(nlp: Language, tmp_path: Any) -> None:
    """nlp.to_disk writes spaCy's own components (the speed-ups save what they wrap), so the
    saved pipeline loads with spacy.load, and prepared again it annotates as before."""
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    factories = {name: loaded.get_pipe_meta(name).factory for name in loaded.pipe_names}
    assert factories["attribute_ruler"] == "attribute_ruler"
    assert factories["parser"] == "parser" and factories["ner"] == "ner"
    assert factories["lemmatizer"] == "lemmatizer"
    assert type(loaded.get_pipe("parser")) is DependencyParser
    prepare_pipeline(loaded)
    assert isinstance(loaded.get_pipe("parser"), FastParser)
    for text in DECODER_TEXTS:
        assert _same_annotations(loaded(text), nlp(text))


def test_quote_cards_component_pipeline_saves_and_loads(tmp_path: Any) -> None:
    nlp = spacy.load(default_model_name())
    nlp.add_pipe("quote_cards")
    doc = nlp(TEXTS[0])
    nlp.to_disk(tmp_path / "with_cards")
    loaded = spacy.load(tmp_path / "with_cards")
    assert loaded(TEXTS[0])._.fact_cards == doc._.fact_cards


@pytest.mark.parametrize("exclude", [["ner"], ["ner", "lemmatizer", "attribute_ruler"]])
def test_pipeline_lacking_components_prepares(exclude: list[str]) -> None:
    nlp = spacy.load(default_model_name(), exclude=exclude)
    prepare_pipeline(nlp)
    assert not set(exclude) & set(nlp.pipe_names)
    doc = nlp("“We are ready,” said Ann Patel.\nShe left.")
    assert doc.has_annotation("DEP")


def test_blank_pipeline_prepares_and_tokenizes() -> None:
    nlp = spacy.blank("en")
    prepare_pipeline(nlp)
    assert LINE_SENTENCES not in nlp.pipe_names  # no parser to precede
    assert [t.text for t in nlp("said,“Look")] == ["said", ",", "“", "Look"]


def test_other_spacy_versions_keep_spacys_decoders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decoders, "spacy_version", lambda: (4, 0))
    nlp = spacy.load(default_model_name())
    prepare_pipeline(nlp)
    assert type(nlp.get_pipe("parser")) is DependencyParser
    assert type(nlp.get_pipe("ner")) is EntityRecognizer
    reference = load_model()
    for text in TEXTS:
        assert _same_annotations(nlp(text), reference(text))


def _tiny_trained(parser: str, ner: str) -> Language:
    """A blank English pipeline with a parser and recogniser of the given factories."""
    from spacy.training import Example

    nlp = spacy.blank("en")
    nlp.add_pipe(parser, name="parser")
    nlp.add_pipe(ner, name="ner")
    words = ["Ann", "Patel", "said", "it", "."]
    example = Example.from_dict(
        nlp.make_doc("Ann Patel said it."),
        {
            "words": words,
            "heads": [1, 2, 2, 2, 2],
            "deps": ["compound", "nsubj", "ROOT", "dobj", "punct"],
            "entities": ["B-PERSON", "L-PERSON", "O", "O", "O"],
        },
    )
    nlp.initialize(lambda: [example])  # labels from the example, weights at random
    return nlp


@pytest.mark.parametrize(
    ("parser", "ner", "fast"),
    [("parser", "ner", True), ("beam_parser", "beam_ner", False)],
)
def test_other_architectures_keep_spacys_decoders(parser: str, ner: str, fast: bool) -> None:
    """Any pipeline by name works: a beam parser and recogniser are not the decoders' kind
    and stay spaCy's; a greedy one of other sizes is decoded the same. (An untrained beam
    fails in spaCy itself, so only the greedy pipeline is run.)"""
    nlp = _tiny_trained(parser, ner)
    text = "Ann Patel said it. Karl Brandt said so."
    expected = nlp(text) if fast else None
    prepare_pipeline(nlp)
    assert isinstance(nlp.get_pipe("parser"), FastParser) is fast
    assert isinstance(nlp.get_pipe("ner"), FastEntityRecognizer) is fast
    if expected is not None:
        attributes = ["HEAD", "DEP", "ENT_IOB", "ENT_TYPE"]
        assert nlp(text).to_array(attributes).tolist() == expected.to_array(attributes).tolist()
