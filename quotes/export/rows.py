"""One flat row per card, derived from the pydantic contract and shared by every tabular format.

The columns are found by walking :class:`~quotes.models.FactCard` (nested models flattened with
``_``: ``speaker.name`` → ``speaker_name``) and then :class:`~quotes.models.Source` (prefixed
``source_``), so a field added to the models is a new column in CSV, Parquet and SQLite with no
edit here. Each column carries its type, whether it may be null, the allowed values of a
``Literal`` and a description taken from the field (or the model's docstring), which the Arrow
schema, the SQL tables and the Datasette metadata are built from.

A row is plain data: strings, ints, floats, bools and ``None``. :func:`card_from_row` turns a
row back into a validated :class:`FactCard`; a nested model whose columns are all null is
``None`` (every nested model has a required field, so a present one never is all null).
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..models import DocumentRecord, FactCard, Source
from ..schema import validate_record

Kind = Literal["str", "int", "float", "bool"]
Group = Literal["card", "source"]
Row = dict[str, Any]

_KINDS: dict[type, Kind] = {str: "str", int: "int", float: "float", bool: "bool"}
#: Columns of the document's source are named ``source_<field>``.
SOURCE_PREFIX = "source"


@dataclass(frozen=True)
class Column:
    """One column of the flat row.

    ``path`` is where the value sits in the card's JSON (``("speaker", "name")``); ``nullable``
    is true when the column may hold null (the field, or a model above it, is optional),
    ``optional`` when the field itself is; ``choices`` lists the values of a ``Literal`` field
    (for facets and checks).
    """

    name: str
    path: tuple[str, ...]
    kind: Kind
    nullable: bool
    optional: bool
    description: str
    group: Group
    choices: tuple[str, ...] | None = None
    #: the field has a default (a field a later minor version added): a null in a row written
    #: before it existed means "not recorded", and the default applies
    defaulted: bool = False


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(the type without ``None``, whether ``None`` was allowed)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) != 1:
            raise TypeError(f"cannot flatten a union of several types: {annotation!r}")
        return args[0], len(args) != len(typing.get_args(annotation))
    return annotation, False


def _leaf(annotation: Any) -> tuple[Kind, tuple[str, ...] | None]:
    if typing.get_origin(annotation) is Literal:
        values = typing.get_args(annotation)
        kinds = {_KINDS.get(type(v)) for v in values}
        if len(kinds) != 1 or None in kinds:
            raise TypeError(f"cannot flatten a Literal of mixed types: {annotation!r}")
        kind = kinds.pop()
        assert kind is not None
        return kind, tuple(map(str, values))
    kind = _KINDS.get(annotation)
    if kind is None:
        raise TypeError(f"no column type for {annotation!r}; add it to quotes.export.rows")
    return kind, None


def _summary(model: type[BaseModel]) -> str:
    doc = (model.__doc__ or model.__name__).strip()
    return " ".join(doc.split("\n\n")[0].split())


def _describe(field: FieldInfo, path: tuple[str, ...], parents: tuple[type[BaseModel], ...]) -> str:
    """The field's own description; else its dotted path and its model's docstring."""
    if field.description:
        return field.description
    where = ".".join(path)
    return f"{where} — {_summary(parents[-1])}" if parents else where


def _walk(
    model: type[BaseModel],
    prefix: tuple[str, ...],
    nullable: bool,
    group: Group,
    parents: tuple[type[BaseModel], ...] = (),
) -> Iterator[Column]:
    for name, field in model.model_fields.items():
        inner, optional = _unwrap(field.annotation)
        path = (*prefix, name)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            yield from _walk(inner, path, nullable or optional, group, (*parents, inner))
            continue
        kind, choices = _leaf(inner)
        yield Column(
            name="_".join(path),
            path=path,
            kind=kind,
            nullable=nullable or optional,
            optional=optional,
            description=_describe(field, path, parents),
            group=group,
            choices=choices,
            defaulted=not optional and not field.is_required(),
        )


@cache
def row_columns() -> tuple[Column, ...]:
    """Every column of the flat row, in order: the card's fields, then its document's source."""
    card = tuple(_walk(FactCard, (), False, "card"))
    source = tuple(_walk(Source, (SOURCE_PREFIX,), True, "source", (Source,)))
    columns = card + source
    names = [c.name for c in columns]
    if len(set(names)) != len(names):
        raise TypeError(f"two fields flatten to the same column name: {sorted(names)}")
    return columns


def column_names() -> list[str]:
    return [c.name for c in row_columns()]


def card_columns() -> tuple[Column, ...]:
    """The columns that come from the card itself (no source)."""
    return tuple(c for c in row_columns() if c.group == "card")


def source_columns() -> tuple[Column, ...]:
    return tuple(c for c in row_columns() if c.group == "source")


def _get(data: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = data
    for part in path:
        if value is None:
            return None
        value = value[part]
    return value


def flat_row(card: Mapping[str, Any], source: Mapping[str, Any] | None = None) -> Row:
    """The flat row of a card's JSON data (``card.model_dump(mode="json")``) and its
    document's source (JSON data too; absent: null source columns)."""
    data = {**card, SOURCE_PREFIX: source}
    return {c.name: _get(data, c.path) for c in row_columns()}


def card_row(card: FactCard, source: Source | None = None) -> Row:
    """The flat row of one card, with its document's source when given."""
    source_data = source.model_dump(mode="json") if source is not None else None
    return flat_row(card.model_dump(mode="json"), source_data)


def record_rows(record: DocumentRecord) -> Iterator[Row]:
    """The rows of a document record's cards, each with the record's source."""
    source = record.source.model_dump(mode="json")
    for card in record.cards:
        yield flat_row(card.model_dump(mode="json"), source)


def rows_of(items: Iterable[FactCard | DocumentRecord]) -> Iterator[Row]:
    """Rows of cards (source columns null) and of document records (with their source)."""
    for item in items:
        if isinstance(item, DocumentRecord):
            yield from record_rows(item)
        else:
            yield card_row(item)


def validated_rows(items: Iterable[FactCard | DocumentRecord]) -> Iterator[Row]:
    """Like :func:`rows_of`, each card checked against the committed schema first (raises
    :class:`~quotes.schema.InvalidRecordError`): what the writers store."""
    for item in items:
        if isinstance(item, DocumentRecord):
            cards, source_data = item.cards, item.source.model_dump(mode="json")
        else:
            cards, source_data = [item], None
        for card in cards:
            data = card.model_dump(mode="json")
            validate_record(data, "fact-card")
            yield flat_row(data, source_data)


def _nest(row: Mapping[str, Any], columns: Iterable[Column]) -> dict[str, Any]:
    """The JSON shape of a row; a nested model whose columns are all null becomes ``None``.
    A column the row lacks, or a null in a column whose field has a default (a file written
    before the field existed), is left out, so the field's default applies."""
    data: dict[str, Any] = {}
    for column in columns:
        if column.name not in row:
            continue
        value = row[column.name]
        if value is None and column.defaulted:
            continue
        if column.kind == "bool" and isinstance(value, int) and not isinstance(value, bool):
            value = bool(value)  # SQLite stores booleans as 0 / 1
        node = data
        for part in column.path[:-1]:
            node = node.setdefault(part, {})
        node[column.path[-1]] = value
    return _nulls_out(data)


def _nulls_out(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            nested = _nulls_out(value)
            out[key] = None if all(v is None for v in nested.values()) else nested
        else:
            out[key] = value
    return out


def card_from_row(row: Mapping[str, Any]) -> FactCard:
    """The validated card a flat row holds (its source columns are ignored)."""
    return FactCard.model_validate(_nest(row, card_columns()))


def source_from_row(row: Mapping[str, Any]) -> Source:
    """The document source a flat row holds (all null: an empty source)."""
    return Source.model_validate(_nest(row, source_columns()).get(SOURCE_PREFIX) or {})


def row_from_text(cells: Mapping[str, str]) -> Row:
    """A row read back from text cells (CSV): each cell to its column's type. An empty cell
    is null where the field may be null, or where its whole model is absent (every cell of
    ``speaker_*`` empty); else it is the empty string."""
    columns = [c for c in row_columns() if c.name in cells]
    present = {c.path[:-1] for c in columns if cells[c.name] != ""}
    row: Row = {}
    for column in columns:
        text = cells[column.name]
        if text == "" and (column.optional or column.path[:-1] not in present):
            row[column.name] = None
        else:
            row[column.name] = _parse(column, text)
    return row


def _parse(column: Column, text: str) -> Any:
    if column.kind == "int":
        return int(text)
    if column.kind == "float":
        return float(text)
    if column.kind == "bool":
        if text not in ("True", "False"):
            raise ValueError(f"{column.name}: expected True or False, not {text!r}")
        return text == "True"
    return text
