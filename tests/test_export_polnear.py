"""Acceptance on PolNeAR: the 84 dev documents and the first 200 train documents, extracted once
and written through the CLI's sinks to JSONL, CSV, Parquet and SQLite.

- every format holds the same rows (JSONL cards joined with their document's source);
- read_cards gives back the same validated cards from each;
- the speaker index merges "Trump" / "Donald J. Trump" into "Donald Trump" and keeps the people
  of tests/data/speakers.gold.json apart.

Reads ../shared/eval and skips when it is absent; slow (about a minute of extraction).
Set QUOTES_POLNEAR_RECORDS to a JSON array of the document records of the same 284 documents
(``quotes extract CORPUS -o records.json``) to skip the extraction while working on exports.
"""

from __future__ import annotations

import io
import itertools
import json
import os
from pathlib import Path
from typing import Any

import pytest

from quotes.core.cards import Extraction
from quotes.corpus import speaker_index
from quotes.export.frames import read_cards, read_rows, read_speaker_index
from quotes.export.rows import card_row
from quotes.extractor import Extractor
from quotes.files import Document, DocumentFailure, read_jsonl
from quotes.models import DocumentRecord
from quotes.output import open_sink, plan_output
from quotes.workers import run_items

from .conftest import REPO, SHARED

POLNEAR = SHARED / "eval" / "polnear"
TRAIN_DOCS = 200
GOLD = json.loads((REPO / "tests" / "data" / "speakers.gold.json").read_text(encoding="utf-8"))

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (POLNEAR / "dev.jsonl").is_file(), reason="no ../shared/eval"),
]
pytest.importorskip("pyarrow")
pytest.importorskip("sqlite_utils")


def _corpus() -> bytes:
    dev = (POLNEAR / "dev.jsonl").read_bytes()
    with (POLNEAR / "train.jsonl").open("rb") as handle:
        train = b"".join(itertools.islice(handle, TRAIN_DOCS))
    return dev + train


@pytest.fixture(scope="module")
def extracted(extractor: Extractor) -> list[tuple[Document, Extraction]]:
    cached = os.environ.get("QUOTES_POLNEAR_RECORDS")
    if cached:
        records = [DocumentRecord.model_validate(r) for r in json.loads(Path(cached).read_text())]
        return [
            (
                Document(r.doc_id, "", r.source, r.source.path or "", n),
                Extraction(r.doc_id, r.cards, r.speakers),
            )
            for n, r in enumerate(records)
        ]
    items = read_jsonl(io.BytesIO(_corpus()), "polnear.jsonl")
    results = []
    for result in run_items(extractor, items):
        assert not isinstance(result, DocumentFailure), str(result)
        results.append(result)
    assert len(results) == 84 + TRAIN_DOCS
    return results


@pytest.fixture(scope="module")
def written(
    extracted: list[tuple[Document, Extraction]], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """The extraction written to every format through the CLI's own sinks."""
    folder = tmp_path_factory.mktemp("polnear")
    paths = {}
    for fmt in ("jsonl", "csv", "parquet", "db"):
        path = folder / f"cards.{fmt}"
        with open_sink(plan_output(str(path), None)) as sink:
            for document, extraction in extracted:
                sink.write(document, extraction)
        paths[fmt] = path
    return paths


def test_every_format_holds_the_same_rows(
    extracted: list[tuple[Document, Extraction]], written: dict[str, Path]
) -> None:
    sources = {document.id: document.source for document, _ in extracted}
    cards = read_cards(written["jsonl"])
    assert len(cards) > 3000
    expected = [card_row(card, sources[card.doc_id]) for card in cards]
    for fmt in ("csv", "parquet", "db"):
        rows = list(read_rows(written[fmt]))
        assert len(rows) == len(expected), fmt
        assert rows == expected, fmt


def test_read_cards_round_trips_every_format(
    extracted: list[tuple[Document, Extraction]], written: dict[str, Path]
) -> None:
    cards = [card for _, extraction in extracted for card in extraction.cards]
    for fmt, path in written.items():
        assert read_cards(path) == cards, fmt


def _polnear_index(extracted: list[tuple[Document, Extraction]]):  # type: ignore[no-untyped-def]
    return speaker_index(extraction.record(document.source) for document, extraction in extracted)


def test_the_database_holds_the_same_speaker_index(
    extracted: list[tuple[Document, Extraction]], written: dict[str, Path]
) -> None:
    assert read_speaker_index([written["db"]]) == _polnear_index(extracted)


def test_speaker_index_gold(extracted: list[tuple[Document, Extraction]]) -> None:
    """The gold groups, over the names the extraction writes (a group with fewer than two of
    its names present cannot be checked; most must be)."""
    index = _polnear_index(extracted)
    by_id = {s.id: s for s in index.speakers}

    def present(group: dict[str, Any]) -> list[str]:
        return [n for n in group["names"] if (n, group["type"]) in index.identity_of]

    def identity(name: str, kind: str) -> str:
        return by_id[index.identity_of[(name, kind)]].name

    gold = GOLD["polnear"]
    checked = 0
    for group in gold["same"]:
        names = present(group)
        if len(names) >= 2:
            checked += 1
            assert {identity(n, group["type"]) for n in names} == {group["as"]}, group
    for group in gold["different"]:
        names = present(group)
        checked += len(names) >= 2
        for a, b in itertools.combinations(names, 2):
            assert identity(a, group["type"]) != identity(b, group["type"]), (a, b)
    assert checked >= 0.8 * (len(gold["same"]) + len(gold["different"]))
    trump = by_id[index.identity_of[("Donald Trump", "person")]]
    assert trump == index.speakers[0]  # the most quoted across the corpus
    assert {"Donald Trump", "Trump"} <= set(trump.aliases)
