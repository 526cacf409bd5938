"""The grammar toolkit the rules share: per-document lookups, reporting verbs, a cue's
subject, a speaker's words, addressees.

Functions of a parsed ``Doc`` only; both the quote sieves (``sieves``) and reported speech
(``indirect``) read the parse through them, so "who is the subject of this cue" has one answer.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from itertools import pairwise

from spacy.tokens import Doc, Token

from .lexicon import (
    ABBREVIATIONS,
    ACCORDING_TO,
    ADDRESSEE_OBJECT_VERBS,
    ADDRESSEE_PREPOSITIONS,
    COLLECTIVE_NOUNS,
    COUNTED_SPEAKERS,
    DATELINE_DASHES,
    ENTITY_SPEAKER_TYPES,
    INVISIBLE_CHARS,
    ISSUED_NOUNS,
    ISSUING_VERBS,
    NON_SPEAKER_ENTITY_TYPES,
    OCCASION_NOUNS,
    ORGANIZATION_NOUNS,
    PRONOUNS,
    RELAYING_VERBS,
    SOURCE_NOUNS,
    SPEECH_VERB_PHRASES,
    SPEECH_VERBS,
    TIME_CLAUSE_MARKERS,
    TITLE_WORDS,
)
from .marks import QuoteSpan
from .marks import paragraphs as find_paragraphs

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


SENTENCE_END = frozenset(".!?")


_NAME_DEPS = frozenset({"compound", "flat", "nmod"})
# How many heads a chained cue may climb (xcomp, conj, advcl …) to find its subject.
_MAX_CHAIN_DEPTH = 6
# How many tokens from a cue a name may stand when the parse gives the cue no subject.
_ADJACENT_REACH = 4
# A dateline ("OSLO, Norway -", "Lisbon (AFP) –") is a few tokens before its dash.
_DATELINE_REACH = 6


class DocView:
    """Per-document lookups the sieves share: token at a character, quoted-token mask."""

    def __init__(
        self,
        doc: Doc,
        segments: Sequence[QuoteSpan],
        paragraphs: Sequence[tuple[int, int]] | None = None,
    ) -> None:
        self.doc = doc
        self.segments = segments
        self.text = doc.text
        self.paragraphs = paragraphs if paragraphs is not None else find_paragraphs(doc.text)
        self._paragraph_starts = [p[0] for p in self.paragraphs]
        self.starts = [t.idx for t in doc]
        self.quoted = [False] * len(doc)
        for seg in segments:
            for i in self.token_range(seg.open_start, seg.close_end):
                self.quoted[i] = True
        # What ``outside`` returns, in order: found by bisection, not by a scan per call.
        self._outside = [t.i for t in doc if not self.quoted[t.i] and not t.is_space]
        self._stops: _Stops | None = None
        self._with_subject: set[int] | None = None
        self._proper_words: dict[str, list[int]] | None = None

    def paragraph_of(self, char: int) -> int:
        """Index of the paragraph holding character ``char`` (the first, before any)."""
        return max(bisect.bisect_right(self._paragraph_starts, char) - 1, 0)

    def token_range(self, start: int, end: int) -> range:
        """Indices of tokens starting inside ``[start, end)``."""
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        return range(lo, hi)

    def outside(self, start: int, end: int, most: int | None = None) -> list[Token]:
        """The tokens starting in ``[start, end)`` outside quotes, not spaces (the first
        ``most`` of them)."""
        span = self.token_range(start, end)
        lo = bisect.bisect_left(self._outside, span.start)
        hi = bisect.bisect_left(self._outside, span.stop)
        if most is not None:
            hi = min(hi, lo + most)
        return [self.doc[i] for i in self._outside[lo:hi]]

    def has_subject(self, token: Token) -> bool:
        """Whether a subject depends on ``token`` (one pass over the document, not a walk
        over a long sentence's children at each question)."""
        if self._with_subject is None:
            self._with_subject = {t.head.i for t in self.doc if t.dep_ in SUBJECT_DEPS}
        return token.i in self._with_subject

    def named_elsewhere(self, token: Token) -> bool:
        """Whether the word of ``token`` is part of a proper name elsewhere in the narrative
        ("Quill" of a headline "Quill: ‘…’" in "Teodor Quill won …"); indexed once."""
        if self._proper_words is None:
            self._proper_words = {}
            for t in self.doc:
                if (t.pos_ == "PROPN" or t.ent_type_ == "PERSON") and not self.quoted[t.i]:
                    self._proper_words.setdefault(t.text, []).append(t.i)
        return any(i != token.i for i in self._proper_words.get(token.text, ())[:2])

    def sentence_end(self, start: int, end: int) -> int:
        """The first ``i`` in ``[start, end)`` where ``is_sentence_end(text, i, start)``, else
        ``end``; found among the document's full stops once indexed, not by a scan per call."""
        if self._stops is None:
            self._stops = _Stops(self.text)
        return self._stops.first(start, end)

    def is_quoted(self, token: Token) -> bool:
        return self.quoted[token.i]


def is_speech_verb(token: Token) -> bool:
    lemma = token.lemma_.lower()
    if lemma not in SPEECH_VERBS:
        needed = SPEECH_VERB_PHRASES.get(lemma)  # "as she put it", "he shot back"
        if needed is None or not any(c.lower_ in needed for c in token.children):
            return False
    # "call" and "point" are speech only as verbs; tags catch mis-lemmatised nouns.
    return token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB")


def is_blank(char: str) -> bool:
    """Whitespace, or an invisible format character (a byte-order mark, a zero-width space)."""
    return char.isspace() or char in INVISIBLE_CHARS


def prev_nonspace(text: str, pos: int, floor: int) -> str | None:
    i = pos - 1
    while i >= floor and is_blank(text[i]):
        i -= 1
    return text[i] if i >= floor else None


def word_count(text: str) -> int:
    return len(text.split())


# A word longer than this is neither an abbreviation nor a run of initials.
_LONGEST_SHORT_WORD = 64


def is_sentence_end(text: str, i: int, floor: int) -> bool:
    """Whether ``text[i]`` ends a sentence: ".!?" before a space, not an abbreviation or an
    initial ("Mr.", "Sen.", "G.K.", "U.S."); the word before it starts at ``floor`` at the
    earliest."""
    if text[i] not in SENTENCE_END or (i + 1 < len(text) and not text[i + 1].isspace()):
        return False
    if text[i] != ".":
        return True
    word_start = i
    while word_start > floor and not text[word_start - 1].isspace():
        word_start -= 1
        if i - word_start > _LONGEST_SHORT_WORD:
            return True
    word = text[word_start:i].lstrip("([\"'“‘")
    if word.lower() in ABBREVIATIONS:
        return False
    # Initials and dotted acronyms: "J.", "G.K.", "D.C."
    return not (word and all(len(part) <= 1 for part in word.split(".")) and word[:1].isupper())


_WORD_RUN = re.compile(r"\S+")


class _Stops:
    """The candidate sentence ends of a text (".!?" ending a word) with, for each, whether it
    ends a sentence when its whole word is read, and the next one that does."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at: list[int] = []
        self.word_start: list[int] = []
        for word in _WORD_RUN.finditer(text):
            if text[word.end() - 1] in SENTENCE_END:
                self.at.append(word.end() - 1)
                self.word_start.append(word.start())
        # next_end[k]: the first candidate from k on that ends a sentence (len: none).
        self.next_end = [len(self.at)] * (len(self.at) + 1)
        for k in range(len(self.at) - 1, -1, -1):
            ends = is_sentence_end(text, self.at[k], self.word_start[k])
            self.next_end[k] = k if ends else self.next_end[k + 1]

    def first(self, start: int, end: int) -> int:
        k = bisect.bisect_left(self.at, start)
        if k < len(self.at) and self.word_start[k] < start <= self.at[k] < end:
            # Its word begins before ``start``: only the part from ``start`` counts.
            if is_sentence_end(self.text, self.at[k], start):
                return self.at[k]
            k += 1
        k = self.next_end[k]
        return self.at[k] if k < len(self.at) and self.at[k] < end else end


def may_speak(token: Token) -> bool:
    """Days, numbers and amounts are never sources, whatever the parse says ("said Thursday");
    a described person can be ("the 43-year-old asked")."""
    if token.ent_type_ in ("DATE", "TIME"):
        return token.pos_ not in ("PROPN", "NUM")
    return token.ent_type_ not in NON_SPEAKER_ENTITY_TYPES


def _may_subject(token: Token) -> bool:
    """As subject, people may be counted: "19 percent said", "one of the lawyers said"."""
    return may_speak(token) or (token.dep_ == "nsubj" and token.ent_type_ in COUNTED_SPEAKERS)


def _inverted_source(view: DocView, verb: Token) -> Token | None:
    """ "“…,” read the statement": right after a quote, the parse takes the inverted subject
    of a verb with none for its object; a written source that can speak is the speaker."""
    if verb.i == 0 or not view.is_quoted(verb.doc[verb.i - 1]):
        return None
    for child in verb.rights:
        if child.dep_ == "dobj" and child.lemma_.lower() in SOURCE_NOUNS:
            return child
    return None


def subject_of(view: DocView, verb: Token, depth: int = 0) -> tuple[Token | None, bool]:
    """The speaker head of a cue verb and whether it came through a chain (embedded cue)."""
    if depth > _MAX_CHAIN_DEPTH:
        return None, True
    agent = _passive_agent(view, verb)
    if agent is not None:
        return agent, depth > 0  # "Sanders was asked by host Bill Maher, “…”"
    subjects = [
        child
        for child in verb.children
        # "public ― Trump boasted": the parse made the dash a subject
        if not child.is_punct
        and child.dep_ in SUBJECT_DEPS
        and not view.is_quoted(child)
        and _may_subject(child)
    ]
    if subjects:
        # "Ann Patel, who said …": the relative pronoun grounds the attribution; the card
        # names its antecedent (see cards._resolve).
        subject = _past_dateline(_nearest_subject(subjects, verb))
        return _apposed_at_cue(subject, verb), depth > 0
    inverted = _inverted_source(view, verb)
    if inverted is not None:
        return inverted, depth > 0
    # "the agency quoted him as saying": the object is the speaker of a passive report.
    head = verb.head
    if head.i == verb.i:
        return None, depth > 0
    if verb.dep_ == "acl" and head.pos_ in ("PROPN", "NOUN", "PRON", "ADJ"):
        if _is_occasion(head):
            # "she said at a news conference announcing that …": the event's speaker
            return subject_of(view, head.head.head, depth + 1)[0], True
        if _is_issued(head):
            # "issued a statement saying that …": the statement speaks for its issuer
            return subject_of(view, head.head, depth + 1)[0], True
        return _depicted(head), True  # "Vance telling Zelenskyy", "footage of Clinton asking"
    if verb.dep_ == "xcomp":
        for child in head.children:
            if child.dep_ == "dobj" and not view.is_quoted(child):
                # object control: "prompting Trump to say", "uses footage of Clinton asking"
                return _depicted(child), True
        return subject_of(view, head, depth + 1)[0], True
    if verb.dep_ == "relcl" and head.pos_ in ("PROPN", "NOUN"):
        return head, True
    if verb.dep_ in {"conj", "advcl", "pcomp", "prep", "ccomp", "xcomp", "dep", "pobj"}:
        # Participles and conjuncts inherit the main clause's subject ("said, adding"); one
        # hung on the reported clause still reports for its speaker ("told Newsmax that
        # Romney “had …,” adding").
        if verb.tag_ == "VBG" and head.dep_ == "ccomp" and is_speech_verb(head.head):
            head = head.head
        return subject_of(view, head, depth + 1)[0], True
    return None, depth > 0


def _past_dateline(subject: Token) -> Token:
    """ "OSLO, Norway - Ann Patel's allies predicted …", "Lisbon (AFP) – Singer Ann Patel is not
    sure …": the parse makes the dateline opening the paragraph the subject and hangs the real
    one on it in apposition after the dash; the place never speaks."""
    doc = subject.doc
    start = subject.left_edge.i
    if start > 0 and "\n" not in doc[start - 1].text_with_ws:
        return subject  # a dateline opens its paragraph
    # Spaced on both sides: "(I-Vt.)" is a party and state, not a dateline.
    dash = next(
        (
            t
            for t in doc[start : start + _DATELINE_REACH]
            if t.text in DATELINE_DASHES and t.whitespace_ and t.i > 0 and doc[t.i - 1].whitespace_
        ),
        None,
    )
    if dash is None or subject.i > dash.i:
        return subject
    if not all(t.is_punct or t.is_title or t.is_upper for t in doc[start : dash.i]):
        return subject
    return next((c for c in subject.children if c.dep_ == "appos" and c.i > dash.i), subject)


def _nearest_subject(subjects: Sequence[Token], verb: Token) -> Token:
    """Of two subjects the parse gives one verb, the one next to it, unless the second only
    stands in apposition to the first, set off on both sides ("The chair, Ann Patel, said"):
    "THE BORROWING Back when he wrote his book, Mr. McKinley said" is said by Mr. McKinley,
    "His promises notwithstanding, independent analyses agree" by the analyses."""
    first = subjects[0]
    doc = verb.doc
    for later in subjects[1:]:
        if later.i > verb.i:
            break
        gap = first.right_edge.i + 1
        closing = later.right_edge.i + 1
        apposed = (
            doc[gap].text == ","
            and later.left_edge.i == gap + 1
            and closing < verb.i
            and doc[closing].is_punct
        )
        if not apposed:
            first = later
    return first


def _apposed_at_cue(subject: Token, verb: Token) -> Token:
    """A name the parse hangs in apposition on the subject but which runs up to the verb is the
    subject: "To understand the real Dred Scott, Chief Justice Roberts said, …"."""
    if subject.i > verb.i:
        return subject
    for child in subject.children:
        if child.dep_ == "appos" and child.pos_ == "PROPN" and child.right_edge.i == verb.i - 1:
            return child
    return subject


def _is_occasion(noun: Token) -> bool:
    """An occasion ("a news conference", "a rally"), the object of a preposition on a verb:
    what happens there is done by the verb's subject ("said at a news conference announcing
    …")."""
    return (
        noun.lemma_.lower() in OCCASION_NOUNS
        and noun.dep_ == "pobj"
        and noun.head.dep_ == "prep"
        and noun.head.head.pos_ in ("VERB", "AUX")
    )


def _is_issued(noun: Token) -> bool:
    """A document someone puts out ("issued a statement", "is running ads"), the object of the
    issuing verb: what a participle on it says, the verb's subject says."""
    return (
        noun.lemma_.lower() in ISSUED_NOUNS
        and noun.dep_ == "dobj"
        and noun.head.lemma_.lower() in ISSUING_VERBS
    )


def _depicted(noun: Token) -> Token:
    """The person a recording shows: "footage of Clinton" speaks through Clinton."""
    if noun.pos_ == "NOUN" and noun.ent_type_ != "PERSON":
        for prep in noun.children:
            if prep.lower_ == "of":
                for pobj in prep.children:
                    if pobj.dep_ == "pobj" and pobj.pos_ == "PROPN":
                        return pobj
    return noun


# "61 - year - old": the tokens of an age phrase before "old".
_AGE_PHRASE_TOKENS = 4
# How many words a hyphenated role ("co-owner", "vice-chair") may run before its name.
_ROLE_REACH = 4


def is_age_phrase(token: Token) -> bool:
    """ "old" ending "the 61-year-old": a person described by age."""
    doc = token.doc
    i = token.i
    return (
        token.lower_ == "old"
        and i >= _AGE_PHRASE_TOKENS
        and doc[i - 1].text == "-"
        and doc[i - 2].lower_ in ("year", "years")
        and doc[i - 3].text == "-"
        and doc[i - 4].like_num
    )


def _name_after_role(view: DocView, head: Token) -> Token | None:
    """ "said co-owner Denholm Okereke": the parse made "co" the subject; the name that the
    hyphenated role word runs into is."""
    doc = view.doc
    j = head.i + 1
    if j >= len(doc) or doc[j].text != "-" or head.whitespace_:
        return None
    while j < len(doc) and j - head.i <= _ROLE_REACH and (doc[j].text == "-" or doc[j].is_lower):
        j += 1
    if j >= len(doc) or doc[j].pos_ != "PROPN" or view.is_quoted(doc[j]):
        return None
    while j + 1 < len(doc) and doc[j + 1].pos_ == "PROPN" and doc[j].whitespace_:
        j += 1
    return doc[j]


def mention_tokens(view: DocView, head: Token) -> tuple[Token, ...]:
    """The words that name a speaker, from its head token."""
    doc = view.doc
    if head.lower_ in PRONOUNS or head.pos_ == "PRON":
        return (head,)
    if is_age_phrase(head):
        start = head.i - _AGE_PHRASE_TOKENS
        if start > 0 and doc[start - 1].lower_ in ("the", "a", "an"):
            start -= 1
        return tuple(doc[start : head.i + 1])
    named = _name_after_role(view, head) if head.pos_ == "NOUN" else None
    if named is not None:
        return mention_tokens(view, named)
    if head.pos_ != "PROPN":
        for child in head.children:  # "the secretary, Nikolai Patrushev, said"
            if child.dep_ == "appos" and child.pos_ == "PROPN" and not view.is_quoted(child):
                return mention_tokens(view, child)
    if head.ent_iob_ != "O" and head.ent_type_:
        toks = [t for t in _entity_around(doc, head) if not t.is_space and t.lower_ != "the"]
        if toks and "\n" not in "".join(t.text_with_ws for t in toks[:-1]):
            return tuple(toks)
    left = head.i
    while left - 1 >= 0:
        prev = doc[left - 1]
        if prev.head.i != head.i and not (prev.head.i > left - 1 and prev.head.i <= head.i):
            break
        if prev.dep_ in _NAME_DEPS | {"det", "amod", "poss", "case"} and not prev.is_space:
            left -= 1
            continue
        break
    return tuple(t for t in doc[left : head.i + 1] if not t.is_punct)


def _entity_around(doc: Doc, token: Token) -> list[Token]:
    """The named-entity mention holding ``token``, from its IOB tags (``doc.ents`` builds every
    span of the document on each access)."""
    start = token.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return [doc[i] for i in range(start, end)]


def agent_of(view: DocView, verb: Token) -> Token | None:
    """The object of a passive verb's "by" phrase ("was reported by the agency")."""
    for child in verb.children:
        if child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj" and not view.is_quoted(pobj) and may_speak(pobj):
                    return pobj
    return None


def _passive_agent(view: DocView, verb: Token) -> Token | None:
    """The "by" phrase of a passive speech verb: who asked, who told. Not for verbs that
    relay someone else's words ("was quoted by the Times as saying")."""
    if verb.lemma_.lower() in RELAYING_VERBS or not is_speech_verb(verb):
        return None
    return agent_of(view, verb)


def addressee_of(view: DocView, cue: Token) -> Token | None:
    lemma = cue.lemma_.lower()
    if _passive_agent(view, cue) is not None:
        for child in cue.children:  # "Sanders was asked by Maher": Sanders is addressed
            if child.dep_ == "nsubjpass" and not view.is_quoted(child):
                return child
    for child in cue.children:
        if view.is_quoted(child):
            continue
        if child.dep_ in {"dobj", "dative"} and lemma in ADDRESSEE_OBJECT_VERBS:
            if child.pos_ in ("PROPN", "PRON") or child.ent_type_ == "PERSON":
                return child
            if child.lower_ in COLLECTIVE_NOUNS or child.lower_ in TITLE_WORDS:
                return child  # "told reporters", "asked the senator"
        if child.dep_ in {"prep", "dative"} and child.lower_ in ADDRESSEE_PREPOSITIONS:
            for pobj in child.children:
                if pobj.dep_ == "pobj" and not view.is_quoted(pobj):
                    return pobj
    return None


def according_to_source(tokens: Sequence[Token]) -> Token | None:
    first, second = ACCORDING_TO
    for a, b in pairwise(tokens):
        if a.lower_ == first and b.lower_ == second:
            for child in b.children:
                if child.dep_ == "pobj":
                    return child
            if b.i + 1 < len(b.doc):
                return b.doc[b.i + 1]
    return None


def in_time_clause(cue: Token) -> bool:
    """A cue in a clause opened by "when", "as", "after" …, which dates another event."""
    return any(
        child.i < cue.i and child.dep_ in ("advmod", "mark") and child.lower_ in TIME_CLAUSE_MARKERS
        for child in cue.children
    )


def first_cue(tokens: Sequence[Token]) -> Token | None:
    return next((t for t in tokens if is_speech_verb(t)), None)


def last_cue(tokens: Sequence[Token]) -> Token | None:
    return next((t for t in reversed(tokens) if is_speech_verb(t)), None)


def adjacent_speaker(view: DocView, cue: Token) -> Token | None:
    """A name or pronoun right next to the cue ("… Putin said", "said Putin"), for when the
    parse gives the cue no subject. Adverbs and auxiliaries in between are skipped."""
    doc = view.doc
    for step in (-1, 1):
        i = cue.i + step
        while (
            0 <= i < len(doc)
            and doc[i].pos_ in ("ADV", "AUX", "PART")
            and abs(i - cue.i) < _ADJACENT_REACH
        ):
            i += step
        if 0 <= i < len(doc) and not view.is_quoted(doc[i]) and may_speak(doc[i]):
            t = doc[i]
            if t.pos_ == "PROPN" or (t.lower_ in PRONOUNS and t.dep_ != "dobj"):
                return t
            if is_age_phrase(t) and step < 0:
                return t
    return None


def speaker_near(tokens: Sequence[Token]) -> Token | None:
    """Linear fallback when the parse gives the cue no subject: the first person's name, else
    the first proper noun, subject pronoun or age phrase ("the 33-year-old said"), in the
    order given."""
    for t in tokens:
        if t.ent_type_ == "PERSON":
            return t
    for t in tokens:
        if is_age_phrase(t):
            return t
        if not may_speak(t):
            continue
        if t.pos_ == "PROPN" or (t.lower_ in PRONOUNS and t.dep_ not in ("dobj", "pobj", "poss")):
            return t
    return None


def can_speak(token: Token) -> bool:
    """Whether a subject can be a source: a name, a pronoun, or a person or body noun."""
    if token.pos_ in ("PROPN", "PRON") or token.ent_type_ in ENTITY_SPEAKER_TYPES:
        return token.ent_type_ not in NON_SPEAKER_ENTITY_TYPES
    if token.is_title and not token.is_sent_start:
        return True  # a name the tagger took for a common noun ("On Monday, Sanders said")
    lower = token.lower_
    return (
        lower in ORGANIZATION_NOUNS
        or lower in COLLECTIVE_NOUNS
        or lower in TITLE_WORDS
        or token.lemma_.lower() in SOURCE_NOUNS
    )


def names_something(verb: Token) -> bool:
    """A participle that gives a name, not words: "a group called “Patriots”", "a super PAC
    called Future45"."""
    return verb.dep_ == "acl" and verb.tag_ == "VBN"


def reports_words(cue: Token) -> bool:
    """Whether a speech verb reports words: not negated, not a passive without its agent."""
    if any(c.dep_ == "neg" for c in cue.children):
        return False
    if names_something(cue):
        return False
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in cue.children)
    return not passive or any(c.dep_ == "agent" for c in cue.children)


def first_nonspace(text: str, pos: int) -> int:
    while pos < len(text) and is_blank(text[pos]):
        pos += 1
    return pos
