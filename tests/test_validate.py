"""quotes validate and quotes.checks: every bad line reported, and what a schema cannot say."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from quotes.checks import record_problems
from quotes.cli import cli
from quotes.extractor import Extractor

TEXT = (
    "“The harbour will reopen in April,” said Mayor Ann Patel. "
    "She told reporters: “We are ready.”\n"
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def cards() -> list[dict[str, Any]]:
    from quotes.pipeline import load_model

    return [c.model_dump(mode="json") for c in Extractor(load_model()).extract(TEXT, "harbour")]


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_every_bad_line_is_reported_and_the_rest_read(
    runner: CliRunner, tmp_path: Path, cards: list[dict[str, Any]]
) -> None:
    """The file of the issue: 34 lines, line 2 not JSON, line 33 a confidence of 5."""
    lines = []
    for n in range(34):
        card = dict(cards[0], id=f"q_{n:016x}", doc_id=f"d{n}")  # ids need not be derived …
        lines.append(json.dumps(card))
    lines[1] = '{"broken'
    lines[32] = json.dumps(dict(json.loads(lines[32]), confidence=5))
    path = _write(tmp_path / "cards.jsonl", lines)
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    reported = [line for line in result.stdout.splitlines() if "$.id: is not the id" not in line]
    assert reported == [  # … so that only the two planted problems remain
        f"{path}:2: $: not JSON: Unterminated string starting at column 2",
        f"{path}:33: $.confidence: 5 is greater than the maximum of 1.0",
    ]
    assert result.stderr == "quotes: 0 of 34 records valid\n"


def test_a_clean_file_validates(
    runner: CliRunner, tmp_path: Path, cards: list[dict[str, Any]]
) -> None:
    path = _write(tmp_path / "cards.jsonl", [json.dumps(c) for c in cards])
    corpus = _write(tmp_path / "c.jsonl", [json.dumps({"id": "harbour", "text": TEXT})])
    result = runner.invoke(cli, ["validate", str(path), "--text", str(corpus)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == "quotes: 2 of 2 records valid\n"


def _shift(card: dict[str, Any]) -> None:
    card["quote"]["start"] += 1
    card["quote"]["end"] += 1


def _swap(card: dict[str, Any]) -> None:
    card["quote"]["start"], card["quote"]["end"] = card["quote"]["end"], card["quote"]["start"]


def _retext(card: dict[str, Any]) -> None:
    card["quote"]["text"] = card["quote"]["text"].replace("harbour", "airport")


TAMPERING: list[tuple[str, Callable[[dict[str, Any]], None], list[str]]] = [
    ("shifted offsets", _shift, [
        "$.id: is not the id of this quote's place (expected q_",
        "$.quote.text: is not the text at 2:35, which is 'he harbour will reopen in April,”'",
    ]),
    ("start after end", _swap, ["$.id: is not the id", "$.quote: start 34 is after end 1"]),
    ("end beyond the text", lambda c: c["quote"].update(start=500, end=533),
     ["$.id: is not the id", "$.quote.end: 533 is beyond the text (94 characters)"]),
    ("text not the slice", _retext,
     ["$.quote.text: is not the text at 1:34, which is 'The harbour will reopen in April,'"]),
    ("short text", lambda c: c["quote"].update(text="The harbour"),
     ["$.quote: end - start is 33 but text has 11 characters (shifted offsets?)"]),
    ("speaker elsewhere", lambda c: c["speaker"].update(start=0, end=9),
     ["$.speaker.mention: is not the text at 0:9, which is '“The harb'"]),
    ("NaN confidence", lambda c: c.update(confidence=float("nan")),
     ["$.confidence: nan is not a number"]),
    ("method none with a speaker", lambda c: c.update(method="none"),
     ["$.method: is 'none' but the card names a speaker"]),
    ("dangling part_of", lambda c: c.update(part_of="q_0000000000000000"),
     ["$.part_of: names no card of document 'harbour'"]),
    ("continues itself", lambda c: c.update(continues=c["id"]),
     ["$.continues: names the card itself"]),
    ("empty id", lambda c: c.update(id=""), ["$.id: is empty"]),
    ("empty doc_id", lambda c: c.update(doc_id=""), ["$.doc_id: is empty", "$.id: is not the id"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("tamper", "expected"), [t[1:] for t in TAMPERING], ids=[t[0] for t in TAMPERING]
)
def test_tampering_the_schema_cannot_see_is_reported(
    runner: CliRunner,
    tmp_path: Path,
    cards: list[dict[str, Any]],
    tamper: Callable[[dict[str, Any]], None],
    expected: list[str],
) -> None:
    card = copy.deepcopy(cards[0])
    tamper(card)
    path = _write(tmp_path / "cards.jsonl", [json.dumps(card), json.dumps(cards[1])])
    corpus = _write(tmp_path / "c.jsonl", [json.dumps({"id": "harbour", "text": TEXT})])
    result = runner.invoke(cli, ["validate", str(path), "--text", str(corpus)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == len(expected)
    for line, start in zip(lines, expected, strict=True):
        assert line.startswith(f"{path}:1: {start}")
    assert result.stderr == "quotes: 1 of 2 records valid\n"


def test_document_records_are_checked_as_a_whole(
    runner: CliRunner, tmp_path: Path, cards: list[dict[str, Any]]
) -> None:
    out = tmp_path / "records.json"
    corpus = _write(tmp_path / "c.jsonl", [json.dumps({"id": "harbour", "text": TEXT})])
    assert runner.invoke(cli, ["extract", str(corpus), "-o", str(out), "-q"]).exit_code == 0
    assert runner.invoke(cli, ["validate", str(out), "--text", str(corpus)]).exit_code == 0
    [record] = json.loads(out.read_text(encoding="utf-8"))
    record["cards"][1]["doc_id"] = "other"
    record["speakers"][0]["quotes"] = 3
    record["cards"][1]["continues"] = "q_0000000000000000"
    out.write_text(json.dumps([record, record], indent=2), encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(out)])
    assert result.exit_code == 1
    first = [
        f"{out}:2: $.cards[1].id: is not the id of this quote's place",
        f"{out}:2: $.cards[1].doc_id: is not the record's doc_id",
        f"{out}:2: $.cards[1].continues: names no card of document 'other'",
        f"{out}:2: $.speakers: do not count the cards' speakers: 'Ann Patel' 3 listed, 2 cards",
    ]
    lines = result.stdout.splitlines()
    assert len(lines) == 8
    second = 2 + len(json.dumps(record, indent=2).splitlines())  # the line it starts on
    again = [f.replace(":2:", f":{second}:") for f in first]
    for line, start in zip(lines, first + again, strict=True):
        assert line.startswith(start)
    assert result.stderr == "quotes: 0 of 2 records valid\n"


def test_a_missing_file_is_reported_and_the_others_checked(
    runner: CliRunner, tmp_path: Path, cards: list[dict[str, Any]]
) -> None:
    good = _write(tmp_path / "cards.jsonl", [json.dumps(c) for c in cards])
    missing = tmp_path / "nope.jsonl"
    result = runner.invoke(cli, ["validate", str(missing), str(good)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{missing}: no such file\nquotes: 2 of 2 records valid; 1 file could not be read\n"
    )


def test_the_checks_are_a_library_call(cards: list[dict[str, Any]]) -> None:
    assert record_problems(cards[0], "fact-card", TEXT) == []
    broken = dict(cards[0], confidence=float("nan"))
    assert [str(p) for p in record_problems(broken, "fact-card")] == [
        "$.confidence: nan is not a number"
    ]
    assert [str(p) for p in record_problems(dict(cards[0], confidence=2), "fact-card")] == [
        "$.confidence: 2 is greater than the maximum of 1.0"
    ]
