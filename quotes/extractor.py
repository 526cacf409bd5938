"""The extractor: the library's way in. It loads a spaCy pipeline once, parses texts in
batches and runs the pure core (``quotes.core``) over each parsed document with one
:class:`~quotes.options.ExtractOptions`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from .core.cards import Extraction, build_cards, text_doc_id
from .models import FactCard
from .options import ExtractOptions
from .pipeline import load_model

T = TypeVar("T")
#: Texts parsed together by ``nlp.pipe``.
DEFAULT_BATCH_SIZE = 16


class Extractor:
    """Reusable extractor: ``Extractor().extract(text)`` or ``.pipe(texts)`` over ``nlp.pipe``.

    Options come as one :class:`ExtractOptions` (``options=``) or, for convenience, as its
    fields (``include_cognition=True``), not both.
    """

    def __init__(
        self,
        model: str | Language | None = None,
        options: ExtractOptions | None = None,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        **flags: bool,
    ) -> None:
        if options is not None and flags:
            raise TypeError("pass either options= or its fields as keywords, not both")
        self.nlp = model if isinstance(model, Language) else load_model(model)
        self.options = options if options is not None else ExtractOptions(**flags)
        self.batch_size = batch_size

    def extract_document(self, text: str, doc_id: str | None = None) -> Extraction:
        return next(self.pipe_documents([(text, doc_id)]))

    def extract(self, text: str, doc_id: str | None = None) -> list[FactCard]:
        return self.extract_document(text, doc_id).cards

    def pipe(self, texts: Iterable[str]) -> Iterator[list[FactCard]]:
        """Cards for each text, in order; ids derive from the text (see :func:`text_doc_id`)."""
        for extraction in self.pipe_documents((t, None) for t in texts):
            yield extraction.cards

    def pipe_documents(self, items: Iterable[tuple[str, str | None]]) -> Iterator[Extraction]:
        """Extractions for ``(text, doc_id)`` pairs, in order, parsed in batches."""
        for doc, doc_id in self.parse(items):
            yield self.build(doc, doc_id)

    def build(self, doc: Doc, doc_id: str | None) -> Extraction:
        return build_cards(
            doc, doc_id if doc_id is not None else text_doc_id(doc.text), self.options
        )

    def parse(self, items: Iterable[tuple[str, T]]) -> Iterator[tuple[Doc, T]]:
        """Parse texts in batches, keeping each one's context; texts beyond the pipeline's
        ``max_length`` are parsed in paragraph chunks and joined, offsets unchanged."""
        limit = self.nlp.max_length
        short: list[tuple[str, T]] = []
        for text, context in items:
            if len(text) <= limit:
                short.append((text, context))
                if len(short) >= self.batch_size:
                    yield from self.nlp.pipe(short, as_tuples=True, batch_size=self.batch_size)
                    short = []
                continue
            yield from self.nlp.pipe(short, as_tuples=True, batch_size=self.batch_size)
            short = []
            yield self._parse_long(text), context
        yield from self.nlp.pipe(short, as_tuples=True, batch_size=self.batch_size)

    def _parse_long(self, text: str) -> Doc:
        chunks = list(self.nlp.pipe(split_at_paragraphs(text, self.nlp.max_length // 2)))
        joined = Doc.from_docs(chunks, ensure_whitespace=False)
        assert joined.text == text  # offsets are the contract
        return joined


def split_at_paragraphs(text: str, size: int) -> list[str]:
    """Cut ``text`` into pieces of at most about ``size`` characters, at line breaks where
    possible; the pieces join back to exactly ``text``."""
    pieces: list[str] = []
    start = 0
    while len(text) - start > size:
        cut = text.rfind("\n", start, start + size)
        if cut <= start:
            cut = text.rfind(" ", start, start + size)
        end = cut + 1 if cut > start else start + size
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return [p for p in pieces if p]


def extract(text: str, doc_id: str | None = None, *, model: str | None = None) -> list[FactCard]:
    """Fact cards for one text with the default (or named) pipeline, loaded once per process."""
    return Extractor(model).extract(text, doc_id)
