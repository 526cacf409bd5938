"""Regression guard on PolNeAR dev: fails when accuracy falls below the level reached.

Raise the floors when the rules improve (benchmarks/accuracy.md has the current numbers).
Skipped where ../shared/eval is not beside the checkout.
"""

from __future__ import annotations

from typing import Any

import pytest

from quotes.evaluate import EvalReport, GoldDoc, evaluate
from quotes.extractor import Extractor

from .conftest import SHARED

DEV = SHARED / "eval" / "polnear" / "dev.jsonl"
# Level reached (direct pair F1 0.909, exact 0.919); the guard allows 0.01 below it.
PAIR_F1_FLOOR = 0.899
EXACT_F1_FLOOR = 0.909
SPEAKER_ACCURACY_FLOOR = 0.966  # reached 0.976
PARTIAL_RECALL_FLOOR = 0.79  # reached 0.800
UNKNOWN_RATE_CEILING = 0.03
# Indirect speech: speech verbs only (the default) and with cognition and attitudes.
INDIRECT_SPEECH_F1_FLOOR = 0.412  # reached 0.422
INDIRECT_COGNITION_F1_FLOOR = 0.648  # reached 0.658
INDIRECT_COGNITION_SPEAKER_FLOOR = 0.911  # reached 0.921

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not DEV.is_file(), reason="PolNeAR dev is not in ../shared/eval"),
]


@pytest.fixture(scope="module")
def gold(polnear_dev: list[GoldDoc]) -> list[GoldDoc]:
    return polnear_dev


@pytest.fixture(scope="module")
def predictions(
    polnear_dev_cards: dict[str, list[dict[str, Any]]],
) -> dict[str, list[dict[str, Any]]]:
    return polnear_dev_cards


@pytest.fixture(scope="module")
def report(gold: list[GoldDoc], predictions: dict[str, list[dict[str, Any]]]) -> EvalReport:
    return evaluate(gold, predictions)


@pytest.fixture(scope="module")
def cognition_report(extractor: Extractor, gold: list[GoldDoc]) -> EvalReport:
    with_cognition = Extractor(extractor.nlp, include_cognition=True)
    predictions = {
        e.doc_id: [c.model_dump(mode="json") for c in e.cards]
        for e in with_cognition.pipe_documents((d.text, d.id) for d in gold)
    }
    return evaluate(gold, predictions)


def test_indirect_speech_does_not_regress(report: EvalReport) -> None:
    assert report.indirect.f1 >= INDIRECT_SPEECH_F1_FLOOR


def test_indirect_with_cognition_does_not_regress(cognition_report: EvalReport) -> None:
    assert cognition_report.indirect.f1 >= INDIRECT_COGNITION_F1_FLOOR
    assert cognition_report.indirect_speaker_accuracy.value >= INDIRECT_COGNITION_SPEAKER_FLOOR
    # attitudes add indirect cards only: the direct quotes are the same either way
    assert cognition_report.direct_pair.f1 >= PAIR_F1_FLOOR


def test_direct_pair_f1_does_not_regress(report: EvalReport) -> None:
    assert report.direct_pair.f1 >= PAIR_F1_FLOOR


def test_direct_exact_f1_does_not_regress(report: EvalReport) -> None:
    assert report.direct_exact.f1 >= EXACT_F1_FLOOR


def test_speaker_accuracy_does_not_regress(report: EvalReport) -> None:
    assert report.speaker_accuracy.value >= SPEAKER_ACCURACY_FLOOR


def test_partial_recall_does_not_regress(report: EvalReport) -> None:
    assert report.partial.recall >= PARTIAL_RECALL_FLOOR


def test_unknown_speaker_rate_stays_low(report: EvalReport) -> None:
    assert report.unknown_speaker_rate.value <= UNKNOWN_RATE_CEILING


def test_no_document_is_given_up(
    gold: list[GoldDoc], predictions: dict[str, list[dict[str, Any]]]
) -> None:
    """textacy gives up a whole document on an odd number of quotation marks; every document
    with gold direct quotes must get quote cards here (direct, or partial where PolNeAR calls
    a quoted fragment direct)."""
    quoted = [d.id for d in gold if any(q["kind"] == "direct" for q in d.quotes)]
    empty = [
        doc_id
        for doc_id in quoted
        if not any(c["quote"]["kind"] in ("direct", "partial") for c in predictions[doc_id])
    ]
    assert empty == []
