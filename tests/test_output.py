"""What the tool writes: the output planner, and files that read back and open safely."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from quotes.cli import cli
from quotes.files import neutralised, restored
from quotes.output import SUFFIX_FORMATS

ARTICLE = "“The harbour will reopen in April,” said Mayor Ann Patel.\n"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize(
    ("suffix", "fmt"),
    [(s, f) for s in SUFFIX_FORMATS for f in ("json", "jsonl", "csv") if f != SUFFIX_FORMATS[s]],
)
def test_a_suffix_and_format_that_disagree_are_a_usage_error(
    runner: CliRunner, tmp_path: Path, suffix: str, fmt: str
) -> None:
    out = tmp_path / f"cards{suffix}"
    result = runner.invoke(cli, ["extract", "-", "-o", str(out), "--format", fmt], input=ARTICLE)
    assert result.exit_code == 2
    assert f"-o {out} holds {SUFFIX_FORMATS[suffix]}, not --format {fmt}: drop one" in (
        result.stderr
    )
    assert not out.exists()


def test_a_suffix_and_format_that_agree_are_fine(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "cards.csv"
    result = runner.invoke(
        cli, ["extract", "-", "-q", "-o", str(out), "--format", "csv"], input=ARTICLE
    )
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("schema_version,")


def test_dask_into_a_file_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "a", "text": ARTICLE}) + "\n", encoding="utf-8")
    out = tmp_path / "x.jsonl"
    result = runner.invoke(cli, ["extract", str(corpus), "--dask", "local", "-o", str(out)])
    assert result.exit_code == 2
    assert f"--dask writes a folder of part files: -o DIR, not -o {out}" in result.stderr
    assert not out.exists()


LINE_BREAKS = "\u2028\u2029\x85"


@pytest.mark.parametrize("suffix", [".jsonl", ".json", "/"])
def test_what_the_tool_writes_reads_back_line_by_line(
    runner: CliRunner, tmp_path: Path, suffix: str
) -> None:
    """U+2028, U+2029 and U+0085 in an id and a quote: escaped in every JSON file, so a reader
    that splits lines the Python way (str.splitlines) still gets whole records."""
    text = f"“The harbour{LINE_BREAKS}will reopen,” said Mayor Ann Patel.\n"
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": f"a{LINE_BREAKS}b", "text": text}) + "\n", "utf-8")
    out = tmp_path / f"cards{suffix}"
    result = runner.invoke(cli, ["extract", str(corpus), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    written = [out] if out.is_file() else sorted(out.glob("*.json"))
    for path in written:
        content = path.read_text(encoding="utf-8")
        assert not set(LINE_BREAKS) & set(content)
        if path.suffix == ".jsonl":
            cards = [json.loads(line) for line in content.splitlines()]  # each a whole record
            assert cards and {c["doc_id"] for c in cards} == {f"a{LINE_BREAKS}b"}
            assert all(
                text[c["quote"]["start"] : c["quote"]["end"]] == c["quote"]["text"] for c in cards
            )
    assert runner.invoke(cli, ["validate", *map(str, written)]).exit_code == 0


FORMULAS = ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def test_csv_cells_never_start_a_formula(runner: CliRunner, tmp_path: Path) -> None:
    records = [
        {"id": formula, "text": f"“{formula} is what we said,” said Mayor Ann Patel.\n"}
        for formula in FORMULAS
    ]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "cards.csv"
    assert runner.invoke(cli, ["extract", str(corpus), "-o", str(out), "-q"]).exit_code == 0
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["doc_id"] for row in rows] == ["'" + f for f in FORMULAS]
    for row, formula in zip(rows, FORMULAS, strict=True):
        assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row.values())
        if formula[0] != "\r":  # a carriage return breaks the paragraph, and so the quote
            assert row["quote_text"].startswith("'" + formula)
    jsonl = runner.invoke(cli, ["extract", str(corpus), "-q"])
    assert [json.loads(x)["doc_id"] for x in jsonl.stdout.splitlines()] == FORMULAS  # untouched


@given(st.text())
def test_a_neutralised_cell_reads_back_as_written(text: str) -> None:
    cell = neutralised(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert restored(cell) == text


def test_cards_read_back_from_csv_are_the_cards_written(runner: CliRunner, tmp_path: Path) -> None:
    from quotes import read_cards

    records = [
        {"id": formula, "text": f"“{formula} is what we said,” said Mayor Ann Patel.\n"}
        for formula in [*FORMULAS, "'=already quoted"]
    ]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    for name in ("cards.csv", "cards.jsonl"):
        assert (
            runner.invoke(cli, ["extract", str(corpus), "-o", str(tmp_path / name), "-q"]).exit_code
            == 0
        )
    assert read_cards(tmp_path / "cards.csv") == read_cards(tmp_path / "cards.jsonl")
