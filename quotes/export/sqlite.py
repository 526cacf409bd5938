"""SQLite: documents, cards and the corpus speaker index in one database that Datasette opens as
it is (optional extra: ``pip install "quote-cards[sqlite]"``, for sqlite-utils).

Tables (columns derived from the flat row, :mod:`quotes.export.rows`):

- ``documents``: ``doc_id`` and the document's source (``source_title``, ``source_date``, …);
- ``cards``: one row per card, the card's columns of the flat row, ``doc_id`` → documents;
  full-text search over ``quote_text`` and ``sentence`` (``cards_fts``, kept current by
  triggers); indexes on ``doc_id`` and the speaker;
- ``speakers``: the corpus identities of :mod:`quotes.corpus` (name, type, quotes, documents,
  first and last date); ``speaker_names``: every document-level name, the identity it belongs
  to and why (the merges); ``card_speakers``: card → identity;
- ``meta``: the schema version the cards follow; a view ``card_rows`` gives the flat rows
  (cards joined with their document's source), the same rows as the CSV and Parquet exports.

How a run is made safe. A new database is built under a temporary name beside the target and
renamed when complete. An existing database is updated in **one transaction** (write-ahead
log): a failed, interrupted or killed run rolls back to the database as it was, and a reader
(Datasette) keeps seeing that state until the commit. Copying the database to a temporary file
would give the same guarantee at the cost of copying all of it for every ``--resume`` of a few
documents; the transaction costs only the rows written. Rows are upserted by card id in batches
(memory stays flat); a document written again replaces its cards (those it no longer has are
deleted), so reruns never duplicate a row. The speaker tables are rebuilt from all cards at the
end of every run, inside the same transaction.

An existing file that is not a SQLite database, a database this tool did not write, and a
database of another schema version are refused (:class:`~quotes.errors.OutputError`), never
changed.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..corpus import (
    DOMINANCE,
    CorpusSpeaker,
    KeptApart,
    Merge,
    NameKey,
    SpeakerIndex,
    group_names,
    iso_date,
    speaker_id,
)
from ..errors import InputError, OutputError
from ..files import AtomicFile
from ..models import SCHEMA_VERSION, DocumentRecord, FactCard, RosterEntry
from ..schema import schema_id
from . import require
from .batch import BatchSink
from .rows import (
    SOURCE_PREFIX,
    Column,
    Row,
    card_columns,
    row_columns,
    source_columns,
    validated_rows,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

SQLITE_MAGIC = b"SQLite format 3\x00"
#: The tables' layout (beside the cards' schema version): bumped when a table changes.
DB_LAYOUT = "1"
#: Card rows upserted at once.
BATCH_ROWS = 2000
_SQL_TYPES: dict[str, type] = {"str": str, "int": int, "float": float, "bool": int}


def _database(conn: sqlite3.Connection) -> Database:
    sqlite_utils = require("sqlite_utils", "Writing SQLite")
    db: Database = sqlite_utils.Database(conn)
    return db


def _columns(columns: Iterable[Column]) -> dict[str, type]:
    return {c.name: _SQL_TYPES[c.kind] for c in columns}


def _document_columns() -> dict[str, type]:
    return {"doc_id": str, **_columns(source_columns())}


def _create_schema(db: Database) -> None:
    """Every table, index, trigger and view of an empty database."""
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("meta").insert_all(
        [
            {"key": "schema_version", "value": SCHEMA_VERSION},
            {"key": "schema_id", "value": schema_id("fact-card")},
            {"key": "layout", "value": DB_LAYOUT},
            {"key": "generator", "value": "quote-cards"},
        ]
    )
    db.table("documents").create(_document_columns(), pk="doc_id")
    cards = card_columns()
    db.table("cards").create(
        _columns(cards),
        pk="id",
        not_null=[c.name for c in cards if not c.nullable],
        foreign_keys=[
            ("doc_id", "documents", "doc_id"),
            ("continues", "cards", "id"),
            ("part_of", "cards", "id"),
        ],
    )
    db.table("cards").create_index(["doc_id"])
    db.table("cards").create_index(["speaker_name", "speaker_type"])
    db.table("cards").enable_fts(["quote_text", "sentence"], create_triggers=True)
    db.table("speakers").create(
        {
            "id": str,
            "name": str,
            "type": str,
            "quotes": int,
            "documents": int,
            "first_date": str,
            "last_date": str,
        },
        pk="id",
        not_null=["name", "type", "quotes", "documents"],
    )
    db.table("speakers").create_index(["name"])
    db.table("speaker_names").create(
        {"name": str, "type": str, "speaker_id": str, "quotes": int, "reason": str, "detail": str},
        pk=("name", "type"),
        foreign_keys=[("speaker_id", "speakers", "id")],
    )
    db.table("speaker_names").create_index(["speaker_id"])
    db.table("card_speakers").create(
        {"card_id": str, "speaker_id": str},
        pk="card_id",
        foreign_keys=[("card_id", "cards", "id"), ("speaker_id", "speakers", "id")],
    )
    db.table("card_speakers").create_index(["speaker_id"])
    _create_inputs(db)
    _create_rows_view(db)


INPUTS_TABLE = "inputs"


def _create_inputs(db: Database) -> None:
    """What each document was extracted from (a hash of its input) and with which settings
    (tool version, pipeline, options): ``--resume`` skips a document only when both match."""
    if not db.table(INPUTS_TABLE).exists():
        db.table(INPUTS_TABLE).create(
            {"doc_id": str, "input": str, "settings": str},
            pk="doc_id",
            foreign_keys=[("doc_id", "documents", "doc_id")],
        )


def _create_rows_view(db: Database) -> None:
    selected = [f"cards.[{c.name}]" for c in card_columns()]
    selected += [f"documents.[{c.name}]" for c in source_columns()]
    db.create_view(
        "card_rows",
        f"SELECT {', '.join(selected)} FROM cards JOIN documents "
        "ON documents.doc_id = cards.doc_id ORDER BY cards.rowid",
    )


def _stored_version(conn: sqlite3.Connection, where: str) -> str | None:
    """The schema version a database holds; None for an empty database. Raises when it is a
    database of something else."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        return None
    if "meta" not in tables or "cards" not in tables:
        raise OutputError(
            f"{where} is a SQLite database that quote-cards did not write (no meta and cards "
            "tables); refusing to change it: write to a new .db file"
        )
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    if "schema_version" not in meta:
        raise OutputError(f"{where}: its meta table holds no schema_version; refusing to change it")
    if meta.get("layout") != DB_LAYOUT:
        raise OutputError(
            f"{where} has tables of another layout ({meta.get('layout')}; this quote-cards "
            f"uses {DB_LAYOUT}): write to a new database"
        )
    return str(meta["schema_version"])


def _is_database_file(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    return head in (b"", SQLITE_MAGIC)  # an empty file is an empty database to SQLite


def _check_target(path: Path) -> bool:
    """Whether ``path`` is an existing database to update (False: a new one to create)."""
    if path.is_dir():
        raise OutputError(f"{path} is a folder, not a database file")
    if not path.exists():
        return False
    if not _is_database_file(path):
        raise OutputError(
            f"{path} exists and is not a SQLite database; refusing to overwrite it "
            "(remove it or choose another -o)"
        )
    return True


def _version(text: str) -> tuple[int, int]:
    major, _, minor = text.partition(".")
    return int(major), int(minor or 0)


def _check_version(version: str | None, where: str) -> None:
    """A database of this major version and an older or equal minor can be written to (a minor
    version only adds optional fields); any other is refused."""
    if version is None:
        return
    try:
        stored, ours = _version(version), _version(SCHEMA_VERSION)
    except ValueError:
        stored, ours = (-1, -1), (0, 0)
    if stored[0] != ours[0] or stored[1] > ours[1]:
        raise OutputError(
            f"{where} holds cards of schema version {version}; this quote-cards writes "
            f"{SCHEMA_VERSION}. Write to a new database (or extract the corpus again into one)"
        )


def _upgrade(db: Database, version: str | None) -> None:
    """Bring a database of an older minor version up to this one: the columns of the fields
    added since (null in the rows already there: their defaults apply when read back)."""
    if version is None or version == SCHEMA_VERSION:
        return
    for table, columns in (("cards", _columns(card_columns())), ("documents", _document_columns())):
        have = set(db.table(table).columns_dict)
        for name, kind in columns.items():
            if name not in have:
                db.table(table).add_column(name, kind)
    _create_inputs(db)
    db.execute("DROP VIEW IF EXISTS card_rows")
    _create_rows_view(db)
    db.table("meta").upsert({"key": "schema_version", "value": SCHEMA_VERSION}, pk="key")


class SqliteSink(BatchSink):
    """Upserts document records into a database; a context manager. On a clean exit the
    speaker tables are rebuilt and everything is committed; on any error nothing changes."""

    def __init__(
        self, path: Path, batch_rows: int = BATCH_ROWS, dominance: float = DOMINANCE
    ) -> None:
        super().__init__(batch_rows)
        self.path = path
        self.dominance = dominance
        self.documents = 0
        self._card_names = [c.name for c in card_columns()]
        self._pending_docs: set[str] = set()  # documents with rows in the current batch
        self._file: AtomicFile | None = None
        self._conn: sqlite3.Connection | None = None
        self._db: Database | None = None

    # -- opening and closing ----------------------------------------------------------------

    def _open(self) -> None:
        require("sqlite_utils", "Writing SQLite")
        where = str(self.path)
        stored: str | None = None
        if _check_target(self.path):
            self._conn = conn = sqlite3.connect(self.path, isolation_level=None)
            stored = _stored_version(conn, where)
            _check_version(stored, where)
        else:
            self._file = AtomicFile(self.path)
            self._conn = conn = sqlite3.connect(self._file.start(), isolation_level=None)
        self._db = _database(conn)
        conn.create_function("quotes_iso_date", 1, iso_date, deterministic=True)
        empty = _stored_version(conn, where) is None
        if empty:
            conn.execute("PRAGMA journal_mode = WAL")  # readers see the last commit meanwhile
        conn.execute("BEGIN IMMEDIATE")  # the write lock now, not at the first row
        if empty:
            _create_schema(self._db)
        else:
            _upgrade(self._db, stored)
            _create_inputs(self._db)  # a database written before inputs were recorded

    def _commit(self) -> None:
        assert self._conn is not None
        self._rebuild_speakers()
        self._conn.execute("COMMIT")
        self._conn.close()
        self._conn = None
        if self._file is not None:
            self._file.commit()  # a new database appears complete, or not at all

    def _abort(self, err: BaseException) -> None:
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
            self._conn.close()
            self._conn = None
        if self._file is not None:
            self._file.discard()

    # -- writing ----------------------------------------------------------------------------

    @property
    def db(self) -> Database:
        if self._db is None or self._conn is None:
            raise RuntimeError("SqliteSink is used outside its with block")
        return self._db

    def has_document(self, doc_id: str, input_digest: str, settings: str) -> bool:
        """Whether the database holds ``doc_id`` extracted from the same input with the same
        settings (for ``--resume``)."""
        found = self.db.execute(
            f"SELECT 1 FROM {INPUTS_TABLE} WHERE doc_id = ? AND input = ? AND settings = ?",
            [doc_id, input_digest, settings],
        ).fetchone()
        return found is not None

    def record_input(self, doc_id: str, input_digest: str, settings: str) -> None:
        """Note what ``doc_id`` was extracted from (after :meth:`write_record`)."""
        row = {"doc_id": doc_id, "input": input_digest, "settings": settings}
        self.db.table(INPUTS_TABLE).upsert(row, pk="doc_id")

    def write(self, records: Iterable[DocumentRecord]) -> None:
        for record in records:
            self.write_record(record)

    def write_record(self, record: DocumentRecord) -> None:
        """One document and its cards (validated first); replaces what the database held for
        the same ``doc_id`` (an earlier run, or an earlier line with the same id)."""
        rows = list(validated_rows([record]))
        if record.doc_id in self._pending_docs:
            self._flush()
        document = {"doc_id": record.doc_id}
        document.update({f"{SOURCE_PREFIX}_{k}": v for k, v in record.source.model_dump().items()})
        self.db.table("documents").upsert(document, pk="doc_id")
        self.db.execute(
            "DELETE FROM cards WHERE doc_id = ? AND id NOT IN (SELECT value FROM json_each(?))",
            [record.doc_id, json.dumps([row["id"] for row in rows])],
        )
        self.documents += 1
        self._pending_docs.add(record.doc_id)
        for row in rows:
            self._add({name: row[name] for name in self._card_names})

    def _store(self, rows: list[Row]) -> None:
        self.db.table("cards").upsert_all(rows, pk="id", batch_size=self.batch_rows)
        self._pending_docs.clear()

    def _rebuild_speakers(self) -> None:
        """The corpus identities of every card now in the database (:mod:`quotes.corpus`)."""
        db = self.db
        for table in ("card_speakers", "speaker_names", "speakers"):
            db.execute(f"DELETE FROM [{table}]")
        quotes = {
            (name, kind): n
            for name, kind, n in db.execute(
                "SELECT speaker_name, speaker_type, count(*) FROM cards "
                "WHERE speaker_name IS NOT NULL GROUP BY 1, 2"
            )
        }
        grouping = group_names(quotes, self.dominance)
        notes: dict[tuple[str, str], tuple[str, str | None]] = {
            (m.name, m.type): (m.reason, m.detail or None) for m in grouping.merges
        }
        for apart in grouping.apart:
            notes[(apart.name, apart.type)] = (
                "kept apart",
                "could be " + ", ".join(apart.candidates),
            )
        db.table("speakers").insert_all(
            (
                {"id": speaker_id(*canonical), "name": canonical[0], "type": canonical[1]}
                | {"quotes": 0, "documents": 0}
                for canonical in grouping.members
            ),
            batch_size=self.batch_rows,
        )
        db.table("speaker_names").insert_all(
            (
                {
                    "name": key[0],
                    "type": key[1],
                    "speaker_id": speaker_id(*canonical),
                    "quotes": quotes[key],
                    "reason": notes.get(key, (None, None))[0],
                    "detail": notes.get(key, (None, None))[1],
                }
                for canonical, keys in grouping.members.items()
                for key in keys
            ),
            batch_size=self.batch_rows,
        )
        db.execute(
            "INSERT INTO card_speakers (card_id, speaker_id) "
            "SELECT cards.id, speaker_names.speaker_id FROM cards JOIN speaker_names "
            "ON speaker_names.name = cards.speaker_name "
            "AND speaker_names.type = cards.speaker_type"
        )
        db.execute(
            "UPDATE speakers SET quotes = totals.quotes, documents = totals.documents, "
            "first_date = totals.first_date, last_date = totals.last_date FROM ("
            "  SELECT card_speakers.speaker_id AS id, count(*) AS quotes,"
            "  count(DISTINCT cards.doc_id) AS documents,"
            "  min(quotes_iso_date(documents.source_date)) AS first_date,"
            "  max(quotes_iso_date(documents.source_date)) AS last_date"
            "  FROM card_speakers JOIN cards ON cards.id = card_speakers.card_id"
            "  JOIN documents ON documents.doc_id = cards.doc_id GROUP BY 1"
            ") AS totals WHERE speakers.id = totals.id"
        )


def write_sqlite(path: Path, records: Iterable[DocumentRecord]) -> int:
    """Upsert document records into the database at ``path`` (created when absent); the
    number of card rows written."""
    with SqliteSink(path) as sink:
        sink.write(records)
    return sink.rows


# -- reading -----------------------------------------------------------------------------------


def _open_for_reading(path: Path) -> sqlite3.Connection:
    if not path.is_file() or not _is_database_file(path):
        raise InputError(f"{path}: not a SQLite database")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        version = _stored_version(conn, str(path))
    except OutputError as err:
        conn.close()
        raise InputError(str(err)) from err
    if version is not None and version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        conn.close()
        raise InputError(f"{path} holds cards of schema {version}; this quote-cards reads 1.x")
    return conn


def read_db_rows(path: Path) -> Iterator[Row]:
    """The flat rows of a database written by this tool, in the order they were first
    written (booleans as ``bool``)."""
    conn = _open_for_reading(path)
    try:
        bools = {c.name for c in row_columns() if c.kind == "bool"}
        cursor = conn.execute("SELECT * FROM card_rows")
        names = [d[0] for d in cursor.description]
        for values in cursor:
            row = dict(zip(names, values, strict=True))
            for name in bools.intersection(row):
                if row[name] is not None:
                    row[name] = bool(row[name])
            yield row
    finally:
        conn.close()


def read_db_index(path: Path) -> SpeakerIndex:
    """The speaker index a database holds (its ``speakers`` and ``speaker_names`` tables), as
    :func:`quotes.corpus.speaker_index` would compute it from the same cards."""
    conn = _open_for_reading(path)
    try:
        conn.row_factory = sqlite3.Row
        names: dict[str, list[sqlite3.Row]] = {}
        for row in conn.execute("SELECT * FROM speaker_names ORDER BY speaker_id, rowid"):
            names.setdefault(row["speaker_id"], []).append(row)
        speakers: list[CorpusSpeaker] = []
        merges: list[Merge] = []
        apart: list[KeptApart] = []
        identity_of: dict[NameKey, str] = {}
        for row in conn.execute("SELECT * FROM speakers ORDER BY quotes DESC, name, type"):
            aliases = names.get(row["id"], [])
            speakers.append(
                CorpusSpeaker(
                    id=row["id"],
                    name=row["name"],
                    type=row["type"],
                    quotes=row["quotes"],
                    documents=row["documents"],
                    first_date=row["first_date"],
                    last_date=row["last_date"],
                    aliases=tuple(a["name"] for a in aliases),
                )
            )
            for alias in aliases:
                identity_of[(alias["name"], alias["type"])] = row["id"]
                if alias["reason"] == "kept apart":
                    candidates = alias["detail"].removeprefix("could be ").split(", ")
                    apart.append(KeptApart(alias["name"], alias["type"], tuple(candidates)))
                elif alias["reason"] is not None:
                    merges.append(
                        Merge(
                            alias["name"],
                            alias["type"],
                            row["name"],
                            alias["reason"],
                            alias["detail"] or "",
                        )
                    )
        merges.sort(key=lambda m: (m.into, m.type, m.name))
        apart.sort(key=lambda a: (a.name, a.type))
        return SpeakerIndex(speakers, merges, apart, identity_of)
    finally:
        conn.close()


# -- Datasette ---------------------------------------------------------------------------------


def datasette_metadata(database: str) -> dict[str, Any]:
    """Datasette metadata for a database named ``database`` (the file's stem): table and
    column descriptions, derived from the models where they describe the column."""
    cards = {c.name: c.description for c in card_columns()}
    sources = {c.name: c.description for c in source_columns()}
    roster = RosterEntry.__doc__ or ""
    tables = {
        "documents": {
            "description": (DocumentRecord.__doc__ or "").strip() + " One row per document.",
            "columns": {"doc_id": "The document's id.", **sources},
            "label_column": f"{SOURCE_PREFIX}_title",
        },
        "cards": {
            "description": (FactCard.__doc__ or "").strip() + " One row per card.",
            "columns": cards,
            "label_column": "quote_text",
            "facets": [c.name for c in card_columns() if c.choices],
        },
        "speakers": {
            "description": "Corpus identities: document-level speakers merged across documents "
            "(quotes.corpus). " + roster.strip(),
            "columns": {
                "id": "Stable id from the type and the corpus name.",
                "name": "Corpus name: the most quoted full form of the identity's names.",
                "type": cards["speaker_type"],
                "quotes": "Cards this identity speaks.",
                "documents": "Documents in which it speaks.",
                "first_date": "Earliest source date (ISO dates only) of those documents.",
                "last_date": "Latest source date (ISO dates only) of those documents.",
            },
            "label_column": "name",
            "sort_desc": "quotes",
            "facets": ["type"],
        },
        "speaker_names": {
            "description": "Every document-level speaker name, the identity it belongs to and "
            "the merge that put it there.",
            "columns": {
                "name": cards["speaker_name"],
                "type": cards["speaker_type"],
                "speaker_id": "The corpus identity (speakers.id).",
                "quotes": "Cards with this name.",
                "reason": "Why the name joined its identity: spelling (the same name written "
                "otherwise), leading words (the name behind words such as 'Republican'), "
                "sub-form (a shorter form of one identity), dominant (a shorter form "
                "of several, one with 10 times the quotes of the others), fuller form (when a "
                "shorter form is the corpus name); kept apart (a shorter form of several "
                "identities, none dominant); null: the identity's own name.",
                "detail": "The identities a dominant or kept-apart name could belong to.",
            },
        },
        "card_speakers": {
            "description": "The corpus identity of each card's speaker.",
            "columns": {"card_id": "cards.id", "speaker_id": "speakers.id"},
        },
        "meta": {"description": "The schema version of the cards (schema_version, schema_id)."},
    }
    return {
        "title": "quote-cards",
        "description": "Quotations found in news text, attributed to their speakers.",
        "databases": {database: {"tables": tables}},
    }


def metadata_path(path: Path) -> Path:
    """Where the Datasette metadata of ``x.db`` is written: ``x.datasette.json``."""
    return path.with_name(f"{path.stem}.datasette.json")
