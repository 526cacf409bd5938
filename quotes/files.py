"""Readers (text files, folders, JSONL corpora, stdin) and atomic, validated writers.

Readers never stop at a bad document: they yield a :class:`DocumentFailure` naming the file
and line, and go on. Writers validate every record against the committed schema before a byte
is written, write to a temporary file beside the target and rename it, so a failed run leaves
nothing partial.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import secrets
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any, TextIO

from pydantic import BaseModel

from .errors import InputError
from .export.rows import column_names, flat_row
from .models import DocumentRecord, FactCard, Source
from .schema import validate_record

STDIN = "-"


@dataclass(frozen=True)
class Document:
    """One input document; ``text`` is exactly what was read, never rewritten."""

    id: str
    text: str
    source: Source
    where: str  # "file" or "file:line", for messages
    position: int = 0  # the document's place in the run's input, counted from 0


@dataclass(frozen=True)
class DocumentFailure:
    """A document that could not be read; the others still go on."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


Item = Document | DocumentFailure


def decode(data: bytes, where: str, encoding: str, errors: str) -> str | DocumentFailure:
    try:
        return data.decode(encoding, errors=errors)
    except UnicodeDecodeError as err:
        return DocumentFailure(
            where,
            f"not valid {encoding} at byte {err.start}; "
            "pass --encoding or --errors replace to read it anyway",
        )
    except LookupError:
        return DocumentFailure(where, f"unknown encoding {encoding!r}")


def _looks_binary(data: bytes) -> bool:
    return b"\x00" in data[:8192]


def read_text_file(path: Path, encoding: str = "utf-8", errors: str = "strict") -> Item:
    where = str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        return DocumentFailure(where, f"cannot read: {err.strerror or err}")
    if _looks_binary(data):
        return DocumentFailure(where, "looks like a binary file, not text")
    text = decode(data, where, encoding, errors)
    if isinstance(text, DocumentFailure):
        return text
    return Document(id=path.stem, text=text, source=Source(path=where), where=where)


def _optional_str(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    return value if isinstance(value, str) else None


def parse_jsonl_line(line: str, where: str) -> Item:
    """One corpus line: ``{"id", "text", "title"?, "date"?, "url"?}``."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        return DocumentFailure(where, f"malformed JSON: {err.msg} at column {err.colno}")
    if not isinstance(record, dict):
        return DocumentFailure(where, "a corpus line must be a JSON object")
    text = record.get("text")
    if text is None:
        return DocumentFailure(where, 'no "text" field')
    if not isinstance(text, str):
        return DocumentFailure(where, f'"text" must be a string, not {type(text).__name__}')
    raw_id = record.get("id")
    if raw_id is None:
        return DocumentFailure(where, 'no "id" field')
    meta = record.get("meta") if isinstance(record.get("meta"), dict) else {}
    assert isinstance(meta, dict)
    source = Source(
        path=where,
        title=_optional_str(record, "title") or _optional_str(meta, "title"),
        date=_optional_str(record, "date") or _optional_str(meta, "publication_date"),
        url=_optional_str(record, "url") or _optional_str(meta, "url"),
    )
    return Document(id=str(raw_id), text=text, source=source, where=where)


def read_jsonl(
    stream: Iterable[bytes],
    name: str,
    encoding: str = "utf-8",
    errors: str = "strict",
    first_line: int = 1,
) -> Iterator[Item]:
    """Documents of a JSONL corpus, streamed line by line (constant memory); lines are numbered
    from ``first_line`` (a partition of a corpus starts further down)."""
    for number, raw in enumerate(stream, start=first_line):
        where = f"{name}:{number}"
        line = decode(raw, where, encoding, errors)
        if isinstance(line, DocumentFailure):
            yield line
            continue
        if not line.strip():
            continue
        yield parse_jsonl_line(line, where)


def _read_stdin(stdin: IO[bytes], encoding: str, errors: str) -> Iterator[Item]:
    data = stdin.read()
    text = decode(data, "<stdin>", encoding, errors)
    if isinstance(text, DocumentFailure):
        yield text
        return
    if text.lstrip().startswith("{"):
        yield from read_jsonl(io.BytesIO(data), "<stdin>", encoding, errors)
        return
    yield Document(id="stdin", text=text, source=Source(path=STDIN), where="<stdin>")


def read_inputs(
    paths: Iterable[str],
    *,
    encoding: str = "utf-8",
    errors: str = "strict",
    stdin: IO[bytes] | None = None,
) -> Iterator[Item]:
    """Every document of every PATH, in order: ``-``, .txt files, folders, .jsonl corpora;
    each document knows its ``position`` in that order."""
    items = _read_paths(paths, encoding, errors, stdin)
    for position, item in enumerate(items):
        yield replace(item, position=position) if isinstance(item, Document) else item


def _read_paths(
    paths: Iterable[str], encoding: str, errors: str, stdin: IO[bytes] | None
) -> Iterator[Item]:
    for raw in paths:
        if raw == STDIN:
            yield from _read_stdin(stdin or sys.stdin.buffer, encoding, errors)
            continue
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix == ".txt" and p.is_file())
            if not files:
                yield DocumentFailure(str(path), "folder holds no .txt files")
            for file in files:
                yield read_text_file(file, encoding, errors)
        elif path.suffix == ".jsonl":
            try:
                handle = path.open("rb")
            except OSError as err:
                yield DocumentFailure(str(path), f"cannot read: {err.strerror or err}")
                continue
            with handle:
                yield from read_jsonl(handle, str(path), encoding, errors)
        elif not path.exists():
            yield DocumentFailure(str(path), "no such file or folder")
        else:
            yield read_text_file(path, encoding, errors)


def count_documents(paths: Iterable[str]) -> int | None:
    """How many documents PATHS hold (non-blank corpus lines, .txt files), for a progress ETA;
    None when it cannot be known without reading the data (stdin)."""
    total = 0
    for raw in paths:
        path = Path(raw)
        if raw == STDIN:
            return None
        if path.is_dir():
            total += sum(1 for p in path.iterdir() if p.suffix == ".txt" and p.is_file())
        elif path.suffix == ".jsonl":
            try:
                with path.open("rb") as handle:
                    total += sum(1 for line in handle if line.strip())
            except OSError:
                total += 1
        else:
            total += 1
    return total


# -- file names --------------------------------------------------------------------------------

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(1, 10)}
    | {f"lpt{i}" for i in range(1, 10)}
)
_MAX_STEM = 120


def safe_stem(doc_id: str) -> str:
    """A file name stem for any id: no path separators, no dot files, no device names."""
    stem = _UNSAFE.sub("_", doc_id).strip("._")
    digest = hashlib.sha1(doc_id.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    if not stem:
        return f"doc_{digest}"
    if stem.split(".")[0].lower() in _RESERVED:
        stem = f"_{stem}"
    if len(stem) > _MAX_STEM or stem != doc_id:
        # Rewritten ids get the digest so two different ids never share a file.
        stem = f"{stem[:_MAX_STEM]}_{digest}"
    return stem


# -- writers -----------------------------------------------------------------------------------


def temp_beside(path: Path) -> Path:
    """A fresh hidden name in the target's folder (same file system, so the rename is atomic)."""
    return path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"


@contextlib.contextmanager
def atomic_output(path: Path, newline: str | None = None) -> Iterator[TextIO]:
    """Write ``path`` through a temporary file in the same folder, renamed on success only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # The name is chosen before the file exists, so an interrupt that lands anywhere after
    # this line, even inside the open call, still finds the file to remove.
    tmp = temp_beside(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class AtomicFile:
    """A whole file written by a library (Parquet, SQLite) under a temporary name beside
    ``path``: ``start`` gives that name, ``commit`` syncs it and renames it to ``path``,
    ``discard`` removes it (safe at any point, twice, or after a commit)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp: Path | None = None

    def start(self) -> Path:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = temp_beside(self.path)
        return self.tmp

    def commit(self) -> None:
        assert self.tmp is not None, "commit before start"
        fd = os.open(self.tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(self.tmp, self.path)
        self.tmp = None

    def discard(self) -> None:
        if self.tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.tmp)
            self.tmp = None


def to_json_dict(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json")


def validated(model: FactCard | DocumentRecord) -> dict[str, Any]:
    """The record as JSON data, checked against the committed schema (raises when invalid)."""
    data = to_json_dict(model)
    validate_record(data, "document" if isinstance(model, DocumentRecord) else "fact-card")
    return data


def dumps(data: Any, *, indent: int | None = None) -> str:
    return json.dumps(data, ensure_ascii=False, indent=indent)


def write_document_json(folder: Path, record: DocumentRecord, stem: str) -> Path:
    data = validated(record)
    target = folder / f"{stem}.json"
    with atomic_output(target) as handle:
        handle.write(dumps(data, indent=2) + "\n")
    return target


class CardSink:
    """Streams validated cards as JSONL, or as CSV flat rows (:mod:`quotes.export.rows`, the
    columns Parquet and SQLite have too), to a handle."""

    def __init__(self, handle: TextIO, fmt: str) -> None:
        self.handle = handle
        self.fmt = fmt
        self.writer: csv.DictWriter[str] | None = None
        if fmt == "csv":
            self.writer = csv.DictWriter(handle, fieldnames=column_names(), lineterminator="\n")
            self.writer.writeheader()

    def write(self, cards: Iterable[FactCard], source: Source | None = None) -> None:
        """Cards of one document; in CSV each row carries the document's ``source``."""
        source_data = source.model_dump(mode="json") if source is not None else None
        for card in cards:
            data = validated(card)
            if self.writer is not None:
                self.writer.writerow(flat_row(data, source_data))
            else:
                self.handle.write(dumps(data) + "\n")


def write_failures(target: Path, failures: Iterable[DocumentFailure]) -> None:
    """The documents that failed, one JSON object a line (``where``, ``reason``), atomically."""
    with atomic_output(target) as handle:
        for failure in failures:
            handle.write(dumps({"where": failure.where, "reason": failure.reason}) + "\n")


# -- reading records back --------------------------------------------------------------------


def read_utf8(path: Path) -> str:
    """The text of a UTF-8 file; :class:`~quotes.errors.InputError` saying why when it cannot
    be read."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder; give a file") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from err
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: not valid UTF-8 at byte {err.start}") from err


def jsonl_lines(text: str) -> list[str]:
    """The lines of JSON Lines text: split on "\\n" only. (``str.splitlines`` also splits on
    U+2028, U+2029, U+0085 and others, which JSON strings may hold raw.) A trailing "\\r" stays
    on its line, where JSON takes it for whitespace."""
    return text.split("\n")


def read_records(path: Path) -> Iterator[tuple[str, Any]]:
    """``(where, record)`` for each record of a .jsonl file (a line each) or a .json file (an
    array, or one record), ``where`` naming the file and line (or array index). A line that is
    not JSON gives ``(where, DocumentFailure)`` and the reading goes on; a file that cannot be
    read raises :class:`~quotes.errors.InputError`."""
    text = read_utf8(path)
    if path.suffix.lower() != ".json":
        for number, line in enumerate(jsonl_lines(text), start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                yield where, json.loads(line)
            except json.JSONDecodeError as err:
                yield where, _not_json(where, err)
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        where = f"{path}:{err.lineno}"
        yield where, _not_json(where, err)
        return
    if isinstance(data, list):
        for n, record in enumerate(data):
            yield f"{path}[{n}]", record
    else:
        yield str(path), data


def _not_json(where: str, err: json.JSONDecodeError) -> DocumentFailure:
    return DocumentFailure(where, f"not JSON: {err.msg} at column {err.colno}")
