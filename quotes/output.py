"""Where extraction results go: the output planner (``-o`` and ``--format`` → a plan) and the
sinks that write each document to its destination.

Three destinations: stdout (JSONL, CSV or a JSON array), one file (the same formats written
atomically, or Parquet, or a SQLite database updated in one transaction) and a folder (one
``<doc_id>.json`` document record per document, names unique in input order). ``--resume``
skips the documents a folder (a valid record) or a database (its ``documents`` row) already
holds.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol, TextIO

from .core.cards import Extraction
from .errors import UsageError
from .export.parquet import ParquetSink
from .export.sqlite import SqliteSink, datasette_metadata, metadata_path
from .files import (
    CardSink,
    Document,
    Item,
    atomic_output,
    dumps,
    safe_stem,
    validated,
    write_document_json,
)
from .progress import message
from .schema import record_errors

Format = Literal["json", "jsonl", "csv", "parquet", "db"]
FORMATS: tuple[Format, ...] = ("json", "jsonl", "csv", "parquet", "db")
SUFFIX_FORMATS: dict[str, Format] = {
    ".jsonl": "jsonl",
    ".csv": "csv",
    ".json": "json",
    ".parquet": "parquet",
    ".db": "db",
    ".sqlite": "db",
    ".sqlite3": "db",
}
#: Formats that only a file can hold.
FILE_FORMATS: tuple[Format, ...] = ("parquet", "db")
#: Beside a folder output: the documents that failed.
FOLDER_ERRORS_NAME = "errors.jsonl"


@dataclass(frozen=True)
class OutputPlan:
    """Where the cards of a run go: ``stdout``, one ``file`` or a ``dir`` of records."""

    kind: Literal["stdout", "file", "dir"]
    format: Format
    path: Path | None = None

    @property
    def errors_path(self) -> Path | None:
        """Where the documents that failed are listed (nowhere for stdout)."""
        if self.path is None:
            return None
        if self.kind == "dir":
            return self.path / FOLDER_ERRORS_NAME
        return self.path.with_name(self.path.stem + ".errors.jsonl")

    @property
    def resumable(self) -> bool:
        """Whether the destination knows which documents it holds (for ``--resume``)."""
        return self.kind == "dir" or self.format == "db"


def plan_output(output: str | None, fmt: Format | None) -> OutputPlan:
    """The plan for ``-o OUTPUT`` and ``--format FMT``; a folder is a path that is one, ends
    in a slash or has no suffix."""
    if output is None:
        if fmt in FILE_FORMATS:
            raise UsageError(f"--format {fmt} writes a file: pass -o FILE.{fmt}")
        return OutputPlan("stdout", fmt or "jsonl")
    path = Path(output)
    suffix = path.suffix.lower()
    if path.is_dir() or output.endswith(("/", "\\")) or not suffix:
        if fmt not in (None, "json"):
            raise UsageError(
                "-o DIR writes one JSON document record per document; "
                "use -o FILE.jsonl, FILE.csv, FILE.parquet or FILE.db for cards"
            )
        return OutputPlan("dir", "json", path)
    inferred = SUFFIX_FORMATS.get(suffix)
    if inferred is None and fmt is None:
        raise UsageError(f"cannot tell the format of {output!r}: pass --format")
    return OutputPlan("file", fmt or inferred or "jsonl", path)


class Sink(Protocol):
    def accept(self, items: Iterable[Item], *, resume: bool, quiet: bool) -> Iterator[Item]:
        """The items to extract: named in input order (a folder), without the documents the
        destination already holds when resuming."""
        ...

    def write(self, document: Document, extraction: Extraction) -> None: ...


class _TakesAll:
    """A destination that holds nothing before the run: every item is extracted."""

    def accept(self, items: Iterable[Item], *, resume: bool, quiet: bool) -> Iterator[Item]:
        return iter(items)


class StreamSink(_TakesAll):
    """Cards as JSONL or CSV, or document records as one JSON array, on a text handle."""

    def __init__(self, handle: TextIO, fmt: Format) -> None:
        self.handle = handle
        self.fmt = fmt
        self.records = 0
        self.cards = CardSink(handle, fmt) if fmt != "json" else None

    def write(self, document: Document, extraction: Extraction) -> None:
        if self.cards is not None:
            self.cards.write(extraction.cards, document.source)
            return
        record = validated(extraction.record(document.source))
        self.handle.write(("," if self.records else "[") + "\n" + dumps(record, indent=2))
        self.records += 1

    def close(self) -> None:
        if self.fmt == "json":
            self.handle.write(("\n]" if self.records else "[\n]") + "\n")


class FolderSink:
    """One document record per document, named by the planner (:class:`FolderNames`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.names = FolderNames(folder)

    def accept(self, items: Iterable[Item], *, resume: bool, quiet: bool) -> Iterator[Item]:
        return self.names.assign(items, resume=resume, quiet=quiet)

    def write(self, document: Document, extraction: Extraction) -> None:
        record = extraction.record(document.source)
        write_document_json(self.folder, record, self.names.stem(document))


class FolderNames:
    """Output file names for a folder: safe, unique in input order (``_2``, ``_3`` on
    collision, the same every run), by each document's position."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._used: set[str] = set()
        self._stems: dict[int, str] = {}

    def assign(self, items: Iterable[Item], *, resume: bool, quiet: bool) -> Iterator[Item]:
        """Name each document in input order; with ``resume``, drop those whose valid record
        already exists."""
        skipped = 0
        for item in items:
            if isinstance(item, Document):
                stem = self._unique(item.id)
                if resume and _has_valid_record(self.folder / f"{stem}.json", item.id):
                    skipped += 1
                    continue
                self._stems[item.position] = stem
            yield item
        if skipped and not quiet:
            message(f"quotes: skipped {skipped} documents already done (--resume)")

    def stem(self, document: Document) -> str:
        return self._stems[document.position]

    def _unique(self, doc_id: str) -> str:
        stem = safe_stem(doc_id)
        candidate, n = stem, 1
        while candidate.lower() in self._used:
            n += 1
            candidate = f"{stem}_{n}"
        self._used.add(candidate.lower())
        return candidate


def _has_valid_record(path: Path, doc_id: str) -> bool:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        isinstance(record, dict)
        and record.get("doc_id") == doc_id
        and not record_errors(record, "document")
    )


class ParquetOutput(_TakesAll):
    """The flat rows of every card, with its document's source, in one Parquet file."""

    def __init__(self, sink: ParquetSink) -> None:
        self.sink = sink

    def write(self, document: Document, extraction: Extraction) -> None:
        self.sink.write([extraction.record(document.source)])


class DatabaseOutput:
    """Documents, cards and speakers upserted into a SQLite database."""

    def __init__(self, sink: SqliteSink) -> None:
        self.sink = sink

    def accept(self, items: Iterable[Item], *, resume: bool, quiet: bool) -> Iterator[Item]:
        skipped = 0
        for item in items:
            if resume and isinstance(item, Document) and self.sink.has_document(item.id):
                skipped += 1
                continue
            yield item
        if skipped and not quiet:
            message(f"quotes: skipped {skipped} documents already in the database (--resume)")

    def write(self, document: Document, extraction: Extraction) -> None:
        self.sink.write_record(extraction.record(document.source))


def _write_datasette_metadata(database: Path, quiet: bool) -> None:
    target = metadata_path(database)
    with atomic_output(target) as handle:
        handle.write(dumps(datasette_metadata(database.stem), indent=2) + "\n")
    if not quiet:
        message(f"quotes: to browse it: datasette {database} -m {target}")


@contextlib.contextmanager
def open_sink(plan: OutputPlan, quiet: bool = True) -> Iterator[Sink]:
    """The sink for a plan; a file is written atomically (a database in one transaction), so
    nothing partial is left when the run fails or is interrupted."""
    if plan.kind == "dir":
        assert plan.path is not None
        yield FolderSink(plan.path)
        return
    if plan.kind == "stdout":
        sink = StreamSink(sys.stdout, plan.format)
        yield sink
        sink.close()
        sys.stdout.flush()
        return
    assert plan.path is not None
    if plan.format == "parquet":
        with ParquetSink(plan.path) as parquet:
            yield ParquetOutput(parquet)
        return
    if plan.format == "db":
        with SqliteSink(plan.path) as database:
            yield DatabaseOutput(database)
        _write_datasette_metadata(plan.path, quiet)
        return
    with atomic_output(plan.path, newline="" if plan.format == "csv" else None) as handle:
        sink = StreamSink(handle, plan.format)
        yield sink
        sink.close()
