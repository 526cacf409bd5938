"""Shared fixtures: the real default pipeline, loaded once per test session."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from quotes.evaluate import GoldDoc, read_gold
from quotes.extractor import Extractor
from quotes.pipeline import load_model

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = REPO / "seeds" / "000_e952d6c5d011f049.txt"
POLNEAR_DEV = SHARED / "eval" / "polnear" / "dev.jsonl"


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_model()


@pytest.fixture(scope="session")
def extractor(nlp: Language) -> Extractor:
    return Extractor(nlp)


@pytest.fixture(scope="session")
def scare_extractor(nlp: Language) -> Extractor:
    return Extractor(nlp, include_scare=True)


@pytest.fixture(scope="session")
def polnear_dev() -> list[GoldDoc]:
    if not POLNEAR_DEV.is_file():
        pytest.skip("PolNeAR dev is not in ../shared/eval")
    return read_gold(POLNEAR_DEV)


@pytest.fixture(scope="session")
def polnear_dev_cards(
    extractor: Extractor, polnear_dev: list[GoldDoc]
) -> dict[str, list[dict[str, Any]]]:
    """The library's cards for PolNeAR dev (default options), by document id, as JSON data."""
    return {
        e.doc_id: [c.model_dump(mode="json") for c in e.cards]
        for e in extractor.pipe_documents((d.text, d.id) for d in polnear_dev)
    }
