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
    SUBJECT_DEPS,
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
    AS_REPORT_MARKERS,
    ATTITUDE_ADJECTIVE_PREPOSITIONS,
    ATTITUDE_ADJECTIVES,
    ATTITUDE_NOUN_PREPOSITIONS,
    ATTITUDE_NOUNS,
    AUTHOR_PREPOSITIONS,
    AUTHORED_SOURCES,
    COGNITION_VERBS,
    CONTRAST_MARKERS,
    COUNTING_WORDS,
    EVIDENCE_VERBS,
    FINDING_SOURCES,
    INTENTION_VERBS,
    LABEL_ENTITY_TYPES,
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
# How an attitude adjective completes its verb: "was sure", "made it clear", "seemed eager".
_ADJECTIVE_DEPS = frozenset({"acomp", "oprd", "ccomp", "xcomp"})
# Punctuation that sets off a non-restrictive relative clause.
_NONRESTRICTIVE_MARKS = frozenset({",", "--", "—", "–"})
# Share of a clause's words inside quotation marks above which it is a direct quote.
_QUOTED_SHARE = 0.8
# "-er" and "-or" nouns shorter than this are mostly things ("order", "paper").
_MIN_ROLE_NOUN = 5
# Links from an attitude noun up to its clause's verb: "explained [the reason [for [his
# support]]]" climbs pobj, prep, dobj; further up the verb is rarely the noun's own.
_PHRASE_DEPS = frozenset({"pobj", "prep", "dobj"})
_MAX_PHRASE_CLIMB = 4
# A speaker label opening a paragraph ("Mark Cuban:", "JAKE TAPPER:") is a short name.
_MAX_LABEL_WORDS = 4
_LABEL_GLUE = frozenset({"-", "."})
_MIN_LABEL_NAME = 2


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
    view: DocView,
    clause: Token,
    cue: Token,
    min_words: int = _MIN_CLAUSE_WORDS,
    after: int = -1,
) -> tuple[int, int] | None:
    """Characters of the clause's subtree (its tokens after index ``after``), without a leading
    complementiser, edge punctuation or anything on the far side of the cue."""
    tokens = [t for t in clause.subtree if not t.is_space and t.i > after]
    # "that" and "whether" introduce the clause but are not what was said.
    while tokens and (
        tokens[0].dep_ == "mark" or tokens[0].text in _EDGE_PUNCT or _is_complementiser(tokens)
    ):
        tokens = tokens[1:]
    while tokens and tokens[-1].text in _EDGE_PUNCT:
        tokens = tokens[:-1]
    tokens = _without_trailing_aside(tokens, is_object=min_words == _MIN_OBJECT_WORDS)
    if len([t for t in tokens if not t.is_punct]) < min_words:
        return None
    start = tokens[0].idx
    end = tokens[-1].idx + len(tokens[-1].text)
    if start <= cue.idx < end:
        return None  # a parse that wraps the cue inside its own complement
    return start, end


def _without_trailing_aside(tokens: list[Token], is_object: bool) -> list[Token]:
    """A report ends before what the writer adds at its end: a parenthesis ("want policies
    that … (they want lower rates …)"), a contrast set off by a comma ("claimed that X was
    smart, although he refused …") and, after an object, a relative clause set off by a comma
    or dash ("endorsed Trump, who says he is honored": Trump was endorsed; what the relative
    clause says is another report)."""
    if not tokens:
        return tokens
    last = tokens[-1].i
    for pos, token in enumerate(tokens[1:], start=1):
        if token.text == "(" and not any(t.text == ")" for t in tokens[pos + 1 :]):
            return _trim(tokens[:pos])
        if not (token.text in _NONRESTRICTIVE_MARKS and pos + 1 < len(tokens)):
            continue
        first = tokens[pos + 1]
        if (
            first.lower_ in CONTRAST_MARKERS
            and first.dep_ == "mark"
            and first.head.left_edge.i == first.i
            and first.head.right_edge.i >= last
        ):
            return _trim(tokens[:pos])
        relcl = next((a for a in [first, *first.ancestors] if a.dep_ == "relcl"), None)
        if (
            is_object
            and relcl is not None
            and relcl.left_edge.i == first.i
            and relcl.right_edge.i >= last
        ):
            return _trim(tokens[:pos])
    return tokens


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


def _is_as_report(cue: Token) -> bool:
    """ "…, as police have said", "As one user pointed out, …": a reporting verb in an "as"
    clause, with a subject and no object of its own, reports the clause it hangs on."""
    children = list(cue.children)
    return (
        cue.dep_ == "advcl"
        and any(c.dep_ == "mark" and c.lower_ in AS_REPORT_MARKERS for c in children)
        and any(c.dep_ in ("nsubj", "nsubjpass") for c in children)
        and not any(c.dep_ in ("ccomp", "xcomp", "dobj") for c in children)
    )


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


def _closing_report_span(view: DocView, cue: Token) -> tuple[int, int] | None:
    """ "Okafor had asked the board to wait, but the board refused, a spokesman added.": a
    report closing its sentence after a comma reports all before the comma, though the parse
    hangs only the last clause on it, and the rest on an earlier verb the cue coordinates or
    as a second complement."""
    before = [c for c in cue.children if _is_complement(c) and c.i < cue.i]
    subject = next((c for c in cue.children if c.dep_ in SUBJECT_DEPS and c.i < cue.i), None)
    if not before or subject is None or subject.i < before[-1].i:
        return None
    comma = subject.left_edge.i - 1
    doc = view.doc
    if doc[comma].text != "," or before[-1].right_edge.i != comma - 1:
        return None
    starts = [c.left_edge.i for c in before]
    if cue.dep_ in ("conj", "parataxis") and cue.head.i < before[0].left_edge.i:
        starts.append(cue.head.left_edge.i)
    start = min(starts)
    if start >= before[-1].left_edge.i:
        return None  # the clause is all there is
    tokens = _trim([doc[i] for i in range(start, comma)])
    if len([t for t in tokens if not t.is_punct]) < _MIN_CLAUSE_WORDS:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _inner_reporter(clause: Token, include_cognition: bool) -> Token | None:
    """A reporting verb in a subordinate clause opening ``clause`` ("while he acknowledged",
    "after he admitted"), with a subject and no clause of its own: the parser hung its
    complement on the main verb, and the rest of ``clause`` is what it reports."""
    for child in clause.children:
        if child.i > clause.i:
            break
        if (
            child.dep_ == "advcl"
            and child.left_edge.i == clause.left_edge.i
            and any(c.dep_ == "mark" for c in child.children)
            and _is_reporting(child, include_cognition)
            and any(c.dep_ in ("nsubj", "nsubjpass") for c in child.children)
            and not any(c.dep_ in _CLAUSE_DEPS or c.dep_ == "xcomp" for c in child.children)
        ):
            return child
    return None


def _is_complement(clause: Token) -> bool:
    """A clausal complement, unless set in parentheses: "want policies … (they want lower
    rates)" is the writer's aside, whatever the parse hangs it on."""
    return clause.dep_ in _CLAUSE_DEPS and clause.left_edge.text != "("


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
            for clause in token.children:
                if not (
                    (_is_complement(clause) and not _is_free_relative(clause, token))
                    or _is_misparsed_complement(clause, token)
                ):
                    continue
                if include_cognition and _adjective_before(clause) is not None:
                    continue  # "said of the race, in which she was sure Trump would win"
                reporter = _inner_reporter(clause, include_cognition)
                if reporter is None:
                    closing = _closing_report_span(view, token) if clause.i < token.i else None
                    spans.append(closing or _clause_span(view, clause, token))
                    continue
                # "While he acknowledged funding was short, Ham noted …": the clause is what
                # the subordinate verb reports, not the main one.
                span = _clause_span(view, clause, reporter, after=reporter.right_edge.i)
                if span is not None and _stands(view, span, reporter, direct_spans):
                    found.append(_reported(view, reporter, span))
            if token.dep_ == "parataxis" or _is_as_report(token):
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
        found.extend(_adjective_attitudes(view, direct_spans))
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
    clauses = [c for c in token.children if _is_complement(c)]
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
    has_clause = any(_is_complement(c) for c in token.children)
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


def _speaker_label(view: DocView, cue: Token) -> tuple[Token, ...] | None:
    """ "Rubio: I still believe Trump can't be trusted", "TRUMP: The deaths … make clear …": a
    paragraph opened by a name and a colon is that person's words, reports in it included."""
    start, _ = view.paragraphs[view.paragraph_of(cue.idx)]
    words: list[Token] = []
    for i in view.token_range(start, cue.idx):
        token = view.doc[i]
        if token.is_space:
            continue
        if token.text == ":":
            break
        if len(words) == _MAX_LABEL_WORDS or not _may_label(token):
            return None
        words.append(token)
    else:
        return None  # no colon before the cue
    if not any(_names_someone(t) for t in words) or view.is_quoted(words[0]):
        return None
    # Only its first sentence: "Jeb Bush: Student loans Some big ideas …" heads a section.
    if _crosses_sentence(view.text, token.idx + 1, cue.idx):
        return None
    return tuple(words)


def _names_someone(token: Token) -> bool:
    """A label word that names a speaker: a name the tagger sees as one (not a heading in
    capitals such as "UPDATE:"), or a word the entity recogniser marks as a person or group."""
    if len(token.text) < _MIN_LABEL_NAME:
        return False  # "A:" and "Q:" are the interview's roles
    return token.ent_type_ in LABEL_ENTITY_TYPES or (token.pos_ == "PROPN" and not token.is_upper)


def _may_label(token: Token) -> bool:
    """A word of a speaker label: a name, or a capitalised word the tagger calls a noun
    ("TRUMP:", "Clinton:")."""
    if token.text in _LABEL_GLUE:
        return True
    return token.pos_ == "PROPN" or (token.pos_ == "NOUN" and (token.is_title or token.is_upper))


def _reported(view: DocView, cue: Token, span: tuple[int, int]) -> Attribution:
    label = _speaker_label(view, cue)
    if label is not None:
        addressee = addressee_of(view, cue)
        addressed = mention_tokens(view, addressee) if addressee is not None else None
        return _clause(view, span, (cue,), label, addressed)
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
        speaker = mention_tokens(view, _author_of(source))
        results.append(_clause(view, (start, end), (token, to), speaker, None, "according_to"))
    return results


def _author_of(source: Token) -> Token:
    """ "according to a tally by the agency": a count or document that names its author speaks
    for that author."""
    if source.lemma_.lower() not in AUTHORED_SOURCES:
        return source
    for prep in source.children:
        if prep.dep_ == "prep" and prep.lower_ in AUTHOR_PREPOSITIONS:
            author = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if author is not None and can_speak(author):
                return author
    return source


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
        if owner is not None and owner.pos_ == "PRON" and noun.dep_ == "pobj":
            return _subject_for_pronoun(view, noun) or owner
        return owner
    subject, _ = subject_of(view, verb)
    if subject is None or not can_hold_view(subject):
        return owner
    # The verb's subject is the holder when the possessor is only a pronoun for it ("her").
    return subject if owner is None or owner.pos_ == "PRON" else owner


def _subject_for_pronoun(view: DocView, noun: Token) -> Token | None:
    """ "Brandt is doubling down on his plan", "the board was unsparing in its criticism": a
    possessive pronoun on an attitude noun in a phrase of the clause's verb stands for that
    verb's subject, which names the holder (the pronoun only points back to it)."""
    node = noun
    for _ in range(_MAX_PHRASE_CLIMB):
        if node.dep_ not in _PHRASE_DEPS or node.head.i == node.i:
            return None
        node = node.head
        if _is_verb(node) and node.dep_ != "acl":
            subject, _ = subject_of(view, node)
            if subject is None or not can_hold_view(subject):
                return None
            return subject
    return None


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


def _adjective_holder(view: DocView, adjective: Token) -> Token | None:
    """Who is sure, eager or worried: the subject of the verb the adjective completes ("she
    was sure", "made it clear", "seemed confident"), or of the adjective itself where the
    parse makes it a passive verb ("Republicans were incensed"). Never "it" or "there"."""
    own = next((c for c in adjective.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if own is not None and own.lower_ not in PASSIVE_REPORT_SUBJECTS:
        holder, _ = subject_of(view, adjective)
    elif adjective.dep_ in _ADJECTIVE_DEPS and _is_verb(adjective.head):
        holder, _ = subject_of(view, adjective.head)  # "made it clear that …"
    else:
        return None
    if holder is None or holder.lower_ in PASSIVE_REPORT_SUBJECTS or not can_hold_view(holder):
        return None
    return holder


def _is_that_clause(clause: Token) -> bool:
    """A complement, or a clause opened by "that" the parse labels otherwise ("clear that …")."""
    return _is_complement(clause) or (
        clause.dep_ in ("advcl", "csubj")
        and any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)
    )


def _adjective_before(clause: Token) -> Token | None:
    """An attitude adjective right before a clause the parse hangs on another word ("she
    was sure Trump would win", with "win" on an earlier "said"): the clause is its content."""
    i = clause.left_edge.i - 1
    if i >= 0 and clause.left_edge.dep_ == "mark":
        i -= 1  # not "that" itself
    adjective = clause.doc[i] if i >= 0 else None
    if (
        adjective is None
        or adjective.lower_ not in ATTITUDE_ADJECTIVES
        or adjective.dep_ not in _ADJECTIVE_DEPS
        or clause.head.i == adjective.i
        or not adjective.head.i < adjective.i
    ):
        return None
    return adjective


def _same(token: Token | None, other: Token) -> bool:
    """Token objects are made afresh on each access: compare positions."""
    return token is not None and token.i == other.i


def _adjective_contents(adjective: Token) -> list[tuple[Token, int]]:
    """What an attitude adjective is about, with the fewest words it may have: its clause
    ("sure that …", also hung on the verb in "made it clear that …"), its infinitive ("eager to
    …") and the object of its preposition ("worried about …", "critical of …")."""
    contents = [(c, _MIN_CLAUSE_WORDS) for c in adjective.children if _is_that_clause(c)]
    if not contents and adjective.dep_ in ("oprd", "ccomp"):
        contents = [
            (c, _MIN_CLAUSE_WORDS)
            for c in adjective.head.children
            if _is_that_clause(c) and c.i > adjective.i
        ]
    if not contents and adjective.i + 1 < len(adjective.doc):
        first = adjective.doc[adjective.i + 1]
        contents = [
            (c, _MIN_CLAUSE_WORDS)
            for c in [first, *first.ancestors]
            if _is_complement(c) and _same(_adjective_before(c), adjective)
        ][:1]
    contents += [(c, _MIN_OBJECT_WORDS) for c in adjective.children if c.dep_ == "xcomp"]
    contents += [
        (c, _MIN_OBJECT_WORDS)
        for prep in adjective.children
        if prep.dep_ == "prep" and prep.lower_ in ATTITUDE_ADJECTIVE_PREPOSITIONS
        for c in prep.children
        if c.dep_ in ("pobj", "pcomp")
    ]
    return contents


def _adjective_attitudes(
    view: DocView, direct_spans: Sequence[tuple[int, int]]
) -> list[Attribution]:
    """ "She was sure Trump would win", "is eager to debate", "were worried about the cost":
    the complement of an adjective of certainty, desire or feeling, held by its subject."""
    results: list[Attribution] = []
    for adjective in view.doc:
        if adjective.lower_ not in ATTITUDE_ADJECTIVES or view.is_quoted(adjective):
            continue
        contents = _adjective_contents(adjective)
        if not contents:
            continue
        holder = _adjective_holder(view, adjective)
        if holder is None:
            continue
        for content, least in contents:
            span = _clause_span(view, content, adjective, least)
            if span is None or not _stands(view, span, adjective, direct_spans):
                continue
            speaker = mention_tokens(view, holder)
            results.append(_clause(view, span, (adjective,), speaker, None))
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
