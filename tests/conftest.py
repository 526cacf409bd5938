"""Shared fixtures: the real default pipeline, loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from quotes.pipeline import Extractor, load_model

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = REPO / "seeds" / "000_e952d6c5d011f049.txt"


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_model()


@pytest.fixture(scope="session")
def extractor(nlp: Language) -> Extractor:
    return Extractor(nlp)


@pytest.fixture(scope="session")
def scare_extractor(nlp: Language) -> Extractor:
    return Extractor(nlp, include_scare=True)
