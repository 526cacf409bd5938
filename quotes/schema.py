"""JSON Schema for the records: generated from the models, validated against the committed files.

The committed files in ``schemas/`` are what downstream users pin; records are validated
against them (not against a fresh generation), and a test keeps them equal to the generated ones.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from jsonschema import Draft202012Validator, ValidationError
from pydantic import BaseModel

from .errors import SchemaError
from .models import SCHEMA_MAJOR, SCHEMA_VERSION, DocumentRecord, FactCard

SchemaName = Literal["fact-card", "document"]
SCHEMA_NAMES: tuple[SchemaName, ...] = ("fact-card", "document")
_MODELS: dict[str, type[BaseModel]] = {"fact-card": FactCard, "document": DocumentRecord}
SCHEMA_BASE_URI = "https://quote-cards.github.io/schemas"


def schema_filename(name: SchemaName) -> str:
    return f"{name}.v{SCHEMA_MAJOR}.json"


def schema_id(name: SchemaName) -> str:
    return f"{SCHEMA_BASE_URI}/{name}/v{SCHEMA_MAJOR}.json"


def generate_schema(name: SchemaName) -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of one record type, generated from its model."""
    body = _MODELS[name].model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id(name),
        "x-schema-version": SCHEMA_VERSION,
        **body,
    }


def render_schema(name: SchemaName) -> str:
    """The exact text committed in ``schemas/``: sorted keys, two-space indent, final newline."""
    return json.dumps(generate_schema(name), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def committed_schema_dir() -> Path:
    """Where the committed schemas live: ``schemas/`` beside the package in a checkout, or the
    copy installed as package data."""
    checkout = Path(__file__).resolve().parent.parent / "schemas"
    if (checkout / schema_filename("fact-card")).is_file():
        return checkout
    return Path(str(resources.files("quotes") / "schemas"))


@cache
def load_committed_schema(name: SchemaName) -> dict[str, Any]:
    path = committed_schema_dir() / schema_filename(name)
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


@cache
def validator(name: SchemaName) -> Draft202012Validator:
    schema = load_committed_schema(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@dataclass(frozen=True)
class FieldProblem:
    """One failing field of a record: a JSON path and what is wrong there."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _json_path(parts: Iterator[str | int] | Any) -> str:
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _deepest(error: ValidationError) -> ValidationError:
    """For ``anyOf`` failures (a nullable object), the sub-error that names the actual field."""
    while error.context:
        error = max(error.context, key=lambda e: len(e.absolute_path))
    return error


def record_errors(record: Mapping[str, Any], name: SchemaName) -> list[FieldProblem]:
    """Every schema violation of ``record``, in a stable order; empty when it is valid."""
    errors = [_deepest(e) for e in validator(name).iter_errors(record)]
    errors.sort(key=lambda e: list(map(str, e.absolute_path)))
    return [FieldProblem(_json_path(e.absolute_path), e.message) for e in errors]


def detect_schema(record: Mapping[str, Any]) -> SchemaName:
    """Document records hold ``cards``; anything else is checked as a fact card."""
    return "document" if "cards" in record else "fact-card"


class InvalidRecordError(SchemaError):
    """A record failed validation against the committed schema; nothing may be written."""

    def __init__(self, errors: list[FieldProblem], where: str = "record") -> None:
        self.errors = errors
        detail = "; ".join(map(str, errors[:5]))
        more = f" (+{len(errors) - 5} more)" if len(errors) > 5 else ""
        super().__init__(f"{where} does not match the schema: {detail}{more}")


def validate_record(record: Mapping[str, Any], name: SchemaName | None = None) -> None:
    """Raise :class:`InvalidRecordError` when ``record`` does not match the committed schema."""
    errors = record_errors(record, name or detect_schema(record))
    if errors:
        raise InvalidRecordError(errors)
