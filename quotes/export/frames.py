"""Reading cards back from any format this tool writes, and pandas DataFrames of them.

:func:`read_cards` reads JSONL (cards or document records a line), JSON (a document record, or
an array of records or cards), CSV, Parquet, a SQLite database, or a folder of any of these
(``-o DIR`` records, Dask ``part-NNNNN`` files), into validated :class:`FactCard` models; what
was written comes back equal. :func:`read_entries` also gives each card its document's source,
where the format keeps it (all but card JSONL/JSON).
"""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..corpus import DOMINANCE, SpeakerIndex
from ..errors import InputError
from ..files import restored
from ..models import DocumentRecord, FactCard, Source
from . import require
from .rows import (
    Row,
    card_from_row,
    card_row,
    row_columns,
    row_from_text,
    rows_of,
    source_from_row,
)

Entry = tuple[FactCard, Source | None]
#: Suffixes read as each format (lower case).
JSON_SUFFIXES = (".json", ".jsonl")
DB_SUFFIXES = (".db", ".sqlite", ".sqlite3")
TABULAR_SUFFIXES = (".csv", ".parquet", *DB_SUFFIXES)


def _is_side_file(path: Path) -> bool:
    """Files written beside the output that hold no cards: failure lists, Datasette metadata."""
    name = path.name
    return name == "errors.jsonl" or name.endswith((".errors.jsonl", ".datasette.json"))


def _folder_files(folder: Path) -> list[Path]:
    suffixes = JSON_SUFFIXES + TABULAR_SUFFIXES
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and p.suffix.lower() in suffixes
        and not p.name.startswith(".")
        and not _is_side_file(p)
    )


def _json_items(data: Any, where: str) -> Iterator[Entry]:
    items = data if isinstance(data, list) else [data]
    for n, item in enumerate(items):
        at = f"{where}[{n}]" if isinstance(data, list) else where
        if not isinstance(item, dict):
            raise InputError(f"{at}: not a card or a document record")
        try:
            if "cards" in item:
                record = DocumentRecord.model_validate(item)
                yield from ((card, record.source) for card in record.cards)
            else:
                yield FactCard.model_validate(item), None
        except ValidationError as err:
            raise InputError(f"{at}: not a valid card or document record: {err}") from err


def _read_jsonl(path: Path) -> Iterator[Entry]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as err:
                raise InputError(f"{path}:{number}: malformed JSON: {err.msg}") from err
            yield from _json_items(data, f"{path}:{number}")


def _read_json(path: Path) -> Iterator[Entry]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise InputError(f"{path}: malformed JSON: {err.msg} at line {err.lineno}") from err
    yield from _json_items(data, str(path))


def _read_csv_rows(path: Path) -> Iterator[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {c.name for c in row_columns() if c.group == "card"} - set(
            reader.fieldnames or ()
        )
        if missing:
            raise InputError(f"{path}: not a cards CSV (no column {sorted(missing)[0]})")
        for row in reader:
            try:  # cells that would start a formula were written with a leading '
                yield row_from_text({k: restored(v) if v else v for k, v in row.items()})
            except ValueError as err:
                raise InputError(f"{path}:{reader.line_num}: {err}") from err


def _files(path: Path) -> list[Path]:
    """The files to read: ``path``, or the card files of a folder, in name order."""
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if not path.is_dir():
        return [path]
    files = _folder_files(path)
    if not files:
        raise InputError(f"{path}: the folder holds no cards")
    return files


def _tabular_rows(path: Path) -> Iterator[Row]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv_rows(path)
    if suffix == ".parquet":
        from .parquet import read_parquet_rows

        return read_parquet_rows(path)
    from .sqlite import read_db_rows

    return read_db_rows(path)


def _json_entries(path: Path) -> Iterator[Entry]:
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return _read_jsonl(path)
    if suffix == ".json":
        return _read_json(path)
    raise InputError(
        f"{path}: cannot tell the format (.jsonl, .json, .csv, .parquet or .db expected)"
    )


def _entry(row: Row, path: Path) -> Entry:
    try:
        return card_from_row(row), source_from_row(row)
    except ValidationError as err:
        raise InputError(f"{path}: row {row.get('id')!r} is not a valid card: {err}") from err


def read_rows(path: str | Path) -> Iterator[Row]:
    """The flat rows stored at ``path`` (any format, or a folder), in their stored order."""
    for file in _files(Path(path)):
        if file.suffix.lower() in TABULAR_SUFFIXES:
            yield from _tabular_rows(file)
        else:
            yield from (card_row(card, source) for card, source in _json_entries(file))


def read_entries(path: str | Path) -> Iterator[Entry]:
    """(card, its document's source or None) for every card stored at ``path``."""
    for file in _files(Path(path)):
        if file.suffix.lower() in TABULAR_SUFFIXES:
            yield from (_entry(row, file) for row in _tabular_rows(file))
        else:
            yield from _json_entries(file)


def read_cards(path: str | Path) -> list[FactCard]:
    """Every card stored at ``path``, validated, in stored order."""
    return [card for card, _ in read_entries(path)]


def read_speaker_index(paths: Iterable[str | Path], dominance: float = DOMINANCE) -> SpeakerIndex:
    """The corpus speaker index of the cards at ``paths``; a single database gives the index
    it stores (computed when it was written, with the default dominance)."""
    files = [Path(p) for p in paths]
    if len(files) == 1 and files[0].suffix.lower() in DB_SUFFIXES and dominance == DOMINANCE:
        from .sqlite import read_db_index

        return read_db_index(files[0])
    return SpeakerIndex.build(itertools.chain.from_iterable(map(read_entries, files)), dominance)


def _dtypes() -> dict[str, str]:
    nullable = {"str": "string", "int": "Int64", "float": "Float64", "bool": "boolean"}
    plain = {"str": "string", "int": "int64", "float": "float64", "bool": "bool"}
    return {c.name: (nullable if c.nullable else plain)[c.kind] for c in row_columns()}


def to_dataframe(items: Iterable[FactCard | DocumentRecord] | str | Path) -> Any:
    """A pandas DataFrame with one flat row per card (needs ``quote-cards[pandas]``).

    ``items``: cards, document records (their rows carry the source), or a path to read.
    Columns and dtypes come from the contract: nullable columns use pandas' nullable dtypes.
    """
    pd = require("pandas", "to_dataframe")
    rows = read_rows(items) if isinstance(items, (str, Path)) else rows_of(items)
    dtypes = _dtypes()
    frame = pd.DataFrame.from_records(list(rows), columns=list(dtypes))
    return frame.astype(dtypes)
