"""Speaker entities: titles apart from names, canonical forms, pronoun agreement."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from quotes.core.entities import EntityIndex, pronoun_type, strip_title, title_before
from quotes.extractor import Extractor


@pytest.mark.parametrize(
    ("words", "name", "title"),
    [
        (["Vice", "President", "JD", "Vance"], ["JD", "Vance"], "Vice President"),
        (["President", "Ann", "Patel"], ["Ann", "Patel"], "President"),
        (["Sen.", "Omar", "Reyes"], ["Omar", "Reyes"], "Sen."),
        (["Ann", "Patel"], ["Ann", "Patel"], None),
        (["President"], ["President"], None),  # a title alone is not stripped to nothing
    ],
)
def test_strip_title_on_hand_built_tokens(
    words: list[str], name: list[str], title: str | None
) -> None:
    doc = Doc(Vocab(), words=words)
    tokens, found = strip_title(list(doc))
    assert [t.text for t in tokens] == name
    assert found == title


def test_title_before_prefers_the_longest_title() -> None:
    doc = Doc(Vocab(), words=["US", "Vice", "President", "JD", "Vance", "said"])
    assert title_before(doc, 3) == "Vice President"
    assert title_before(doc, 0) is None
    lower = Doc(Vocab(), words=["the", "president", "said"])
    assert title_before(lower, 2) == "President"


@pytest.mark.parametrize(
    ("pronoun", "kind"),
    [("he", "person"), ("She", "person"), ("it", "organization"), ("they", "collective")],
)
def test_pronoun_types(pronoun: str, kind: str) -> None:
    assert pronoun_type(pronoun) == kind


def test_fullest_name_and_title_across_mentions(nlp: Language) -> None:
    doc = nlp(
        "Vice President Mary Lopez arrived on Monday. Later, Lopez met the mayor. "
        "Lopez's staff stayed behind."
    )
    index = EntityIndex(doc)
    lopez = [t for t in doc if t.text == "Lopez"][1]
    resolved = index.resolve_span([lopez])
    assert (resolved.name, resolved.title, resolved.type) == (
        "Mary Lopez",
        "Vice President",
        "person",
    )


def test_it_resolves_to_an_organisation(extractor: Extractor) -> None:
    text = (
        "Northwind Shipping Company lost a contract in May. Robert Chen, a trader, laughed.\n\n"
        "“We will appeal the decision,” it said in a statement."
    )
    cards = [c for c in extractor.extract(text, "t") if c.quote.kind == "direct"]
    assert cards[0].speaker is not None
    assert cards[0].speaker.mention == "it"
    assert cards[0].speaker.name == "Northwind Shipping Company"
    assert cards[0].speaker.type == "organization"
