"""Cards: attributions + entities → fact cards and the speaker roster.

Pure: a parsed Doc in, models out.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from .attribution import Attribution, attribute
from .entities import EntityIndex, Resolved, pronoun_type
from .lexicon import PRONOUNS
from .marks import QuoteSpan, paragraphs, scan_quotes
from .models import (
    Addressee,
    Cue,
    DocumentRecord,
    FactCard,
    Method,
    Quote,
    RosterEntry,
    Source,
    Speaker,
)

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
# A pronoun resolved to a name is one more guess.
_PRONOUN_FACTOR = 0.85
_SELF_PRONOUNS = frozenset({"i", "we", "me", "us", "you"})


def card_id(doc_id: str, start: int, end: int, kind: str) -> str:
    """Stable across runs: the same document and offsets always give the same id."""
    digest = hashlib.sha1(f"{doc_id}\x1f{start}\x1f{end}\x1f{kind}".encode()).hexdigest()
    return f"q_{digest[:16]}"


def text_doc_id(text: str) -> str:
    """A document id for text that came without one: stable, from the content."""
    return "doc_" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]


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


def _resolve(
    index: EntityIndex, tokens: Sequence[Token], speaker: Resolved | None = None
) -> tuple[Resolved | None, bool]:
    """Canonical entity for a mention; (None, _) when a pronoun has no antecedent. For an
    addressee, ``speaker`` is the clause's subject, which an object pronoun cannot be."""
    if len(tokens) == 1 and tokens[0].lower_ in PRONOUNS:
        pronoun = tokens[0]
        if pronoun.lower_ in _SELF_PRONOUNS:
            found = None
        elif speaker is None:
            found = index.resolve_pronoun(pronoun)
        else:
            found = index.resolve_pronoun(pronoun, exclude=speaker.entity, prefer_subject=False)
        # No antecedent in the text (a first-person writer, a pronoun before any name): the
        # pronoun itself is the best name there is.
        return found or Resolved(pronoun.text, pronoun_type(pronoun.lower_), None, None), True
    return index.resolve_span(tokens), False


def _sentence(doc: Doc, start: int, end: int, para: tuple[int, int]) -> str:
    """The sentences around a quote, clipped to its paragraph."""
    first = doc.char_span(start, max(start + 1, end), alignment_mode="expand")
    if first is None or len(first) == 0:
        return doc.text[para[0] : para[1]]
    s = max(first[0].sent.start_char, para[0])
    e = min(first[-1].sent.end_char, para[1])
    return doc.text[s:e].strip()


def build_cards(
    doc: Doc,
    doc_id: str,
    *,
    include_scare: bool = False,
    segments: Sequence[QuoteSpan] | None = None,
) -> Extraction:
    """The whole core: quote segments, attribution, entities, cards and roster for a parsed doc."""
    text = doc.text
    paras = paragraphs(text)
    segs = list(segments) if segments is not None else scan_quotes(text)
    attributions = attribute(doc, segs, paras)
    index = EntityIndex(doc)
    cards: list[FactCard] = []
    ids: list[str] = []
    names: dict[int, Resolved | None] = {}
    for i, att in enumerate(attributions):
        seg = att.segment
        ids.append(card_id(doc_id, seg.start, seg.end, att.kind))
        if att.kind == "scare" and not include_scare:
            continue
        cards.append(_card(doc, doc_id, att, ids, index, names, i, paras))
    return Extraction(doc_id, cards, roster(cards))


def _card(
    doc: Doc,
    doc_id: str,
    att: Attribution,
    ids: Sequence[str],
    index: EntityIndex,
    names: dict[int, Resolved | None],
    position: int,
    paras: Sequence[tuple[int, int]],
) -> FactCard:
    seg = att.segment
    text = doc.text
    speaker: Speaker | None = None
    resolved: Resolved | None = None
    confidence = METHOD_CONFIDENCE[att.method]
    method: Method = att.method
    if att.speaker and att.kind != "scare":
        if att.continues is not None and att.continues in names:
            resolved = names[att.continues]
            pronoun = False
        else:
            resolved, pronoun = _resolve(index, att.speaker)
        names[position] = resolved
        if resolved is not None:
            start, end = _span_of(att.speaker)
            speaker = Speaker(
                name=resolved.name,
                mention=text[start:end],
                start=start,
                end=end,
                type=resolved.type,
                title=resolved.title,
            )
            if pronoun:
                confidence *= _PRONOUN_FACTOR
    if speaker is None and att.kind != "scare":
        method = "none"
        confidence = METHOD_CONFIDENCE["none"]
    cue: Cue | None = None
    if att.cue:
        c_start, c_end = _span_of(att.cue)
        cue = Cue(
            text=text[c_start:c_end],
            lemma=" ".join(t.lemma_.lower() for t in att.cue),
            start=c_start,
            end=c_end,
        )
    addressee: Addressee | None = None
    if att.addressee:
        resolved_to, _ = _resolve(index, att.addressee, speaker=resolved)
        if resolved_to is not None:
            a_start, a_end = _span_of(att.addressee)
            addressee = Addressee(
                name=resolved_to.name, mention=text[a_start:a_end], start=a_start, end=a_end
            )
    return FactCard(
        id=ids[position],
        doc_id=doc_id,
        quote=Quote(text=text[seg.start : seg.end], start=seg.start, end=seg.end, kind=att.kind),
        speaker=speaker,
        cue=cue,
        addressee=addressee,
        method=method,
        confidence=round(confidence, 3),
        paragraph=seg.paragraph,
        sentence=_sentence(doc, seg.start, seg.end, paras[seg.paragraph]),
        continues=ids[att.continues] if att.continues is not None else None,
    )


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
        RosterEntry(name=name, type=first[name].type, title=first[name].title, quotes=n)
        for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
