"""Speakers as entities: the names a document uses, clustered into people and organisations,
with canonical names, titles, types and the evidence the article gives for each.

A document names a person fully once ("Judge Lorna Tiller-Moss") and then by surname
("Tiller-Moss"), role ("the judge") or pronoun ("she"). Every card names its speaker by the
fullest form the article uses, with the title kept apart. Names are read from the text as
written: words joined by a hyphen or an apostrophe stay one word ("O’Marra", "Okafor-Lind"),
particles stay in ("Bram van Hoeve"), generational suffixes stay ("Pickett Jr.") and
post-nominal letters go ("Pemberton KC").

The types come from evidence in the article, not from the NER label alone, which often calls a
person a place or an organisation: a title or honorific, an age ("Pike, 80,"), a role in
apposition ("Rossier, the company's director") or a personal pronoun bound to the name make a
person; a legal form ("Inc.", "plc") or an organisation noun in the name make an organisation.
Gender is never guessed from a first name: it comes from honorifics, gendered role nouns and
the pronouns the article uses (see ``quotes.core.coref``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from spacy.attrs import ENT_TYPE, IS_ALPHA, IS_SPACE, LENGTH, ORTH, POS
from spacy.parts_of_speech import IDS as POS_IDS  # type: ignore[import-not-found]
from spacy.tokens import Doc, Token

from ..models import SpeakerType
from .deadline import check
from .lexicon import (
    ASSOCIATION_NOUNS,
    COLLECTIVE_NOUNS,
    ENTITY_SPEAKER_TYPES,
    GENDERED_NOUNS,
    GENERATIONAL_SUFFIXES,
    NAME_GLUE,
    NAME_PARTICLES,
    ORG_DESIGNATORS,
    ORGANIZATION_NOUNS,
    PERSON_ROLE_NOUNS,
    POSTNOMINALS,
    PRONOUNS,
    TITLE_GENDER,
    TITLE_SMALL_WORDS,
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
_TITLE_WORDS_LOWER: frozenset[str] = (
    frozenset(w.lower() for t in TITLES for w in t.split()) - TITLE_SMALL_WORDS
)
_TITLE_GENDER_LOWER: dict[str, str] = {k.lower(): v for k, v in TITLE_GENDER.items()}
_SUFFIXES_LOWER: frozenset[str] = frozenset(s.lower() for s in GENERATIONAL_SUFFIXES)
_POSTNOMINALS_LOWER: frozenset[str] = frozenset(s.lower() for s in POSTNOMINALS)
_NOT_SURNAMES = _SUFFIXES_LOWER | _POSTNOMINALS_LOWER
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_NAME_LABELS = frozenset(ENTITY_SPEAKER_TYPES)
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Labels of names that are never speakers but may hold name-like words ("Brightwell Cozy").
_OTHER_NAME_LABELS = frozenset(
    {"PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE", "FAC", "LOC", "DATE", "TIME"}
)
#: A title-case line (a headline) capitalises every word this long, and has this many.
_HEADLINE_WORD = 4
_HEADLINE_MIN_WORDS = 3
#: A canonical name longer than this many words is NER noise, not a name.
_MAX_NAME_WORDS = 6
#: An acronym ("VRWU") has at least this many letters.
_MIN_ACRONYM = 2
#: Words skipped when an acronym is read off a name ("Osterland Space Agency" → "OSA").
_ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "&", "de", "du"})
#: An age in apposition to a name: "Pike, 80," or "Quill, 38, is".
_AGE = re.compile(r"^\d{1,3}$")
#: Evidence weights for a type: a title, suffix, age, role or bound pronoun against a legal
#: form or an organisation noun; an NER label only counts when nothing else does.
_STRONG = 2
_WEAK = 1


def name_words(tokens: Sequence[Token]) -> tuple[str, ...]:
    """The words of a name as written: tokens glued without a space stay one word."""
    if not tokens:
        return ()
    # The span's text, not a slice of doc.text: that joins the whole document at each call.
    text = tokens[0].doc[tokens[0].i : tokens[-1].i + 1].text
    return tuple(text.split())


def surname_key(words: Sequence[str]) -> str:
    """The word a short form of a person's name keeps: the last, suffixes apart."""
    return _surname_key(tuple(words))


# Clustering compares every name form with every known one: the pure helpers it calls are
# memoised (bounded), as the same few forms recur throughout an article and a corpus.
_MEMO = 1 << 16


@lru_cache(maxsize=_MEMO)
def _surname_key(words: tuple[str, ...]) -> str:
    kept = [w for w in words if w.lower() not in _NOT_SURNAMES]
    return (kept or list(words))[-1].lower() if words else ""


def acronym_of(words: Sequence[str]) -> str:
    """ "Vennmouth Rail Workers’ Union" → "VRWU"."""
    return "".join(
        w[0].upper()
        for w in words
        if w.lower() not in _ACRONYM_SKIP and w[:1].isalpha() and w.lower() not in ORG_DESIGNATORS
    )


def is_acronym(word: str) -> bool:
    return len(word) >= _MIN_ACRONYM and word.isalpha() and word.isupper()


@dataclass(eq=False)
class Entity:
    """One speaker of a document: all its name forms, the canonical one, its type and title.

    ``named`` is false for a person or group the article never names ("one driver"); its
    ``forms`` then hold the description as written.
    """

    forms: list[tuple[str, ...]] = field(default_factory=list)
    labels: Counter[str] = field(default_factory=Counter)
    full_labels: Counter[str] = field(default_factory=Counter)  # of names of two words or more
    form_labels: dict[tuple[str, ...], Counter[str]] = field(default_factory=dict)
    titles: list[str] = field(default_factory=list)
    person_evidence: int = 0
    org_evidence: int = 0
    place_evidence: int = 0
    gender_evidence: Counter[str] = field(default_factory=Counter)
    ages: set[str] = field(default_factory=set)
    roles: list[str] = field(default_factory=list)  # role nouns, lower-case lemmas
    role_context: set[str] = field(default_factory=set)  # "kestrel", "bay" of a team's coach
    name_genders: set[str] = field(default_factory=set)  # from the names' own titles and roles
    named: bool = True
    plural: bool = False
    pronouns: Counter[str] = field(default_factory=Counter)  # narrative pronouns resolved here
    first_char: int = 0

    @property
    def name(self) -> str:
        return " ".join(_best_form(self.forms))

    @property
    def title(self) -> str | None:
        # The longest title used: "Vice President" over "President".
        return max(self.titles, key=lambda t: (len(t.split()), len(t))) if self.titles else None

    @property
    def type(self) -> SpeakerType:
        if not self.named:
            if self.org_evidence > self.person_evidence:
                return "organization"
            return "collective" if self.plural else "person"
        person = self.person_evidence + (_STRONG if self.gender_evidence else 0)
        if person > self.org_evidence:
            return "person"
        if self.org_evidence > person:
            return "organization"
        # The NER is surer of the fullest name than of shorter forms ("Elena Sandoval-Carver"
        # a person, "Sandoval-Carver" an organisation three times).
        fullest = self.form_labels.get(_best_form(self.forms)) if self.forms else None
        for labels in (fullest, self.full_labels, self.labels):
            if labels:
                return _speaker_type(labels.most_common(1)[0][0])
        return "unknown"

    @property
    def is_place(self) -> bool:
        """Labelled a place by the NER, with no evidence that it is a person or a body."""
        gpe = self.labels.get("GPE", 0) + self.labels.get("LOC", 0)
        return (
            gpe > sum(self.labels.values()) - gpe
            and self.person_evidence == 0
            and self.org_evidence == 0
        )

    @property
    def gender(self) -> str | None:
        """ "m" or "f" when the article's evidence agrees, else None."""
        if len(self.gender_evidence) == 1:
            return next(iter(self.gender_evidence))
        return None

    @property
    def pronoun(self) -> str | None:
        """The personal pronoun the narrative uses for a named person, if any."""
        if not self.named or self.type != "person" or not self.pronouns:
            return None
        return self.pronouns.most_common(1)[0][0]

    @property
    def acronyms(self) -> set[str]:
        return {acronym_of(f) for f in self.forms if len(f) >= _MIN_ACRONYM}

    @property
    def surnames(self) -> set[str]:
        return {surname_key(f) for f in self.forms}


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
    """The fullest plausible name: most words (up to a limit), then most characters."""
    plausible = [f for f in forms if 0 < len(f) <= _MAX_NAME_WORDS] or list(forms)
    return max(plausible, key=lambda f: (len(f), sum(map(len, f)), f))


@dataclass(frozen=True)
class Resolved:
    """A mention resolved to an entity (or to itself when no entity fits)."""

    name: str
    type: SpeakerType
    title: str | None
    entity: Entity | None
    named: bool = True


@dataclass(frozen=True)
class NameMention:
    """A proper name in the text: tokens ``start``..``end`` (exclusive), title apart."""

    start: int
    end: int
    words: tuple[str, ...]
    label: str | None
    title: str | None
    head: int  # token index of the name's last word
    weak: bool = False  # a name only if the article names someone so elsewhere


def strip_title(tokens: Sequence[Token]) -> tuple[list[Token], str | None]:
    """Split leading title and role words off a name: ``Vice President JD Vance`` → (JD Vance,
    Vice President), ``Teenager Pella Morrow`` → (Pella Morrow, Teenager). The title is the
    words up to the last title or role word, when a capitalised name follows them."""
    words = [t.text for t in tokens]
    for title in _TITLES_BY_FIRST.get(words[0], ()) if words else ():
        n = len(title)
        if n < len(words) and tuple(words[:n]) == title:
            rest, more = strip_title(tokens[n:])
            return rest, " ".join([*title, *(more.split() if more else [])])
    last_role = -1
    for i, t in enumerate(tokens[:-1]):
        lower = t.text.lower().rstrip(".")
        if lower in _TITLE_WORDS_LOWER or lower in PERSON_ROLE_NOUNS:
            last_role = i
        elif not (t.text[:1].isupper() or t.text in NAME_GLUE):
            break
    if (
        last_role >= 0
        and tokens[last_role + 1].text[:1].isupper()
        and not _names_a_body(tokens[last_role + 1 :])
    ):
        return list(tokens[last_role + 1 :]), " ".join(name_words(tokens[: last_role + 1]))
    return list(tokens), None


def _names_a_body(tokens: Sequence[Token]) -> bool:
    """ "Sheriff’s Office", "Chief Executive Office": what follows the role word names an
    organisation, so the role word is part of its name."""
    last = tokens[-1].text.lower()
    return last in ORGANIZATION_NOUNS or last in ORG_DESIGNATORS or tokens[0].tag_ == "POS"


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


@lru_cache(maxsize=_MEMO)
def _lower(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w.lower() for w in words)


def _clean_name_tokens(tokens: Iterable[Token]) -> list[Token]:
    """Drop determiners, possessive endings and punctuation around a name; what is inside
    stays ("St Brigid’s Children’s Hospital")."""
    kept = [t for t in tokens if not t.is_space]
    while kept and _edge_noise(kept[0]):
        kept = kept[1:]
    while kept and (_edge_noise(kept[-1]) or kept[-1].tag_ == "POS"):
        kept = kept[:-1]
    return kept


def _edge_noise(t: Token) -> bool:
    return (
        (t.is_punct and t.text != "&")
        or t.text in NAME_GLUE
        or t.lower_ in {"the", "'s", "’s"}
        or t.tag_ == "POS"
        or t.pos_ == "DET"
    )


def _is_common(t: Token) -> bool:
    return t.pos_ == "NOUN" or t.text in NAME_GLUE


def _is_proper(t: Token) -> bool:
    return t.pos_ == "PROPN" and t.text[:1].isupper()


def _name_word_flags(doc: Doc) -> list[bool]:
    """:func:`_is_name_word` of every token, read from arrays (no ``Token`` objects)."""
    strings = doc.vocab.strings
    other = {strings[label] for label in _OTHER_NAME_LABELS}
    named = {strings[label] for label in _NAME_LABELS}
    rows: list[list[int]] = doc.to_array([ORTH, IS_SPACE, ENT_TYPE, POS]).tolist()
    return [
        not space
        and strings[orth][:1].isupper()
        and ent not in other
        and (pos in _PROPN_OR_NOUN or ent in named)
        for orth, space, ent, pos in rows
    ]


_PROPN_OR_NOUN = frozenset({int(POS_IDS["PROPN"]), int(POS_IDS["NOUN"])})


def _is_name_word(t: Token) -> bool:
    """A capitalised proper noun, or a word the NER puts in a name, or a capitalised word the
    tagger took for a common noun ("Fintan O’Marra’s" tags "O’Marra" a noun)."""
    if not t.text[:1].isupper() or t.is_space:
        return False
    if t.ent_type_ in _OTHER_NAME_LABELS:
        return False
    return t.pos_ in ("PROPN", "NOUN") or t.ent_type_ in _NAME_LABELS


def _glued(doc: Doc, i: int) -> bool:
    """Token ``i`` and token ``i + 1`` are written without a space and joined by name glue."""
    if i < 0 or i + 1 >= len(doc) or doc[i].whitespace_:
        return False
    a, b = doc[i], doc[i + 1]
    if b.tag_ == "POS" or b.lower_ in {"'s", "’s", "s"}:
        return False
    return (a.text in NAME_GLUE and b.text[:1].isalpha()) or (
        b.text in NAME_GLUE
        and i + 2 < len(doc)
        and not b.whitespace_
        and doc[i + 2].text[:1].isalpha()
        and doc[i + 2].tag_ != "POS"
    )


def _name_extent(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Widen a name over glued words ("Ruth Abernathy-" + "Vail"), over the proper nouns of
    the same compound ("… Vail" + "Simms") and over a generational suffix ("Pike" + "Sr.")."""
    changed = True
    while changed:
        changed = False
        while start > 0 and _glued(doc, start - 1) and not doc[start - 1].is_space:
            start -= 1
            changed = True
        # "Lionel" before an NER "Ashdown-Pryce": a first name of the same compound
        before = doc[start - 1] if start > 0 else None
        if (
            before is not None
            and before.dep_ in ("compound", "flat")
            and start <= before.head.i < end
            and _is_proper(before)
            and before.whitespace_ == " "
            and (not before.text.endswith(".") or len(before.text) == 2)  # "J." not "Del."
            and before.ent_iob_ != "I"  # not the end of another name
            and before.lower_ not in _TITLE_WORDS_LOWER
        ):
            start -= 1
            changed = True
        while end < len(doc) and _glued(doc, end - 1):
            end += 1
            changed = True
        last = doc[end - 1]
        if end < len(doc):
            nxt = doc[end]
            if last.dep_ in ("compound", "flat") and end <= last.head.i < end + _MAX_NAME_WORDS:
                between = doc[end : last.head.i + 1]
                if all(
                    (_is_name_word(t) or t.lower_ in NAME_PARTICLES or t.text in NAME_GLUE)
                    and "\n" not in t.text_with_ws
                    and t.ent_iob_ != "B"  # another name begins: "Council Secretary Nikolai"
                    and t.lower_.rstrip(".") not in _TITLE_WORDS_LOWER
                    for t in between
                ) and _is_name_word(between[-1]):
                    end = last.head.i + 1
                    changed = True
            elif nxt.text in GENERATIONAL_SUFFIXES and last.whitespace_ == " ":
                end += 1
                changed = True
    return start, end


def _name_mentions(doc: Doc) -> list[NameMention]:
    """Every proper name in the document: the NER's names of speakers, widened, and runs of
    proper nouns the NER missed ("D’Arcy-Penrose said")."""
    found: list[NameMention] = []
    covered: set[int] = set()
    for ent in doc.ents:
        if ent.label_ not in _NAME_LABELS:
            if ent.label_ in _OTHER_NAME_LABELS:
                covered.update(range(ent.start, ent.end))
                # "said Morrow" labelled a product, '" Donal O'Fearraigh' a work of art: proper
                # nouns only make a name (one alone only if someone is named so)
                words = [t for t in ent if not t.is_punct]
                if words and all(_is_proper(t) for t in words):
                    mention = _mention(doc, words[0].i, words[-1].i + 1, None)
                    if mention is not None:
                        found.append(replace(mention, weak=len(mention.words) == 1))
            continue
        start, end = _name_extent(doc, ent.start, ent.end)
        mention = _mention(doc, start, end, ent.label_)
        if mention is not None:
            found.append(mention)
            covered.update(range(start, end))
    name_word = _name_word_flags(doc)
    i = 0
    while i < len(doc):
        if i in covered or not name_word[i]:
            i += 1
            continue
        j = i + 1
        while j < len(doc) and j not in covered:
            t = doc[j]
            if (
                (name_word[j] and not doc[j - 1].is_space and "\n" not in doc[j - 1].whitespace_)
                or (t.lower_ in NAME_PARTICLES and j + 1 < len(doc) and name_word[j + 1])
                or _glued(doc, j - 1)
                or (t.text in GENERATIONAL_SUFFIXES)
            ):
                j += 1
            else:
                break
        start, end = _name_extent(doc, i, j)
        mention = _mention(doc, start, end, None)
        if mention is not None:
            lone = len(mention.words) == 1
            weak = lone and (doc[mention.start].is_sent_start or doc[mention.head].pos_ != "PROPN")
            found.append(replace(mention, weak=weak or all(_is_common(t) for t in doc[start:end])))
        covered.update(range(start, end))
        i = max(end, i + 1)
    headline = _title_case_tokens(doc)
    # A headline capitalises every word, so its "names" run into verbs and adjectives ("Obama
    # Says", "Derelict Obama"): there a name of two words or more is one only if the article
    # names someone so elsewhere.
    found = [
        replace(m, weak=True) if m.start in headline and len(m.words) > 1 else m for m in found
    ]
    found.sort(key=lambda m: m.start)
    return found


def _title_case_tokens(doc: Doc) -> set[int]:
    """Tokens of title-case lines: every word of four letters or more capitalised. (Read
    from arrays, not ``Token`` objects: this visits every token. A line ends at a space
    token holding a line break; ``Token.whitespace_`` is at most one space.)"""
    strings = doc.vocab.strings
    rows: list[list[int]] = doc.to_array([IS_SPACE, IS_ALPHA, LENGTH, ORTH]).tolist()
    found: set[int] = set()
    line: list[int] = []
    long_words = 0
    capitalised = True
    for i, (space, alpha, length, orth) in enumerate(rows):
        if space:
            if "\n" in strings[orth]:
                if long_words >= _HEADLINE_MIN_WORDS and capitalised:
                    found.update(line)
                line, long_words, capitalised = [], 0, True
            continue
        line.append(i)
        if alpha and length >= _HEADLINE_WORD:
            long_words += 1
            capitalised = capitalised and strings[orth][:1].isupper()
    if long_words >= _HEADLINE_MIN_WORDS and capitalised:
        found.update(line)
    return found


def _mention(doc: Doc, start: int, end: int, label: str | None) -> NameMention | None:
    tokens: list[Token] = []
    for t in doc[start:end]:
        if t.is_space or "\n" in t.text:
            break
        tokens.append(t)
    # "Ossory Chief Executive Augustus …": a title inside the NER span, cut off the front.
    tokens = [t for t in tokens if t.text not in {"(", ")"}]
    cleaned = _clean_name_tokens(tokens)
    if not cleaned:
        return None
    name, title = strip_title(cleaned)
    if title is None:
        title = title_before(doc, name[0].i)
    while name and name[-1].text.lower() in _POSTNOMINALS_LOWER and len(name) > 1:
        name = name[:-1]
    if label in (None, "PERSON"):
        # The NER sometimes takes in a sentence-initial verb or adjective: "Telling Jeb Bush".
        while name and not (
            _is_name_word(name[0]) or name[0].lower_ in NAME_PARTICLES or name[0].text[:1].isupper()
        ):
            name = name[1:]
        if any(
            t.is_lower
            and t.lower_ not in NAME_PARTICLES
            and t.text not in NAME_GLUE
            and not t.like_num
            for t in name
        ):
            return None
    if not name or not any(t.text[:1].isupper() for t in name):
        return None
    words = name_words(name)
    if all(
        w.lower().rstrip(".") in _TITLE_WORDS_LOWER or w.lower() in PERSON_ROLE_NOUNS for w in words
    ):
        return None  # "Environment Minister" before a name the NER gave apart
    return NameMention(name[0].i, name[-1].i + 1, words, label, title, name[-1].i)


def _opener_only(mention: NameMention, doc: Doc) -> bool:
    """A single capitalised word opening a sentence, which no NER label or title supports, or
    a word the NER calls a product or a work: a name only when the article names someone so
    elsewhere ("Fennimore promised …", "said Morrow")."""
    return mention.weak and (mention.title is None or len(mention.words) > 1)


class EntityIndex:
    """Name clusters of one parsed document, and the evidence the article gives for each."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text
        self.entities: list[Entity] = []
        self.mentions = _name_mentions(doc)
        self._by_token: dict[int, Entity] = {}
        self._mention_at: dict[int, NameMention] = {}
        # Full names first, so that a short form finds the person it stands for.
        # Full names first, then short forms whose own words give a gender ("Mr. Obama"), so
        # that a short form finds the person it stands for and not a namesake.
        ordered = sorted(
            self.mentions,
            key=lambda m: (len(m.words) == 1, self._mention_gender(m) is None, m.start),
        )
        openers = [m for m in ordered if _opener_only(m, doc)]
        opening = set(openers)  # frozen, so hashable: membership in constant time
        kept: list[NameMention] = []
        for mention in ordered:
            if mention in opening:
                continue
            behind = self._person_behind(mention)
            if behind is not None:
                mention = behind[0]
            kept.append(mention)
            entity = self._cluster(mention)
            for i in range(mention.start, mention.end):
                self._by_token[i] = entity
                self._mention_at[i] = mention
        for mention in openers:
            known = self._find(mention.words, None, first_names=False)
            if known is None:
                continue
            kept.append(mention)
            entity = self._cluster(mention)
            for i in range(mention.start, mention.end):
                self._by_token[i] = entity
                self._mention_at[i] = mention
        self.mentions = sorted(kept, key=lambda m: m.start)
        for mention in self.mentions:
            self._gather_evidence(mention, self._by_token[mention.start])

    # -- building -----------------------------------------------------------------------------

    def _person_behind(self, mention: NameMention) -> tuple[NameMention, Entity] | None:
        """ "in Uzbekistan Putin said": a place run into a person's surname by the NER. The
        name is the part a known person's name ends with."""
        if mention.label == "PERSON" or len(mention.words) < 2:
            return None
        key = surname_key(mention.words)
        for entity in reversed(self.entities):
            if key not in entity.surnames or not any(len(f) > 1 for f in entity.forms):
                continue
            if entity.labels.get("PERSON", 0) == 0:
                continue
            if any(_same_person(_lower(mention.words), _lower(f)) for f in entity.forms):
                return None
            start = mention.head
            while start > mention.start and _glued(self.doc, start - 1):
                start -= 1
            words = name_words(list(self.doc[start : mention.end]))
            short = replace(mention, start=start, words=words)
            return short, entity
        return None

    def _cluster(self, mention: NameMention) -> Entity:
        check()
        words = mention.words
        gender = self._mention_gender(mention)
        entity = self._find(words, mention.label, gender=gender)
        if entity is None:
            entity = Entity(first_char=self.doc[mention.start].idx)
            self.entities.append(entity)
        if gender is not None:
            entity.name_genders.add(gender)
        if (
            words not in entity.forms and not (len(words) == 1 and is_acronym(words[0]))
        ) or not entity.forms:
            entity.forms.append(words)
        if mention.label:
            entity.labels[mention.label] += 1
            if len(words) > 1:
                entity.full_labels[mention.label] += 1
            entity.form_labels.setdefault(words, Counter())[mention.label] += 1
        if mention.title:
            entity.titles.append(mention.title)
        return entity

    def _mention_gender(self, mention: NameMention) -> str | None:
        """The gender a name's own words give: its honorific or gendered title ("Mr.
        Obama"), or a gendered role noun set beside it ("the first lady, Michelle Obama")."""
        if mention.title:
            for word in (mention.title, mention.title.split()[0]):
                found = _TITLE_GENDER_LOWER.get(word.lower())
                if found:
                    return found
        head = self.doc[mention.head]
        nouns = [c for c in head.children if c.dep_ == "appos"]
        if head.dep_ == "appos":
            nouns.append(head.head)
        for noun in nouns:
            found = GENDERED_NOUNS.get(noun.lower_)
            if found:
                return found
        return None

    def _find(
        self,
        words: tuple[str, ...],
        label: str | None,
        *,
        first_names: bool = True,
        gender: str | None = None,
    ) -> Entity | None:
        """The entity a name form belongs to: the same form; the same person by a shorter or
        fuller form ("Van Hoeve", "Bram van Hoeve"); an organisation by its short form
        ("Ossory" for "Ossory Foods Inc."), its acronym ("VRWU") or its last words."""
        lower = _lower(words)
        # "Mr. Obama" is not "the first lady, Michelle Obama": a name's own gender keeps it
        # from a namesake of the other
        candidates = [
            e for e in reversed(self.entities) if gender is None or not e.name_genders - {gender}
        ]
        for entity in candidates:
            if words in entity.forms:
                return entity
        people: list[Entity] = []
        for entity in candidates:
            for form in entity.forms:
                if _same_person(lower, _lower(form)):
                    people.append(entity)
                    break
        if people and (label in (None, "PERSON") or len(words) == 1):
            return people[0]
        if len(words) == 1 and is_acronym(words[0]):
            for entity in reversed(self.entities):
                if words[0] in entity.acronyms:
                    return entity
        if label in _PLACE_LABELS and len(words) == 1:
            return None  # "Carrowby" the town is not "Carrowby Buses"
        org = self._organization_by_short_form(lower) or self._organization_by_full_form(lower)
        if org is not None:
            return org
        if first_names and len(words) == 1 and label in (None, "PERSON"):
            # A first name alone ("Kit" for "Kit Aldous"), when only one person has it.
            firsts = [
                e
                for e in self.entities
                if any(len(f) > 1 and f[0].lower() == lower[0] for f in e.forms)
            ]
            if len(firsts) == 1:
                return firsts[0]
        return None

    def _organization_by_short_form(self, lower: tuple[str, ...]) -> Entity | None:
        best: tuple[int, int, int] | None = None
        found: Entity | None = None
        for position, entity in enumerate(self.entities):
            for form in entity.forms:
                form_lower = _lower(form)
                if len(form_lower) <= len(lower):
                    continue
                if form_lower[: len(lower)] == lower:
                    rest = form_lower[len(lower) :]
                elif len(lower) > 1 and form_lower[-len(lower) :] == lower:
                    rest = form_lower[: -len(lower)]
                else:
                    continue
                if any(_names_another_body(w) for w in rest):
                    continue
                # The full legal name first ("Brightwell Home Products Co." over "Brightwell
                # Cozy"), then the fewest added words, then the latest.
                score = (
                    0 if any(w in ORG_DESIGNATORS for w in rest) else 1,
                    sum(w not in ORG_DESIGNATORS for w in rest),
                    -position,
                )
                if best is None or score < best:
                    best, found = score, entity
        return found
        return None

    def _organization_by_full_form(self, lower: tuple[str, ...]) -> Entity | None:
        """A full name met after its short form ("Dunmarrow Haulage" in the headline, then
        "Dunmarrow Haulage Group plc"): the same body when what it adds is its legal form or
        holding, not another body ("… Drivers’ Association")."""
        for entity in reversed(self.entities):
            if entity.is_place:
                continue
            for form in entity.forms:
                n = len(form)
                if n >= len(lower) or _lower(form) != lower[:n] or n < _MIN_ACRONYM:
                    continue
                rest = lower[n:]
                if any(w in ORG_DESIGNATORS for w in rest) and not any(
                    _names_another_body(w) for w in rest
                ):
                    return entity
        return None

    def _gather_evidence(self, mention: NameMention, entity: Entity) -> None:
        doc = self.doc
        head = doc[mention.head]
        words = mention.words
        if mention.title:
            entity.person_evidence += _STRONG
            gender = _TITLE_GENDER_LOWER.get(mention.title.split()[0].lower()) or (
                _TITLE_GENDER_LOWER.get(mention.title.lower())
            )
            if gender:
                entity.gender_evidence[gender] += 1
        if any(w in GENERATIONAL_SUFFIXES for w in words[1:]):
            entity.person_evidence += _STRONG
        if any(w.lower() in ORG_DESIGNATORS for w in words[1:]) or (
            len(words) > 1 and any(w.lower() in ORGANIZATION_NOUNS for w in words)
        ):
            entity.org_evidence += _STRONG
        # "Pike, 80," / "Rossier, the company's director," / "her coach, Teodor Brandvik"
        for child in head.children:
            if child.dep_ == "appos" or (child.dep_ == "npadvmod" and child.like_num):
                self._apposition(entity, child)
        if head.dep_ == "appos" and head.head.pos_ == "NOUN":
            self._apposition(entity, head.head)
        # A role word right before the name: "head coach Brannock Hale", "senior coroner X".
        before = mention.start - 1
        if before >= 0 and doc[before].pos_ == "NOUN" and doc[before].head.i == mention.head:
            self._role(entity, doc[before])
            entity.role_context.update(
                t.lower_ for t in doc[before].subtree if t.i < before and t.is_alpha
            )
        if mention.title:
            entity.role_context.update(w.lower() for w in mention.title.split()[:-1])
        if mention.title:
            self._role_word(entity, mention.title.split()[-1])
        # "Solís, who …" speaks of a person; "Buses, which …" of a body.
        for child in head.children:
            if child.dep_ == "relcl":
                relative = next(
                    (c for c in child.children if c.lower_ in ("who", "whom", "whose")), None
                )
                if relative is not None and relative.i > head.i:
                    entity.person_evidence += _WEAK
                if any(c.lower_ == "which" and c.i > head.i for c in child.children):
                    entity.org_evidence += _WEAK

    def _apposition(self, entity: Entity, noun: Token) -> None:
        if noun.like_num and _AGE.match(noun.text):
            entity.ages.add(noun.text)
            entity.person_evidence += _STRONG
            return
        if noun.pos_ == "NOUN":
            self._role(entity, noun)

    def _role(self, entity: Entity, noun: Token) -> None:
        lemma = noun.lemma_.lower()
        if lemma in PERSON_ROLE_NOUNS or noun.lower_ in PERSON_ROLE_NOUNS or _is_person_noun(noun):
            entity.person_evidence += _STRONG
            self._role_word(entity, noun.lower_)
            if lemma != noun.lower_:
                entity.roles.append(lemma)
        elif lemma in ORGANIZATION_NOUNS:
            entity.org_evidence += _STRONG
            entity.roles.append(lemma)

    @staticmethod
    def _role_word(entity: Entity, word: str) -> None:
        lower = word.lower().rstrip(".")
        entity.roles.append(lower)
        gender = GENDERED_NOUNS.get(lower) or _TITLE_GENDER_LOWER.get(lower)
        if gender:
            entity.gender_evidence[gender] += 1

    # -- lookups ------------------------------------------------------------------------------

    def entity_at(self, token: Token) -> Entity | None:
        """The entity whose name holds this token."""
        return self._by_token.get(token.i)

    def mention_at(self, token: Token) -> NameMention | None:
        return self._mention_at.get(token.i)

    def mentioned_tokens(self) -> set[int]:
        """The tokens of every kept name mention."""
        return set(self._mention_at)

    def lookup_words(self, words: tuple[str, ...]) -> Entity | None:
        if not words:
            return None
        return self._find(words, None)

    def resolve_name(self, tokens: Sequence[Token]) -> Entity | None:
        """The entity named by a mention's tokens: a name inside them, else their words."""
        for t in reversed(tokens):
            entity = self._by_token.get(t.i)
            if entity is not None:
                return entity
        cleaned = _clean_name_tokens(tokens)
        name_tokens, _ = strip_title(cleaned)
        if name_tokens and all(_is_name_word(t) or t.text in NAME_GLUE for t in name_tokens):
            found = self.lookup_words(name_words(name_tokens))
            if found is None and len(name_tokens) > 1:
                # a headline's "Obama Says": the word that names someone the article names
                for t in reversed(name_tokens):
                    found = self._find((t.text,), None, first_names=False)
                    if found is not None:
                        break
            return found
        return None

    def resolve_span(self, tokens: Sequence[Token]) -> Resolved:
        """Canonical speaker for a name or noun-phrase mention, without discourse context."""
        entity = self.resolve_name(tokens)
        cleaned = _clean_name_tokens(tokens)
        name_tokens, title = strip_title(cleaned)
        if not title and name_tokens:
            title = title_before(self.doc, name_tokens[0].i)
        if entity is not None:
            return Resolved(entity.name, entity.type, entity.title or title, entity)
        # Common-noun speakers: "the security council" → an organisation named with those words.
        lowered = [t.lower_ for t in name_tokens if not t.is_stop]
        if lowered:
            org = self.organization_containing(lowered)
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
        named = head is not None and head.pos_ == "PROPN"
        return Resolved(text or "unknown", noun_type(head, title), title, None, named=named)

    def organization_containing(self, lowered: Sequence[str]) -> Entity | None:
        """The latest organisation whose name holds all these words ("the security council"
        for "Russian Security Council")."""
        for entity in reversed(self.entities):
            if entity.type not in ("organization", "collective"):
                continue
            for form in entity.forms:
                form_lower = [w.lower() for w in form]
                if len(form_lower) > 1 and all(w in form_lower for w in lowered):
                    return entity
        return None


@lru_cache(maxsize=_MEMO)
def _same_person(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """Whether a name form may be a form of another person's name: its tail ("Tiller-Moss",
    "van Hoeve", "Pickett" of "J.R. Pickett Jr."), or the same first and last word ("Donald
    J. Trump" and "Donald Trump")."""
    if not short or not full:
        return False
    if surname_key(short) != surname_key(full):
        return False
    core_short = [w for w in short if w not in _SUFFIXES_LOWER]
    core_full = [w for w in full if w not in _SUFFIXES_LOWER]
    if len(core_short) <= len(core_full) and core_full[-len(core_short) :] == core_short:
        return True
    if len(core_full) < len(core_short) and core_short[-len(core_full) :] == core_full:
        # a fuller form of a name met short first; "University of Hølsvik" is no person
        return not any(w in _ACRONYM_SKIP for w in core_short)
    return core_short[0] == core_full[0] or (
        len(core_short[0].rstrip(".")) == 1 and core_full[0].startswith(core_short[0].rstrip("."))
    )


def _names_another_body(word: str) -> bool:
    """A word that makes a longer name another organisation's ("… Workers’ Union"), or a
    plural possessive ("Drivers’")."""
    return word in ASSOCIATION_NOUNS or word.endswith(("’", "'"))


def _is_person_noun(noun: Token) -> bool:
    return noun.lemma_.lower() in PERSON_ROLE_NOUNS or noun.lower_ in PERSON_ROLE_NOUNS


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


def noun_type(head: Token | None, title: str | None) -> SpeakerType:
    """The speaker type of a common-noun mention ("the ministry", "officials", "a nurse")."""
    if head is None:
        return "unknown"
    lemma = head.lemma_.lower()
    if title or head.lower_ in _TITLE_WORDS_LOWER:
        return "person"
    if lemma in ORGANIZATION_NOUNS or head.lower_ in ORGANIZATION_NOUNS:
        return "organization"
    if head.lower_ in COLLECTIVE_NOUNS or head.tag_ in {"NNS", "NNPS"}:
        return "collective"
    if _is_person_noun(head):
        return "person"
    if head.ent_type_:
        return _speaker_type(head.ent_type_)
    if head.pos_ == "PROPN":
        return "person"
    return "unknown"


def is_subject(token: Token) -> bool:
    return token.dep_ in _SUBJECT_DEPS
