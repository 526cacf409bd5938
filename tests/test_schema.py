"""The committed schemas are what the models generate, and they reject broken records."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from quotes.models import SCHEMA_VERSION, FactCard
from quotes.schema import (
    SCHEMA_NAMES,
    InvalidRecordError,
    SchemaName,
    committed_schema_dir,
    load_committed_schema,
    record_errors,
    render_schema,
    schema_filename,
    schema_id,
    validate_record,
)


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_committed_schema_equals_generated(name: str) -> None:
    committed = (committed_schema_dir() / schema_filename(name)).read_text(encoding="utf-8")
    assert committed == render_schema(name), "run `quotes schema --write`"


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_id_carries_the_major_version(name: str) -> None:
    schema = load_committed_schema(name)
    assert schema["$id"] == schema_id(name)
    assert schema["$id"].endswith(f"/v{SCHEMA_VERSION.split('.')[0]}.json")
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def _card() -> dict[str, Any]:
    return FactCard.model_validate(
        {
            "id": "q_1",
            "doc_id": "d",
            "quote": {"text": "Hi", "start": 1, "end": 3, "kind": "direct"},
            "speaker": {
                "name": "Ann Patel",
                "mention": "she",
                "start": 10,
                "end": 13,
                "type": "person",
                "title": None,
            },
            "cue": {"text": "said", "lemma": "say", "start": 14, "end": 18},
            "addressee": None,
            "method": "cue_adjacent",
            "confidence": 0.9,
            "paragraph": 0,
            "sentence": "“Hi,” she said.",
        }
    ).model_dump(mode="json")


def test_a_valid_card_passes() -> None:
    card = _card()
    assert card["schema_version"] == SCHEMA_VERSION
    assert record_errors(card, "fact-card") == []


@pytest.mark.parametrize(
    ("path", "value", "where"),
    [
        (("quote", "start"), -1, "$.quote.start"),
        (("quote", "kind"), "rumour", "$.quote.kind"),
        (("confidence",), 1.5, "$.confidence"),
        (("method",), "guess", "$.method"),
        (("speaker", "type"), "robot", "$.speaker.type"),
        (("schema_version",), "2.0", "$.schema_version"),
    ],
)
def test_broken_card_names_the_field(path: tuple[str, ...], value: Any, where: str) -> None:
    card = _card()
    target = card
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    errors = record_errors(card, "fact-card")
    assert [e.path for e in errors] == [where]
    with pytest.raises(InvalidRecordError, match=r"\$\."):
        validate_record(card)


def test_unknown_field_is_rejected() -> None:
    card = _card()
    card["extra"] = 1
    assert record_errors(card, "fact-card")[0].path == "$"


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_committed_schema_is_a_valid_draft_2020_12_schema(name: str) -> None:
    Draft202012Validator.check_schema(load_committed_schema(name))


#: A card and a document record exactly as schema 1.0 wrote them (no speaker.named, no
#: speaker.pronoun): schema 1.1 only adds fields, so they must still validate.
_CARD_1_0: dict[str, Any] = {
    "schema_version": "1.0",
    "id": "q_22e322f4685695f5",
    "doc_id": "harbour",
    "quote": {"text": "The harbour will reopen in April,", "start": 1, "end": 34, "kind": "direct"},
    "speaker": {
        "name": "Ann Patel",
        "mention": "Ann Patel",
        "start": 47,
        "end": 56,
        "type": "person",
        "title": "Mayor",
    },
    "cue": {"text": "said", "lemma": "say", "start": 36, "end": 40},
    "addressee": None,
    "method": "cue_adjacent",
    "confidence": 0.9,
    "paragraph": 0,
    "sentence": "“The harbour will reopen in April,” said Mayor Ann Patel.",
    "continues": None,
    "part_of": None,
}
_DOCUMENT_1_0: dict[str, Any] = {
    "schema_version": "1.0",
    "doc_id": "harbour",
    "source": {"path": "harbour.txt", "title": None, "date": None, "url": None},
    "cards": [_CARD_1_0],
    "speakers": [{"name": "Ann Patel", "type": "person", "title": "Mayor", "quotes": 1}],
}


@pytest.mark.parametrize(
    ("record", "name"), [(_CARD_1_0, "fact-card"), (_DOCUMENT_1_0, "document")]
)
def test_schema_1_0_records_still_validate(record: dict[str, Any], name: SchemaName) -> None:
    assert record_errors(record, name) == []
    if name == "fact-card":
        card = FactCard.model_validate(record)
        assert card.speaker is not None
        assert (card.speaker.named, card.speaker.pronoun) == (True, None)  # the defaults


@pytest.mark.parametrize(
    ("field", "value"), [("named", "yes"), ("pronoun", "it"), ("pronoun", "He")]
)
def test_schema_1_1_speaker_fields_are_checked(field: str, value: object) -> None:
    card = json.loads(json.dumps(_CARD_1_0))
    card["schema_version"] = "1.1"
    card["speaker"][field] = value
    assert [e.path for e in record_errors(card, "fact-card")] == [f"$.speaker.{field}"]
