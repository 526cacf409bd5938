"""Cards: attributions + entities → fact cards and the speaker roster.

Pure: a parsed Doc in, models out.
"""

from __future__ import annotations

import bisect
import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ..models import (
    Addressee,
    Cue,
    DocumentRecord,
    FactCard,
    Method,
    Pronoun,
    Quote,
    RosterEntry,
    Source,
    Speaker,
)
from ..options import DEFAULT_OPTIONS, ExtractOptions
from .attribution import Attribution
from .coref import Coreference, Utterance
from .deadline import check
from .entities import Entity, EntityIndex, Resolved, pronoun_type
from .grammar import DocView
from .indirect import find_reported
from .lexicon import PRONOUNS, RELATIVE_PRONOUNS
from .marks import QuoteSpan, paragraphs, scan_quotes
from .sieves import attribute

#: How much a card's attribution is trusted, by the sieve that made it.
METHOD_CONFIDENCE: dict[Method, float] = {
    "cue_adjacent": 0.9,
    "according_to": 0.85,
    "cue_embedded": 0.8,
    "colon_intro": 0.8,
    "dash_byline": 0.8,
    "partial_governor": 0.75,
    "continuation": 0.7,
    "indirect_clause": 0.7,
    "nearest_speaker": 0.4,
    "none": 0.2,
}
# Hex digits of the hashes in card ids and derived document ids; decimals of a confidence.
_CARD_ID_DIGITS = 16
_DOC_ID_DIGITS = 12
_CONFIDENCE_DECIMALS = 3
# A pronoun resolved to a name is one more guess.
_PRONOUN_FACTOR = 0.85
_SELF_PRONOUNS = frozenset({"i", "we", "me", "us", "you"})
_PRONOUNS: dict[str, Pronoun] = {"he": "he", "she": "she", "they": "they"}


def card_id(doc_id: str, start: int, end: int, kind: str) -> str:
    """Stable across runs: the same document and offsets always give the same id."""
    digest = hashlib.sha1(f"{doc_id}\x1f{start}\x1f{end}\x1f{kind}".encode()).hexdigest()
    return f"q_{digest[:_CARD_ID_DIGITS]}"


def text_doc_id(text: str) -> str:
    """A document id for text that came without one: stable, from the content."""
    return "doc_" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:_DOC_ID_DIGITS]


@dataclass(frozen=True)
class Extraction:
    """Everything the core found in one document, before it is packaged as a record."""

    doc_id: str
    cards: list[FactCard]
    speakers: list[RosterEntry]

    def record(self, source: Source | None = None) -> DocumentRecord:
        return DocumentRecord(
            doc_id=self.doc_id, source=source or Source(), cards=self.cards, speakers=self.speakers
        )


def _span_of(tokens: Sequence[Token]) -> tuple[int, int]:
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _mention_span(
    index: EntityIndex, tokens: Sequence[Token], entity: Entity | None
) -> tuple[int, int]:
    """The speaker mention's offsets: the name inside it when the parse took in more ("in
    Uzbekistan Putin said" grounds "Putin")."""
    start, end = _span_of(tokens)
    if entity is None:
        return start, end
    for t in tokens:
        name = index.mention_at(t)
        if name is not None and index.entity_at(t) is entity:
            first = t.doc[name.start]
            last = t.doc[name.end - 1]
            if first.idx > start and last.idx + len(last.text) <= end:
                return first.idx, end
            break
    return start, end


def _is_relative_subject(token: Token) -> bool:
    """ "who" in "Ann Patel, who said …": a relative pronoun whose clause hangs on a name."""
    return (
        token.lower_ in RELATIVE_PRONOUNS
        and token.head.dep_ == "relcl"
        and token.head.head.pos_ in ("PROPN", "NOUN", "PRON")
    )


def _resolve(
    coref: Coreference, tokens: Sequence[Token], speaker: Resolved | None = None
) -> tuple[Resolved | None, bool]:
    """Canonical entity for a mention, and whether it came through a pronoun. A pronoun with
    no antecedent in the text (a first-person writer, a pronoun before any name, no candidate
    that agrees) keeps its own text, marked unnamed."""
    if len(tokens) == 1 and _is_relative_subject(tokens[0]):
        resolved, _ = _resolve(coref, [tokens[0].head.head], speaker)
        return resolved, True
    pronoun = tokens[0] if len(tokens) == 1 and tokens[0].lower_ in PRONOUNS else None
    if pronoun is not None and pronoun.lower_ in _SELF_PRONOUNS:
        return _unresolved(pronoun), True
    entity = coref.referent(tokens)
    if entity is not None and not entity.named and speaker is not None and pronoun is None:
        entity = None  # an addressee nobody names keeps its words: "told reporters"
    if entity is not None and (speaker is None or entity is not speaker.entity):
        return _resolved(entity, coref.index, tokens), pronoun is not None
    if pronoun is not None:
        return _unresolved(pronoun), True
    resolved = coref.index.resolve_span(tokens)
    return resolved, False


def _resolved(entity: Entity, index: EntityIndex, tokens: Sequence[Token]) -> Resolved:
    title = entity.title
    if title is None and entity.named:
        title = index.resolve_span(tokens).title if tokens[0].pos_ != "PRON" else None
    return Resolved(entity.name, entity.type, title, entity, named=entity.named)


def _unresolved(pronoun: Token) -> Resolved:
    return Resolved(pronoun.text, pronoun_type(pronoun.lower_), None, None, named=False)


class _Sentences:
    """Sentence bounds of a doc, computed once (``Token.sent`` scans on every access)."""

    def __init__(self, doc: Doc) -> None:
        self.text = doc.text
        bounds = [(s.start_char, s.end_char) for s in doc.sents] if len(doc) else []
        self.starts = [b[0] for b in bounds]
        self.bounds = bounds

    def around(self, start: int, end: int, para: tuple[int, int]) -> str:
        """The sentences holding ``[start, end)``, clipped to its paragraph."""
        if not self.bounds:
            return self.text[para[0] : para[1]].strip()
        first = max(bisect.bisect_right(self.starts, start) - 1, 0)
        last = max(bisect.bisect_right(self.starts, max(start, end - 1)) - 1, first)
        s = max(self.bounds[first][0], para[0])
        e = min(self.bounds[last][1], para[1])
        return self.text[s:e].strip()


def build_cards(
    doc: Doc,
    doc_id: str,
    options: ExtractOptions = DEFAULT_OPTIONS,
    *,
    segments: Sequence[QuoteSpan] | None = None,
) -> Extraction:
    """The whole core: quote segments, attribution, reported speech, entities, cards and roster
    for a parsed doc."""
    text = doc.text
    paras = paragraphs(text)
    segs = list(segments) if segments is not None else scan_quotes(text)
    view = DocView(doc, segs, paras)
    drafts = attribute(view)
    quote_count = len(drafts)
    if options.include_indirect:
        direct = [(a.open_start, a.close_end) for a in drafts if a.kind == "direct"]
        drafts += find_reported(
            view, include_cognition=options.include_cognition, direct_spans=direct
        )
    index = EntityIndex(doc)
    utterances = [
        Utterance(d.start, d.end, d.speaker, d.addressee)
        for d in drafts
        if d.kind != "scare" and d.continues is None
    ]
    coref = Coreference(doc, index, view.quoted, utterances)
    sentences = _Sentences(doc)
    ids = [card_id(doc_id, d.start, d.end, d.kind) for d in drafts]
    names: dict[int, Resolved | None] = {}
    built: dict[int, FactCard] = {}
    for i, draft in enumerate(drafts):
        check()
        if draft.kind == "scare" and not options.include_scare:
            continue
        built[i] = _card(text, doc_id, draft, ids, coref, names, i, paras, sentences)
    # Mixed speech: a partial quote inside a reported clause is part of that statement.
    for i in range(quote_count):
        card = built.get(i)
        if card is None or card.quote.kind != "partial":
            continue
        for j in range(quote_count, len(drafts)):
            outer = drafts[j]
            if outer.start <= card.quote.start and card.quote.end <= outer.end + 1:
                built[i] = card.model_copy(update={"part_of": ids[j]})
                break
    cards = sorted(built.values(), key=lambda c: (c.quote.start, c.quote.end, c.quote.kind))
    return Extraction(doc_id, cards, roster(cards))


def _card(
    text: str,
    doc_id: str,
    draft: Attribution,
    ids: Sequence[str],
    coref: Coreference,
    names: dict[int, Resolved | None],
    position: int,
    paras: Sequence[tuple[int, int]],
    sentences: _Sentences,
) -> FactCard:
    speaker: Speaker | None = None
    resolved: Resolved | None = None
    confidence = METHOD_CONFIDENCE[draft.method]
    method: Method = draft.method
    if draft.speaker and draft.kind != "scare":
        if draft.continues is not None and draft.continues in names:
            resolved = names[draft.continues]
            pronoun = False
        else:
            resolved, pronoun = _resolve(coref, draft.speaker)
        names[position] = resolved
        if resolved is not None:
            start, end = _mention_span(coref.index, draft.speaker, resolved.entity)
            speaker = Speaker(
                name=resolved.name,
                mention=text[start:end],
                start=start,
                end=end,
                type=resolved.type,
                title=resolved.title,
                named=resolved.named,
                pronoun=_pronoun_of(resolved),
            )
            if pronoun:
                confidence *= _PRONOUN_FACTOR
    if speaker is None and draft.kind != "scare":
        method = "none"
        confidence = METHOD_CONFIDENCE["none"]
    cue: Cue | None = None
    if draft.cue:
        c_start, c_end = _span_of(draft.cue)
        cue = Cue(
            text=text[c_start:c_end],
            lemma=" ".join(t.lemma_.lower() for t in draft.cue),
            start=c_start,
            end=c_end,
        )
    addressee: Addressee | None = None
    if draft.addressee:
        resolved_to, _ = _resolve(coref, draft.addressee, speaker=resolved)
        if resolved_to is not None:
            a_start, a_end = _span_of(draft.addressee)
            addressee = Addressee(
                name=resolved_to.name, mention=text[a_start:a_end], start=a_start, end=a_end
            )
    return FactCard(
        id=ids[position],
        doc_id=doc_id,
        quote=Quote(
            text=text[draft.start : draft.end], start=draft.start, end=draft.end, kind=draft.kind
        ),
        speaker=speaker,
        cue=cue,
        addressee=addressee,
        method=method,
        confidence=round(confidence, _CONFIDENCE_DECIMALS),
        paragraph=draft.paragraph,
        sentence=sentences.around(draft.start, draft.end, paras[draft.paragraph]),
        continues=ids[draft.continues] if draft.continues is not None else None,
    )


def _pronoun_of(resolved: Resolved) -> Pronoun | None:
    """The personal pronoun the article's narrative uses for a named person, else None."""
    entity = resolved.entity
    if entity is None or not resolved.named or resolved.type != "person":
        return None
    return _PRONOUNS.get(entity.pronoun or "")


def roster(cards: Sequence[FactCard]) -> list[RosterEntry]:
    """One entry per canonical speaker, most quoted first (ties by name, for stable output)."""
    counts: Counter[str] = Counter()
    first: dict[str, Speaker] = {}
    for card in cards:
        if card.speaker is None:
            continue
        counts[card.speaker.name] += 1
        first.setdefault(card.speaker.name, card.speaker)
    return [
        RosterEntry(
            name=name,
            type=first[name].type,
            title=first[name].title,
            named=first[name].named,
            pronoun=first[name].pronoun,
            quotes=n,
        )
        for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
