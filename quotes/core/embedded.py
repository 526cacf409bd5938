"""Quotes inside the writer's sentence: a partial quote (someone's words, attributed through
the verb that governs them) or a scare quote (a term, a title, a nickname: nobody's words).
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from ..models import QuoteKind
from .grammar import (
    DocView,
    is_speech_verb,
    names_something,
    word_count,
)
from .lexicon import (
    NON_EVENT_VERBS,
    PARTIAL_GOVERNORS,
    SCARE_GOVERNORS,
    SCARE_MARKERS,
    TITLE_SMALL_WORDS,
    UTTERANCE_NOUNS,
)
from .marks import QuoteSpan

# Words right before a quote that fold it into the writer's sentence ("said that, “…”").
_EMBEDDING_WORDS = frozenset({"that", "as", "because", "including", "like"})


_NP_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "nummod"})


# An embedded quote this long without a speech governor is still somebody's words.
_MIN_ORPHAN_PARTIAL_WORDS = 6
# How far up the parse a negation or a non-event verb ("refrained from") still cancels a quote.
_MAX_NEGATION_CLIMB = 6
# How far up the parse the verb governing a quoted fragment is looked for.
_MAX_GOVERNOR_CLIMB = 8
# Characters before a mark searched for the word that marks a scare quote ("so-called").
_MARKER_LOOKBACK = 40
# A title of a work or a slogan: this many capitalised words, no fewer, no more.
_MIN_TITLE_WORDS = 2
_MAX_TITLE_WORDS = 8


def _negated_or_non_event(verb: Token) -> bool:
    node: Token | None = verb
    for _ in range(_MAX_NEGATION_CLIMB):
        if node is None:
            break
        if any(c.dep_ == "neg" for c in node.children) or node.lemma_.lower() in NON_EVENT_VERBS:
            return True
        if node.head.i == node.i:
            break
        node = node.head
    return False


def _quote_root(view: DocView, seg: QuoteSpan) -> Token | None:
    """The token of the quoted content whose head lies outside it."""
    inside = [view.doc[i] for i in view.token_range(seg.start, seg.end)]
    inside = [t for t in inside if not t.is_space and not t.is_punct] or inside
    if not inside:
        return None
    lo, hi = seg.open_start, seg.close_end
    for t in inside:
        if not (lo <= t.head.idx < hi) or t.head.i == t.i:
            return t
    return inside[0]


def classify_embedded(view: DocView, seg: QuoteSpan) -> tuple[QuoteKind, Token | None]:
    """Classify a quote inside the writer's sentence; return (kind, governing speech verb)."""
    root = _quote_root(view, seg)
    if root is None:
        return "scare", None
    # The word written right before the mark, as written ("so-called" is three tokens).
    words_before = view.text[max(0, seg.open_start - _MARKER_LOOKBACK) : seg.open_start].split()
    if words_before and words_before[-1].lower().strip(",;:(") in SCARE_MARKERS:
        return "scare", None
    # A quoted modifier inside a noun phrase: a "no limits" partnership.
    lo, hi = seg.open_start, seg.close_end
    if (
        root.dep_ in _NP_MODIFIER_DEPS
        and root.head.pos_ in ("NOUN", "PROPN")
        and not lo <= root.head.idx < hi
    ):
        return "scare", None
    node = root.head if root.head.i != root.i else None
    if lo <= root.idx < hi and root.pos_ in ("VERB", "AUX") and root.head.i != root.i:
        node = root.head
    steps = 0
    while node is not None and steps < _MAX_GOVERNOR_CLIMB:
        steps += 1
        # The small model sometimes tags a verb as a noun ("casts"); a subject gives it away.
        if node.pos_ in ("VERB", "AUX") or view.has_subject(node):
            lemma = node.lemma_.lower()
            if lemma in SCARE_GOVERNORS:
                return "scare", None
            if names_something(node):
                return "scare", None
            if lemma in PARTIAL_GOVERNORS and not view.is_quoted(node):
                if _negated_or_non_event(node):
                    return "scare", None
                return "partial", node
            if view.has_subject(node) and lemma != "be" and node.dep_ != "ccomp":
                break
        if node.head.i == node.i:
            break
        node = node.head
    if word_count(view.text[seg.start : seg.end]) >= _MIN_ORPHAN_PARTIAL_WORDS:
        return "partial", None
    return "scare", None


def folded_into_sentence(
    view: DocView, before: Sequence[Token], after: Sequence[Token], content: str
) -> bool:
    """A quote set off by punctuation that is still part of the writer's sentence: after
    "that," / "as," ("said that, “…”"), or running on after its closing mark without a break
    (“… jail time” for criminal behavior, she said)."""
    words = [t for t in before if not t.is_punct]
    if words and words[-1].lower_ in _EMBEDDING_WORDS:
        return True
    ending = content.rstrip()[-1:]
    if ending and ending not in ",.?!…—–-:;" and after:
        first = after[0]
        if first.is_punct:
            return False
        if is_speech_verb(first) or first.pos_ in ("PROPN", "PRON", "DET", "NOUN", "NUM"):
            return False
        return first.is_lower
    return False


def names_a_work(before: Sequence[Token], content: str) -> bool:
    """A title set beside the noun it names: "his book, ''Make Your Kid a Millionaire,''",
    "the show ''Politicking.''"."""
    words = [t for t in before if not t.is_punct and not t.is_space]
    noun = words[-1] if words else None
    if noun is None or noun.pos_ not in ("NOUN", "PROPN") or is_speech_verb(noun):
        return False
    if noun.lemma_.lower() in UTTERANCE_NOUNS:  # "added the words, ''Hillary Clinton.''"
        return False
    if before[-1].i != noun.i and before[-1].text != ",":
        return False  # "CEO: ‘You Should …’" is a headline quote, "Rubio (“Little Marco”)" a jibe
    single = content.strip().rstrip(".,!?").strip()
    return is_title_case(content) or (single.istitle() and " " not in single)


def is_title_case(content: str) -> bool:
    """A short run of capitalised words is a title of a work or a slogan, not an utterance."""
    words = [w for w in content.split() if w[:1].isalpha()]
    if not words or len(words) > _MAX_TITLE_WORDS:
        return False
    return (
        all(w[:1].isupper() or w.lower() in TITLE_SMALL_WORDS for w in words)
        and len(words) >= _MIN_TITLE_WORDS
    )
