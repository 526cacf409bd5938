"""The spaCy component: registered through the entry point, fills doc.spans and doc._."""

from __future__ import annotations

import pickle

import pytest
import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import DocBin

from quotes.errors import InputError
from quotes.pipeline import default_model_name
from quotes.schema import record_errors

TEXT = "“The harbour will reopen in April,” said Mayor Ann Patel. Critics doubt it."


def _pipeline() -> Language:
    nlp = spacy.load(default_model_name())
    nlp.add_pipe("quote_cards", config={"include_scare": False})
    return nlp


def test_component_fills_spans_and_cards() -> None:
    nlp = _pipeline()
    assert nlp.pipe_names[-1] == "quote_cards"
    doc = nlp(TEXT)
    spans = doc.spans["quotes"]
    assert [(s.text, s.label_) for s in spans] == [("The harbour will reopen in April,", "direct")]
    cards = doc._.fact_cards
    assert cards[0]["speaker"]["name"] == "Ann Patel"
    assert record_errors(cards[0], "fact-card") == []
    assert doc._.quote_speakers[0]["name"] == "Ann Patel"


def test_docs_pickle_and_round_trip_through_docbin() -> None:
    nlp = _pipeline()
    doc = nlp(TEXT)
    again = pickle.loads(pickle.dumps(doc))
    assert again._.fact_cards == doc._.fact_cards
    data = DocBin(docs=[doc], store_user_data=True).to_bytes()
    restored = next(DocBin().from_bytes(data).get_docs(nlp.vocab))
    assert list(restored._.fact_cards) == doc._.fact_cards  # msgpack gives a tuple back
    assert [s.text for s in restored.spans["quotes"]] == [s.text for s in doc.spans["quotes"]]


def test_doc_id_comes_from_user_data() -> None:
    nlp = _pipeline()
    doc = nlp.make_doc(TEXT)
    doc.user_data["doc_id"] = "harbour-1"
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    assert doc._.fact_cards[0]["doc_id"] == "harbour-1"


def test_a_lone_surrogate_is_a_clear_error_and_the_tokenizer_serialises() -> None:
    nlp = _pipeline()
    with pytest.raises(InputError, match=r"lone surrogate \(U\+DCFF\) at character 4"):
        nlp("Ok, \udcff")
    saved = nlp.tokenizer.to_bytes()  # the linear tokenizer saves as spaCy's own
    again = Tokenizer(nlp.vocab).from_bytes(saved)
    assert [t.text for t in again(TEXT)] == [t.text for t in nlp.make_doc(TEXT)]
