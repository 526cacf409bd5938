"""Where extraction results go: the output planner (``-o`` and ``--format`` → a plan) and the
sinks that write each document to its destination.

Three destinations: stdout (JSONL, CSV or a JSON array), one file (the same formats written
atomically, or Parquet, or a SQLite database updated in one transaction) and a folder (one
``<doc_id>.json`` document record per document, names unique in input order, with a manifest
so that ``--resume`` skips exactly the documents that would come out the same). ``--resume``
into a database skips the documents its ``documents`` table holds. A run never writes over one
of its inputs, and first sweeps the temporary files a killed run left behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, TextIO

from .core.cards import Extraction
from .errors import OutputError, UsageError
from .export.parquet import ParquetSink
from .export.sqlite import SqliteSink, datasette_metadata, metadata_path
from .files import (
    CardSink,
    Document,
    Item,
    atomic_output,
    dumps,
    safe_stem,
    sweep_temporaries,
    validated,
    write_document_json,
)
from .progress import message
from .schema import record_errors

Format = Literal["json", "jsonl", "csv", "parquet", "db"]
FORMATS: tuple[Format, ...] = ("json", "jsonl", "csv", "parquet", "db")
#: What each output file suffix holds; ``-o`` with one of these and another ``--format`` is a
#: usage error. A new output format is one more row.
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
#: Beside a folder output: the documents that failed, and the run's manifest (for --resume).
FOLDER_ERRORS_NAME = "errors.jsonl"
MANIFEST_NAME = ".quotes-manifest.jsonl"


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

    @property
    def folder(self) -> Path | None:
        """The folder the run writes into."""
        if self.path is None:
            return None
        return self.path if self.kind == "dir" else self.path.parent

    def writes(self, name: str) -> bool:
        """Whether this run may write a file called ``name`` in :attr:`folder`."""
        if self.path is None:
            return False
        if self.kind == "dir":
            return name.endswith(".json") or name in (FOLDER_ERRORS_NAME, MANIFEST_NAME)
        beside = [self.errors_path] + ([metadata_path(self.path)] if self.format == "db" else [])
        return name == self.path.name or any(p is not None and name == p.name for p in beside)


def plan_output(output: str | None, fmt: Format | None) -> OutputPlan:
    """The plan for ``-o OUTPUT`` and ``--format FMT``; a folder is a path that is one, ends
    in a slash or has no suffix. A suffix of :data:`SUFFIX_FORMATS` decides the format, and
    a ``--format`` that disagrees with it is a usage error."""
    if output is None:
        if fmt in FILE_FORMATS:
            raise UsageError(f"--format {fmt} writes a file: pass -o FILE.{fmt}")
        return OutputPlan("stdout", fmt or "jsonl")
    path = Path(output)
    suffix = path.suffix.lower()
    if path.is_dir() or output.endswith(("/", "\\")) or not suffix:
        if path.exists() and not path.is_dir():
            raise UsageError(f"-o {output} is a file, not a folder")
        if fmt not in (None, "json"):
            raise UsageError(
                "-o DIR writes one JSON document record per document; "
                "use -o FILE.jsonl, FILE.csv, FILE.parquet or FILE.db for cards"
            )
        return OutputPlan("dir", "json", path)
    inferred = SUFFIX_FORMATS.get(suffix)
    if inferred is None and fmt is None:
        raise UsageError(f"cannot tell the format of {output!r}: pass --format")
    if inferred is not None and fmt is not None and fmt != inferred:
        raise UsageError(f"-o {output} holds {inferred}, not --format {fmt}: drop one")
    return OutputPlan("file", fmt or inferred or "jsonl", path)


def refuse_overwriting_inputs(plan: OutputPlan, paths: Iterable[str]) -> None:
    """A usage error when the run would write over one of its input files."""
    folder = plan.folder
    if folder is None:
        return
    for raw in paths:
        path = Path(raw)
        if raw == "-" or not path.is_file():
            continue
        if _same_folder(path.parent, folder) and plan.writes(path.name):
            raise UsageError(
                f"-o {plan.path} would write over the input {raw}; choose another output"
            )


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return a.resolve() == b.resolve()


def sweep(plan: OutputPlan) -> list[Path]:
    """Remove what a killed earlier run left for this plan's outputs: temporary files."""
    folder = plan.folder
    return [] if folder is None else sweep_temporaries(folder, plan.writes)


def input_digest(document: Document) -> str:
    """A hash of everything a document record is made from: id, text and source."""
    data = [document.id, document.text, document.source.model_dump()]
    return hashlib.sha256(dumps(data).encode("utf-8", "surrogatepass")).hexdigest()


class Manifest:
    """The sidecar of a folder output (``.quotes-manifest.jsonl``): the settings of the run
    (tool version, pipeline, options) on its first line, then one line for each document
    record written (file, id, a hash of its input). ``--resume`` skips a document only when
    its line is there under the same settings and its record is valid: a document whose text
    changed, or a folder made with other options, is extracted again."""

    def __init__(self, folder: Path, settings: Mapping[str, Any]) -> None:
        self.path = folder / MANIFEST_NAME
        self.settings = dict(settings)

    def previous(self) -> tuple[dict[str, str], str | None]:
        """``({file stem: input hash}, None)`` from the folder's manifest when it was made
        with these settings; else ``({}, why not)``."""
        try:
            lines = self.path.read_bytes().decode("utf-8", "replace").split("\n")
        except OSError:
            return {}, "it holds no manifest of an earlier run"
        entries = [_loaded(line) for line in lines]
        header = entries[0] if entries else None
        if not isinstance(header, dict) or header.get("settings") != self.settings:
            theirs = header.get("settings") if isinstance(header, dict) else None
            return {}, f"it was made with other settings ({_difference(theirs, self.settings)})"
        done = {
            str(e["file"]): str(e["input"])
            for e in entries[1:]
            if isinstance(e, dict) and "file" in e and "input" in e
        }
        return done, None

    def start(self) -> None:
        """A new manifest holding only the settings (documents are added as they are done)."""
        with atomic_output(self.path) as handle:
            handle.write(dumps({"manifest": 1, "settings": self.settings}) + "\n")

    def add(self, stem: str, doc_id: str, digest: str) -> None:
        try:
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(dumps({"file": stem, "id": doc_id, "input": digest}) + "\n")
        except OSError as err:
            raise OutputError(f"cannot write {self.path}: {err.strerror or err}") from err


def _loaded(line: str) -> Any:
    try:
        return json.loads(line)
    except ValueError:
        return None  # a line cut short by a kill: that document is simply done again


def _difference(theirs: Any, ours: Mapping[str, Any]) -> str:
    if not isinstance(theirs, dict):
        return "unknown"
    flat_theirs, flat_ours = _flat(theirs), _flat(ours)
    changed = [
        f"{key} {flat_theirs.get(key)!r} → {flat_ours.get(key)!r}"
        for key in sorted(set(flat_theirs) | set(flat_ours))
        if flat_theirs.get(key) != flat_ours.get(key)
    ]
    return ", ".join(changed)


def _flat(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


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
    """One document record per document, named by the planner (:class:`FolderNames`), each
    entered in the folder's manifest once written."""

    def __init__(self, folder: Path, settings: Mapping[str, Any]) -> None:
        self.folder = folder
        self.names = FolderNames(folder, settings)
        self.written = 0

    def accept(self, items: Iterable[Item], *, resume: bool, quiet: bool) -> Iterator[Item]:
        return self.names.assign(items, resume=resume, quiet=quiet)

    def write(self, document: Document, extraction: Extraction) -> None:
        record = extraction.record(document.source)
        stem, digest = self.names.entry(document)
        write_document_json(self.folder, record, stem)
        self.names.manifest.add(stem, document.id, digest)
        self.written += 1


class FolderNames:
    """Output file names for a folder: safe, unique in input order (``_2``, ``_3`` on
    collision, the same every run), by each document's position; and the folder's
    :class:`Manifest` under the run's ``settings``."""

    def __init__(self, folder: Path, settings: Mapping[str, Any]) -> None:
        self.folder = folder
        self.manifest = Manifest(folder, settings)
        self.skipped = 0
        self._used: set[str] = set()
        self._entries: dict[int, tuple[str, str]] = {}

    def assign(self, items: Iterable[Item], *, resume: bool, quiet: bool) -> Iterator[Item]:
        """Name each document in input order; with ``resume``, drop those the manifest lists
        as done under the same settings, with the same input and a valid record."""
        done: dict[str, str] = {}
        if resume:
            done, why_not = self.manifest.previous()
            if why_not is not None and not quiet:
                message(f"quotes: --resume: {self.folder} {why_not}; extracting every document")
        self.manifest.start()
        for item in items:
            if isinstance(item, Document):
                stem = self._unique(item.id)
                digest = input_digest(item)
                if done.get(stem) == digest and _has_valid_record(
                    self.folder / f"{stem}.json", item.id
                ):
                    self.manifest.add(stem, item.id, digest)
                    self.skipped += 1
                    continue
                self._entries[item.position] = (stem, digest)
            yield item
        if self.skipped and not quiet:
            message(f"quotes: skipped {self.skipped} documents already done (--resume)")

    def entry(self, document: Document) -> tuple[str, str]:
        """The document's file stem and input hash."""
        return self._entries[document.position]

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
    """Documents, cards and speakers upserted into a SQLite database, with what each document
    was extracted from (input hash, settings) so that ``--resume`` skips only documents that
    would come out the same."""

    def __init__(self, sink: SqliteSink, settings: Mapping[str, Any]) -> None:
        self.sink = sink
        self.settings = dumps(dict(sorted(settings.items())))

    def accept(self, items: Iterable[Item], *, resume: bool, quiet: bool) -> Iterator[Item]:
        skipped = 0
        for item in items:
            if (
                resume
                and isinstance(item, Document)
                and self.sink.has_document(item.id, input_digest(item), self.settings)
            ):
                skipped += 1
                continue
            yield item
        if skipped and not quiet:
            message(f"quotes: skipped {skipped} documents already in the database (--resume)")

    def write(self, document: Document, extraction: Extraction) -> None:
        self.sink.write_record(extraction.record(document.source))
        self.sink.record_input(document.id, input_digest(document), self.settings)


def _write_datasette_metadata(database: Path, quiet: bool) -> None:
    target = metadata_path(database)
    with atomic_output(target) as handle:
        handle.write(dumps(datasette_metadata(database.stem), indent=2) + "\n")
    if not quiet:
        message(f"quotes: to browse it: datasette {database} -m {target}")


@contextlib.contextmanager
def open_sink(
    plan: OutputPlan, quiet: bool = True, settings: Mapping[str, Any] | None = None
) -> Iterator[Sink]:
    """The sink for a plan; a file is written atomically (a database in one transaction), so
    nothing partial is left when the run fails or is interrupted. ``settings`` (tool version,
    pipeline, options) go to a folder's manifest, for ``--resume``."""
    if plan.kind == "dir":
        assert plan.path is not None
        yield FolderSink(plan.path, settings or {})
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
            yield DatabaseOutput(database, settings or {})
        _write_datasette_metadata(plan.path, quiet)
        return
    with atomic_output(plan.path, newline="" if plan.format == "csv" else None) as handle:
        sink = StreamSink(handle, plan.format)
        yield sink
        sink.close()
