"""The flat row: derived from the models, and back to the same validated card."""

from __future__ import annotations

from typing import Any, Literal

import pytest
from pydantic import BaseModel

from quotes.export.rows import (
    Column,
    _walk,
    card_from_row,
    card_row,
    column_names,
    row_columns,
    row_from_text,
    rows_of,
    source_from_row,
)
from quotes.models import FactCard, Source, Speaker

from .export_data import all_cards, card, records


def _schema_leaves(schema: dict[str, Any], node: dict[str, Any], path: tuple[str, ...]) -> set:
    """Leaf paths of a JSON schema (an independent walk: the schema, not model_fields)."""
    if "$ref" in node:
        return _schema_leaves(schema, schema["$defs"][node["$ref"].split("/")[-1]], path)
    for option in node.get("anyOf", []):
        if "$ref" in option:
            return _schema_leaves(schema, option, path)
    if "properties" not in node:
        return {path}
    leaves: set[tuple[str, ...]] = set()
    for name, sub in node["properties"].items():
        leaves |= _schema_leaves(schema, sub, (*path, name))
    return leaves


def test_every_nested_field_of_the_card_is_a_column() -> None:
    """Not a hard-coded list: a field added to the models (speaker.named, speaker.pronoun)
    is a column as soon as it exists."""
    schema = FactCard.model_json_schema()
    card_paths = {c.path for c in row_columns() if c.group == "card"}
    assert card_paths == _schema_leaves(schema, schema, ())
    source_schema = Source.model_json_schema()
    source_paths = {c.path for c in row_columns() if c.group == "source"}
    assert source_paths == {
        ("source", *p) for p in _schema_leaves(source_schema, source_schema, ())
    }


def test_fields_added_to_a_nested_model_become_columns() -> None:
    """What schema 1.1 adds to the speaker (``named``, ``pronoun``) needs no edit here."""

    class NewSpeaker(Speaker):
        named: bool = True
        pronoun: Literal["he", "she", "they"] | None = None

    class NewCard(FactCard):
        speaker: NewSpeaker | None  # type: ignore[assignment]

    columns = {c.name: c for c in _walk(NewCard, (), False, "card")}
    assert (columns["speaker_named"].kind, columns["speaker_named"].nullable) == ("bool", True)
    assert columns["speaker_pronoun"].choices == ("he", "she", "they")
    assert columns["speaker_pronoun"].optional


def test_column_names_are_the_joined_paths_in_model_order() -> None:
    names = column_names()
    assert names[:3] == ["schema_version", "id", "doc_id"]
    assert names.index("quote_text") < names.index("speaker_name") < names.index("cue_text")
    assert names[-4:] == ["source_path", "source_title", "source_date", "source_url"]
    assert all(c.name == "_".join(c.path) for c in row_columns())


@pytest.mark.parametrize(
    ("name", "kind", "nullable", "optional", "choices"),
    [
        ("id", "str", False, False, None),
        ("quote_start", "int", False, False, None),
        ("quote_kind", "str", False, False, ("direct", "partial", "scare", "indirect")),
        ("speaker_name", "str", True, False, None),  # the speaker may be null
        ("speaker_title", "str", True, True, None),  # the title itself may be null
        ("speaker_type", "str", True, False, ("person", "organization", "collective", "unknown")),
        ("confidence", "float", False, False, None),
        ("continues", "str", True, True, None),
        ("source_date", "str", True, True, None),
    ],
)
def test_column_types_come_from_the_annotations(
    name: str, kind: str, nullable: bool, optional: bool, choices: tuple[str, ...] | None
) -> None:
    column = {c.name: c for c in row_columns()}[name]
    assert (column.kind, column.nullable, column.optional, column.choices) == (
        kind,
        nullable,
        optional,
        choices,
    )


def test_descriptions_come_from_the_fields_or_their_model() -> None:
    columns = {c.name: c for c in row_columns()}
    assert columns["id"].description == FactCard.model_fields["id"].description
    assert columns["speaker_name"].description.startswith("speaker.name — Who said it")
    assert all(c.description for c in row_columns())


def test_a_field_no_column_can_hold_is_refused() -> None:
    class Odd(BaseModel):
        tags: list[str]

    with pytest.raises(TypeError, match="no column type"):
        list(_walk(Odd, (), False, "card"))


def test_row_of_a_card_with_its_source() -> None:
    record = records()[0]
    row = card_row(record.cards[1], record.source)
    assert list(row) == column_names()
    assert row["speaker_name"] == "Ann Patel"
    assert row["addressee_name"] == "reporters"
    assert row["confidence"] == 0.1 + 0.2
    assert row["source_title"] == "Harbour to reopen, mayor says"
    assert source_from_row(row) == record.source


def test_a_missing_model_is_all_null_and_comes_back_as_none() -> None:
    speechless = card("d", 0, speaker=None, cue=None)
    row = card_row(speechless)
    assert all(row[n] is None for n in column_names() if n.startswith(("speaker_", "cue_")))
    assert all(row[n] is None for n in column_names() if n.startswith("source_"))
    assert card_from_row(row) == speechless
    assert source_from_row(row) == Source()


@pytest.mark.parametrize("index", range(6))
def test_every_card_round_trips_through_its_row(index: int) -> None:
    original = all_cards()[index]
    assert card_from_row(card_row(original)) == original


def test_rows_of_records_carry_the_source_and_cards_do_not() -> None:
    rows = list(rows_of(records()))
    assert len(rows) == 6
    assert {r["source_date"] for r in rows} == {"2016-09-12", "2016-10-01"}
    assert all(r["source_title"] is None for r in rows_of(all_cards()))


def test_a_column_the_row_lacks_takes_the_field_default() -> None:
    """A file written before an optional field existed still reads."""
    row = card_row(card("d", 0))
    del row["part_of"]
    assert card_from_row(row).part_of is None


def _cells(row: dict[str, Any]) -> dict[str, str]:
    return {k: "" if v is None else str(v) for k, v in row.items()}


@pytest.mark.parametrize(
    ("change", "column", "expected"),
    [
        ({}, "speaker_title", "Mayor"),
        ({"speaker_title": ""}, "speaker_title", None),  # optional: empty is null
        ({"speaker_mention": ""}, "speaker_mention", ""),  # required in a present speaker
        ({"quote_text": ""}, "quote_text", ""),
        ({}, "quote_start", 1),
        ({}, "confidence", 0.765),
        ({"continues": ""}, "continues", None),
    ],
)
def test_text_cells_back_to_typed_values(
    change: dict[str, str], column: str, expected: Any
) -> None:
    cells = _cells(card_row(card("d", 0))) | change
    assert row_from_text(cells)[column] == expected


def test_empty_cells_of_an_absent_model_are_null() -> None:
    cells = _cells(card_row(card("d", 0, speaker=None)))
    row = row_from_text(cells)
    assert row["speaker_mention"] is None
    assert card_from_row(row).speaker is None


def test_a_bad_number_in_a_cell_is_an_error() -> None:
    cells = _cells(card_row(card("d", 0))) | {"quote_start": "ten"}
    with pytest.raises(ValueError, match="ten"):
        row_from_text(cells)


def test_bool_cells_are_true_or_false() -> None:
    from quotes.export.rows import _parse

    column = Column("named", ("speaker", "named"), "bool", True, False, "", "card")
    assert _parse(column, "True") is True
    assert _parse(column, "False") is False
    with pytest.raises(ValueError, match="True or False"):
        _parse(column, "yes")
