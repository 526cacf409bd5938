"""Parquet: the flat rows in one file, with an Arrow schema derived from the contract
(optional extra: ``pip install "quote-cards[parquet]"``).

Rows are written in batches through :class:`pyarrow.parquet.ParquetWriter` (memory stays flat
whatever the corpus size) to a temporary file beside the target, renamed on success. The
schema version is stored in the file's key-value metadata and checked on reading; each
field's description is in the field metadata.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..files import AtomicFile
from ..models import SCHEMA_MAJOR, SCHEMA_VERSION, DocumentRecord, FactCard
from ..schema import schema_id
from . import require
from .batch import BatchSink
from .rows import Row, column_names, row_columns, validated_rows

#: Key-value metadata of every file this tool writes.
VERSION_KEY = "quote_cards.schema_version"
SCHEMA_ID_KEY = "quote_cards.schema_id"
#: Rows per row group written at once: bounds memory, large enough for columnar compression.
BATCH_ROWS = 4096


def _pyarrow() -> Any:
    return require("pyarrow", "Parquet")


def _pq() -> Any:
    _pyarrow()
    return require("pyarrow.parquet", "Parquet")


def arrow_schema() -> Any:
    """The Arrow schema of the flat row, from :func:`~quotes.export.rows.row_columns`."""
    pa = _pyarrow()
    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
    fields = [
        pa.field(c.name, types[c.kind], c.nullable, metadata={"description": c.description})
        for c in row_columns()
    ]
    return pa.schema(
        fields, metadata={VERSION_KEY: SCHEMA_VERSION, SCHEMA_ID_KEY: schema_id("fact-card")}
    )


class ParquetSink(BatchSink):
    """Streams validated rows into ``path``; a context manager (the file appears on a clean
    exit only)."""

    def __init__(self, path: Path, batch_rows: int = BATCH_ROWS) -> None:
        super().__init__(batch_rows)
        self.path = path
        self._file = AtomicFile(path)
        self._writer: Any = None
        self._schema: Any = None

    def write(self, items: Iterable[FactCard | DocumentRecord]) -> None:
        """Cards or document records (their rows carry the record's source)."""
        self.write_rows(validated_rows(items))

    def write_rows(self, rows: Iterable[Row]) -> None:
        for row in rows:
            self._add(row)

    def _open(self) -> None:
        self._schema = arrow_schema()
        pq = _pq()
        self._writer = pq.ParquetWriter(self._file.start(), self._schema, compression="zstd")

    def _store(self, rows: list[Row]) -> None:
        pa = _pyarrow()
        self._writer.write_table(pa.Table.from_pylist(rows, schema=self._schema))

    def _commit(self) -> None:
        self._writer.close()
        self._writer = None
        self._file.commit()

    def _abort(self, err: BaseException) -> None:
        if self._writer is not None:
            with contextlib.suppress(Exception):
                self._writer.close()
            self._writer = None
        self._file.discard()


def write_parquet(
    path: Path, items: Iterable[FactCard | DocumentRecord], batch_rows: int = BATCH_ROWS
) -> int:
    """Write the rows of ``items`` to ``path`` atomically; the number of rows."""
    with ParquetSink(path, batch_rows) as sink:
        sink.write(items)
    return sink.rows


def check_version(metadata: dict[bytes, bytes] | None, where: str) -> None:
    """Refuse a file written with another major version of the card format."""
    version = (metadata or {}).get(VERSION_KEY.encode())
    if version is None:
        raise InputError(f"{where}: not written by quote-cards (no {VERSION_KEY} metadata)")
    major = version.decode().split(".")[0]
    if major != str(SCHEMA_MAJOR):
        raise InputError(
            f"{where}: holds cards of schema {version.decode()}; "
            f"this quote-cards reads {SCHEMA_MAJOR}.x"
        )


def read_parquet_rows(path: Path) -> Iterator[Row]:
    """The flat rows of a Parquet file written by this tool, batch by batch, in file order."""
    pq = _pq()
    try:
        handle = pq.ParquetFile(path)
    except (OSError, ValueError) as err:
        raise InputError(f"{path}: not a readable Parquet file: {err}") from err
    with handle:
        check_version(handle.schema_arrow.metadata, str(path))
        present = [n for n in column_names() if n in handle.schema_arrow.names]
        for batch in handle.iter_batches(columns=present):
            yield from batch.to_pylist()
