"""Speakers as entities: name mentions clustered per document, canonical names, titles, types,
and pronoun resolution.

A document names a person fully once ("President Donald Trump") and then by surname ("Trump"),
title ("the president") or pronoun ("he"). Every card names its speaker by the fullest form the
article uses, with the title kept apart.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..models import SpeakerType
from .deadline import check
from .lexicon import (
    COLLECTIVE_NOUNS,
    ENTITY_SPEAKER_TYPES,
    FEMALE_FIRST_NAMES,
    MALE_FIRST_NAMES,
    NAME_PARTICLES,
    ORGANIZATION_NOUNS,
    PRONOUNS,
    TITLE_GENDER,
    TITLES,
)

_TITLE_TOKENS: tuple[tuple[str, ...], ...] = tuple(
    sorted({tuple(t.split()) for t in TITLES if t.strip()}, key=len, reverse=True)
)
# Titles indexed by their last word, exact and lower-cased, longest first.
_TITLES_BY_LAST: dict[str, list[tuple[str, ...]]] = {}
for _title in _TITLE_TOKENS:
    _TITLES_BY_LAST.setdefault(_title[-1], []).append(_title)
    _TITLES_BY_LAST.setdefault(_title[-1].lower(), []).append(_title)
_TITLES_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _title in _TITLE_TOKENS:
    _TITLES_BY_FIRST.setdefault(_title[0], []).append(_title)
_TITLE_WORDS_LOWER: frozenset[str] = frozenset(w.lower() for t in TITLES for w in t.split())
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
# A longer "name" is a mis-tagged phrase, not a fuller form of one.
_MAX_NAME_TOKENS = 4
# How far back (in characters) a pronoun may look for its antecedent.
_PRONOUN_WINDOW = 2500


@dataclass
class Entity:
    """One speaker of a document: all its name forms, the canonical one, its type and title."""

    key: str
    forms: list[tuple[str, ...]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    gender: str | None = None

    @property
    def name(self) -> str:
        return " ".join(_best_form(self.forms))

    @property
    def title(self) -> str | None:
        # The longest title used: "Vice President" over "President".
        return max(self.titles, key=lambda t: (len(t.split()), len(t))) if self.titles else None

    @property
    def type(self) -> SpeakerType:
        if "PERSON" in self.labels or self.titles or self.gender:
            return "person"
        for label in ("ORG", "GPE", "NORP"):
            if label in self.labels:
                return _speaker_type(label)
        return "unknown"


def _speaker_type(label: str) -> SpeakerType:
    value = ENTITY_SPEAKER_TYPES.get(label, "unknown")
    if value == "person":
        return "person"
    if value == "organization":
        return "organization"
    if value == "collective":
        return "collective"
    return "unknown"


def _best_form(forms: Sequence[tuple[str, ...]]) -> tuple[str, ...]:
    """The fullest plausible name: most tokens (up to 4), then most characters."""
    plausible = [f for f in forms if 0 < len(f) <= _MAX_NAME_TOKENS] or list(forms)
    return max(plausible, key=lambda f: (len(f), sum(map(len, f)), f))


@dataclass(frozen=True)
class Resolved:
    """A mention resolved to an entity (or to itself when no entity fits)."""

    name: str
    type: SpeakerType
    title: str | None
    entity: Entity | None


def strip_title(tokens: Sequence[Token]) -> tuple[list[Token], str | None]:
    """Split leading title words off a name: ``Vice President JD Vance`` → (JD Vance, Vice
    President). Titles inside a longer name are left alone."""
    words = [t.text for t in tokens]
    for title in _TITLES_BY_FIRST.get(words[0], ()) if words else ():
        n = len(title)
        if n < len(words) and tuple(words[:n]) == title:
            return list(tokens[n:]), " ".join(title)
    return list(tokens), None


def title_before(doc: Doc, start: int) -> str | None:
    """The title written right before token ``start`` ("Vice President" in "Vice President JD
    Vance"), if any; an exact-case title wins over a lower-case role ("the president")."""
    if start == 0:
        return None
    last = doc[start - 1].text
    for exact in (True, False):
        candidates = _TITLES_BY_LAST.get(last if exact else last.lower(), ())
        for title in candidates:
            n = len(title)
            if start - n < 0:
                continue
            words = tuple(t.text for t in doc[start - n : start])
            if words == title if exact else tuple(w.lower() for w in words) == _lower(title):
                return " ".join(title)
    return None


def _lower(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w.lower() for w in words)


def _clean_name_tokens(tokens: Iterable[Token]) -> list[Token]:
    """Drop determiners, possessive endings and punctuation around a name."""
    kept = [
        t
        for t in tokens
        if not t.is_punct
        and t.tag_ != "POS"
        and t.lower_ not in {"the", "'s", "’s"}
        and not t.is_space
    ]
    return kept


def _gender_of_first_name(word: str) -> str | None:
    lower = word.lower()
    if lower in MALE_FIRST_NAMES:
        return "m"
    if lower in FEMALE_FIRST_NAMES:
        return "f"
    return None


class EntityIndex:
    """Name clusters of one parsed document."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text
        ents = list(doc.ents)
        self.entities: list[Entity] = []
        self._by_key: dict[str, list[Entity]] = {}
        # Subject mentions in document order, for pronoun antecedents: (char, entity, is_subject)
        self._mention_chars: list[int] = []
        self._mentions: list[tuple[Entity, bool]] = []
        multi = [e for e in ents if e.label_ == "PERSON" and len(_name_tokens(e)) > 1]
        for ent in multi:
            self._add(ent)
        for ent in ents:
            if ent.label_ in ENTITY_SPEAKER_TYPES and not (
                ent.label_ == "PERSON" and len(_name_tokens(ent)) > 1
            ):
                self._add(ent)
        self._index_mentions(ents)
        # Common-noun phrases by head lemma, built on first use: most documents never need them.
        self._chunks_by_head: dict[str, list[list[Token]]] | None = None

    # -- building -----------------------------------------------------------------------------

    def _add(self, ent: Span) -> Entity | None:
        check()
        tokens = _name_tokens(ent)
        if not tokens:
            return None
        words = tuple(t.text for t in tokens)
        if ent.label_ != "PERSON" and len(words) > 1:
            person = self._person_with_surname(words[-1])
            if person is not None:
                return person  # NER noise: "Uzbekistan Putin" labelled as an organisation
        entity = self._find(words, ent.label_)
        if entity is None:
            entity = Entity(key=words[-1].lower())
            self.entities.append(entity)
            self._by_key.setdefault(entity.key, []).append(entity)
        if words not in entity.forms:
            entity.forms.append(words)
        entity.labels.append(ent.label_)
        title = title_before(self.doc, tokens[0].i)
        if title and ent.label_ == "PERSON":
            entity.titles.append(title)
            entity.gender = entity.gender or TITLE_GENDER.get(title)
        if ent.label_ == "PERSON" and len(words) > 1:
            entity.gender = entity.gender or _gender_of_first_name(words[0])
        return entity

    def _person_with_surname(self, word: str) -> Entity | None:
        for entity in reversed(self._by_key.get(word.lower(), [])):
            if "PERSON" in entity.labels and any(len(f) > 1 for f in entity.forms):
                return entity
        return None

    def _find(self, words: tuple[str, ...], label: str) -> Entity | None:
        last = words[-1].lower()
        candidates = self._by_key.get(last, [])
        if len(words) > 1:
            for entity in candidates:
                if words in entity.forms or any(
                    len(f) > 1 and f[0].lower() == words[0].lower() for f in entity.forms
                ):
                    return entity
            # "Donald J. Trump" and "Donald Trump": same first and last word.
            return None
        if candidates:
            return candidates[-1]
        # A lone surname-first name ("Xi" of "Xi Jinping") or first word of an organisation.
        if label == "PERSON":
            for entity in reversed(self.entities):
                if any(len(f) > 1 and f[0].lower() == last for f in entity.forms):
                    return entity
        return None

    def _index_mentions(self, ents: Sequence[Span]) -> None:
        for ent in ents:
            if ent.label_ not in ENTITY_SPEAKER_TYPES:
                continue
            entity = self.lookup_words(tuple(t.text for t in _name_tokens(ent)))
            if entity is None:
                continue
            is_subject = any(t.dep_ in _SUBJECT_DEPS for t in ent) or (
                ent.root.dep_ in {"appos", "compound"} and ent.root.head.dep_ in _SUBJECT_DEPS
            )
            self._mention_chars.append(ent.start_char)
            self._mentions.append((entity, is_subject))

    # -- lookups ------------------------------------------------------------------------------

    def lookup_words(self, words: tuple[str, ...]) -> Entity | None:
        if not words:
            return None
        last = words[-1].lower()
        for entity in reversed(self._by_key.get(last, [])):
            if words in entity.forms:
                return entity
        return self._find(words, "PERSON") if len(words) == 1 else None

    def resolve_span(self, tokens: Sequence[Token]) -> Resolved:
        """Canonical speaker for a name or noun-phrase mention."""
        cleaned = _clean_name_tokens(tokens)
        name_tokens, title = strip_title(cleaned)
        if not title and name_tokens:
            title = title_before(self.doc, name_tokens[0].i)
        words = tuple(t.text for t in name_tokens)
        entity = self.lookup_words(words) if words else None
        if entity is None and len(words) > 1 and name_tokens[-1].pos_ == "PROPN":
            entity = self._person_with_surname(words[-1])
        if entity is None and words and all(t.pos_ == "PROPN" for t in name_tokens):
            entity = self._find(words, "PERSON")
        if entity is not None:
            return Resolved(entity.name, entity.type, entity.title or title, entity)
        # Common-noun speakers: "the security council" → an organisation named with those words.
        lowered = [t.lower_ for t in name_tokens if not t.is_stop]
        if lowered:
            org = self._organization_containing(lowered)
            if org is not None:
                return Resolved(org.name, org.type, org.title, org)
        head = name_tokens[-1] if name_tokens else (cleaned[-1] if cleaned else None)
        words_used = name_tokens or cleaned
        # The words as written ("43-year-old"), not re-joined tokens.
        text = (
            self.text[words_used[0].idx : words_used[-1].idx + len(words_used[-1].text)]
            if words_used
            else ""
        )
        if head is not None and head.pos_ == "NOUN":
            text = self._fullest_noun_phrase(head, words) or text
        return Resolved(text or "unknown", _noun_type(head, title), title, None)

    def _noun_chunks(self) -> dict[str, list[list[Token]]]:
        """Common-noun phrases by head lemma, for naming "the council" by "the city council"."""
        if self._chunks_by_head is None:
            self._chunks_by_head = {}
            if self.doc.has_annotation("DEP"):
                for chunk in self.doc.noun_chunks:
                    words = [
                        t
                        for t in chunk
                        if t.dep_ in {"compound", "amod", "nmod"} or t == chunk.root
                    ]
                    if chunk.root.pos_ == "NOUN" and words:
                        key = chunk.root.lemma_.lower()
                        self._chunks_by_head.setdefault(key, []).append(words)
        return self._chunks_by_head

    def _fullest_noun_phrase(self, head: Token, words: tuple[str, ...]) -> str | None:
        """ "the council" after "the city council": the longest earlier phrase with the same
        head noun that contains the mention's words."""
        wanted = {w.lower() for w in words}
        best: list[Token] | None = None
        for chunk in self._noun_chunks().get(head.lemma_.lower(), []):
            if chunk[0].i > head.i:
                break
            lowered = {t.lower_ for t in chunk}
            if wanted <= lowered and (best is None or len(chunk) > len(best)):
                best = chunk
        return " ".join(t.text for t in best) if best else None

    def _organization_containing(self, lowered: Sequence[str]) -> Entity | None:
        for entity in reversed(self.entities):
            if entity.type not in ("organization", "collective"):
                continue
            for form in entity.forms:
                form_lower = [w.lower() for w in form]
                if len(form_lower) > 1 and all(w in form_lower for w in lowered):
                    return entity
        return None

    def resolve_pronoun(
        self, token: Token, *, exclude: Entity | None = None, prefer_subject: bool = True
    ) -> Resolved | None:
        """The most recent compatible antecedent of a pronoun.

        Subject pronouns prefer subject antecedents (the topic of the story goes on speaking);
        object pronouns ("blasting him") never refer to their own clause's subject, ``exclude``.
        """
        features = PRONOUNS.get(token.lower_)
        if features is None:
            return None
        gender, number, kind = features
        limit = token.idx
        hi = bisect.bisect_left(self._mention_chars, limit)
        lo = bisect.bisect_left(self._mention_chars, limit - _PRONOUN_WINDOW)
        fallback: Entity | None = None
        for i in range(hi - 1, lo - 1, -1):
            entity, is_subject = self._mentions[i]
            if entity is exclude or not _compatible(entity, gender, number, kind):
                continue
            if is_subject or not prefer_subject:
                return Resolved(entity.name, entity.type, entity.title, entity)
            fallback = fallback or entity
        if fallback is not None:
            return Resolved(fallback.name, fallback.type, fallback.title, fallback)
        return None


def pronoun_type(pronoun: str) -> SpeakerType:
    """The speaker type a pronoun implies on its own."""
    features = PRONOUNS.get(pronoun.lower())
    if features is None:
        return "unknown"
    kind = features[2]
    if kind in ("person", "self") and features[1] == "sg":
        return "person"
    if kind == "org":
        return "organization"
    return "collective" if features[1] == "pl" else "unknown"


def _compatible(entity: Entity, gender: str, number: str, kind: str) -> bool:
    etype = entity.type
    if kind == "person":
        return etype == "person" and entity.gender in (None, gender)
    if kind == "org":
        return etype == "organization"
    if kind == "any":
        return etype in ("organization", "collective")
    return False


def _noun_type(head: Token | None, title: str | None) -> SpeakerType:
    if head is None:
        return "unknown"
    lemma = head.lemma_.lower()
    if title or head.lower_ in _TITLE_WORDS_LOWER:
        return "person"
    if lemma in ORGANIZATION_NOUNS or head.lower_ in ORGANIZATION_NOUNS:
        return "organization"
    if head.lower_ in COLLECTIVE_NOUNS or head.tag_ in {"NNS", "NNPS"}:
        return "collective"
    if head.ent_type_:
        return _speaker_type(head.ent_type_)
    if head.pos_ == "PROPN":
        return "person"
    return "unknown"


def _name_tokens(ent: Span) -> list[Token]:
    """The words of an entity mention that form its name: no determiner, possessive, title,
    and cut at the first line break (the NER sometimes runs a name into the next line)."""
    tokens: list[Token] = []
    for t in ent:
        if t.is_space:  # newlines are their own tokens
            break
        tokens.append(t)
    cleaned = _clean_name_tokens(tokens)
    # A name does not contain parentheses or long lower-case runs.
    cleaned = [t for t in cleaned if t.text not in {"(", ")"}]
    if (
        any(t.is_lower and t.lower_ not in NAME_PARTICLES and not t.like_num for t in cleaned)
        and ent.label_ == "PERSON"
    ):
        return []
    name, _ = strip_title(cleaned)
    if ent.label_ == "PERSON":
        # The NER sometimes takes in a sentence-initial verb or adjective: "Telling Jeb Bush".
        while (
            name and name[0].pos_ not in ("PROPN", "NOUN") and name[0].lower_ not in NAME_PARTICLES
        ):
            name = name[1:]
    return name
