"""The extractor: the library's way in. It loads a spaCy pipeline once, parses texts in
batches and runs the pure core (``quotes.core``) over each parsed document with one
:class:`~quotes.options.ExtractOptions`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from .core.cards import Extraction, build_cards, text_doc_id
from .core.deadline import time_limit
from .errors import InputError
from .files import lone_surrogate
from .models import FactCard
from .options import DEFAULT_LIMITS, ExtractOptions, Limits
from .pipeline import load_model

T = TypeVar("T")
#: Texts parsed together by ``nlp.pipe`` (news articles: :data:`BATCH_CHARS` stops a batch
#: first, at about 20). The parser and recogniser take a step for every document of a batch
#: at once, so larger batches cost less a document: 16 articles at a time took 12% more CPU.
DEFAULT_BATCH_SIZE = 64
#: Characters parsed together at most. The parser's working memory grows with what it is
#: given at once (about 3 KB a character), so a batch stops here, and a longer text is
#: parsed in paragraph chunks of half this and joined.
BATCH_CHARS = 100_000


class Extractor:
    """Reusable extractor: ``Extractor().extract(text)`` or ``.pipe(texts)`` over ``nlp.pipe``.

    Options come as one :class:`ExtractOptions` (``options=``) or, for convenience, as its
    fields (``include_cognition=True``), not both. ``limits`` bound what one document may cost
    (:class:`Limits`); a text beyond them, or one holding a lone surrogate, raises
    :class:`~quotes.errors.InputError` (``refusal`` says why beforehand).
    """

    def __init__(
        self,
        model: str | Language | None = None,
        options: ExtractOptions | None = None,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        limits: Limits = DEFAULT_LIMITS,
        **flags: bool,
    ) -> None:
        if options is not None and flags:
            raise TypeError("pass either options= or its fields as keywords, not both")
        self.nlp = model if isinstance(model, Language) else load_model(model)
        self.options = options if options is not None else ExtractOptions(**flags)
        self.batch_size = batch_size
        self.limits = limits

    def refusal(self, text: str) -> str | None:
        """Why ``text`` will not be extracted (a lone surrogate, over the size limit), or None."""
        problem = lone_surrogate(text)
        if problem is not None:
            return f"text holds {problem}"
        limit = self.limits.max_chars
        if limit is not None and len(text) > limit:
            return f"too large: {len(text):,} characters, over the limit of {limit:,} (--max-chars)"
        return None

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
        """The cards of a parsed document, within the time limit (else
        :class:`~quotes.errors.TooSlow`)."""
        if doc_id is not None and (problem := lone_surrogate(doc_id)) is not None:
            raise InputError(f"document id holds {problem}")
        with time_limit(self.limits.max_seconds):
            return build_cards(
                doc, doc_id if doc_id is not None else text_doc_id(doc.text), self.options
            )

    def parse(self, items: Iterable[tuple[str, T]]) -> Iterator[tuple[Doc, T]]:
        """Parse texts in batches (of ``batch_size`` texts and :data:`BATCH_CHARS` characters
        at most), keeping each one's context; a longer text, or one beyond the pipeline's
        ``max_length``, is parsed in paragraph chunks and joined, offsets unchanged. A text
        that :meth:`refusal` refuses raises :class:`~quotes.errors.InputError`."""
        limit = min(self.nlp.max_length, BATCH_CHARS)
        short: list[tuple[str, T]] = []
        size = 0
        for text, context in items:
            problem = self.refusal(text)
            if problem is not None:
                raise InputError(problem)
            if len(text) > limit:
                yield from self.nlp.pipe(short, as_tuples=True, batch_size=self.batch_size)
                short, size = [], 0
                yield self._parse_long(text, limit // 2), context
                continue
            short.append((text, context))
            size += len(text)
            if len(short) >= self.batch_size or size >= BATCH_CHARS:
                yield from self.nlp.pipe(short, as_tuples=True, batch_size=self.batch_size)
                short, size = [], 0
        yield from self.nlp.pipe(short, as_tuples=True, batch_size=self.batch_size)

    def _parse_long(self, text: str, size: int) -> Doc:
        chunks = list(self.nlp.pipe(split_at_paragraphs(text, size), batch_size=1))
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
    """Fact cards for one text with the default (or named) pipeline, loaded once per process.
    Raises :class:`~quotes.errors.InputError` for a text it refuses (see
    :meth:`Extractor.refusal`)."""
    return Extractor(model).extract(text, doc_id)
