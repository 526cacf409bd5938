"""The ``quote_cards`` spaCy component: the core, run inside any English pipeline with a parser.

Spans go to ``doc.spans[spans_key]`` (labelled by quote kind); cards and the roster are stored
as plain JSON-ready dicts on ``doc._``, so docs still pickle and round-trip through DocBin.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from .cards import build_cards, text_doc_id

DOC_ID_KEY = "doc_id"


def _register_extensions() -> None:
    for name in ("fact_cards", "quote_speakers"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


class QuoteCards:
    """Runs quote detection and attribution on each parsed doc."""

    def __init__(self, name: str, *, include_scare: bool, spans_key: str) -> None:
        _register_extensions()
        self.name = name
        self.include_scare = include_scare
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        doc_id = doc.user_data.get(DOC_ID_KEY) or text_doc_id(doc.text)
        extraction = build_cards(doc, str(doc_id), include_scare=self.include_scare)
        spans = []
        for card in extraction.cards:
            span = doc.char_span(
                card.quote.start, card.quote.end, label=card.quote.kind, alignment_mode="expand"
            )
            if span is not None:
                spans.append(span)
        doc.spans[self.spans_key] = spans
        cards: list[dict[str, Any]] = [c.model_dump(mode="json") for c in extraction.cards]
        doc._.fact_cards = cards
        doc._.quote_speakers = [s.model_dump(mode="json") for s in extraction.speakers]
        return doc


@Language.factory(
    "quote_cards",
    default_config={"include_scare": False, "spans_key": "quotes"},
    requires=["token.dep", "token.head", "token.lemma", "doc.ents"],
    assigns=["doc.spans", "doc._.fact_cards", "doc._.quote_speakers"],
)
def make_quote_cards(
    nlp: Language, name: str, *, include_scare: bool, spans_key: str
) -> QuoteCards:
    """Build the component (``nlp.add_pipe("quote_cards")``)."""
    return QuoteCards(name, include_scare=include_scare, spans_key=spans_key)
