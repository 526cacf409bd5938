"""The fact-card contract: the single source of truth for every record this tool writes.

The JSON Schemas in ``schemas/`` are generated from these models (``quotes schema --write``)
and a test fails when the committed files drift from them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

#: Major version of the record format; a breaking change is a new major (a new schema file).
SCHEMA_MAJOR = 1
#: Full version carried by every record; minor bumps only add optional fields.
SCHEMA_VERSION = "1.1"
SCHEMA_VERSION_PATTERN = rf"^{SCHEMA_MAJOR}\.[0-9]+$"

QuoteKind = Literal["direct", "partial", "scare", "indirect"]
SpeakerType = Literal["person", "organization", "collective", "unknown"]
#: The personal pronoun an article uses for a person (schema 1.1).
Pronoun = Literal["he", "she", "they"]

#: The attribution rule (sieve) that decided a card, so precision can be measured per rule.
Method = Literal[
    "cue_adjacent",  # a reporting verb in the quote's sentence, with its subject
    "cue_embedded",  # cue reached through xcomp/ccomp/advcl/conj chains ("prompting X to say")
    "partial_governor",  # a quoted fragment: subject of the verb that governs it
    "according_to",  # "according to X"
    "colon_intro",  # "X said:" ending the previous paragraph
    "dash_byline",  # "“…” — X"
    "continuation",  # a cue-less quote right after an attributed one
    # fallback: the nearest speaker the narrative gives: earlier in the paragraph or the one
    # before, or, for a story's first quote, the person the next paragraph opens on
    "nearest_speaker",
    "indirect_clause",  # reported clause of a reporting verb (indirect speech)
    "none",  # no speaker found
]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Quote(_Record):
    """The quoted content, marks excluded: ``text == document_text[start:end]``."""

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    kind: QuoteKind


class Speaker(_Record):
    """Who said it: ``name`` canonical, ``mention``/``start``/``end`` the text that grounds it."""

    name: str = Field(min_length=1)
    mention: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    type: SpeakerType
    title: str | None = None
    named: bool = Field(
        default=True,
        description="False for a person or group the article does not name ('one driver', "
        "'traders'; name holds the description) and for a pronoun left unresolved (1.1).",
    )
    pronoun: Pronoun | None = Field(
        default=None,
        description="The personal pronoun the article's own narrative uses for this person "
        "anywhere in it, from the text, never guessed; null for organisations and unnamed "
        "speakers (1.1).",
    )


class Cue(_Record):
    """The reporting expression (usually a verb) that introduces the quote."""

    text: str
    lemma: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Addressee(_Record):
    """Whom the quote was said to (``told Zelenskyy``, ``interjected to Zelenskyy``)."""

    name: str = Field(min_length=1)
    mention: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class FactCard(_Record):
    """One quotation, its speaker, cue and addressee."""

    schema_version: str = Field(default=SCHEMA_VERSION, pattern=SCHEMA_VERSION_PATTERN)
    id: str = Field(description="Stable id: derived from doc_id and the quote offsets.")
    doc_id: str
    quote: Quote
    speaker: Speaker | None
    cue: Cue | None
    addressee: Addressee | None
    method: Method
    confidence: float = Field(ge=0.0, le=1.0)
    paragraph: int = Field(ge=0, description="Index of the paragraph (non-blank line) holding it.")
    sentence: str = Field(description="The sentence(s) around the quote, for a reader.")
    continues: str | None = Field(
        default=None, description="Id of the card this one continues (split or multi-paragraph)."
    )
    part_of: str | None = Field(
        default=None, description="Id of the indirect card a partial quote sits inside."
    )


class Source(_Record):
    """Where a document came from, when known."""

    path: str | None = None
    title: str | None = None
    date: str | None = None
    url: str | None = None


class RosterEntry(_Record):
    """One speaker of a document and how many cards name them."""

    name: str
    type: SpeakerType
    title: str | None = None
    named: bool = Field(default=True, description="As Speaker.named (1.1).")
    pronoun: Pronoun | None = Field(default=None, description="As Speaker.pronoun (1.1).")
    quotes: int = Field(ge=0)


class DocumentRecord(_Record):
    """Everything extracted from one document."""

    schema_version: str = Field(default=SCHEMA_VERSION, pattern=SCHEMA_VERSION_PATTERN)
    doc_id: str
    source: Source
    cards: list[FactCard]
    speakers: list[RosterEntry]
