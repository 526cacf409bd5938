"""Parquet and SQLite writers, reading every format back, and DataFrames.

Small hand-made records only (tests/export_data.py); the PolNeAR-sized check is in
test_export_polnear.py.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from quotes.corpus import speaker_index
from quotes.errors import InputError, MissingExtraError, OutputError, QuotesError
from quotes.export.frames import read_cards, read_entries, read_rows, to_dataframe
from quotes.export.rows import column_names, row_columns, validated_rows
from quotes.models import SCHEMA_VERSION, DocumentRecord, FactCard
from quotes.schema import InvalidRecordError

from .conftest import REPO
from .export_data import all_cards, card, records

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pytest.importorskip("sqlite_utils")

from quotes.export.parquet import (  # noqa: E402
    VERSION_KEY,
    ParquetSink,
    arrow_schema,
    write_parquet,
)
from quotes.export.sqlite import (  # noqa: E402
    SqliteSink,
    datasette_metadata,
    read_db_index,
    write_sqlite,
)


def _write(fmt: str, path: Path, items: list[DocumentRecord]) -> None:
    if fmt == "parquet":
        write_parquet(path, items)
    else:
        write_sqlite(path, items)


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _broken_stream() -> Iterator[DocumentRecord]:
    """Two good documents, then a card the committed schema refuses (built without
    validation, as a bug would)."""
    good = records()
    yield from good[:2]
    bad = card("late", 0).model_copy(update={"confidence": 7.0})
    yield DocumentRecord(doc_id="late", source=good[0].source, cards=[bad], speakers=[])


# -- every format holds the same rows -----------------------------------------------------------


@pytest.mark.parametrize("fmt", ["parquet", "db"])
def test_rows_and_cards_come_back_exactly(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"cards.{fmt}"
    _write(fmt, path, records())
    assert list(read_rows(path)) == list(validated_rows(records()))
    assert read_cards(path) == all_cards()
    sources = [source for _, source in read_entries(path)]
    assert sources[0] == records()[0].source


def test_json_and_jsonl_read_back(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for record in records():
        (docs / f"{record.doc_id}.json").write_text(record.model_dump_json(), encoding="utf-8")
    (docs / "errors.jsonl").write_text('{"where": "x", "reason": "y"}\n', encoding="utf-8")
    cards_jsonl = tmp_path / "cards.jsonl"
    cards_jsonl.write_text(
        "".join(c.model_dump_json() + "\n" for c in all_cards()) + "\n", encoding="utf-8"
    )
    array = tmp_path / "records.json"
    array.write_text(json.dumps([r.model_dump(mode="json") for r in records()]), encoding="utf-8")
    assert read_cards(cards_jsonl) == all_cards()
    assert read_cards(array) == all_cards()
    assert sorted(c.id for c in read_cards(docs)) == sorted(c.id for c in all_cards())
    assert list(read_rows(array)) == list(validated_rows(records()))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cards.jsonl", "{not json\n", "cards.jsonl:1: malformed JSON"),
        ("cards.jsonl", '{"id": "q"}\n', "cards.jsonl:1: not a valid card"),
        ("cards.json", "[1]", r"cards.json\[0\]: not a card"),
        ("cards.txt", "hello", "cannot tell the format"),
        ("cards.csv", "a,b\n1,2\n", "not a cards CSV"),
        ("cards.parquet", "not parquet", "not a readable Parquet file"),
        ("cards.db", "not a database", "not a SQLite database"),
    ],
)
def test_unreadable_input_is_a_clear_error(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_cards(path)


def test_a_missing_path_or_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_cards(tmp_path / "nothing.jsonl")
    with pytest.raises(InputError, match="holds no cards"):
        read_cards(tmp_path)


# -- Parquet -----------------------------------------------------------------------------------


def test_arrow_schema_is_derived_from_the_columns() -> None:
    schema = arrow_schema()
    assert schema.names == column_names()
    kinds = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
    for column in row_columns():
        field = schema.field(column.name)
        assert field.type == kinds[column.kind]
        assert field.nullable == column.nullable
        assert field.metadata[b"description"] == column.description.encode()
    assert schema.metadata[VERSION_KEY.encode()] == SCHEMA_VERSION.encode()


def test_parquet_file_carries_the_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "cards.parquet"
    write_parquet(path, records(), batch_rows=2)  # several row groups
    assert pq.ParquetFile(path).metadata.num_row_groups == 3
    assert pq.read_schema(path).metadata[VERSION_KEY.encode()] == SCHEMA_VERSION.encode()


def test_parquet_of_another_major_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.parquet"
    table = pa.Table.from_pylist([], schema=arrow_schema().with_metadata({VERSION_KEY: "2.0"}))
    pq.write_table(table, path)
    with pytest.raises(InputError, match=r"schema 2\.0"):
        read_cards(path)
    pq.write_table(table.replace_schema_metadata(None), path)
    with pytest.raises(InputError, match="not written by quote-cards"):
        read_cards(path)


def test_a_failed_parquet_write_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "cards.parquet"
    write_parquet(path, records()[:1])
    before = path.read_bytes()
    with pytest.raises(InvalidRecordError):
        write_parquet(path, _broken_stream(), batch_rows=1)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cards.parquet"]


def test_an_empty_corpus_is_an_empty_parquet_file(tmp_path: Path) -> None:
    path = tmp_path / "cards.parquet"
    with ParquetSink(path) as sink:
        sink.write([])
    assert sink.rows == 0
    assert read_cards(path) == []


# -- SQLite ------------------------------------------------------------------------------------


def test_database_tables_keys_and_search(tmp_path: Path) -> None:
    path = tmp_path / "cards.db"
    write_sqlite(path, records())
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"documents", "cards", "speakers", "card_speakers", "speaker_names", "meta"} <= tables
    assert "cards_fts" in tables
    foreign = {(r[2], r[3], r[4]) for r in conn.execute("PRAGMA foreign_key_list(cards)")}
    assert ("documents", "doc_id", "doc_id") in foreign
    assert {r[2] for r in conn.execute("PRAGMA foreign_key_list(card_speakers)")} == {
        "cards",
        "speakers",
    }
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    indexed = {r[1] for r in conn.execute("PRAGMA index_list(cards)")}
    assert {"idx_cards_doc_id", "idx_cards_speaker_name_speaker_type"} <= indexed
    assert "idx_card_speakers_speaker_id" in {
        r[1] for r in conn.execute("PRAGMA index_list(card_speakers)")
    }
    hits = conn.execute(
        "SELECT cards.id FROM cards_fts JOIN cards ON cards.rowid = cards_fts.rowid "
        "WHERE cards_fts MATCH 'disaster' ORDER BY cards.id"
    ).fetchall()
    assert hits == [("q_bridge-7_1",), ("q_bridge-7_2",)]
    assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == (
        SCHEMA_VERSION,
    )
    assert conn.execute("SELECT count(*) FROM documents").fetchone() == (3,)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    conn.close()


def test_database_speakers_are_the_corpus_index(tmp_path: Path) -> None:
    path = tmp_path / "cards.db"
    write_sqlite(path, records())
    stored = read_db_index(path)
    assert stored == speaker_index(records())  # the same index, computed in memory
    assert [(s.name, s.quotes, s.documents) for s in stored.speakers] == [
        ("Ann Patel", 4, 2),
        ("Port Authority", 1, 1),
    ]
    assert (stored.speakers[0].first_date, stored.speakers[0].last_date) == (
        "2016-09-12",
        "2016-10-01",
    )
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM card_speakers").fetchone() == (5,)  # one has none
    conn.close()


def test_rerun_and_resume_upsert_without_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "cards.db"
    write_sqlite(path, records()[:1])
    write_sqlite(path, records())  # a resumed run: the first document again, then the rest
    write_sqlite(path, records())
    assert list(read_rows(path)) == list(validated_rows(records()))
    # A document extracted again with fewer cards loses the ones it no longer has.
    fewer = records()[0].model_copy(update={"cards": records()[0].cards[:1]})
    write_sqlite(path, [fewer])
    assert [c.id for c in read_cards(path) if c.doc_id == "harbour"] == ["q_harbour_0"]
    assert read_db_index(path).speakers[0].quotes == 2


def test_the_same_document_twice_in_one_run_keeps_the_last(tmp_path: Path) -> None:
    path = tmp_path / "cards.db"
    first = records()[0]
    second = first.model_copy(update={"cards": first.cards[1:]})
    with SqliteSink(path, batch_rows=1000) as sink:
        sink.write([first, second])
        sink.record_input("harbour", "hash-1", "{}")
        assert sink.has_document("harbour", "hash-1", "{}")
        assert not sink.has_document("harbour", "hash-2", "{}")  # its text changed
        assert not sink.has_document("harbour", "hash-1", '{"options": 1}')  # other settings
        assert not sink.has_document("elsewhere", "hash-1", "{}")
    assert [c.id for c in read_cards(path)] == ["q_harbour_1", "q_harbour_2"]


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("my notes, not a database\n", encoding="utf-8")
    with pytest.raises(OutputError, match="not a SQLite database; refusing to overwrite"):
        write_sqlite(path, records())
    assert path.read_text(encoding="utf-8") == "my notes, not a database\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_another_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE birds (name TEXT)")
    conn.commit()
    conn.close()
    before = _dump(path)
    with pytest.raises(OutputError, match="quote-cards did not write"):
        write_sqlite(path, records())
    assert _dump(path) == before


@pytest.mark.parametrize("version", ["0.9", "2.0", f"1.{int(SCHEMA_VERSION.split('.')[1]) + 1}"])
def test_a_database_of_another_schema_version_is_refused(tmp_path: Path, version: str) -> None:
    """Another major version, or a newer minor (fields this tool does not know)."""
    path = tmp_path / "cards.db"
    write_sqlite(path, records()[:1])
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (version,))
    conn.commit()
    conn.close()
    before = _dump(path)
    with pytest.raises(OutputError, match=rf"schema version {re.escape(version)}; this quote"):
        write_sqlite(path, records())
    assert _dump(path) == before


def test_a_database_of_schema_1_0_is_upgraded_in_place(tmp_path: Path) -> None:
    """1.0 had no speaker.named or speaker.pronoun: its rows read back with their defaults,
    and a rerun adds the columns and writes 1.1 cards beside them."""
    path = tmp_path / "cards.db"
    write_sqlite(path, records()[:1])
    conn = sqlite3.connect(path)
    conn.execute("DROP VIEW card_rows")
    for column in ("speaker_named", "speaker_pronoun"):
        conn.execute(f"ALTER TABLE cards DROP COLUMN {column}")
    conn.execute("UPDATE meta SET value = '1.0' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    write_sqlite(path, records()[1:])
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
        SCHEMA_VERSION,
    )
    conn.close()

    def as_1_0(card: FactCard) -> FactCard:
        if card.speaker is None:
            return card
        speaker = card.speaker.model_copy(update={"named": True, "pronoun": None})
        return card.model_copy(update={"speaker": speaker})

    first = [as_1_0(c) for c in records()[0].cards]
    assert read_cards(path) == first + [c for r in records()[1:] for c in r.cards]


def test_an_empty_file_becomes_a_database(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    path.touch()
    write_sqlite(path, records())
    assert read_cards(path) == all_cards()


def test_a_failed_run_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "cards.db"
    write_sqlite(path, records()[:1])
    before = _dump(path)
    # Batches of one row reach the file before the error.
    with pytest.raises(InvalidRecordError), SqliteSink(path, batch_rows=1) as sink:
        sink.write(_broken_stream())
    assert _dump(path) == before


def test_a_failed_first_run_leaves_no_database(tmp_path: Path) -> None:
    path = tmp_path / "cards.db"
    with pytest.raises(InvalidRecordError):
        write_sqlite(path, _broken_stream())
    assert list(tmp_path.iterdir()) == []


_KILLED_RUN = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[2])
    from tests.export_data import records
    from quotes.export.sqlite import SqliteSink

    with SqliteSink(Path(sys.argv[1]), batch_rows=1) as sink:
        for n in range(50):
            for record in records():
                doc_id = f"{record.doc_id}-{n}"
                cards = [c.model_copy(update={"id": f"{c.id}-{n}", "doc_id": doc_id})
                         for c in record.cards]
                sink.write_record(record.model_copy(update={"doc_id": doc_id, "cards": cards}))
        sink._flush()
        os.kill(os.getpid(), signal.SIGKILL)  # killed before the commit: no cleanup runs
    """
)


@pytest.mark.parametrize("existing", [True, False])
def test_a_killed_run_leaves_the_last_good_database(tmp_path: Path, existing: bool) -> None:
    path = tmp_path / "cards.db"
    if existing:
        write_sqlite(path, records())
        before = _dump(path)
    run = subprocess.run(
        [sys.executable, "-c", _KILLED_RUN, str(path), str(REPO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == -9, run.stderr
    if existing:
        assert _dump(path) == before
        assert read_cards(path) == all_cards()
    else:
        assert not path.exists()  # only the killed run's temporary file is left
        assert all(p.name.startswith(".cards.db.") for p in tmp_path.iterdir())


def test_datasette_metadata_describes_every_table_and_column(tmp_path: Path) -> None:
    path = tmp_path / "corpus.db"
    write_sqlite(path, records())
    metadata = datasette_metadata("corpus")
    tables = metadata["databases"]["corpus"]["tables"]
    conn = sqlite3.connect(path)
    for table, meta in tables.items():
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info([{table}])")]
        assert columns, table
        assert meta["description"]
        if "columns" in meta:
            assert set(meta["columns"]) == set(columns), table
            assert all(meta["columns"].values())
    conn.close()
    json.dumps(metadata)


# -- pandas ------------------------------------------------------------------------------------


def test_dataframe_of_records_cards_and_files(tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    frame = to_dataframe(records())
    assert list(frame.columns) == column_names()
    assert len(frame) == 6
    assert str(frame["quote_start"].dtype) == "int64"
    assert str(frame["speaker_start"].dtype) == "Int64"
    assert frame["speaker_name"].isna().sum() == 1
    assert frame.loc[0, "source_title"] == "Harbour to reopen, mayor says"
    assert to_dataframe(all_cards())["source_title"].isna().all()
    path = tmp_path / "cards.parquet"
    write_parquet(path, records())
    assert to_dataframe(path).equals(frame)
    empty = to_dataframe([])
    assert list(empty.columns) == column_names() and len(empty) == 0


# -- optional extras ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "call", "extra"),
    [
        ("pyarrow", lambda p: write_parquet(p / "x.parquet", records()), "parquet"),
        ("sqlite_utils", lambda p: write_sqlite(p / "x.db", records()), "sqlite"),
        ("pandas", lambda p: to_dataframe(records()), "pandas"),
    ],
)
def test_a_missing_extra_names_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str, call: Any, extra: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # import now fails
    with pytest.raises(MissingExtraError, match=rf'pip install "quote-cards\[{extra}\]"') as info:
        call(tmp_path)
    assert isinstance(info.value, QuotesError) and isinstance(info.value, ImportError)
    assert not any(tmp_path.iterdir())


def test_the_base_package_imports_without_the_extras() -> None:
    code = (
        "import sys\n"
        "for m in ('pyarrow', 'sqlite_utils', 'pandas'): sys.modules[m] = None\n"
        "import quotes, quotes.corpus, quotes.export.rows, quotes.export.frames\n"
        "import quotes.export.parquet, quotes.export.sqlite\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
