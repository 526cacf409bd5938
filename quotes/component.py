"""The ``quote_cards`` spaCy component: the core, run inside any English pipeline with a parser.

It applies the same pipeline fixes as :func:`quotes.pipeline.load_model` and builds cards with
the same :class:`~quotes.options.ExtractOptions` as the library and the CLI, so a pipeline with
this component gives exactly the library's cards. Spans go to ``doc.spans[spans_key]``
(labelled by quote kind); cards and the roster are stored as plain JSON-ready dicts on
``doc._``, so docs still pickle and round-trip through DocBin.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from .core.cards import build_cards, text_doc_id
from .options import DEFAULT_OPTIONS, ExtractOptions
from .pipeline import prepare_pipeline

COMPONENT_NAME = "quote_cards"
#: ``doc.user_data[DOC_ID_KEY]`` names the document; else an id is derived from its text.
DOC_ID_KEY = "doc_id"
DEFAULT_SPANS_KEY = "quotes"


def _register_extensions() -> None:
    for name in ("fact_cards", "quote_speakers"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


class QuoteCards:
    """Runs quote detection and attribution on each parsed doc."""

    def __init__(self, name: str, options: ExtractOptions, spans_key: str) -> None:
        _register_extensions()
        self.name = name
        self.options = options
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        doc_id = doc.user_data.get(DOC_ID_KEY) or text_doc_id(doc.text)
        extraction = build_cards(doc, str(doc_id), self.options)
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
    COMPONENT_NAME,
    default_config={**DEFAULT_OPTIONS.as_dict(), "spans_key": DEFAULT_SPANS_KEY},
    requires=["token.dep", "token.head", "token.lemma", "doc.ents"],
    assigns=["doc.spans", "doc._.fact_cards", "doc._.quote_speakers"],
)
def make_quote_cards(
    nlp: Language,
    name: str,
    *,
    include_scare: bool,
    include_indirect: bool,
    include_cognition: bool,
    spans_key: str,
) -> QuoteCards:
    """Build the component (``nlp.add_pipe("quote_cards", config={"include_cognition": True})``);
    its config is :class:`ExtractOptions` field for field."""
    prepare_pipeline(nlp)
    options = ExtractOptions(
        include_scare=include_scare,
        include_indirect=include_indirect,
        include_cognition=include_cognition,
    )
    return QuoteCards(name, options, spans_key)
