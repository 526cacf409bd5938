"""Indirect speech: reported clauses of reporting verbs ("Putin said he understood that …"),
"according to X, …", and their speakers.

A reported clause is the clausal complement (ccomp) of a speech verb, without its complementiser
("that"); its speaker is the verb's subject, found the same way as for direct quotes. Clauses
that are direct quotes already are left to the quote sieves. With cognition on, beliefs,
intentions, evidence, stances ("backed the plan") and attitude nouns ("her plan to …") are
attributed too. A report inside another report is part of it and gets no card of its own.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from spacy.tokens import Token

from ..models import Method
from .attribution import Attribution
from .deadline import check
from .grammar import (
    DocView,
    addressee_of,
    adjacent_speaker,
    agent_of,
    can_speak,
    is_sentence_end,
    is_speech_verb,
    mention_tokens,
    subject_of,
)
from .lexicon import (
    ACCORDING_TO,
    ATTITUDE_NOUN_PREPOSITIONS,
    ATTITUDE_NOUNS,
    COGNITION_VERBS,
    COUNTING_WORDS,
    EVIDENCE_VERBS,
    FINDING_SOURCES,
    INTENTION_VERBS,
    PASSIVE_REPORT_SUBJECTS,
    PERSON_NOUN_ENDINGS,
    QUESTION_VERBS,
    RECEIVING_VERBS,
    STANCE_PREPOSITIONS,
    STANCE_VERBS,
    WH_WORDS,
)

# A reported clause shorter than this is a fragment ("he said so"), not a statement.
_MIN_CLAUSE_WORDS = 3
# An attributed object may be a single word: "endorsed Clinton", "denied it".
_MIN_OBJECT_WORDS = 1
_CLAUSE_DEPS = frozenset({"ccomp"})
_EDGE_PUNCT = frozenset(",.;:—–―-…\"'“”‘’()")
# Share of a clause's words inside quotation marks above which it is a direct quote.
_QUOTED_SHARE = 0.8
# "-er" and "-or" nouns shorter than this are mostly things ("order", "paper").
_MIN_ROLE_NOUN = 5


def _clause(
    view: DocView,
    span: tuple[int, int],
    cue: tuple[Token, ...],
    speaker: tuple[Token, ...] | None,
    addressee: tuple[Token, ...] | None,
    method: Method = "indirect_clause",
) -> Attribution:
    return Attribution.of_clause(span, view.paragraph_of(span[0]), method, cue, speaker, addressee)


def _is_reporting(token: Token, include_cognition: bool) -> bool:
    if is_speech_verb(token):
        return True
    return (
        include_cognition
        and lemma_in(token, COGNITION_VERBS) is not None
        and (token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB"))
    )


def _clause_span(
    view: DocView, clause: Token, cue: Token, min_words: int = _MIN_CLAUSE_WORDS
) -> tuple[int, int] | None:
    """Characters of the clause's subtree, without a leading complementiser, edge punctuation
    or anything on the far side of the cue."""
    tokens = [t for t in clause.subtree if not t.is_space]
    # "that" and "whether" introduce the clause but are not what was said.
    while tokens and (
        tokens[0].dep_ == "mark" or tokens[0].text in _EDGE_PUNCT or _is_complementiser(tokens)
    ):
        tokens = tokens[1:]
    while tokens and tokens[-1].text in _EDGE_PUNCT:
        tokens = tokens[:-1]
    if len([t for t in tokens if not t.is_punct]) < min_words:
        return None
    start = tokens[0].idx
    end = tokens[-1].idx + len(tokens[-1].text)
    if start <= cue.idx < end:
        return None  # a parse that wraps the cue inside its own complement
    return start, end


def _is_complementiser(tokens: Sequence[Token]) -> bool:
    """A leading "that" the parser did not label as a marker ("told X that the …")."""
    first = tokens[0]
    return first.lower_ == "that" and len(tokens) > 1 and first.head.i != tokens[1].i


def _mostly_quoted(view: DocView, start: int, end: int) -> bool:
    """A clause that is (nearly) all a quotation is a direct quote, left to the quote sieves;
    one with a quoted fragment in it is mixed speech and stays."""
    tokens = [view.doc[i] for i in view.token_range(start, end)]
    words = [t for t in tokens if not t.is_punct and not t.is_space]
    if not words:
        return True
    quoted = sum(1 for t in words if view.is_quoted(t))
    return quoted >= _QUOTED_SHARE * len(words)


def _trim(tokens: Sequence[Token]) -> list[Token]:
    kept = [t for t in tokens if not t.is_space]
    while kept and (kept[0].text in _EDGE_PUNCT or kept[0].dep_ in ("mark", "cc")):
        kept = kept[1:]
    while kept and kept[-1].text in _EDGE_PUNCT:
        kept = kept[:-1]
    return kept


def _parenthetical_spans(cue: Token) -> list[tuple[int, int]]:
    """ "Acts of protest, Mr. Obama said, are acts of patriotism": the cue is a parenthetical
    (parataxis) inside the reported clause; the parts on either side are what was said."""
    main = cue.head
    inside = {t.i for t in cue.subtree}
    clause = [t for t in main.subtree if t.i not in inside]
    before = _trim([t for t in clause if t.i < cue.i])
    after = _trim([t for t in clause if t.i > cue.i])
    spans = []
    # What precedes the cue may be a single word and still be part of what was said ("Too
    # often, he said, …", "The museum, she said, …").
    for part, least in ((before, 1), (after, _MIN_CLAUSE_WORDS)):
        if len([t for t in part if not t.is_punct]) >= least:
            spans.append((part[0].idx, part[-1].idx + len(part[-1].text)))
    return spans


def _crosses_sentence(text: str, start: int, end: int) -> bool:
    """Whether a sentence or paragraph ends strictly inside ``[start, end)``: the small parser
    sometimes hangs the previous sentence on the next one's cue."""
    if "\n" in text[start:end]:
        return True
    return any(is_sentence_end(text, i, start) for i in range(start, end - 1))


def _is_misparsed_complement(clause: Token, cue: Token) -> bool:
    """ "said after the convention he would not …": a clause after the cue with its own subject
    and no subordinator is what was said, though the parser calls it an adverbial."""
    if clause.dep_ != "advcl" or clause.i < cue.i:
        return False
    children = list(clause.children)
    has_subject = any(c.dep_ in ("nsubj", "nsubjpass") and c.i < clause.i for c in children)
    return has_subject and not any(c.dep_ == "mark" or c.tag_ == "WRB" for c in children)


def _is_free_relative(clause: Token, cue: Token) -> bool:
    """ "criticized what it casts as …" is an object, not a report; "asked what it cost" is."""
    first = next(iter(clause.subtree))
    return first.lower_ in WH_WORDS and cue.lemma_.lower() not in QUESTION_VERBS


def find_reported(
    view: DocView,
    *,
    include_cognition: bool = False,
    direct_spans: Sequence[tuple[int, int]] = (),
) -> list[Attribution]:
    """Every reported clause of the document, in text order. ``direct_spans`` are the
    (open, close) character spans of direct quotes: a clause holding one is a mis-parse."""
    found: list[Attribution] = []
    for token in view.doc:
        check()
        if view.is_quoted(token):
            continue
        spans: list[tuple[int, int] | None] = []
        if _is_reporting(token, include_cognition):
            spans += [
                _clause_span(view, clause, token)
                for clause in token.children
                if (clause.dep_ in _CLAUSE_DEPS and not _is_free_relative(clause, token))
                or _is_misparsed_complement(clause, token)
            ]
            if token.dep_ == "parataxis":
                spans.extend(_parenthetical_spans(token))
        if include_cognition:
            spans += _attitude_spans(view, token)
        for span in spans:
            if span is not None and _stands(view, span, token, direct_spans):
                found.append(_reported(view, token, span))
    found.extend(_according_to_clauses(view))
    if include_cognition:
        found.extend(_source_phrase_clauses(view))
        found.extend(_noun_attitudes(view, direct_spans))
    found.sort(key=lambda r: (r.start, r.end))
    return _without_nested(_without_duplicates(found))


def _stands(
    view: DocView, span: tuple[int, int], cue: Token, direct_spans: Sequence[tuple[int, int]]
) -> bool:
    """Whether a reported span is kept: not (nearly) all quoted, cue and span within one
    sentence, and no direct quote inside them (a mis-parse)."""
    if _mostly_quoted(view, *span):
        return False
    lo, hi = min(span[0], cue.idx), max(span[1], cue.idx + len(cue.text))
    if _crosses_sentence(view.text, lo, hi):
        return False
    return not any(lo <= d_start and d_end <= hi for d_start, d_end in direct_spans)


def _is_verb(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB")


def lemma_in(token: Token, lemmas: frozenset[str] | dict[str, frozenset[str]]) -> str | None:
    """The token's lemma if listed, allowing for the lemmatiser's dropped "e" ("hoping" →
    "hop"); None otherwise."""
    lemma = token.lemma_.lower()
    if lemma in lemmas:
        return lemma
    lower = token.lower_
    restored = lemma + "e"
    if (
        restored in lemmas
        and token.tag_ in ("VBG", "VBD", "VBN")
        and lower.startswith(lemma)
        and not lower.startswith(restored)
        and not lower.startswith(lemma + lemma[-1:])  # "hopping" is not "hoping"
    ):
        return restored
    return None


def can_hold_view(token: Token) -> bool:
    """A source that can speak, or a noun for people by role or count ("the journalist",
    "a majority", "others"), which may want, back or oppose something."""
    if can_speak(token):
        return True
    if token.pos_ not in ("NOUN", "ADJ", "NUM"):
        return False
    lemma = token.lemma_.lower()
    if lemma in COUNTING_WORDS or token.lower_ in COUNTING_WORDS:
        return True
    return (
        token.pos_ == "NOUN" and len(lemma) > _MIN_ROLE_NOUN and lemma.endswith(PERSON_NOUN_ENDINGS)
    )


def _attitude_spans(view: DocView, token: Token) -> list[tuple[int, int] | None]:
    """With cognition on, the wider attributions PolNeAR annotates: intentions ("wants to …"),
    evidence ("the poll shows that …") and stances ("called for …", "cited …")."""
    if not _is_verb(token):
        return []
    evidence = lemma_in(token, EVIDENCE_VERBS) is not None
    intention = lemma_in(token, INTENTION_VERBS) is not None
    stance = lemma_in(token, STANCE_VERBS) is not None
    preps = STANCE_PREPOSITIONS.get(lemma_in(token, STANCE_PREPOSITIONS) or "", frozenset())
    if not (evidence or intention or stance or preps):
        return []  # most verbs: no need to look for a subject
    passive = _passive_subject(token)
    if passive is None:
        source, _ = subject_of(view, token)
    else:
        source = agent_of(view, token)  # "was endorsed by the union": the union holds it
    spans: list[tuple[int, int] | None] = []
    clauses = [c for c in token.children if c.dep_ in _CLAUSE_DEPS]
    if source is not None and evidence:
        # Any thing can show a finding: "the transcript shows that …", "a slide shows …".
        spans += [_clause_span(view, c, token) for c in clauses]
    # A passive needs no holder ("was accused of lying": by whom may go unsaid) and takes any
    # by-phrase as one ("is backed by dozens of papers"); "the bill aims to …" is nobody's.
    if passive is None and (source is None or not can_hold_view(source)):
        return spans
    if passive is not None and source is not None and stance:
        spans.append(_clause_span(view, passive, token, _MIN_OBJECT_WORDS))
    objects = [c for c in token.children if c.dep_ == "dobj"]
    # "accused the agency of hiding it": the parser may hang the preposition on the object.
    prep_phrases = [c for c in token.children if c.dep_ == "prep" and c.lower_ in preps]
    prep_phrases += [
        c for o in objects for c in o.children if c.dep_ == "prep" and c.lower_ in preps
    ]
    prep_objects = [
        c
        for prep in prep_phrases
        for c in prep.children
        if c.dep_ in ("pobj", "pcomp") and c.ent_type_ not in ("DATE", "TIME")
    ]
    if intention:
        for xcomp in (c for c in token.children if c.dep_ == "xcomp"):
            # "urged the council to delay the vote": whom it was urged on and what, together.
            before = [o for o in objects + prep_objects if o.i < xcomp.i]
            spans.append(_joined_span(view, [*before, xcomp], token))
        if any(c.dep_ == "xcomp" for c in token.children):
            return spans
    if objects and prep_objects and stance:
        # "criticized Obama for not acting", "accused him of lying": one charge, one span.
        spans.append(_joined_span(view, objects + prep_objects, token))
        return spans
    spans += [_clause_span(view, c, token, _MIN_OBJECT_WORDS) for c in prep_objects]
    # With a clause beside it the object is whom it was said to ("told the council that …").
    has_clause = any(c.dep_ == "ccomp" for c in token.children)
    if stance and not has_clause:
        spans += [_clause_span(view, o, token, _MIN_OBJECT_WORDS) for o in objects]
    return spans


def _joined_span(view: DocView, heads: Sequence[Token], cue: Token) -> tuple[int, int] | None:
    """One span over the subtrees of several arguments of ``cue`` ("Obama … for not acting")."""
    if len(heads) == 1:
        return _clause_span(view, heads[0], cue, _MIN_OBJECT_WORDS)
    indices = [t.i for head in heads for t in head.subtree]
    tokens = _trim([view.doc[i] for i in range(min(indices), max(indices) + 1)])
    if not tokens or tokens[0].i <= cue.i <= tokens[-1].i:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _passive_subject(verb: Token) -> Token | None:
    """The subject of a passive verb ("Clinton was endorsed", "Patel was accused of …"): the
    target of the attitude or the one addressed, never its holder."""
    return next((c for c in verb.children if c.dep_ == "nsubjpass"), None)


def _reported(view: DocView, cue: Token, span: tuple[int, int]) -> Attribution:
    head, _ = subject_of(view, cue)
    speaker: tuple[Token, ...] | None = None
    target = _passive_subject(cue)
    impersonal = head is not None and (
        (head.dep_ in ("nsubjpass", "expl") and head.lower_ in PASSIVE_REPORT_SUBJECTS)
        or (target is not None and head.i == target.i)
    )
    if head is None:
        head = adjacent_speaker(view, cue)
    if impersonal or head is None:
        agent = agent_of(view, cue)  # "it was quoted by the agency that …"
        speaker = mention_tokens(view, agent) if agent is not None else None
    else:
        speaker = mention_tokens(view, head)
    addressee = addressee_of(view, cue)
    addressed = mention_tokens(view, addressee) if addressee is not None else None
    return _clause(view, span, (cue,), speaker, addressed)


def _according_to_clauses(view: DocView) -> list[Attribution]:
    """ "According to X, the plan will fail": the main clause, said by X."""
    first, second = ACCORDING_TO
    results: list[Attribution] = []
    doc = view.doc
    for token in doc:
        if token.lower_ != first or token.i + 1 >= len(doc) or doc[token.i + 1].lower_ != second:
            continue
        if view.is_quoted(token):
            continue
        to = doc[token.i + 1]
        source = next((c for c in to.children if c.dep_ == "pobj"), None)
        if source is None:
            continue
        sentence = token.sent
        phrase = {t.i for t in token.subtree} | {t.i for t in to.subtree}
        rest = [t for t in sentence if t.i not in phrase and not t.is_space]
        while rest and rest[0].text in _EDGE_PUNCT:
            rest = rest[1:]
        while rest and rest[-1].text in _EDGE_PUNCT:
            rest = rest[:-1]
        if len(rest) < _MIN_CLAUSE_WORDS:
            continue
        start, end = rest[0].idx, rest[-1].idx + len(rest[-1].text)
        if _mostly_quoted(view, start, end):
            continue
        speaker = mention_tokens(view, source)
        results.append(_clause(view, (start, end), (token, to), speaker, None, "according_to"))
    return results


def _source_phrase_clauses(view: DocView) -> list[Attribution]:
    """ "In the latest poll, Clinton led by 5 points": a sentence opened by "in" and a source
    of findings attributes its main clause to that source (unless a reporting verb does)."""
    results: list[Attribution] = []
    for sentence in view.doc.sents:
        opener = next((t for t in sentence if not t.is_space), None)
        if opener is None or opener.lower_ != "in" or view.is_quoted(opener):
            continue
        source = next((c for c in opener.children if c.dep_ == "pobj"), None)
        main = opener.head
        if source is None or source.lemma_.lower() not in FINDING_SOURCES:
            continue
        if main.i == opener.i or _is_reporting(main, include_cognition=True):
            continue
        phrase = {t.i for t in opener.subtree}
        rest = _trim([t for t in sentence if t.i not in phrase])
        if len([t for t in rest if not t.is_punct]) < _MIN_CLAUSE_WORDS:
            continue
        start, end = rest[0].idx, rest[-1].idx + len(rest[-1].text)
        if _mostly_quoted(view, start, end):
            continue
        speaker = mention_tokens(view, source)
        results.append(_clause(view, (start, end), (opener,), speaker, None))
    return results


def _attitude_holder(view: DocView, noun: Token) -> Token | None:
    """Whose comment, plan or concern a noun is: the subject of the verb it is the object of
    ("Trump raised questions about …", "Clinton laid out her proposals"), unless that verb
    receives the attitude ("faced criticism over …"); else its possessor ("Clinton's plan")."""
    owner = next(
        (c for c in noun.children if c.dep_ == "poss" and not view.is_quoted(c) and can_speak(c)),
        None,
    )
    verb = noun.head
    if noun.dep_ != "dobj" or not _is_verb(verb) or lemma_in(verb, RECEIVING_VERBS):
        return owner
    subject, _ = subject_of(view, verb)
    if subject is None or not can_hold_view(subject):
        return owner
    # The verb's subject is the holder when the possessor is only a pronoun for it ("her").
    return subject if owner is None or owner.pos_ == "PRON" else owner


def _noun_attitudes(view: DocView, direct_spans: Sequence[tuple[int, int]]) -> list[Attribution]:
    """ "Clinton's plan to raise taxes", "his comments about the wall": the complement of an
    utterance or attitude noun, held by the noun's possessor or the subject of its verb."""
    results: list[Attribution] = []
    for noun in view.doc:
        if noun.pos_ != "NOUN" or noun.lemma_.lower() not in ATTITUDE_NOUNS:
            continue
        if view.is_quoted(noun):
            continue
        contents = [c for c in noun.children if c.dep_ == "acl" and c.tag_ == "VB"]
        contents += [
            c
            for prep in noun.children
            if prep.dep_ == "prep" and prep.lower_ in ATTITUDE_NOUN_PREPOSITIONS
            for c in prep.children
            if c.dep_ in ("pobj", "pcomp")
        ]
        if not contents:
            continue
        holder = _attitude_holder(view, noun)
        if holder is None:
            continue  # "amid allegations of fraud": whose is not said
        for content in contents:
            span = _clause_span(view, content, noun, _MIN_OBJECT_WORDS)
            if span is None or not _stands(view, span, noun, direct_spans):
                continue
            results.append(_clause(view, span, (noun,), mention_tokens(view, holder), None))
    return results


def _without_duplicates(found: list[Attribution]) -> list[Attribution]:
    """One card per span: a clause reported twice (a parse with two cues) keeps the first."""
    seen: set[tuple[int, int]] = set()
    out: list[Attribution] = []
    for item in found:
        if (item.start, item.end) in seen:
            continue
        seen.add((item.start, item.end))
        out.append(item)
    return out


def _without_nested(found: list[Attribution]) -> list[Attribution]:
    """A report inside a report is part of it: "Merrill said Machado promised to stay" is one
    statement by Merrill, not also one by Machado; "he wants to cut taxes" is what he said,
    not a second attitude. ``found`` is sorted by start."""
    if not found:
        return found
    starts = [item.start for item in found]
    longest = max(item.end - item.start for item in found)
    kept = []
    for item in found:
        cue = item.cue[0].idx if item.cue else item.start
        # Only reports starting within one span's length before this one can hold it.
        lo = bisect.bisect_left(starts, item.start - longest)
        hi = bisect.bisect_right(starts, item.start)
        nested = any(
            other is not item and other.start <= cue < other.end and item.end <= other.end
            for other in found[lo:hi]
        )
        if not nested:
            kept.append(item)
    return kept
