"""Readers (text files, folders, JSONL corpora, stdin) and atomic, validated writers.

Readers never stop at a bad document: they yield a :class:`DocumentFailure` naming the file
and line, and go on. Writers validate every record against the committed schema before a byte
is written, write to a temporary file beside the target and rename it, so a failed run leaves
nothing partial.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
import json
import os
import re
import secrets
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any, TextIO

from pydantic import BaseModel

from .errors import InputError, OutputError
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


def _is_wide(encoding: str) -> bool:
    """UTF-16 and UTF-32 text holds NUL bytes and cannot be split into lines as bytes."""
    try:
        return codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))
    except LookupError:
        return False


def _not_text(data: bytes, encoding: str) -> str | None:
    """Why ``data`` is not text in ``encoding`` at a glance (NUL bytes), or None."""
    if _is_wide(encoding) or b"\x00" not in data[:8192]:
        return None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "looks like UTF-16 text: pass --encoding utf-16"
    return "looks like a binary file, not text"


# A lone surrogate is legal in JSON ("\udcff") but cannot be written as UTF-8, and spaCy's
# tokenizer fails on it: a document holding one is refused, with where it is.
_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate(text: str) -> str | None:
    """``a lone surrogate (U+DCFF) at character 8`` when ``text`` holds one, else None."""
    found = _SURROGATE.search(text)
    if found is None:
        return None
    return f"a lone surrogate (U+{ord(found.group()):04X}) at character {found.start()}"


def displayable(text: str) -> str:
    """A name from the file system as valid Unicode: bytes that are not UTF-8 (which Python
    keeps as lone surrogates) become U+FFFD."""
    if _SURROGATE.search(text) is None:
        return text
    try:
        data = text.encode("utf-8", "surrogateescape")  # the bytes the name was made of
    except UnicodeEncodeError:
        data = text.encode("utf-8", "surrogatepass")
    return data.decode("utf-8", "replace")


def read_text_file(path: Path, encoding: str = "utf-8", errors: str = "strict") -> Item:
    where = displayable(str(path))
    try:
        data = path.read_bytes()
    except OSError as err:
        return DocumentFailure(where, f"cannot read: {err.strerror or err}")
    problem = _not_text(data, encoding)
    if problem is not None:
        return DocumentFailure(where, problem)
    text = decode(data, where, encoding, errors)
    if isinstance(text, DocumentFailure):
        return text
    if "\x00" in text[:8192]:
        return DocumentFailure(where, "looks like a binary file, not text")
    return Document(id=displayable(path.stem), text=text, source=Source(path=where), where=where)


def _optional_str(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    return value if isinstance(value, str) else None


#: Longer integers than Python reads by default (4,300 digits) stay digits: an id of 5,000
#: digits is still an id.
_MAX_INT_DIGITS = 4000


class LongNumber:
    """A JSON integer too long to convert, kept as its digits."""

    def __init__(self, digits: str) -> None:
        self.digits = digits

    def __str__(self) -> str:
        return self.digits

    def __repr__(self) -> str:
        return f"a number of {len(self.digits)} digits"


def _parse_int(digits: str) -> int | LongNumber:
    return int(digits) if len(digits) <= _MAX_INT_DIGITS else LongNumber(digits)


_DECODER = json.JSONDecoder(parse_int=_parse_int)


class JSONProblem(ValueError):
    """Text that cannot be read as JSON, with the line and column where it fails."""

    def __init__(self, reason: str, line: int = 1, column: int = 1) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.column = column


def _decoded(decode: Any, *args: Any) -> Any:
    """Run a JSON decoding call; every way it can fail becomes a :class:`JSONProblem`."""
    try:
        return decode(*args)
    except json.JSONDecodeError as err:
        # "Unterminated string starting at" / "Expecting value": say the column once.
        place = f"column {err.colno}" if err.msg.endswith(" at") else f"at column {err.colno}"
        raise JSONProblem(f"{err.msg} {place}", err.lineno, err.colno) from err
    except RecursionError as err:
        raise JSONProblem("nested too deeply") from err


def load_json(text: str) -> Any:
    """``json.loads`` that fails only with :class:`JSONProblem` (malformed, nested too deeply)
    and reads integers of any length."""
    return _decoded(_DECODER.decode, text)


def json_values(text: str) -> Iterator[tuple[int, Any]]:
    """``(line, value)`` for each element of a top-level JSON array, or the one top-level value,
    with the line it starts on; raises :class:`JSONProblem` where the text stops being JSON."""
    position = _skip_space(text, 0)
    if not text.startswith("[", position):
        yield text.count("\n", 0, position) + 1, load_json(text)
        return
    line, counted = 1, 0
    position = _skip_space(text, position + 1)
    if text.startswith("]", position):
        _expect_end(text, position + 1)
        return
    while True:
        value, end = _decoded(_DECODER.raw_decode, text, position)
        line += text.count("\n", counted, position)
        counted = position
        yield line, value
        position = _skip_space(text, end)
        if text.startswith(",", position):
            position = _skip_space(text, position + 1)
        elif text.startswith("]", position):
            _expect_end(text, position + 1)
            return
        else:
            raise _problem_at(text, position, "Expecting ',' delimiter")


_SPACE_RUN = re.compile(r"[ \t\n\r]*")


def _skip_space(text: str, position: int) -> int:
    found = _SPACE_RUN.match(text, position)
    return found.end() if found else position


def _expect_end(text: str, position: int) -> None:
    rest = _skip_space(text, position)
    if rest < len(text):
        raise _problem_at(text, rest, "Extra data")


def _problem_at(text: str, position: int, message: str) -> JSONProblem:
    line = text.count("\n", 0, position) + 1
    column = position - text.rfind("\n", 0, position)
    return JSONProblem(f"{message} at column {column}", line, column)


def _corpus_document(record: Any, where: str) -> Item:
    """One corpus record: ``{"id", "text", "title"?, "date"?, "url"?}``."""
    if not isinstance(record, dict):
        return DocumentFailure(where, "a corpus line must be a JSON object")
    text = record.get("text")
    if text is None:
        return DocumentFailure(where, 'no "text" field')
    if not isinstance(text, str):
        return DocumentFailure(where, f'"text" must be a string, not {_json_type(text)}')
    raw_id = record.get("id")
    if raw_id is None:
        return DocumentFailure(where, 'no "id" field')
    if isinstance(raw_id, dict | list):
        kind = _json_type(raw_id)
        return DocumentFailure(where, f'"id" must be a string or a number, not {kind}')
    doc_id = str(raw_id)
    if not doc_id:
        return DocumentFailure(where, '"id" is empty')
    meta = record.get("meta") if isinstance(record.get("meta"), dict) else {}
    assert isinstance(meta, dict)
    source = Source(
        path=where,
        title=_optional_str(record, "title") or _optional_str(meta, "title"),
        date=_optional_str(record, "date") or _optional_str(meta, "publication_date"),
        url=_optional_str(record, "url") or _optional_str(meta, "url"),
    )
    fields = {"id": doc_id, "text": text, **source.model_dump(exclude={"path"})}
    for name, value in fields.items():
        problem = lone_surrogate(value) if isinstance(value, str) else None
        if problem is not None:
            return DocumentFailure(where, f'"{name}" holds {problem}')
    return Document(id=doc_id, text=text, source=source, where=where)


def _json_type(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", float: "number"}
    return "number" if isinstance(value, int | LongNumber) else names.get(type(value), "null")


def parse_jsonl_line(line: str, where: str) -> Item:
    """One corpus line: ``{"id", "text", "title"?, "date"?, "url"?}``."""
    try:
        record = load_json(line)
    except JSONProblem as err:
        return DocumentFailure(where, f"malformed JSON: {err.reason}")
    return _corpus_document(record, where)


def read_jsonl(
    stream: Iterable[bytes],
    name: str,
    encoding: str = "utf-8",
    errors: str = "strict",
    first_line: int = 1,
) -> Iterator[Item]:
    """Documents of a JSONL corpus, streamed line by line (constant memory); lines are numbered
    from ``first_line`` (a partition of a corpus starts further down). Lines end at "\n" only,
    as JSON Lines defines."""
    if _is_wide(encoding):
        yield from _read_wide_jsonl(stream, name, encoding, errors, first_line)
        return
    for number, raw in enumerate(stream, start=first_line):
        where = f"{name}:{number}"
        line = decode(raw, where, encoding, errors)
        if isinstance(line, DocumentFailure):
            yield line
            continue
        if not line.strip():
            continue
        yield parse_jsonl_line(line, where)


def _read_wide_jsonl(
    stream: Iterable[bytes], name: str, encoding: str, errors: str, first_line: int
) -> Iterator[Item]:
    """A UTF-16 or UTF-32 corpus: decoded as a whole stream, then split at "\n"."""
    data = b"".join(stream)
    text = decode(data, name, encoding, errors)
    if isinstance(text, DocumentFailure):
        yield text
        return
    for number, line in enumerate(text.split("\n"), start=first_line):
        if line.strip():
            yield parse_jsonl_line(line, f"{name}:{number}")


def read_json_corpus(path: Path, encoding: str = "utf-8", errors: str = "strict") -> Iterator[Item]:
    """A ``.json`` file: an array of corpus records (or one record), each reported by the line
    it starts on."""
    name = displayable(str(path))
    try:
        data = path.read_bytes()
    except OSError as err:
        yield DocumentFailure(name, f"cannot read: {err.strerror or err}")
        return
    text = decode(data, name, encoding, errors)
    if isinstance(text, DocumentFailure):
        yield text
        return
    try:
        for line, record in json_values(text):
            yield _corpus_document(record, f"{name}:{line}")
    except JSONProblem as err:
        yield DocumentFailure(
            f"{name}:{err.line}", f"malformed JSON: {err.reason}; the rest of the file is not read"
        )


def _read_stdin(stdin: IO[bytes], encoding: str, errors: str) -> Iterator[Item]:
    """Standard input is a JSONL corpus when its first non-blank line is a JSON object, and one
    article otherwise (an article may well begin with "{")."""
    data = stdin.read()
    text = decode(data, "<stdin>", encoding, errors)
    if isinstance(text, DocumentFailure):
        yield text
        return
    first = next((line for line in text.split("\n") if line.strip()), "")
    try:
        is_corpus = isinstance(load_json(first), dict)
    except JSONProblem:
        is_corpus = False
    if is_corpus:
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
    """Every document of every PATH, in order: ``-``, .txt files, folders, .jsonl corpora,
    .json arrays of corpus records; each document knows its ``position`` in that order."""
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
        suffix = path.suffix.lower()
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix == ".txt" and p.is_file())
            if not files:
                yield DocumentFailure(str(path), "folder holds no .txt files")
            for file in files:
                yield read_text_file(file, encoding, errors)
        elif not path.exists():
            yield DocumentFailure(str(path), "no such file or folder")
        elif suffix == ".jsonl":
            try:
                handle = path.open("rb")
            except OSError as err:
                yield DocumentFailure(str(path), f"cannot read: {err.strerror or err}")
                continue
            with handle:
                yield from read_jsonl(handle, str(path), encoding, errors)
        elif suffix == ".json":
            yield from read_json_corpus(path, encoding, errors)
        else:
            yield read_text_file(path, encoding, errors)


def unique_ids(items: Iterable[Item], warn: Callable[[str], None]) -> Iterator[Item]:
    """Documents in order, each with an id no earlier one has: a repeated id becomes the first
    free ``ID_2``, ``ID_3``… (as folder output names it), with a warning through ``warn``, so
    that no two documents share cards' ids."""
    seen: dict[str, str] = {}  # id -> where it was first given
    for item in items:
        if isinstance(item, Document):
            if item.id in seen:
                n = 2
                while f"{item.id}_{n}" in seen:
                    n += 1
                renamed = f"{item.id}_{n}"
                warn(
                    f"{item.where}: warning: id {_shown(item.id)} was already given at "
                    f"{seen[item.id]}; this document is {_shown(renamed)}"
                )
                item = replace(item, id=renamed)
            seen[item.id] = item.where
        yield item


def _shown(text: str, most: int = 60) -> str:
    return repr(text if len(text) <= most else text[:most] + "…")


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
        elif path.suffix.lower() == ".json":
            return None  # an array: only reading it tells
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
    """A fresh hidden name in the target's folder (same file system, so the rename is atomic),
    naming this process, so that a later run can tell the file of a killed run
    (:func:`sweep_temporaries`)."""
    return path.parent / f".{path.name}.{os.getpid()}-{secrets.token_hex(6)}.tmp"


@contextlib.contextmanager
def atomic_output(path: Path, newline: str | None = None) -> Iterator[TextIO]:
    """Write ``path`` through a temporary file in the same folder, renamed on success only.
    A failure to write (a full disk, a folder in the way) is an :class:`OutputError`."""
    # The name is chosen before the file exists, so an interrupt that lands anywhere after
    # this line, even inside the open call, still finds the file to remove.
    tmp = temp_beside(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(err, OSError):
            raise OutputError(f"cannot write {path}: {err.strerror or err}") from err
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


# ``.NAME.PID-HEX.tmp`` (and ``.NAME.HEX.tmp`` from earlier versions).
_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.(?:(?P<pid>\d+)-)?[0-9a-f]{12}\.tmp$")


def sweep_temporaries(folder: Path, owned: Callable[[str], bool]) -> list[Path]:
    """Remove the temporary files a killed run left in ``folder`` for the outputs ``owned``
    names (a run that is still writing, on this machine, keeps its own); return them."""
    swept: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return swept
    for path in entries:
        found = _TEMPORARY.match(path.name)
        if found is None or not owned(found["name"]) or _alive(found["pid"]):
            continue
        with contextlib.suppress(OSError):
            path.unlink()
            swept.append(path)
    return swept


def _alive(pid: str | None) -> bool:
    if pid is None or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process
        return True
    return True


def to_json_dict(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json")


def validated(model: FactCard | DocumentRecord) -> dict[str, Any]:
    """The record as JSON data, checked against the committed schema (raises when invalid)."""
    data = to_json_dict(model)
    validate_record(data, "document" if isinstance(model, DocumentRecord) else "fact-card")
    return data


# Line breaks to JSON readers that split with str.splitlines (Python), but legal raw in a JSON
# string: escaped, so every JSON Lines file the tool writes reads back line by line.
_LINE_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def dumps(data: Any, *, indent: int | None = None) -> str:
    """JSON text as the tool writes it: UTF-8 characters as they are, but U+2028, U+2029 and
    U+0085 escaped (they can only stand inside strings, where the escape means the same)."""
    return json.dumps(data, ensure_ascii=False, indent=indent).translate(_LINE_BREAKS)


def write_document_json(folder: Path, record: DocumentRecord, stem: str) -> Path:
    data = validated(record)
    target = folder / f"{stem}.json"
    with atomic_output(target) as handle:
        handle.write(dumps(data, indent=2) + "\n")
    return target


# A cell starting with = + - @, a tab or a carriage return is a formula to a spreadsheet
# (=HYPERLINK(…), +cmd|…); so, once neutralised, is one with quotes before that.
_FORMULA = re.compile(r"'*[=+\-@\t\r]")


def neutralised(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run: text that starts like a formula gets a leading
    ``'`` (OWASP's advice against CSV injection); everything else is left as it is. Text that
    already starts with quotes before such a character gets one more, so that
    :func:`restored` gives back exactly what was written."""
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


def restored(cell: str) -> str:
    """The text a CSV cell written by :func:`neutralised` stands for."""
    return cell[1:] if cell.startswith("'") and _FORMULA.match(cell, 1) else cell


class SafeCSV:
    """CSV that a spreadsheet opens safely: a header, then rows whose cells never start a
    formula (:func:`neutralised`), each ending in RFC 4180's CRLF so that the csv module quotes
    a cell holding a carriage return as well as a line feed."""

    def __init__(self, handle: TextIO, columns: Iterable[str]) -> None:
        self.writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\r\n")
        self.writer.writeheader()

    def write(self, row: Mapping[str, Any]) -> None:
        self.writer.writerow({key: neutralised(value) for key, value in row.items()})


class CardSink:
    """Streams validated cards as JSONL, or as CSV flat rows (:mod:`quotes.export.rows`, the
    columns Parquet and SQLite have too), to a handle."""

    def __init__(self, handle: TextIO, fmt: str) -> None:
        self.handle = handle
        self.fmt = fmt
        self.writer: SafeCSV | None = None
        if fmt == "csv":
            self.writer = SafeCSV(handle, column_names())

    def write(self, cards: Iterable[FactCard], source: Source | None = None) -> None:
        """Cards of one document; in CSV each row carries the document's ``source``."""
        source_data = source.model_dump(mode="json") if source is not None else None
        for card in cards:
            data = validated(card)
            if self.writer is not None:
                self.writer.write(flat_row(data, source_data))
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
    array, or one record), ``where`` naming the file and the line the record starts on. A line
    that is not JSON (malformed, nested too deeply) gives ``(where, DocumentFailure)`` and the
    reading goes on; a file that cannot be read raises :class:`~quotes.errors.InputError`.
    Lines end at "\n" only (:func:`jsonl_lines`)."""
    text = read_utf8(path)
    name = displayable(str(path))
    if path.suffix.lower() != ".json":
        for number, line in enumerate(jsonl_lines(text), start=1):
            if not line.strip():
                continue
            where = f"{name}:{number}"
            try:
                yield where, load_json(line)
            except JSONProblem as err:
                yield where, DocumentFailure(where, f"not JSON: {err.reason}")
        return
    try:
        for number, record in json_values(text):
            yield f"{name}:{number}", record
    except JSONProblem as err:
        where = f"{name}:{err.line}"
        yield where, DocumentFailure(where, f"not JSON: {err.reason}; the rest is not read")
