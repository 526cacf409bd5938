"""What JSON Schema cannot say about cards and document records, checked in code.

The schema checks each field alone; a record can pass it and still be wrong: offsets shifted,
a span ending before it starts, a text that is not the slice of the document it names, a
confidence that is not a number, ``method: none`` with a speaker, a card continuing itself or
part of a card that does not exist, empty ids. These checks find such records, with the
document text when it is given (``quotes validate --text``), without it otherwise.

    >>> from quotes.checks import record_problems
    >>> record_problems(record, "document", text)   # schema and sense: [] when all is well

Each problem is a :class:`~quotes.schema.FieldProblem` (``$.quote.start: …``). The checks run
only on records the schema accepts, so they may rely on its types.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .core.cards import card_id
from .schema import FieldProblem, SchemaName, record_errors

#: Parts of a card that point into the document, and the field holding their text.
SPANS: tuple[tuple[str, str], ...] = (
    ("quote", "text"),
    ("speaker", "mention"),
    ("cue", "text"),
    ("addressee", "mention"),
)
_REFERENCES = ("continues", "part_of")

Texts = Callable[[str], str | None]


def record_problems(
    record: Mapping[str, Any], name: SchemaName, text: str | None = None
) -> list[FieldProblem]:
    """Every problem of a card or document record: the schema's, else the checks' below.
    ``text`` is the document's text, when known."""
    errors = record_errors(record, name)
    if errors:
        return errors
    if name == "document":
        return document_problems(record, text)
    return card_problems(record, text)


def card_problems(card: Mapping[str, Any], text: str | None = None) -> list[FieldProblem]:
    """The problems of one schema-valid card on its own (see :class:`CardReferences` for
    references between cards)."""
    problems: list[FieldProblem] = []
    for key in ("id", "doc_id"):
        if not card[key]:
            problems.append(FieldProblem(f"$.{key}", "is empty"))
    quote = card["quote"]
    expected = card_id(card["doc_id"], quote["start"], quote["end"], quote["kind"])
    if card["id"] and card["id"] != expected:
        problems.append(
            FieldProblem("$.id", f"is not the id of this quote's place (expected {expected})")
        )
    for part, key in SPANS:
        span = card.get(part)
        if isinstance(span, Mapping):
            problems += _span_problems(f"$.{part}", span, key, text)
    confidence = card["confidence"]
    if not math.isfinite(confidence):
        problems.append(FieldProblem("$.confidence", f"{confidence} is not a number"))
    if card["method"] == "none" and card.get("speaker") is not None:
        problems.append(FieldProblem("$.method", "is 'none' but the card names a speaker"))
    for key in _REFERENCES:
        if card.get(key) is not None and card[key] == card["id"]:
            problems.append(FieldProblem(f"$.{key}", "names the card itself"))
    return problems


def _span_problems(
    path: str, span: Mapping[str, Any], key: str, text: str | None
) -> list[FieldProblem]:
    start, end, written = span["start"], span["end"], span[key]
    if start > end:
        return [FieldProblem(path, f"start {start} is after end {end}")]
    if end - start != len(written):
        return [
            FieldProblem(
                path,
                f"end - start is {end - start} but {key} has {len(written)} characters "
                "(shifted offsets?)",
            )
        ]
    if text is None:
        return []
    if end > len(text):
        return [FieldProblem(f"{path}.end", f"{end} is beyond the text ({len(text)} characters)")]
    if text[start:end] != written:
        return [
            FieldProblem(
                f"{path}.{key}", f"is not the text at {start}:{end}, which is {text[start:end]!r}"
            )
        ]
    return []


def document_problems(record: Mapping[str, Any], text: str | None = None) -> list[FieldProblem]:
    """The problems of one schema-valid document record: each card's, the references between
    its cards, and a speaker roster that does not count its cards."""
    problems: list[FieldProblem] = []
    references = CardReferences()
    for n, card in enumerate(record["cards"]):
        where = f"$.cards[{n}]"
        found = card_problems(card, text)
        if card["doc_id"] != record["doc_id"]:
            found.append(FieldProblem("$.doc_id", "is not the record's doc_id"))
        problems += [_within(where, p) for p in found]
        references.add(where, card)
    problems += [_within(where, p) for where, p in references.problems()]
    counts = Counter(c["speaker"]["name"] for c in record["cards"] if c.get("speaker"))
    listed = {entry["name"]: entry["quotes"] for entry in record["speakers"]}
    if listed != dict(counts):
        problems.append(FieldProblem("$.speakers", _roster_difference(listed, counts)))
    return problems


def _roster_difference(listed: Mapping[str, int], counts: Counter[str]) -> str:
    names = sorted(set(listed) | set(counts))
    wrong = [f"{n!r} {listed.get(n, 0)} listed, {counts.get(n, 0)} cards" for n in names]
    return "do not count the cards' speakers: " + "; ".join(
        w for w, n in zip(wrong, names, strict=True) if listed.get(n, 0) != counts.get(n, 0)
    )


def _within(where: str, problem: FieldProblem) -> FieldProblem:
    return FieldProblem(where + problem.path[1:], problem.message)


@dataclass
class CardReferences:
    """References between the cards of a stream (a document's cards, or a JSONL file of cards
    of many documents): ids given twice in a document, and ``continues`` or ``part_of`` naming
    no card of it. Add every card with where it is; then ask for the problems."""

    _ids: dict[tuple[str, str], str] = field(default_factory=dict)
    _repeated: list[tuple[str, FieldProblem]] = field(default_factory=list)
    _pointers: list[tuple[str, str, str, str]] = field(default_factory=list)

    def add(self, where: str, card: Mapping[str, Any]) -> None:
        key = (card["doc_id"], card["id"])
        if key in self._ids:
            problem = FieldProblem("$.id", f"is also the id of the card at {self._ids[key]}")
            self._repeated.append((where, problem))
        else:
            self._ids[key] = where
        for name in _REFERENCES:
            target = card.get(name)
            if target is not None and target != card["id"]:
                self._pointers.append((where, name, card["doc_id"], target))

    def problems(self) -> list[tuple[str, FieldProblem]]:
        dangling = [
            (where, FieldProblem(f"$.{name}", f"names no card of document {doc_id!r}"))
            for where, name, doc_id, target in self._pointers
            if (doc_id, target) not in self._ids
        ]
        return self._repeated + dangling


def no_texts(doc_id: str) -> str | None:
    """No document text is known: the checks that need it are skipped."""
    return None


def texts_by_id(documents: Iterable[tuple[str, str]]) -> Texts:
    """A lookup of document texts by id, for the checks that need the text."""
    table = dict(documents)
    return table.get
