"""Small hand-made cards and document records for the export tests (invented text)."""

from __future__ import annotations

from typing import Any

from quotes.models import DocumentRecord, FactCard, Source


def card(doc_id: str, n: int, **fields: Any) -> FactCard:
    """A valid card; ``fields`` override the defaults (nested models as dicts)."""
    data: dict[str, Any] = {
        "id": f"q_{doc_id}_{n}",
        "doc_id": doc_id,
        "quote": {
            "text": f"We are ready {n}.",
            "start": 10 * n + 1,
            "end": 10 * n + 9,
            "kind": "direct",
        },
        "speaker": {
            "name": "Ann Patel",
            "mention": "she",
            "start": 100 + n,
            "end": 103 + n,
            "type": "person",
            "title": "Mayor",
        },
        "cue": {"text": "said", "lemma": "say", "start": 104 + n, "end": 108 + n},
        "addressee": None,
        "method": "cue_adjacent",
        "confidence": 0.765,
        "paragraph": n,
        "sentence": f"“We are ready {n},” she said.",
    }
    data.update(fields)
    return FactCard.model_validate(data)


def records() -> list[DocumentRecord]:
    """Three documents: sources full, partial and empty; cards with and without speaker, cue
    and addressee, a continuation, text that CSV must quote (commas, quotes, new lines)."""
    harbour = [
        card("harbour", 0),
        card(
            "harbour",
            1,
            addressee={"name": "reporters", "mention": "reporters", "start": 5, "end": 14},
            sentence='She told reporters, "twice": “We are ready 1.”\nThen she left.',
            confidence=0.1 + 0.2,  # a float that must come back to the last bit
        ),
        card("harbour", 2, continues="q_harbour_1", method="continuation", cue=None),
    ]
    bridge = [
        card("bridge-7", 0, speaker=None, cue=None, method="none", confidence=0.2),
        card(
            "bridge-7",
            1,
            quote={"text": "a disaster", "start": 40, "end": 50, "kind": "partial"},
            speaker={
                "name": "Port Authority",
                "mention": "the authority",
                "start": 0,
                "end": 13,
                "type": "organization",
                "title": None,
            },
            part_of="q_bridge-7_2",
        ),
        card(
            "bridge-7",
            2,
            quote={"text": "the bridge was a disaster", "start": 30, "end": 55, "kind": "indirect"},
            method="indirect_clause",
        ),
    ]
    return [
        DocumentRecord(
            doc_id="harbour",
            source=Source(
                path="news.jsonl:1",
                title="Harbour to reopen, mayor says",
                date="2016-09-12",
                url="https://example.org/harbour",
            ),
            cards=harbour,
            speakers=[],
        ),
        DocumentRecord(
            doc_id="bridge-7",
            source=Source(title="Bridge", date="2016-10-01"),
            cards=bridge,
            speakers=[],
        ),
        DocumentRecord(doc_id="empty", source=Source(), cards=[], speakers=[]),
    ]


def all_cards() -> list[FactCard]:
    return [c for r in records() for c in r.cards]
