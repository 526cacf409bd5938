"""The one record every rule produces: a span, its kind, the rule that decided it and the tokens
of its cue, speaker and addressee. The quote sieves (``sieves``) and reported speech
(``indirect``) both make them; ``cards`` turns them into fact cards.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from ..models import Method, QuoteKind
from .marks import QuoteSpan


@dataclass(frozen=True)
class Attribution:
    """What a rule decided for one span of the text (tokens refer to the parsed doc).

    ``start``/``end`` bound the content (marks excluded); ``open_start``/``close_end`` the span
    with its quotation marks, equal to ``start``/``end`` for reported speech.
    """

    start: int
    end: int
    open_start: int
    close_end: int
    paragraph: int
    kind: QuoteKind
    method: Method
    cue: tuple[Token, ...] | None
    speaker: tuple[Token, ...] | None
    addressee: tuple[Token, ...] | None
    continues: int | None = None  # index of the attribution this one continues

    @classmethod
    def of_segment(
        cls,
        segment: QuoteSpan,
        kind: QuoteKind,
        method: Method,
        cue: tuple[Token, ...] | None,
        speaker: tuple[Token, ...] | None,
        addressee: tuple[Token, ...] | None,
        continues: int | None = None,
    ) -> Attribution:
        """The attribution of a quote segment."""
        return cls(
            start=segment.start,
            end=segment.end,
            open_start=segment.open_start,
            close_end=segment.close_end,
            paragraph=segment.paragraph,
            kind=kind,
            method=method,
            cue=cue,
            speaker=speaker,
            addressee=addressee,
            continues=continues,
        )

    @classmethod
    def of_clause(
        cls,
        span: tuple[int, int],
        paragraph: int,
        method: Method,
        cue: tuple[Token, ...],
        speaker: tuple[Token, ...] | None,
        addressee: tuple[Token, ...] | None,
    ) -> Attribution:
        """The attribution of a reported clause (indirect speech)."""
        start, end = span
        return cls(start, end, start, end, paragraph, "indirect", method, cue, speaker, addressee)
