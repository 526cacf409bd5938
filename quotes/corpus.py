"""The corpus speaker index: document-level canonical speakers merged into corpus identities.

Within a document, ``entities`` already gives every speaker one canonical name (the fullest
form the article uses). Across documents the same person appears under several of those names
("Donald Trump", "Trump", "Donald J. Trump"); this module merges them, conservatively, from the
names alone, and reports every merge with its reason.

Names are compared as *forms*: lower-cased words without dots or commas ("H.W." → "hw"),
articles and possessives dropped. Two names of the **same type** are merged when:

- they have the same form ("Pence" and "pence"): ``spelling``;
- one is a strict *sub-form* of the other and of no other identity: ``sub-form``. For people,
  a sub-form keeps the first and the last name and leaves out middle names or writes them as
  initials ("Donald Trump" and "Donald J. Trump", "George Bush" and "George W. Bush"), or it is
  the surname alone ("Trump"). Generational suffixes must agree ("Donald Trump Jr." is someone
  else), first names alone and pronouns never merge. For organizations, a sub-form of two
  words or more that keeps the last word ("Justice Department" in "U.S. Justice Department").
  Only names (every word capitalised, particles aside) merge so; descriptions ("a spokesman")
  and collectives or unknown types merge by spelling only;
- a person's name behind leading words that are nobody's first name in the corpus is the name
  the corpus also has alone ("Republican Donald Trump", a headline's "Rip Donald Trump" →
  "Donald Trump"): ``leading words``. A name that holds another person's full name and more
  words ("Ted Cruz Hints Trump", a headline read as a name) is no candidate for a short form;
- a short form that is a sub-form of several identities stays apart (two different "Smith"s,
  "George Bush" between "George W. Bush" and "George H.W. Bush"), unless one of them is
  *dominant*: it has at least ``dominance`` (10) times the quotes of all the others together
  ("Trump" in a corpus that quotes Donald Trump 360 times and Melania Trump 14): ``dominant``.
  ``dominance=float("inf")`` gives the strict rule.

The corpus name of an identity is its most quoted full form (for people: a name with a first
and a last name, not one behind leading words; ties go to the longer, then the alphabetically
first), so "Trump",
"Donald J. Trump" and "Donald Trump" become "Donald Trump". An identity's id is derived from its
type and corpus name, so it is stable while the corpus names it the same way.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from .core.lexicon import NAME_ARTICLES, NAME_PARTICLES, NAME_SUFFIXES, PRONOUNS, TITLE_SMALL_WORDS
from .models import DocumentRecord, FactCard, Source, SpeakerType

#: A document-level speaker: (canonical name in its document, type).
NameKey = tuple[str, SpeakerType]
#: Names compared: (form, type).
FormKey = tuple[tuple[str, ...], SpeakerType]
Reason = Literal["spelling", "leading words", "sub-form", "dominant", "fuller form"]
#: A short form joins the dominant of several identities only with this many times the quotes
#: of all the others together.
DOMINANCE = 10.0

_STRIP = ".,;:!?\"'’‘“”()[]{}"
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?")


def name_form(name: str) -> tuple[str, ...]:
    """The words a name is compared by: lower case, no dots, commas or possessives, no
    leading article."""
    words: list[str] = []
    for raw in name.casefold().split():
        word = raw.strip(_STRIP)
        for possessive in ("'s", "’s"):
            word = word.removesuffix(possessive)
        word = word.replace(".", "")
        if word:
            words.append(word)
    while words and words[0] in NAME_ARTICLES:
        words.pop(0)
    return tuple(words)


@dataclass(frozen=True)
class _Person:
    """A person's form cut into first name, middle names, surname (with its particles) and
    generational suffix."""

    first: str | None  # None: a surname alone
    middle: tuple[str, ...]
    last: tuple[str, ...]
    suffix: tuple[str, ...]


def _person(form: tuple[str, ...]) -> _Person | None:
    words = list(form)
    suffix: list[str] = []
    while len(words) > 1 and words[-1] in NAME_SUFFIXES:
        suffix.insert(0, words.pop())
    if not words or (len(words) == 1 and words[0] in PRONOUNS):
        return None
    # The surname runs from its particles ("de gaulle", "bin laden") to the end.
    start = len(words) - 1
    while start > 0 and words[start - 1] in NAME_PARTICLES:
        start -= 1
    if start == 0:
        return _Person(None, (), tuple(words), tuple(suffix))
    return _Person(words[0], tuple(words[1:start]), tuple(words[start:]), tuple(suffix))


def _word_fits(short: str, full: str) -> bool:
    """A word of the shorter name stands for a word of the fuller one: the same, or its
    initial ("j" for "john")."""
    return short == full or (len(short) == 1 and full.startswith(short))


def _fits_in_order(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """``short`` maps onto a subsequence of ``full``, word by word, in order."""
    position = 0
    for word in short:
        while position < len(full) and not _word_fits(word, full[position]):
            position += 1
        if position == len(full):
            return False
        position += 1
    return True


def is_proper_name(name: str) -> bool:
    """Every word capitalised, but for particles and small words ("Bill de Blasio",
    "Department of Justice"): a name, not a description ("a school spokesman")."""
    words = [w.strip(_STRIP) for w in name.split()]
    return any(words) and all(
        not w or not w[0].isalpha() or w[0].isupper() or w in NAME_PARTICLES | TITLE_SMALL_WORDS
        for w in words
    )


def is_sub_form(short: str, full: str, kind: SpeakerType) -> bool:
    """Whether ``short`` is a strict sub-form of ``full`` for speakers of type ``kind`` (see
    the module docstring); never for the same form, nor for descriptions."""
    a, b = name_form(short), name_form(full)
    if a == b or not a or not b or not (is_proper_name(short) and is_proper_name(full)):
        return False
    if kind == "person":
        pa, pb = _person(a), _person(b)
        if pa is None or pb is None or pb.first is None:
            return False
        if pa.last != pb.last or pa.suffix != pb.suffix:
            return False
        if pa.first is None:
            return True  # the surname alone
        return _word_fits(pa.first, pb.first) and _fits_in_order(pa.middle, pb.middle)
    if kind == "organization":
        return len(a) >= 2 and a[-1] == b[-1] and _fits_in_order(a, b)
    return False


@dataclass(frozen=True)
class Merge:
    """One document-level name merged into a corpus identity, and why (``detail`` names the
    other identities a dominant merge passed over)."""

    name: str
    type: SpeakerType
    into: str
    reason: Reason
    detail: str = ""

    def __str__(self) -> str:
        detail = f"; {self.detail}" if self.detail else ""
        return f"{self.name!r} → {self.into!r} ({self.type}, {self.reason}{detail})"


@dataclass(frozen=True, order=True)
class KeptApart:
    """A short form that fits several identities, none dominant: it stays its own."""

    name: str
    type: SpeakerType
    candidates: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.name!r} kept apart ({self.type}): could be {', '.join(self.candidates)}"


@dataclass(frozen=True)
class Grouping:
    """Which document-level names make each identity: ``members[canonical]`` lists the names
    (canonical first), ``identity_of`` maps every name to its canonical one."""

    members: dict[NameKey, list[NameKey]]
    identity_of: dict[NameKey, NameKey]
    merges: list[Merge]
    apart: list[KeptApart]


def _is_full(key: NameKey) -> bool:
    if key[1] != "person":
        return True
    person = _person(name_form(key[0]))
    return person is not None and person.first is not None


def _canonical(
    members: list[NameKey], quotes: Mapping[NameKey, int], behind: Iterable[FormKey] = ()
) -> NameKey:
    """The most quoted full form; never a name behind leading words, when there is another."""
    skipped = set(behind)
    plain = [m for m in members if (name_form(m[0]), m[1]) not in skipped] or members
    full = [m for m in plain if _is_full(m)] or plain
    return min(full, key=lambda m: (-quotes[m], -len(name_form(m[0])), m[0]))


def _behind_leading_words(forms: Mapping[FormKey, list[NameKey]]) -> dict[FormKey, FormKey]:
    """People named with words before their name ("Republican Donald Trump", "Billionaire
    Donald Trump", a headline's "Rip Donald Trump"): the name the corpus also has alone
    ("Donald Trump"), when no leading word is anyone's first name (so "Carly Fiorina Endorses
    Ted Cruz" stays: Carly is Carly Fiorina's). Each form → the longest such name."""
    people = {
        f
        for (f, kind), keys in forms.items()
        if kind == "person" and any(is_proper_name(key[0]) for key in keys)
    }
    # Full names (a first name and a surname): what a name behind leading words can be.
    full = {f for f in people if (p := _person(f)) is not None and p.first is not None}
    first_names = {f[0] for f in full if len(f) == 2}
    found: dict[FormKey, FormKey] = {}
    for words in people:
        person = _person(words)
        if person is None or person.first is None or person.suffix:
            continue
        for k in range(1, len(words) - 1):
            if words[k:] in full and not first_names.intersection(words[:k]):
                found[(words, "person")] = (words[k:], "person")
                break
    for form, target in found.items():  # "Rip Republican Donald Trump": follow to the end
        while target in found:
            target = found[target]
        found[form] = target
    return found


def _headline_fragments(forms: Iterable[FormKey]) -> set[FormKey]:
    """People's names that hold another person's full name followed by more words ("Ted Cruz
    Hints Trump", a headline read as a name): never the identity a short form stands for."""
    full = {f for f, kind in forms if kind == "person" and len(f) >= 2}
    found: set[FormKey] = set()
    for words in full:
        for i, j in itertools.combinations(range(len(words)), 2):
            # words[i:j + 1] is a full name with more words after it, not only "Jr."
            rest = words[j + 1 :]
            if words[i : j + 1] in full and not all(w in NAME_SUFFIXES for w in rest):
                found.add((words, "person"))
                break
    return found


def _fuller_forms(forms: dict[FormKey, str]) -> dict[FormKey, list[FormKey]]:
    """Each form's strict super-forms among ``forms`` (form → its most quoted spelling).
    Every sub-form keeps the last word, so only forms that end alike are compared."""
    buckets: dict[tuple[str, SpeakerType], list[FormKey]] = defaultdict(list)
    for key in forms:
        buckets[(key[0][-1] if key[0] else "", key[1])].append(key)
    fuller: dict[FormKey, list[FormKey]] = {key: [] for key in forms}
    for bucket in buckets.values():
        for short in bucket:
            fuller[short] = [
                full for full in bucket if is_sub_form(forms[short], forms[full], short[1])
            ]
    return fuller


def group_names(quotes: Mapping[NameKey, int], dominance: float = DOMINANCE) -> Grouping:
    """Merge document-level names into identities, from the names and how often each is
    quoted (the corpus-level rule of this module)."""
    # 1. Same form, same type: one name; its most quoted spelling stands for it. A person's
    #    name behind leading words is that name (below).
    by_form: dict[FormKey, list[NameKey]] = defaultdict(list)
    for key in sorted(quotes):
        by_form[(name_form(key[0]), key[1])].append(key)
    how: dict[FormKey, tuple[Reason, str]] = {}
    for form, target in _behind_leading_words(by_form).items():
        by_form[target].extend(by_form.pop(form))
        how[form] = ("leading words", "")
    spelling = {f: min(keys, key=lambda k: (-quotes[k], k))[0] for f, keys in by_form.items()}

    # 2. Sub-forms: a form with fuller forms joins the one identity (root) above it.
    fuller = _fuller_forms(spelling)
    roots = {f for f, above in fuller.items() if not above}
    parent: dict[FormKey, FormKey] = {}
    ambiguous: dict[FormKey, list[FormKey]] = {}
    fragments = _headline_fragments(spelling)
    for form, above in fuller.items():
        candidates = sorted(g for g in above if g in roots and g not in fragments)
        if len(candidates) == 1:
            parent[form], how[form] = candidates[0], ("sub-form", "")
        elif candidates:
            ambiguous[form] = candidates

    # 3. A short form of several identities joins a dominant one, else stays apart.
    weight: Counter[FormKey] = Counter()
    for form, keys in by_form.items():
        weight[parent.get(form, form)] += sum(quotes[k] for k in keys)
    ranked = {
        form: sorted(candidates, key=lambda c: (-weight[c], c))
        for form, candidates in ambiguous.items()
    }
    for form, (best, *rest) in ranked.items():
        if weight[best] >= dominance * sum(weight[c] for c in rest):
            parent[form] = best

    # 4. Identities, their canonical names and the merges into them.
    groups: dict[FormKey, list[NameKey]] = defaultdict(list)
    for form, keys in by_form.items():
        groups[parent.get(form, form)].extend(keys)
    behind = {form for form, (reason, _) in how.items() if reason == "leading words"}
    canonical_of = {root: _canonical(keys, quotes, behind) for root, keys in groups.items()}

    def named(root: FormKey) -> str:
        return canonical_of[root][0]

    for form, candidates in ranked.items():
        if form in parent:
            listed = ", ".join(f"{named(c)} ({weight[c]})" for c in candidates)
            how[form] = ("dominant", f"among {listed}")
    apart = sorted(
        KeptApart(spelling[form], form[1], tuple(named(c) for c in candidates))
        for form, candidates in ranked.items()
        if form not in parent
    )
    members: dict[NameKey, list[NameKey]] = {}
    identity_of: dict[NameKey, NameKey] = {}
    merges: list[Merge] = []
    for root, keys in groups.items():
        canonical = canonical_of[root]
        members[canonical] = [canonical, *sorted(k for k in keys if k != canonical)]
        canonical_form = (name_form(canonical[0]), canonical[1])
        for key in members[canonical]:
            identity_of[key] = canonical
            if key == canonical:
                continue
            form = (name_form(key[0]), key[1])
            reason: Reason
            if form == canonical_form:
                reason, detail = "spelling", ""
            elif form in how:
                reason, detail = how[form]
            else:
                reason, detail = "fuller form", ""  # the root, when a shorter form is canonical
            merges.append(Merge(key[0], key[1], canonical[0], reason, detail))
    merges.sort(key=lambda m: (m.into, m.type, m.name))
    return Grouping(members, identity_of, merges, apart)


def speaker_id(name: str, kind: SpeakerType) -> str:
    """A stable id for a corpus identity, from its type and corpus name."""
    digest = hashlib.sha1(f"{kind}\x1f{name}".encode()).hexdigest()
    return f"s_{digest[:12]}"


def iso_date(value: str | None) -> str | None:
    """The ISO date prefix of a source date (``2016-09-12``, ``2016-09``), else None: other
    spellings cannot be ordered."""
    match = _DATE.match(value or "")
    return match.group(0) if match else None


@dataclass
class _Tally:
    quotes: int = 0
    documents: set[str] = field(default_factory=set)
    dates: list[str] = field(default_factory=list)

    def add(self, doc_id: str, date: str | None) -> None:
        self.quotes += 1
        self.documents.add(doc_id)
        if date is not None:
            if not self.dates:
                self.dates = [date, date]
            else:
                self.dates = [min(self.dates[0], date), max(self.dates[1], date)]


@dataclass(frozen=True)
class CorpusSpeaker:
    """One identity across the corpus: its corpus name, counts, first and last source date
    (ISO dates only) and the document-level names it merges (``aliases``, canonical first)."""

    id: str
    name: str
    type: SpeakerType
    quotes: int
    documents: int
    first_date: str | None
    last_date: str | None
    aliases: tuple[str, ...]


Entry = tuple[FactCard, Source | None]


@dataclass(frozen=True)
class SpeakerIndex:
    """Every corpus identity, most quoted first, and every merge that made them."""

    speakers: list[CorpusSpeaker]
    merges: list[Merge]
    apart: list[KeptApart]
    identity_of: dict[NameKey, str]  # document-level (name, type) → identity id

    def speaker_of(self, card: FactCard) -> CorpusSpeaker | None:
        """The corpus identity of a card's speaker (None: no speaker, or not indexed)."""
        if card.speaker is None:
            return None
        found = self.identity_of.get((card.speaker.name, card.speaker.type))
        return self._by_id.get(found) if found is not None else None

    @cached_property
    def _by_id(self) -> dict[str, CorpusSpeaker]:
        return {s.id: s for s in self.speakers}

    @classmethod
    def build(cls, entries: Iterable[Entry], dominance: float = DOMINANCE) -> SpeakerIndex:
        """The index of (card, its document's source) pairs, e.g. from
        :func:`quotes.export.frames.read_entries`."""
        tallies: dict[NameKey, _Tally] = defaultdict(_Tally)
        for card, source in entries:
            if card.speaker is not None:
                date = iso_date(source.date if source else None)
                tallies[(card.speaker.name, card.speaker.type)].add(card.doc_id, date)
        grouping = group_names({k: t.quotes for k, t in tallies.items()}, dominance)
        speakers: list[CorpusSpeaker] = []
        identity_of: dict[NameKey, str] = {}
        for canonical, keys in grouping.members.items():
            sid = speaker_id(*canonical)
            dates = [d for k in keys for d in tallies[k].dates]
            speakers.append(
                CorpusSpeaker(
                    id=sid,
                    name=canonical[0],
                    type=canonical[1],
                    quotes=sum(tallies[k].quotes for k in keys),
                    documents=len(set().union(*(tallies[k].documents for k in keys))),
                    first_date=min(dates, default=None),
                    last_date=max(dates, default=None),
                    aliases=tuple(k[0] for k in keys),
                )
            )
            identity_of.update(dict.fromkeys(keys, sid))
        speakers.sort(key=lambda s: (-s.quotes, s.name, s.type))
        return cls(speakers, grouping.merges, grouping.apart, identity_of)


def entries_of(items: Iterable[FactCard | DocumentRecord]) -> Iterator[Entry]:
    """(card, source) pairs of cards (no source) and document records."""
    for item in items:
        if isinstance(item, DocumentRecord):
            for card in item.cards:
                yield card, item.source
        else:
            yield item, None


def speaker_index(
    items: Iterable[FactCard | DocumentRecord], dominance: float = DOMINANCE
) -> SpeakerIndex:
    """The corpus speaker index of cards or document records (records give dates)."""
    return SpeakerIndex.build(entries_of(items), dominance)
