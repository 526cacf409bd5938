"""Attribution: for each quote segment, its kind, cue, speaker mention and addressee.

Ordered sieves over the dependency parse, each named (the card's ``method``) so precision can be
measured per rule. The small parser errs around quotation marks, so the sieves look for cues in
character windows bounded by the quote and the sentence, and only then use the parse to find the
cue's subject.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from spacy.tokens import Doc, Token

from .lexicon import (
    ABBREVIATIONS,
    ACCORDING_TO,
    ADDRESSEE_OBJECT_VERBS,
    ADDRESSEE_PREPOSITIONS,
    COLLECTIVE_NOUNS,
    COUNTED_SPEAKERS,
    ENTITY_SPEAKER_TYPES,
    NON_EVENT_VERBS,
    NON_SPEAKER_ENTITY_TYPES,
    ORGANIZATION_NOUNS,
    PARTIAL_GOVERNORS,
    PRONOUNS,
    RELAYING_VERBS,
    SCARE_GOVERNORS,
    SCARE_MARKERS,
    SOURCE_NOUNS,
    SPEECH_VERB_PHRASES,
    SPEECH_VERBS,
    TIME_CLAUSE_MARKERS,
    TITLE_SMALL_WORDS,
    TITLE_WORDS,
    UTTERANCE_NOUNS,
)
from .marks import QuoteSpan
from .models import Method, QuoteKind

_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_SET_OFF_BEFORE = frozenset(":,;([")
# A speaker label opening a transcript turn: upper-case name(s), a colon, the words.
_TRANSCRIPT_LABEL = re.compile(r"([A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3}):\s+(?=\S)")
# Words right before a quote that fold it into the writer's sentence ("said that, “…”").
_EMBEDDING_WORDS = frozenset({"that", "as", "because", "including", "like"})
_SENTENCE_END = frozenset(".!?")
_DASHES = frozenset("—–―")
_NAME_DEPS = frozenset({"compound", "flat", "nmod"})
_NP_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "nummod"})
# A set-off quote this short with no cue is a term or a title, not an utterance.
_MIN_UTTERANCE_WORDS = 4
# An embedded quote this long without a speech governor is still somebody's words.
_MIN_ORPHAN_PARTIAL_WORDS = 6


@dataclass(frozen=True)
class Attribution:
    """What the sieves decided for one quote segment (tokens refer to the parsed doc)."""

    segment: QuoteSpan
    kind: QuoteKind
    method: Method
    cue: tuple[Token, ...] | None
    speaker: tuple[Token, ...] | None
    addressee: tuple[Token, ...] | None
    continues: int | None = None  # index of the attribution this one continues


class DocView:
    """Per-document lookups the sieves share: token at a character, quoted-token mask."""

    def __init__(self, doc: Doc, segments: Sequence[QuoteSpan]) -> None:
        self.doc = doc
        self.segments = segments
        self.text = doc.text
        self.starts = [t.idx for t in doc]
        self.quoted = [False] * len(doc)
        for seg in segments:
            for i in self.token_range(seg.open_start, seg.close_end):
                self.quoted[i] = True

    def token_range(self, start: int, end: int) -> range:
        """Indices of tokens starting inside ``[start, end)``."""
        import bisect

        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        return range(lo, hi)

    def outside(self, start: int, end: int) -> list[Token]:
        return [
            self.doc[i]
            for i in self.token_range(start, end)
            if not self.quoted[i] and not self.doc[i].is_space
        ]

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


def _prev_nonspace(text: str, pos: int, floor: int) -> str | None:
    i = pos - 1
    while i >= floor and text[i].isspace():
        i -= 1
    return text[i] if i >= floor else None


def _word_count(text: str) -> int:
    return len(text.split())


# -- windows around a quote --------------------------------------------------------------------


def is_sentence_end(text: str, i: int, floor: int) -> bool:
    """Whether ``text[i]`` ends a sentence: ".!?" before a space, not an abbreviation or an
    initial ("Mr.", "Sen.", "G.K.", "U.S.")."""
    if text[i] not in _SENTENCE_END or (i + 1 < len(text) and not text[i + 1].isspace()):
        return False
    if text[i] != ".":
        return True
    word_start = i
    while word_start > floor and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:i].lstrip("([\"'“‘")
    if word.lower() in ABBREVIATIONS:
        return False
    # Initials and dotted acronyms: "J.", "G.K.", "D.C."
    return not (word and all(len(part) <= 1 for part in word.split(".")) and word[:1].isupper())


def _after_window(view: DocView, seg: QuoteSpan, next_open: int, para_end: int) -> list[Token]:
    """Tokens after the closing mark up to the end of the sentence, the next quote or the
    paragraph end."""
    text = view.text
    end = min(next_open, para_end)
    i = seg.close_end
    while i < end and not is_sentence_end(text, i, seg.close_end):
        i += 1
    return view.outside(seg.close_end, i)


def _before_window(view: DocView, seg: QuoteSpan, prev_close: int, para_start: int) -> list[Token]:
    """Tokens from the start of the sentence (or the previous quote) to the opening mark."""
    text = view.text
    floor = max(prev_close, para_start)
    i = seg.open_start - 1
    while i >= floor and not is_sentence_end(text, i, floor):
        i -= 1
    return view.outside(i + 1, seg.open_start)


# -- subjects, mentions, addressees -----------------------------------------------------------


def _may_speak(token: Token) -> bool:
    """Days, numbers and amounts are never sources, whatever the parse says ("said Thursday");
    a described person can be ("the 43-year-old asked")."""
    if token.ent_type_ in ("DATE", "TIME"):
        return token.pos_ not in ("PROPN", "NUM")
    return token.ent_type_ not in NON_SPEAKER_ENTITY_TYPES


def _may_subject(token: Token) -> bool:
    """As subject, people may be counted: "19 percent said", "one of the lawyers said"."""
    return _may_speak(token) or (token.dep_ == "nsubj" and token.ent_type_ in COUNTED_SPEAKERS)


def subject_of(view: DocView, verb: Token, depth: int = 0) -> tuple[Token | None, bool]:
    """The speaker head of a cue verb and whether it came through a chain (embedded cue)."""
    if depth > 6:
        return None, True
    agent = _passive_agent(view, verb)
    if agent is not None:
        return agent, depth > 0  # "Sanders was asked by host Bill Maher, “…”"
    for child in verb.children:
        if child.dep_ in _SUBJECT_DEPS and not view.is_quoted(child) and _may_subject(child):
            # "Ann Patel, who said …": the relative pronoun grounds the attribution; the card
            # names its antecedent (see cards._resolve).
            return child, depth > 0
    # "the agency quoted him as saying": the object is the speaker of a passive report.
    head = verb.head
    if head.i == verb.i:
        return None, depth > 0
    if verb.dep_ == "acl" and head.pos_ in ("PROPN", "NOUN", "PRON", "ADJ"):
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


def _depicted(noun: Token) -> Token:
    """The person a recording shows: "footage of Clinton" speaks through Clinton."""
    if noun.pos_ == "NOUN" and noun.ent_type_ != "PERSON":
        for prep in noun.children:
            if prep.lower_ == "of":
                for pobj in prep.children:
                    if pobj.dep_ == "pobj" and pobj.pos_ == "PROPN":
                        return pobj
    return noun


def mention_tokens(view: DocView, head: Token) -> tuple[Token, ...]:
    """The words that name a speaker, from its head token."""
    doc = view.doc
    if head.lower_ in PRONOUNS or head.pos_ == "PRON":
        return (head,)
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
                if pobj.dep_ == "pobj" and not view.is_quoted(pobj) and _may_speak(pobj):
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


def _according_to(tokens: Sequence[Token]) -> Token | None:
    first, second = ACCORDING_TO
    for a, b in pairwise(tokens):
        if a.lower_ == first and b.lower_ == second:
            for child in b.children:
                if child.dep_ == "pobj":
                    return child
            if b.i + 1 < len(b.doc):
                return b.doc[b.i + 1]
    return None


# -- embedded quotes: partial or scare --------------------------------------------------------


def _negated_or_non_event(verb: Token) -> bool:
    node: Token | None = verb
    for _ in range(6):
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


def _embedded(view: DocView, seg: QuoteSpan) -> tuple[QuoteKind, Token | None]:
    """Classify a quote inside the writer's sentence; return (kind, governing speech verb)."""
    root = _quote_root(view, seg)
    if root is None:
        return "scare", None
    # The word written right before the mark, as written ("so-called" is three tokens).
    words_before = view.text[max(0, seg.open_start - 40) : seg.open_start].split()
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
    while node is not None and steps < 8:
        steps += 1
        # The small model sometimes tags a verb as a noun ("casts"); a subject gives it away.
        if node.pos_ in ("VERB", "AUX") or any(c.dep_ in _SUBJECT_DEPS for c in node.children):
            lemma = node.lemma_.lower()
            if lemma in SCARE_GOVERNORS:
                return "scare", None
            if _names_something(node):
                return "scare", None
            if lemma in PARTIAL_GOVERNORS and not view.is_quoted(node):
                if _negated_or_non_event(node):
                    return "scare", None
                return "partial", node
            has_subject = any(c.dep_ in _SUBJECT_DEPS for c in node.children)
            if has_subject and lemma != "be" and node.dep_ != "ccomp":
                break
        if node.head.i == node.i:
            break
        node = node.head
    if _word_count(view.text[seg.start : seg.end]) >= _MIN_ORPHAN_PARTIAL_WORDS:
        return "partial", None
    return "scare", None


# -- the sieves ------------------------------------------------------------------------------


def _in_time_clause(cue: Token) -> bool:
    """A cue in a clause opened by "when", "as", "after" …, which dates another event."""
    return any(
        child.i < cue.i and child.dep_ in ("advmod", "mark") and child.lower_ in TIME_CLAUSE_MARKERS
        for child in cue.children
    )


def _first_cue(tokens: Sequence[Token]) -> Token | None:
    return next((t for t in tokens if is_speech_verb(t)), None)


def _last_cue(tokens: Sequence[Token]) -> Token | None:
    return next((t for t in reversed(tokens) if is_speech_verb(t)), None)


def adjacent_speaker(view: DocView, cue: Token) -> Token | None:
    """A name or pronoun right next to the cue ("… Putin said", "said Putin"), for when the
    parse gives the cue no subject. Adverbs and auxiliaries in between are skipped."""
    doc = view.doc
    for step in (-1, 1):
        i = cue.i + step
        while 0 <= i < len(doc) and doc[i].pos_ in ("ADV", "AUX", "PART") and abs(i - cue.i) < 4:
            i += step
        if 0 <= i < len(doc) and not view.is_quoted(doc[i]) and _may_speak(doc[i]):
            t = doc[i]
            if t.pos_ == "PROPN" or (t.lower_ in PRONOUNS and t.dep_ != "dobj"):
                return t
    return None


def _speaker_near(tokens: Sequence[Token]) -> Token | None:
    """Linear fallback when the parse gives the cue no subject: the first person's name, else
    the first proper noun or subject pronoun, in the order given."""
    for t in tokens:
        if t.ent_type_ == "PERSON":
            return t
    for t in tokens:
        if not _may_speak(t):
            continue
        if t.pos_ == "PROPN" or (t.lower_ in PRONOUNS and t.dep_ not in ("dobj", "pobj", "poss")):
            return t
    return None


def attribute(view: DocView, paragraphs: Sequence[tuple[int, int]]) -> list[Attribution]:
    """Run the sieves over every quote segment of a parsed document, in order."""
    segments = view.segments
    results: list[Attribution] = []
    for index, seg in enumerate(segments):
        para_start, para_end = paragraphs[seg.paragraph]
        prev = segments[index - 1] if index > 0 else None
        prev_close = prev.close_end if prev and prev.paragraph == seg.paragraph else para_start
        # A short quote (a nickname, a title) does not end the window a cue is looked for in.
        following = segments[index + 1 :]
        nxt = next((q for q in following if _word_count(view.text[q.start : q.end]) >= 4), None)
        next_open = nxt.open_start if nxt and nxt.paragraph == seg.paragraph else para_end
        results.append(
            _attribute_one(view, seg, results, prev_close, next_open, para_start, para_end)
        )
    return results


def _result(
    seg: QuoteSpan,
    kind: QuoteKind,
    method: Method,
    cue: Token | None,
    speaker: tuple[Token, ...] | None,
    addressee: tuple[Token, ...] | None,
    continues: int | None = None,
) -> Attribution:
    return Attribution(
        segment=seg,
        kind=kind,
        method=method,
        cue=(cue,) if cue is not None else None,
        speaker=speaker,
        addressee=addressee,
        continues=continues,
    )


def _from_cue(
    view: DocView,
    seg: QuoteSpan,
    kind: QuoteKind,
    cue: Token,
    plain: Method,
    between: Sequence[Token] = (),
) -> Attribution | None:
    """Attribution through a cue's subject; when the parse gives none, the nearest name in
    ``between`` (the words between the quote and the cue, nearest first), then a name right
    beside the cue."""
    head, chained = subject_of(view, cue)
    if head is None:
        head, chained = _speaker_near(between) or adjacent_speaker(view, cue), False
        if head is None:
            return None
    addressee = addressee_of(view, cue)
    return _result(
        seg,
        kind,
        "cue_embedded" if chained and plain == "cue_adjacent" else plain,
        cue,
        mention_tokens(view, head),
        mention_tokens(view, addressee) if addressee is not None else None,
    )


@dataclass(frozen=True, slots=True)
class _Quote:
    """One quote segment and what the sieves look at around it."""

    view: DocView
    seg: QuoteSpan
    content: str
    before: list[Token]  # from the sentence start (or the previous quote) to the opening mark
    after: list[Token]  # from the closing mark to the sentence end (or the next quote)
    previous: Attribution | None  # the nearest earlier quote that names or carries a speaker
    previous_index: int | None
    prev_close: int
    next_open: int
    para_start: int


Sieve = Callable[[_Quote], Attribution | None]


def _attribute_one(
    view: DocView,
    seg: QuoteSpan,
    done: Sequence[Attribution],
    prev_close: int,
    next_open: int,
    para_start: int,
    para_end: int,
) -> Attribution:
    # An unattributed fragment ("on Fox News's “Fox and Friends.”") names nobody, so it
    # neither carries a speaker forward nor hides the one before it.
    previous_index = next(
        (
            i
            for i in range(len(done) - 1, -1, -1)
            if done[i].kind != "scare" and not (done[i].kind == "partial" and not done[i].speaker)
        ),
        None,
    )
    quote = _Quote(
        view=view,
        seg=seg,
        content=view.text[seg.start : seg.end],
        before=_before_window(view, seg, prev_close, para_start),
        after=_after_window(view, seg, next_open, para_end),
        previous=done[previous_index] if previous_index is not None else None,
        previous_index=previous_index,
        prev_close=prev_close,
        next_open=next_open,
        para_start=para_start,
    )
    if not _is_set_off(quote):
        return _embedded_quote(quote)
    for sieve in SET_OFF_SIEVES:
        found = sieve(quote)
        if found is not None:
            return found
    return _result(seg, "direct", "none", None, None, None)


def _is_set_off(q: _Quote) -> bool:
    """Whether the quote stands apart from the writer's sentence (a direct quote) rather than
    being a fragment inside it (a partial quote or a scare quote)."""
    before_char = _prev_nonspace(q.view.text, q.seg.open_start, q.prev_close)
    set_off = (
        q.seg.continues_previous
        or before_char is None
        or before_char in _SET_OFF_BEFORE
        or before_char in _SENTENCE_END
    )
    if (
        set_off
        and not q.seg.continues_previous
        and _folded_into_sentence(q.view, q.before, q.after, q.content)
    ):
        set_off = False
    if not set_off:
        # "said “We will win”": a cue right before a full sentence still sets it off.
        last = q.before[-1] if q.before else None
        starts_upper = q.content.lstrip()[:1].isupper()
        if last is not None and is_speech_verb(last) and starts_upper:
            return _word_count(q.content) > 3
    return set_off


def _embedded_quote(q: _Quote) -> Attribution:
    """A fragment inside the writer's sentence: a scare quote, or a partial quote attributed
    through the verb that governs it, else the nearest cue."""
    kind, governor = _embedded(q.view, q.seg)
    if kind == "scare":
        return _result(q.seg, "scare", "none", None, None, None)
    if governor is not None:
        found = _from_cue(q.view, q.seg, "partial", governor, "partial_governor")
        if found is not None:
            return found
    cue = _last_cue(q.before) or _first_cue(q.after)
    if cue is not None:
        found = _from_cue(q.view, q.seg, "partial", cue, "partial_governor")
        if found is not None:
            return found
    return _result(q.seg, "partial", "none", governor, None, None)


def _title_of_work(q: _Quote) -> Attribution | None:
    if _names_a_work(q.before, q.content):
        return _result(q.seg, "scare", "none", None, None, None)
    return None


def _transcript_turn(q: _Quote) -> Attribution | None:
    """ "PENCE: Well, the question is …" names its speaker inside the marks."""
    label = _TRANSCRIPT_LABEL.match(q.content)
    if label is None:
        return None
    said = replace(q.seg, start=q.seg.start + label.end())
    tokens = [q.view.doc[i] for i in q.view.token_range(q.seg.start, q.seg.start + label.end(1))]
    names = tuple(t for t in tokens if not t.is_space and not t.is_punct)
    if names and said.start < said.end:
        return _result(said, "direct", "colon_intro", None, names, None)
    return None


def _dash_byline(q: _Quote) -> Attribution | None:
    """“…” — Secretary Nikolai Patrushev"""
    after_text = q.view.text[q.seg.close_end : q.next_open].lstrip()
    if after_text[:1] in _DASHES and q.after:
        name = next((t for t in q.after if t.pos_ == "PROPN"), None)
        if name is not None:
            return _result(q.seg, "direct", "dash_byline", None, mention_tokens(q.view, name), None)
    return None


def _adjacent_cue(q: _Quote) -> Attribution | None:
    """A reporting verb in the quote's sentence, after it or before it as the punctuation
    suggests: “…,” she said / She said: “…”."""
    before, after = q.before, q.after
    cue_after_expected = q.content.rstrip()[-1:] in {",", "?", "!", "—", "–", "-"} or not (
        before and before[-1].text in {":", ","}
    )
    after_cue = _first_cue(after)
    before_cue = _last_cue(before)
    if after_cue is None and before_cue is None:
        after_cue = _inverted_cue(after)
    if after_cue is not None and _in_time_clause(after_cue) and before_cue is not None:
        # "saying, “That makes me smart,” when Clinton blasted him": the quote is the earlier cue's.
        cue_after_expected = False
    order = (after_cue, before_cue) if cue_after_expected else (before_cue, after_cue)
    for cue in order:
        if cue is None:
            continue
        if cue is after_cue:
            between = [t for t in after if t.i < cue.i]
        else:
            between = [t for t in reversed(before) if t.i < cue.i]
        found = _from_cue(q.view, q.seg, "direct", cue, "cue_adjacent", between)
        if found is not None:
            return found
    return None


def _inverted_cue(after: Sequence[Token]) -> Token | None:
    """Any past-tense verb right after a quote, followed by a name as its subject, is a
    reporting verb: “This is fantastic!” beamed Donald Hartley."""
    words = [t for t in after if not t.is_punct and not t.is_space]
    if len(words) < 2 or words[0].tag_ != "VBD" or words[1].pos_ != "PROPN":
        return None
    verb = words[0]
    inverted = any(
        c.dep_ in _SUBJECT_DEPS and c.i > verb.i and c.pos_ == "PROPN" for c in verb.children
    )
    return verb if inverted else None


def _according_to_source(q: _Quote) -> Attribution | None:
    for window in (q.before, q.after):
        source = _according_to(window)
        if source is not None:
            speaker = mention_tokens(q.view, source)
            return _result(q.seg, "direct", "according_to", None, speaker, None)
    return None


def _colon_paragraph(q: _Quote) -> Attribution | None:
    """The previous paragraph ends with a colon: "In a statement, the ministry said:"."""
    text = q.view.text
    if q.seg.open_start != _first_nonspace(text, q.para_start) or q.para_start == 0:
        return None
    intro = _colon_intro(q.view, q.para_start)
    if intro is None:
        return None
    cue, head = intro
    return _result(q.seg, "direct", "colon_intro", cue, mention_tokens(q.view, head), None)


def _marked_continuation(q: _Quote) -> Attribution | None:
    """A paragraph opened by a quotation mark that the previous one left open."""
    if q.seg.continues_previous and q.previous is not None and q.previous_index is not None:
        return _continuation(q.seg, q.previous, q.previous_index)
    return None


def _writer_colon(q: _Quote) -> Attribution | None:
    """ "The ad ends with her words: “…”", a headline's "Warren to CEO: ‘…’"."""
    named = _writer_colon_speaker(q.view, q.before) or _headline_speaker(q.before)
    if named is not None:
        return _result(q.seg, "direct", "colon_intro", None, mention_tokens(q.view, named), None)
    return None


def _not_an_utterance(q: _Quote) -> Attribution | None:
    """With no cue anywhere, a few words without a full stop, or a run of capitalised words,
    are a name or a title, not something said."""
    sentence = q.content.rstrip().endswith((".", "?", "!"))
    if _word_count(q.content) < _MIN_UTTERANCE_WORDS and not sentence:
        return _result(q.seg, "scare", "none", None, None, None)
    # “Here comes Big Daddy,” she said. “The Donald. Big Daddy.”: a sentence after a quote of
    # the same paragraph goes on speaking, however many capitals it has.
    previous = q.previous
    goes_on = (
        sentence
        and previous is not None
        and previous.speaker is not None
        and previous.kind == "direct"
        and previous.segment.paragraph == q.seg.paragraph
    )
    if _is_title_case(q.content) and not goes_on:
        return _result(q.seg, "scare", "none", None, None, None)
    return None


def _nearest_speaker(q: _Quote) -> Attribution | None:
    """A cue-less quote: the nearest earlier speaker, a quote's or a reporting sentence's."""
    seg, previous = q.seg, q.previous
    reporter = _previous_sentence_cue(q.view, seg, q.para_start, q.prev_close)
    if reporter is None and (previous is None or previous.segment.paragraph < seg.paragraph):
        # "Sanders identified exhaustion with bigotry as a reason. “The younger people …”":
        # the person a paragraph is about speaks its first cue-less quote.
        reporter = _paragraph_subject(q.view, seg, q.para_start)
    if (
        previous is not None
        and q.previous_index is not None
        and previous.speaker is not None
        and previous.kind in ("direct", "partial")
        and seg.paragraph - previous.segment.paragraph <= 1
        and (reporter is None or reporter[0].idx < previous.segment.open_start)
    ):
        return _continuation(seg, previous, q.previous_index)
    if reporter is not None:
        cue, head = reporter
        return _result(seg, "direct", "nearest_speaker", cue, mention_tokens(q.view, head), None)
    return None


#: The sieves for a set-off quote, most specific first; the first that attributes wins.
SET_OFF_SIEVES: tuple[Sieve, ...] = (
    _title_of_work,
    _transcript_turn,
    _dash_byline,
    _adjacent_cue,
    _according_to_source,
    _colon_paragraph,
    _marked_continuation,
    _writer_colon,
    _not_an_utterance,
    _nearest_speaker,
)


def _folded_into_sentence(
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


def _writer_colon_speaker(view: DocView, before: Sequence[Token]) -> Token | None:
    """The writer's own colon introduction: "The ad ends with her words: “…”", "More from
    Mark Blumenthal: “…”". A name right before the colon wins over the clause's subject."""
    if not before or before[-1].text != ":":
        return None
    colon = before[-1]
    if colon.i > 0 and view.doc[colon.i - 1].ent_type_ == "PERSON":
        return view.doc[colon.i - 1]
    clause = colon.head  # "made the following comment:" hangs the colon on the object
    while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
        clause = clause.head
    subject, _ = subject_of(view, clause)
    if subject is not None and subject.i < colon.i and can_speak(subject):
        return subject
    return None


def _headline_speaker(before: Sequence[Token]) -> Token | None:
    """A headline line ending in a colon: "Warren Hammers Wells Fargo CEO: ‘You Should …’".
    Its first person named (else its first name) is the speaker."""
    if not before or before[-1].text != ":":
        return None
    words = [t for t in before[:-1] if t.is_alpha]
    if not words or not all(
        t.is_title or t.is_upper or t.lower_ in TITLE_SMALL_WORDS for t in words
    ):
        return None
    person = next((t for t in words if t.ent_type_ == "PERSON"), None)
    return person or next((t for t in words if t.pos_ == "PROPN"), None)


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


def _names_a_work(before: Sequence[Token], content: str) -> bool:
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
    return _is_title_case(content) or (single.istitle() and " " not in single)


def _is_title_case(content: str) -> bool:
    """A short run of capitalised words is a title of a work or a slogan, not an utterance."""
    words = [w for w in content.split() if w[:1].isalpha()]
    if not words or len(words) > 8:
        return False
    return all(w[:1].isupper() or w.lower() in TITLE_SMALL_WORDS for w in words) and len(words) >= 2


def _previous_sentence_cue(
    view: DocView, seg: QuoteSpan, para_start: int, prev_close: int
) -> tuple[Token, Token] | None:
    """A reporting verb with a subject in the sentence just before the quote, in its paragraph
    ("…, Schiff said. “The other factor …”")."""
    floor = max(para_start, prev_close)
    tokens = view.outside(floor, seg.open_start)
    # Not a cue that reports nothing: "He didn't suggest retaliation.", "he was called to".
    cue = next((t for t in reversed(tokens) if is_speech_verb(t) and _reports(t)), None)
    if cue is None:
        return None
    head, _ = subject_of(view, cue)
    if head is None or view.is_quoted(head):
        return None
    return cue, head


def _paragraph_subject(
    view: DocView, seg: QuoteSpan, para_start: int
) -> tuple[Token, Token] | None:
    """The subject of the main verb of the sentence before a quote, when it is a person."""
    tokens = view.outside(para_start, seg.open_start)
    roots = [t for t in tokens if t.dep_ == "ROOT" and t.pos_ in ("VERB", "AUX")]
    if not roots:
        return None
    root = roots[-1]
    head, _ = subject_of(view, root)
    if head is None or view.is_quoted(head):
        return None
    person = head.ent_type_ == "PERSON" or head.lower_ in ("he", "she")
    return (root, head) if person else None


def _names_something(verb: Token) -> bool:
    """A participle that gives a name, not words: "a group called “Patriots”", "a super PAC
    called Future45"."""
    return verb.dep_ == "acl" and verb.tag_ == "VBN"


def _reports(cue: Token) -> bool:
    """Whether a speech verb reports words: not negated, not a passive without its agent."""
    if any(c.dep_ == "neg" for c in cue.children):
        return False
    if _names_something(cue):
        return False
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in cue.children)
    return not passive or any(c.dep_ == "agent" for c in cue.children)


def _continuation(seg: QuoteSpan, previous: Attribution, previous_index: int) -> Attribution:
    return Attribution(
        segment=seg,
        kind="direct",
        method="continuation",
        cue=None,
        speaker=previous.speaker,
        addressee=previous.addressee,
        continues=previous_index,
    )


def _first_nonspace(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _colon_intro(view: DocView, para_start: int) -> tuple[Token | None, Token] | None:
    """The previous paragraph ends with a colon: its reporting verb's subject ("the ministry
    said:"), else the speaker its clause introduces ("He then listed the qualities:")."""
    text = view.text
    end = para_start
    while end > 0 and text[end - 1].isspace():
        end -= 1
    if end == 0 or text[end - 1] != ":":
        return None
    start = text.rfind("\n", 0, end) + 1
    tokens = view.outside(start, end)
    cue = _last_cue(tokens)
    if cue is not None:
        head, _ = subject_of(view, cue)
        if head is not None:
            return cue, head
    named = _writer_colon_speaker(view, tokens)
    return (None, named) if named is not None else None
