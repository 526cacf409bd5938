"""The CLI's Parquet and SQLite outputs and `quotes speakers`, through click's CliRunner.

All sentences are invented for the tests.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from quotes.cli import cli
from quotes.export.frames import read_cards, read_rows
from quotes.export.rows import card_row
from quotes.models import Source

pytest.importorskip("pyarrow")
pytest.importorskip("sqlite_utils")

DOCS = [
    {
        "id": "harbour",
        "title": "Harbour to reopen",
        "date": "2016-09-12",
        "url": "https://example.org/h",
        "text": "“The harbour will reopen in April,” said Mayor Ada Brennan. "
        "She told reporters: “We are ready.”\n\n"
        "Brennan added that the council would meet again, according to a statement.",
    },
    {
        "id": "bridge",
        "title": "Bridge, again",
        "date": "2016-10-01",
        "text": "“It is too early to say,” said Karl Ostrow, a spokesman for the port "
        "authority. “We are still counting the containers,” Ostrow said.",
    },
    {
        "id": "council",
        "title": "Council votes",
        "date": "2016-10-20",
        "text": "“We will vote next week,” Brennan said.",
    },
    {
        "id": "quiet",
        "text": "Nobody was hurt in the fire. Firefighters left the scene at noon.",
    },
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "news.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in DOCS), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def outputs(corpus: Path) -> dict[str, Path]:
    """The corpus extracted once into each file format."""
    out = corpus.parent / "out"
    written = {}
    for fmt in ("jsonl", "csv", "parquet", "db"):
        path = out / f"cards.{fmt}"
        result = CliRunner().invoke(cli, ["extract", str(corpus), "-o", str(path), "-q"])
        assert result.exit_code == 0, result.output
        assert result.stdout == ""
        written[fmt] = path
    return written


def test_every_format_holds_the_rows_of_the_jsonl(corpus: Path, outputs: dict[str, Path]) -> None:
    cards = read_cards(outputs["jsonl"])
    assert len(cards) >= 4
    by_doc = {d["id"]: (n, d) for n, d in enumerate(DOCS, start=1)}
    expected = [
        card_row(
            c,
            Source(
                path=f"{corpus}:{by_doc[c.doc_id][0]}",
                title=by_doc[c.doc_id][1].get("title"),
                date=by_doc[c.doc_id][1].get("date"),
                url=by_doc[c.doc_id][1].get("url"),
            ),
        )
        for c in cards
    ]
    for fmt in ("csv", "parquet", "db"):
        assert list(read_rows(outputs[fmt])) == expected, fmt
        assert read_cards(outputs[fmt]) == cards, fmt


def test_the_database_comes_with_datasette_metadata(outputs: dict[str, Path]) -> None:
    metadata = json.loads((outputs["db"].parent / "cards.datasette.json").read_text("utf-8"))
    assert set(metadata["databases"]) == {"cards"}
    assert "speakers" in metadata["databases"]["cards"]["tables"]


def test_resume_and_rerun_into_a_database_never_duplicate(corpus: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    db = tmp_path / "cards.db"
    first = tmp_path / "first.jsonl"
    first.write_text(json.dumps(DOCS[0]) + "\n", encoding="utf-8")
    assert runner.invoke(cli, ["extract", str(first), "-o", str(db), "-q"]).exit_code == 0
    # The corpus grows: its first document, unchanged, is not extracted again.
    first.write_text(corpus.read_text(encoding="utf-8"), encoding="utf-8")
    resumed = runner.invoke(cli, ["extract", str(first), "-o", str(db), "--resume"])
    assert resumed.exit_code == 0, resumed.output
    assert "skipped 1 documents already in the database (--resume)" in resumed.stderr
    rerun = runner.invoke(cli, ["extract", str(corpus), "-o", str(db), "-q"])
    assert rerun.exit_code == 0
    conn = sqlite3.connect(db)
    ids = [r[0] for r in conn.execute("SELECT id FROM cards")]
    documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    conn.close()
    assert len(ids) == len(set(ids)) == len(read_cards(tmp_path / "cards.db"))
    assert documents == len(DOCS)


@pytest.mark.parametrize(
    ("change", "skipped"),
    [
        ("nothing", "skipped 1 documents already in the database (--resume)"),
        ("text", None),  # the same id with another text is extracted again
        ("options", None),  # so is a document made with other options
    ],
)
def test_resume_into_a_database_skips_only_what_would_come_out_the_same(
    tmp_path: Path, change: str, skipped: str | None
) -> None:
    runner = CliRunner()
    db, corpus = tmp_path / "cards.db", tmp_path / "one.jsonl"
    corpus.write_text(json.dumps(DOCS[0]) + "\n", encoding="utf-8")
    args = ["extract", str(corpus), "-o", str(db)]
    assert runner.invoke(cli, [*args, "-q", "--no-indirect"]).exit_code == 0
    if change == "text":
        changed = {**DOCS[0], "text": "“Not now,” said Omar Reyes."}
        corpus.write_text(json.dumps(changed) + "\n", encoding="utf-8")
    options = ["--no-indirect"] if change != "options" else []
    resumed = runner.invoke(cli, [*args, "--resume", *options])
    assert resumed.exit_code == 0, resumed.output
    if skipped is None:
        assert "skipped" not in resumed.stderr
        texts = [c.quote.text for c in read_cards(db)]
        if change == "text":
            assert texts == ["Not now,"]
    else:
        assert skipped in resumed.stderr


def test_a_file_that_is_not_a_database_is_refused(corpus: Path, tmp_path: Path) -> None:
    notes = tmp_path / "x.db"
    notes.write_text("not a database\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(corpus), "-o", str(notes), "-q"])
    assert result.exit_code == 1
    assert "Error: " in result.stderr and "refusing to overwrite it" in result.stderr
    assert notes.read_text(encoding="utf-8") == "not a database\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.db"]


def test_a_database_of_another_version_is_refused(
    corpus: Path, outputs: dict[str, Path], tmp_path: Path
) -> None:
    old = tmp_path / "old.db"
    old.write_bytes(outputs["db"].read_bytes())
    conn = sqlite3.connect(old)
    conn.execute("UPDATE meta SET value = '1.99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    before = old.read_bytes()
    result = CliRunner().invoke(cli, ["extract", str(corpus), "-o", str(old), "-q"])
    assert result.exit_code == 1
    assert "holds cards of schema version 1.99" in result.stderr
    assert old.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "parquet"], "--format parquet writes a file"),
        (["-o", "cards.csv", "--resume"], "--resume needs -o DIR or -o FILE.db"),
        (["-o", "parts/", "--format", "db"], "-o DIR writes one JSON document record"),
    ],
)
def test_usage_errors(corpus: Path, tmp_path: Path, args: list[str], message: str) -> None:
    args = [str(tmp_path / a) if a.endswith(("/", ".csv")) else a for a in args]
    result = CliRunner().invoke(cli, ["extract", str(corpus), *args])
    assert result.exit_code == 2
    assert message in result.stderr


# -- quotes speakers ---------------------------------------------------------------------------


def test_speakers_table(outputs: dict[str, Path]) -> None:
    result = CliRunner().invoke(cli, ["speakers", str(outputs["db"])])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["name", "type", "quotes", "documents", "first_date", "last_date"]
    assert set(lines[1]) <= {"-", " "}
    # "Brennan" of the council story is the Ada Brennan of the harbour story.
    assert lines[2].split() == ["Ada", "Brennan", "person", "3", "2", "2016-09-12", "2016-10-20"]
    assert "speakers of" in result.stderr  # the summary, not on stdout
    assert "speakers of" not in result.stdout


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet", "db"])
def test_speakers_csv_is_the_same_from_every_format(outputs: dict[str, Path], fmt: str) -> None:
    result = CliRunner().invoke(cli, ["speakers", str(outputs[fmt]), "--format", "csv", "-q"])
    assert result.exit_code == 0
    assert result.stderr == ""
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    names = {(r["name"], r["quotes"]) for r in rows}
    assert ("Ada Brennan", "3") in names and ("Karl Ostrow", "2") in names
    dated = {r["name"]: (r["first_date"], r["last_date"]) for r in rows}
    # Card JSONL keeps no source, so no dates; every other format does.
    expected = ("", "") if fmt == "jsonl" else ("2016-09-12", "2016-10-20")
    assert dated["Ada Brennan"] == expected


def test_speakers_json_limit_and_merges(outputs: dict[str, Path]) -> None:
    runner = CliRunner()
    top = runner.invoke(cli, ["speakers", str(outputs["parquet"]), "--format", "json", "-q"])
    assert json.loads(top.stdout)[0] == {
        "name": "Ada Brennan",
        "type": "person",
        "quotes": 3,
        "documents": 2,
        "first_date": "2016-09-12",
        "last_date": "2016-10-20",
    }
    one = runner.invoke(cli, ["speakers", str(outputs["db"]), "--limit", "1", "-q"])
    assert len(one.stdout.splitlines()) == 3
    merges = runner.invoke(cli, ["speakers", str(outputs["db"]), "--merges", "--format", "json"])
    assert merges.exit_code == 0
    assert json.loads(merges.stdout) == [
        {
            "name": "Brennan",
            "type": "person",
            "into": "Ada Brennan",
            "reason": "sub-form",
            "detail": "",
        }
    ]
    assert "1 names merged, 0 kept apart" in merges.stderr


def test_speakers_of_a_missing_path_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["speakers", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 1
    assert "no such file or folder" in result.stderr
    assert result.stdout == ""
