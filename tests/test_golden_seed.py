"""The seed article against its gold annotation, and against a golden file of its cards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quotes.evaluate import evaluate, load_gold, trim_span
from quotes.extractor import Extractor
from quotes.schema import record_errors

from .conftest import SEED, SHARED

GOLDEN = Path(__file__).parent / "golden" / "seed.cards.jsonl"
GOLD = SHARED / "gold" / "seed.gold.jsonl"


@pytest.fixture(scope="module")
def seed_cards(extractor: Extractor) -> list[dict[str, object]]:
    text = SEED.read_text(encoding="utf-8")
    return [c.model_dump(mode="json") for c in extractor.extract(text, SEED.stem)]


def test_seed_matches_golden_file(seed_cards: list[dict[str, object]]) -> None:
    """Regenerate with `quotes extract seeds/000_e952d6c5d011f049.txt -q > tests/golden/...`
    after a deliberate change, and review the diff."""
    golden = [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines()]
    assert seed_cards == golden


def test_seed_cards_validate_and_offsets_are_exact(seed_cards: list[dict[str, object]]) -> None:
    text = SEED.read_text(encoding="utf-8")
    for card in seed_cards:
        assert record_errors(card, "fact-card") == []
        quote = card["quote"]
        assert isinstance(quote, dict)
        assert text[quote["start"] : quote["end"]] == quote["text"]


@pytest.mark.skipif(not GOLD.is_file(), reason="shared/gold is not beside the checkout")
def test_seed_against_gold(seed_cards: list[dict[str, object]]) -> None:
    gold_doc = load_gold(GOLD.read_text(encoding="utf-8").splitlines())[0]
    text = gold_doc.text
    assert text == SEED.read_text(encoding="utf-8")
    cards = {trim_span(text, c["quote"]["start"], c["quote"]["end"]): c for c in seed_cards}  # type: ignore[index]
    for q in gold_doc.quotes:
        key = trim_span(text, q["start"], q["end"])
        card = cards.get(key)
        if q["kind"] == "scare":
            assert card is None, f"scare quote {q['text']!r} became a card"
            continue
        if q["kind"] == "indirect":
            continue  # below, by overlap
        assert card is not None, f"missed {q['kind']} quote {q['text']!r}"
        assert card["quote"]["kind"] == q["kind"]  # type: ignore[index]
        assert card["speaker"]["name"] == q["speaker"]  # type: ignore[index]
        expected_addressee = q.get("addressee")
        actual = card["addressee"]["name"] if card["addressee"] else None  # type: ignore[index]
        assert actual == expected_addressee, q["text"]
    # Nothing from the photo captions, no stray quote cards.
    gold_keys = {trim_span(text, q["start"], q["end"]) for q in gold_doc.quotes}
    quote_cards = {k for k, c in cards.items() if c["quote"]["kind"] != "indirect"}  # type: ignore[index]
    assert quote_cards <= gold_keys
    report = evaluate([gold_doc], {gold_doc.id: list(seed_cards)})
    assert report.direct_exact.f1 == 1.0
    assert report.direct_pair.f1 == 1.0
    assert report.speaker_accuracy_strict is not None
    assert report.speaker_accuracy_strict.value == 1.0
    assert report.indirect.recall == 1.0
    assert report.indirect_speaker_accuracy.value == 1.0


def test_seed_speech_only_has_no_card_for_fear(seed_cards: list[dict[str, object]]) -> None:
    text = SEED.read_text(encoding="utf-8")
    fear = text.index("Many Ukrainians fear")
    sentence_end = text.index("\n", fear)
    for card in seed_cards:
        quote = card["quote"]
        assert isinstance(quote, dict)
        assert not (fear <= quote["start"] < sentence_end), card
