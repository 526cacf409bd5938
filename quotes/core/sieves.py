"""Attribution of quote segments: for each one its kind, cue, speaker mention and addressee.

Ordered sieves over the dependency parse, each named (the card's ``method``) so precision can be
measured per rule. The small parser errs around quotation marks, so the sieves look for cues in
character windows bounded by the quote and the sentence, and only then use the parse to find the
cue's subject.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Token

from ..models import Method, QuoteKind
from .attribution import Attribution
from .deadline import check
from .embedded import (
    classify_embedded,
    folded_into_sentence,
    is_title_case,
    names_a_work,
)
from .grammar import (
    SENTENCE_END,
    SUBJECT_DEPS,
    DocView,
    according_to_source,
    addressee_of,
    adjacent_speaker,
    can_speak,
    first_cue,
    first_nonspace,
    in_time_clause,
    is_sentence_end,
    is_speech_verb,
    last_cue,
    mention_tokens,
    prev_nonspace,
    reports_words,
    speaker_near,
    subject_of,
    word_count,
)
from .lexicon import (
    INTERVIEW_PREPOSITIONS,
    INTERVIEW_VERBS,
    INTERVIEWING_VERBS,
    TITLE_SMALL_WORDS,
)
from .marks import INTERVIEW_LABELS, QuoteSpan, turn_label

# The label of the interviewer's turns in a Q&A; "A" is the interviewee's.
_QUESTION_LABEL = "Q"

_SET_OFF_BEFORE = frozenset(":,;([")


# A dash before a byline: "“…” — Secretary Nikolai Patrushev", "“…” -- Harold Ekwueme, 91".
_DASHES = ("—", "–", "―", "--")


# A signature on the line below a quote: a dash (a hyphen too, at a line's start), a name, a
# few words of who they are ("-Michelle Marks, Philadelphia."), at most this many words.
_BYLINE_DASHES = (*_DASHES, "-")
BYLINE_MAX_WORDS = 12
# What may follow a closing mark before the paragraph ends.
_CLOSING_PUNCTUATION = " \t.,;"

# How far into the paragraph below a story's first quote its opening verb is looked for.
INTRODUCTION_TOKENS = 40

# A headline of a name alone before its colon ("Quill: ‘…’", "Ann Patel: ‘…’"), at most.
HEADLINE_NAME_WORDS = 3

# A set-off quote this short with no cue is a term or a title, not an utterance.
_MIN_UTTERANCE_WORDS = 4

#: Words after a quote its cue is looked for in, at most (news: under 90; a bound keeps a
#: paragraph of many quotes and no full stop linear).
MAX_WINDOW_TOKENS = 200


def _after_window(view: DocView, seg: QuoteSpan, next_open: int, para_end: int) -> list[Token]:
    """Tokens after the closing mark up to the end of the sentence, the next quote or the
    paragraph end (at most :data:`MAX_WINDOW_TOKENS`)."""
    end = view.sentence_end(seg.close_end, min(next_open, para_end))
    window = view.outside(seg.close_end, end, most=MAX_WINDOW_TOKENS)
    if window and _ends_sentence(view.text[seg.start : seg.end]) and _opens_sentence(window[0]):
        return []  # “… I was just kidding.” To which she said, “…”: a new sentence
    return window


def _ends_sentence(content: str) -> bool:
    return content.rstrip()[-1:] in SENTENCE_END


def _opens_sentence(first: Token) -> bool:
    """A capitalised function word after a quote that ended its sentence starts the next one
    ("To which she said"); a name or pronoun may still be the quote's cue ("Trump said")."""
    return first.text[:1].isupper() and first.pos_ in ("ADP", "CCONJ", "SCONJ", "ADV", "DET")


def _before_window(view: DocView, seg: QuoteSpan, prev_close: int, para_start: int) -> list[Token]:
    """Tokens from the start of the sentence (or the previous quote) to the opening mark."""
    text = view.text
    floor = max(prev_close, para_start)
    i = seg.open_start - 1
    while i >= floor and not is_sentence_end(text, i, floor):
        i -= 1
    return view.outside(i + 1, seg.open_start)


def attribute(view: DocView) -> list[Attribution]:
    """Run the sieves over every quote segment of a parsed document, in order."""
    segments, paragraphs = view.segments, view.paragraphs
    results: list[Attribution] = []
    # A short quote (a nickname, a title) does not end the window a cue is looked for in:
    # for each segment, the next one of four words or more (found in one pass from the end).
    next_long: list[QuoteSpan | None] = [None] * len(segments)
    for index in range(len(segments) - 2, -1, -1):
        q = segments[index + 1]
        long_enough = word_count(view.text[q.start : q.end]) >= _MIN_UTTERANCE_WORDS
        next_long[index] = q if long_enough else next_long[index + 1]
    previous_index: int | None = None  # the latest result that names or carries a speaker
    for index, seg in enumerate(segments):
        check()
        para_start, para_end = paragraphs[seg.paragraph]
        prev = segments[index - 1] if index > 0 else None
        prev_close = prev.close_end if prev and prev.paragraph == seg.paragraph else para_start
        nxt = next_long[index]
        next_open = nxt.open_start if nxt and nxt.paragraph == seg.paragraph else para_end
        result = _attribute_one(
            view, seg, results, previous_index, prev_close, next_open, para_start, para_end
        )
        # An unattributed fragment ("on Fox News's “Fox and Friends.”") names nobody, so it
        # neither carries a speaker forward nor hides the one before it.
        if result.kind != "scare" and not (result.kind == "partial" and not result.speaker):
            previous_index = len(results)
        results.append(result)
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
    cues = (cue,) if cue is not None else None
    return Attribution.of_segment(seg, kind, method, cues, speaker, addressee, continues)


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
        head, chained = speaker_near(between) or adjacent_speaker(view, cue), False
    if head is None and cue.tag_ == "VBG":
        head, chained = _participle_subject(view, cue), True
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


def _participle_subject(view: DocView, cue: Token) -> Token | None:
    """ "Mr. Trump hardly clarified the matter, treating her remark as a compliment -- ''…'' --
    and, when questioned, asserting, ''…''": the parse hung the participle on a quote; its
    subject is the nearest subject before it in its sentence, outside the quotes."""
    sentence = cue.sent
    for t in reversed(view.doc[sentence.start : cue.i]):
        if (
            t.dep_ in SUBJECT_DEPS
            and not view.is_quoted(t)
            and not view.is_quoted(t.head)
            and can_speak(t)
        ):
            return t
    return None


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
    previous_index: int | None,
    prev_close: int,
    next_open: int,
    para_start: int,
    para_end: int,
) -> Attribution:
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
    before_char = prev_nonspace(q.view.text, q.seg.open_start, q.prev_close)
    set_off = (
        q.seg.continues_previous
        or before_char is None
        or before_char in _SET_OFF_BEFORE
        or before_char in SENTENCE_END
    )
    if (
        set_off
        and not q.seg.continues_previous
        and folded_into_sentence(q.view, q.before, q.after, q.content)
    ):
        set_off = False
    if not set_off:
        # "said “We will win”": a cue right before a full sentence still sets it off.
        last = q.before[-1] if q.before else None
        starts_upper = q.content.lstrip()[:1].isupper()
        if last is not None and is_speech_verb(last) and starts_upper:
            return word_count(q.content) >= _MIN_UTTERANCE_WORDS
    return set_off


def _embedded_quote(q: _Quote) -> Attribution:
    """A fragment inside the writer's sentence: a scare quote, or a partial quote attributed
    through the verb that governs it, else the nearest cue."""
    kind, governor = classify_embedded(q.view, q.seg)
    if kind == "scare":
        return _result(q.seg, "scare", "none", None, None, None)
    if governor is not None:
        found = _from_cue(q.view, q.seg, "partial", governor, "partial_governor")
        if found is not None:
            return found
    cue = last_cue(q.before) or first_cue(q.after)
    if cue is not None:
        found = _from_cue(q.view, q.seg, "partial", cue, "partial_governor")
        if found is not None:
            return found
    return _result(q.seg, "partial", "none", governor, None, None)


def _title_of_work(q: _Quote) -> Attribution | None:
    if names_a_work(q.before, q.content):
        return _result(q.seg, "scare", "none", None, None, None)
    return None


def _transcript_turn(q: _Quote) -> Attribution | None:
    """ "PENCE: Well, the question is …" names its speaker in its label, inside the marks or
    opening an unmarked turn; "Q:" and "A:" stand for the interviewer and the interviewee the
    introduction names ("She spoke to Strand Wire’s Marit Eskeland …")."""
    label = turn_label(q.content)
    if label is None:
        return None
    said = replace(q.seg, start=q.seg.start + label.end())
    if said.start >= said.end:
        return None
    if label.group(1) in INTERVIEW_LABELS:
        roles = _interview_roles(q.view, q.seg.open_start)
        head = roles[0] if label.group(1) == _QUESTION_LABEL else roles[1]
        if head is None:
            return None
        return _result(said, "direct", "colon_intro", None, mention_tokens(q.view, head), None)
    tokens = [q.view.doc[i] for i in q.view.token_range(q.seg.start, q.seg.start + label.end(1))]
    names = tuple(t for t in tokens if not t.is_space and not t.is_punct)
    if names:
        return _result(said, "direct", "colon_intro", None, names, None)
    return None


def _interview_roles(view: DocView, before: int) -> tuple[Token | None, Token | None]:
    """(interviewer, interviewee) from the latest sentence before a Q&A that says who spoke to
    whom: "She spoke to Strand Wire’s Marit Eskeland", "Eskeland interviewed her"."""
    for t in reversed(view.outside(0, before)):
        lemma = t.lemma_.lower()
        if lemma not in INTERVIEW_VERBS or t.pos_ not in ("VERB", "AUX"):
            continue
        subject, _ = subject_of(view, t)
        if lemma in INTERVIEWING_VERBS:
            guest = next((c for c in t.children if c.dep_ == "dobj"), None)
            return subject, guest
        for prep in t.children:
            if prep.dep_ == "prep" and prep.lower_ in INTERVIEW_PREPOSITIONS:
                host = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if host is not None:
                    return host, subject
    return None, None


def _dash_byline(q: _Quote) -> Attribution | None:
    """“…” — Secretary Nikolai Patrushev"""
    after_text = q.view.text[q.seg.close_end : q.next_open].lstrip()
    if after_text.startswith(_DASHES) and q.after:
        name = next((t for t in q.after if t.pos_ == "PROPN"), None)
        if name is not None:
            return _result(q.seg, "direct", "dash_byline", None, mention_tokens(q.view, name), None)
    return None


def _byline_below(q: _Quote) -> Attribution | None:
    """A quote that ends its paragraph, signed on the line below: "“…”\n\n- Bernie Sanders.",
    "“…”\n-President Obama, tweeting after the speech." The signature is short and opens with a
    dash; its first name is the speaker."""
    view = q.view
    below = _paragraph_below(q, whole=False)
    if below is None:
        return None
    start, end = below
    line = view.text[start:end].lstrip()
    if not line.startswith(_BYLINE_DASHES) or len(line.split()) > BYLINE_MAX_WORDS:
        return None
    # the tokenizer may glue the dash to a title: a word that opens with it is no name
    # ("-President Omar Beale"); the first name signs, not one in the words after it
    # ("-President Obama, tweeting after Clinton's speech")
    name = next(
        (t for t in view.outside(start, end) if t.pos_ == "PROPN" and t.text[0].isalpha()), None
    )
    if name is None:
        return None
    return _result(q.seg, "direct", "dash_byline", None, mention_tokens(view, name), None)


def _paragraph_below(q: _Quote, *, whole: bool) -> tuple[int, int] | None:
    """The paragraph after a quote that ends its own (``whole``: that is all of its own)."""
    view, seg = q.view, q.seg
    n = view.paragraph_of(seg.close_end)
    start, end = view.paragraphs[n]
    if n + 1 >= len(view.paragraphs) or view.text[seg.close_end : end].strip(_CLOSING_PUNCTUATION):
        return None
    if whole and view.text[start : seg.open_start].strip():
        return None
    return view.paragraphs[n + 1]


def _adjacent_cue(q: _Quote) -> Attribution | None:
    """A reporting verb in the quote's sentence, after it or before it as the punctuation
    suggests: “…,” she said / She said: “…”."""
    before, after = q.before, q.after
    cue_after_expected = q.content.rstrip()[-1:] in {",", "?", "!", "—", "–", "-"} or not (
        before and before[-1].text in {":", ","}
    )
    after_cue = first_cue(after)
    before_cue = last_cue(before)
    if after_cue is None and before_cue is None:
        after_cue = _inverted_cue(after)
    if after_cue is not None and in_time_clause(after_cue) and before_cue is not None:
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
        c.dep_ in SUBJECT_DEPS and c.i > verb.i and c.pos_ == "PROPN" for c in verb.children
    )
    return verb if inverted else None


def _according_to_source(q: _Quote) -> Attribution | None:
    for window in (q.before, q.after):
        source = according_to_source(window)
        if source is not None:
            speaker = mention_tokens(q.view, source)
            return _result(q.seg, "direct", "according_to", None, speaker, None)
    return None


def _colon_paragraph(q: _Quote) -> Attribution | None:
    """The previous paragraph ends with a colon: "In a statement, the ministry said:"."""
    text = q.view.text
    if q.seg.open_start != first_nonspace(text, q.para_start) or q.para_start == 0:
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
    named = _writer_colon_speaker(q.view, q.before) or _headline_speaker(q.view, q.before)
    if named is not None:
        return _result(q.seg, "direct", "colon_intro", None, mention_tokens(q.view, named), None)
    return None


def _not_an_utterance(q: _Quote) -> Attribution | None:
    """With no cue anywhere, a few words without a full stop, or a run of capitalised words,
    are a name or a title, not something said."""
    sentence = q.content.rstrip().endswith((".", "?", "!"))
    if word_count(q.content) < _MIN_UTTERANCE_WORDS and not sentence:
        return _result(q.seg, "scare", "none", None, None, None)
    # “Here comes Big Daddy,” she said. “The Donald. Big Daddy.”: a sentence after a quote of
    # the same paragraph goes on speaking, however many capitals it has.
    previous = q.previous
    goes_on = (
        sentence
        and previous is not None
        and previous.speaker is not None
        and previous.kind == "direct"
        and previous.paragraph == q.seg.paragraph
    )
    if is_title_case(q.content) and not goes_on:
        return _result(q.seg, "scare", "none", None, None, None)
    return None


def _nearest_speaker(q: _Quote) -> Attribution | None:
    """A cue-less quote: the nearest earlier speaker, a quote's or a reporting sentence's."""
    seg, previous = q.seg, q.previous
    reporter = _previous_sentence_cue(q.view, seg, q.para_start, q.prev_close)
    if reporter is None and (previous is None or previous.paragraph < seg.paragraph):
        # "Sanders identified exhaustion with bigotry as a reason. “The younger people …”":
        # the person a paragraph is about speaks its first cue-less quote.
        reporter = _paragraph_subject(q.view, seg, q.para_start)
    # no earlier quote to go on from: the paragraph before may say who speaks
    after_partial = previous is not None and previous.kind == "partial"
    out_of_reach = previous is None or seg.paragraph - previous.paragraph > 1
    if reporter is None and (out_of_reach or after_partial):
        # A quote opening its paragraph after one whose last sentence is about a person (later
        # than any fragment it quoted): "… Clinton restricted comments to the hypothetical.
        # ¶ “If any bank can’t be managed effectively, it should be broken up.”"
        opening = not q.view.outside(q.para_start, seg.open_start)
        if opening and seg.paragraph > 0:
            before = q.view.paragraphs[seg.paragraph - 1][0]
            floor = before if previous is None else max(before, previous.close_end)
            reporter = _paragraph_subject(q.view, seg, floor)
    if (
        previous is not None
        and q.previous_index is not None
        and previous.speaker is not None
        and previous.kind in ("direct", "partial")
        and seg.paragraph - previous.paragraph <= 1
        and (reporter is None or reporter[0].idx < previous.open_start)
    ):
        return _continuation(seg, previous, q.previous_index)
    if reporter is not None:
        cue, head = reporter
        return _result(seg, "direct", "nearest_speaker", cue, mention_tokens(q.view, head), None)
    introduced = _introduced_below(q) if previous is None else None
    if introduced is not None:
        return _result(
            seg, "direct", "nearest_speaker", None, mention_tokens(q.view, introduced), None
        )
    return None


def _introduced_below(q: _Quote) -> Token | None:
    """A story's first quote, a paragraph of its own, spoken by the person the next paragraph
    opens on: "“Nobody from the council has set foot on this street.” ¶ Marek Hollowell, 71,
    has lived on Ferry Lane all his life." The subject of that paragraph's first sentence, a
    person's name that the quote itself does not use."""
    view, seg = q.view, q.seg
    below = _paragraph_below(q, whole=True)
    if below is None:
        return None
    opening = view.outside(*below, most=INTRODUCTION_TOKENS)
    root = next((t for t in opening if t.dep_ == "ROOT" and t.pos_ in ("VERB", "AUX")), None)
    if root is None:
        return None
    head, _ = subject_of(view, root)
    if head is None or head.pos_ != "PROPN" or head.ent_type_ != "PERSON":
        return None
    if head.text in view.text[seg.open_start : seg.close_end]:
        return None  # the quote speaks of them: "“Sen. Bernie Sanders took the stage …”"
    return head


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
    _byline_below,
    _not_an_utterance,
    _nearest_speaker,
)


def _writer_colon_speaker(view: DocView, before: Sequence[Token]) -> Token | None:
    """The writer's own colon introduction: "The ad ends with her words: “…”", "More from
    Mark Blumenthal: “…”". A name right before the colon wins over the clause's subject."""
    if not before or before[-1].text != ":":
        return None
    colon = before[-1]
    if colon.i > 0 and view.doc[colon.i - 1].ent_type_ == "PERSON":
        return view.doc[colon.i - 1]
    # The clause the colon ends: the last verb before it ("… so erratically, that I had to
    # change my answer:" is mine, not the main clause's "She"), else the verb the parse hangs
    # the colon on ("made the following comment:" hangs it on the object).
    verbs = [t for t in before if t.pos_ in ("VERB", "AUX") and t.dep_ != "aux"]
    clause = colon.head
    while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
        clause = clause.head
    for verb in (verbs[-1], clause) if verbs else (clause,):
        subject, _ = subject_of(view, verb)
        if subject is not None and subject.i < colon.i and can_speak(subject):
            return subject
    return None


def _headline_speaker(view: DocView, before: Sequence[Token]) -> Token | None:
    """A headline line ending in a colon: "Warren Hammers Wells Fargo CEO: ‘You Should …’".
    Its first person named (else its first name) is the speaker; a headline of a name alone
    ("Quill: ‘…’", which the tagger takes for a noun) when the story names it elsewhere."""
    if not before or before[-1].text != ":":
        return None
    words = [t for t in before[:-1] if t.is_alpha]
    if not words or not all(
        t.is_title or t.is_upper or t.lower_ in TITLE_SMALL_WORDS for t in words
    ):
        return None
    person = next((t for t in words if t.ent_type_ == "PERSON"), None)
    found = person or next((t for t in words if t.pos_ == "PROPN"), None)
    if found is None and len(words) == len(before) - 1 <= HEADLINE_NAME_WORDS:
        found = words[-1] if view.named_elsewhere(words[-1]) else None
    return found


def _previous_sentence_cue(
    view: DocView, seg: QuoteSpan, para_start: int, prev_close: int
) -> tuple[Token, Token] | None:
    """A reporting verb with a subject in the sentence just before the quote, in its paragraph
    ("…, Schiff said. “The other factor …”")."""
    floor = max(para_start, prev_close)
    tokens = view.outside(floor, seg.open_start)
    # Not a cue that reports nothing: "He didn't suggest retaliation.", "he was called to".
    cue = next((t for t in reversed(tokens) if is_speech_verb(t) and reports_words(t)), None)
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


def _continuation(seg: QuoteSpan, previous: Attribution, previous_index: int) -> Attribution:
    return _result(
        seg, "direct", "continuation", None, previous.speaker, previous.addressee, previous_index
    )


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
    cue = last_cue(tokens)
    if cue is not None:
        head, _ = subject_of(view, cue)
        if head is not None:
            return cue, head
    named = _writer_colon_speaker(view, tokens)
    return (None, named) if named is not None else None
