"""Find quotation-mark spans in raw news text, without spaCy.

The scanner works paragraph by paragraph (a paragraph is a non-blank line), so an unbalanced
mark never costs the rest of the document. Inside a paragraph it keeps a stack of open marks:
a closer ends the innermost open quote it pairs with, and only top-level quotes are reported.
The one rule that crosses paragraphs is the news convention for long quotes: a paragraph that
ends inside a quote, followed by one that starts with an opening mark, continues the quote.

Offsets are str indices into the unmodified input; the text is never normalised. A mark is
one character except the typewriter pair '' (two apostrophes used as a double quote).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

from .lexicon import (
    APOSTROPHE_MARKS,
    CLOSE_CONTEXT_CHARS,
    CLOSING_MARKS,
    DOUBLE_QUOTE_MARKS,
    ELIDED_YEAR_DIGITS,
    ELISIONS,
    INCH_MARKS,
    INVISIBLE_CHARS,
    LOOSE_OPENERS,
    MIN_UNCLOSED_WORDS,
    NOT_POSSESSED_WORDS,
    OPEN_CONTEXT_CHARS,
    OPENING_MARKS,
    QUOTE_MARKS,
    QUOTE_PAIRS,
    SPACED_MARKS,
    WRAPPED_ELISIONS,
)

__all__ = ["QuoteSpan", "paragraphs", "scan_quotes"]


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """One quoted segment; a quote running over several paragraphs gives one per paragraph."""

    start: int
    end: int
    open_start: int
    close_end: int
    open_mark: str
    close_mark: str | None
    paragraph: int
    continues_previous: bool
    closed: bool


# The same line boundaries as str.splitlines, so "\r\n" and U+2029 text split too.
_LINE_BREAK = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_NON_SPACE = re.compile(r"\S")
_WORD = re.compile(r"\w+")
_LETTERS = re.compile(r"[^\W\d_]+")
# A single closing mark right after sentence punctuation and before a space: the end of a
# double quote typed with the wrong closer.
_MISMATCHED_CLOSER = re.compile(r"(?<=[.,!?])[’'](?=\s|$)")
_YEAR = re.compile(rf"\d{{{ELIDED_YEAR_DIGITS}}}(?:s|['’]s)?(?!\w)")
# Longest marks first, so '' is one mark rather than two apostrophes; ''' is split by _marks.
_MARK = re.compile(
    "'''|" + "|".join(re.escape(m) for m in sorted(QUOTE_MARKS, key=len, reverse=True))
)
# Feet and inches (6'2", 5’10”): the double mark after them is not a quotation mark.
_FEET = re.compile(r"\d['’]\d{1,2}$")

_Role = Literal["open", "close"] | None

# Closing mark -> the opening marks it can end (QUOTE_PAIRS read backwards).
_OPENERS_FOR: dict[str, tuple[str, ...]] = {
    closer: tuple(sorted(o for o, closers in QUOTE_PAIRS.items() if closer in closers))
    for closer in CLOSING_MARKS
}


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, newline excluded; whitespace-only lines skipped."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for brk in _LINE_BREAK.finditer(text):
        if _NON_SPACE.search(text, pos, brk.start()):
            spans.append((pos, brk.start()))
        pos = brk.end()
    if _NON_SPACE.search(text, pos):
        spans.append((pos, len(text)))
    return spans


class _Single(Enum):
    """What an apostrophe-like mark looks like from its neighbours alone, before the stack."""

    APOSTROPHE = 0
    OPEN = 1
    CLOSE = 2
    OTHER = 3


@dataclass(slots=True)
class _Open:
    pos: int
    mark: str
    continues: bool
    children: list[QuoteSpan] = field(default_factory=list)


def _marks(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """(offset, mark) of every quotation-mark candidate in [start, end)."""
    found: list[tuple[int, str]] = []
    for m in _MARK.finditer(text, start, end):
        i, mark = m.start(), m.group()
        if len(mark) < 3:
            found.append((i, mark))
        elif i > start and not text[i - 1].isspace():
            # A single and a double quote end together: ,''' closes 'inner' then ''outer''.
            found += [(i, "'"), (i + 1, "''")]
        else:
            found += [(i, "''"), (i + 2, "'")]  # '''Inner opens both, the outer first
    return found


def _is_space(ch: str) -> bool:
    # "" stands for the paragraph edge, which counts as whitespace on both sides; so does an
    # invisible format character (a byte-order mark, a zero-width space).
    return ch == "" or ch.isspace() or ch in INVISIBLE_CHARS


def _opens_after(prev: str) -> bool:
    return _is_space(prev) or prev in OPEN_CONTEXT_CHARS


def _closes_before(nxt: str) -> bool:
    return _is_space(nxt) or nxt in CLOSE_CONTEXT_CHARS


class _Paragraph:
    """Scanner state for one paragraph [start, end) of the text."""

    def __init__(self, text: str, index: int, start: int, end: int) -> None:
        self.text = text
        self.index = index
        self.start = start
        self.end = end
        self.marks = _marks(text, start, end)
        self.stack: list[_Open] = []
        # Opening mark -> its stack indices, so matching a closer never walks a deep stack.
        self._depths: dict[str, list[int]] = {}
        self.found: list[QuoteSpan] = []
        self.singles: dict[int, _Single] = {}
        self._classify_singles()
        # Positions of the single marks that could open or close, for the look-aheads below.
        self._cand_pos = [p for p, k in self.singles.items() if k in (_Single.OPEN, _Single.CLOSE)]

    def char(self, i: int) -> str:
        return self.text[i] if self.start <= i < self.end else ""

    # --- apostrophe-like marks ----------------------------------------------------------

    def _classify_singles(self) -> None:
        skip_to = -1
        for i, mark in self.marks:
            if mark not in APOSTROPHE_MARKS:
                continue
            if i < skip_to:  # the closing half of a wrapped elision ('n')
                self.singles[i] = _Single.APOSTROPHE
                continue
            prev, nxt = self.char(i - 1), self.char(i + 1)
            if prev.isalnum() and nxt.isalnum():  # can't, O'Neill, D’Angelo
                kind = _Single.APOSTROPHE
            elif not prev.isalnum() and (elided := self._elision_end(i + 1)) >= 0:
                kind = _Single.APOSTROPHE
                skip_to = elided
            elif _opens_after(prev) and not _is_space(nxt) and mark in OPENING_MARKS:
                kind = _Single.OPEN
            elif not _is_space(prev) and _closes_before(nxt) and mark in CLOSING_MARKS:
                kind = _Single.CLOSE
            else:
                kind = _Single.OTHER
            self.singles[i] = kind

    def _elision_end(self, i: int) -> int:
        """If an elided word starts at i ('em, ’90s, 'n'), the offset past its marks, else -1."""
        text, end = self.text, self.end
        if _YEAR.match(text, i, end):
            return i
        word = _LETTERS.match(text, i, end)
        if word is None or word.group().lower() not in ELISIONS:
            return -1
        after = word.end()
        if after < end and text[after].isalnum():
            return -1
        if word.group().lower() in WRAPPED_ELISIONS and self.char(after) in APOSTROPHE_MARKS:
            return after + 1
        return after

    def _next_candidate_closes(self, i: int) -> bool:
        k = bisect.bisect_right(self._cand_pos, i)
        return k < len(self._cand_pos) and self.singles[self._cand_pos[k]] is _Single.CLOSE

    def _single_role(self, i: int, mark: str) -> _Role:
        kind = self.singles[i]
        if kind is _Single.OPEN:
            # One that never finds its closer is dropped at the paragraph end (see finish).
            return "open"
        if kind is not _Single.CLOSE or self._match(mark) < 0:
            return None  # apostrophe, or a possessive with no single quote open
        if self.char(i - 1) in ("s", "S") and self.char(i + 1).isspace():
            # players’ union inside ‘…’: a plural possessive is followed by a lowercase noun
            # phrase, and some later mark must still be able to close the quote.
            follow = _WORD.match(self.text, i + 2, self.end)
            if (
                follow is not None
                and follow.group().islower()
                and follow.group() not in NOT_POSSESSED_WORDS
                and self._next_candidate_closes(i)
            ):
                return None
        return "close"

    # --- all marks ----------------------------------------------------------------------

    def _match(self, closer: str) -> int:
        """Stack index of the innermost open quote that closer can end, or -1."""
        best = -1
        for opener in _OPENERS_FOR.get(closer, ()):
            depths = self._depths.get(opener)
            if depths:
                best = max(best, depths[-1])
        return best

    def _push(self, i: int, mark: str, continues: bool) -> None:
        self._depths.setdefault(mark, []).append(len(self.stack))
        self.stack.append(_Open(i, mark, continues))

    def _pop_to(self, k: int) -> None:
        while len(self.stack) > k:
            self._depths[self.stack.pop().mark].pop()

    def _role(self, i: int, mark: str) -> _Role:
        if mark in APOSTROPHE_MARKS:
            return self._single_role(i, mark)
        after = i + len(mark)
        prev, nxt = self.char(i - 1), self.char(after)
        if mark in SPACED_MARKS:
            # « Oui »: look past one space so French spacing reads like «Oui».
            if prev.isspace():
                prev = self.char(i - 2)
            if nxt.isspace():
                nxt = self.char(after + 1)
        if mark in INCH_MARKS and _FEET.search(self.text, max(self.start, i - 4), i):
            return None
        # “ and „ open even before a stray space; other marks need text right after them.
        loose = mark in LOOSE_OPENERS and nxt != ""
        can_open = mark in OPENING_MARKS and (loose or not _is_space(nxt))
        matched = mark in CLOSING_MARKS and self._match(mark) >= 0
        open_ctx = can_open and _opens_after(prev)
        close_ctx = not _is_space(prev) and _closes_before(nxt)
        if close_ctx and not open_ctx:
            return "close" if matched else None  # an unmatched closer is a stray
        if open_ctx and not close_ctx:
            return "open"
        # Both or neither side looks like a boundary (word"word, said,"Yes, a lone " between
        # spaces): close an open quote if there is one, else open if anything follows.
        if matched:
            return "close"
        return "open" if can_open else None

    # --- scanning -----------------------------------------------------------------------

    def scan(self, continue_at: int) -> None:
        for i, mark in self.marks:
            if i == continue_at:
                self._push(i, mark, continues=True)
                continue
            role = self._role(i, mark)
            if role == "open":
                self._push(i, mark, continues=False)
            elif role == "close":
                self._close(i, mark)

    def _close(self, i: int, mark: str) -> None:
        k = self._match(mark)
        opened = self.stack[k]
        # Anything opened above it and still open was not a quote; its inner quotes are inside.
        self._pop_to(k)
        content = opened.pos + len(opened.mark)
        if not _NON_SPACE.search(self.text, content, i):
            return  # empty quote
        span = QuoteSpan(
            start=content,
            end=i,
            open_start=opened.pos,
            close_end=i + len(mark),
            open_mark=opened.mark,
            close_mark=mark,
            paragraph=self.index,
            continues_previous=opened.continues,
            closed=True,
        )
        (self.stack[-1].children if self.stack else self.found).append(span)

    def finish(self, next_opener: int) -> int:
        """Settle the marks still open at the paragraph end.

        next_opener is the offset of the opening mark that starts the next paragraph, or -1.
        Returns the offset where the next paragraph continues this one's quote, or -1.
        """
        # Each later opener's content is a suffix of the earlier ones': once one is too short,
        # so are the rest, which keeps this linear however many marks are left open.
        long_enough = True
        for opened in self.stack:
            content = opened.pos + len(opened.mark)
            if opened.mark in DOUBLE_QUOTE_MARKS and not opened.continues and next_opener < 0:
                closer = _MISMATCHED_CLOSER.search(self.text, content, self.end)
                if closer is not None and closer.start() > content:
                    self._close_mismatched(opened, content, closer.start())
                    return -1
            if opened.mark not in DOUBLE_QUOTE_MARKS:
                keep = False
            elif opened.continues or next_opener >= 0:
                keep = _NON_SPACE.search(self.text, content, self.end) is not None
            else:
                long_enough = long_enough and _has_words(
                    self.text, content, self.end, MIN_UNCLOSED_WORDS
                )
                keep = long_enough
            if keep:
                self.found.append(
                    QuoteSpan(
                        start=content,
                        end=self.end,
                        open_start=opened.pos,
                        close_end=self.end,
                        open_mark=opened.mark,
                        close_mark=None,
                        paragraph=self.index,
                        continues_previous=opened.continues,
                        closed=False,
                    )
                )
                # Everything above it on the stack is nested inside this segment.
                return next_opener
            # Not a quote after all: the quotes it held are top level.
            self.found.extend(opened.children)
        return -1

    def _close_mismatched(self, opened: _Open, content: int, at: int) -> None:
        """A double quote closed by a single mark, a common typo (“We can win.’ She left):
        close it there rather than run to the paragraph end and swallow later quotes."""
        self.found.append(
            QuoteSpan(
                start=content,
                end=at,
                open_start=opened.pos,
                close_end=at + 1,
                open_mark=opened.mark,
                close_mark=self.text[at],
                paragraph=self.index,
                continues_previous=False,
                closed=True,
            )
        )
        # Quotes opened after the stray closer are top level, not nested in this one.
        self.found.extend(q for q in opened.children if q.open_start > at)
        for later in self.stack[self.stack.index(opened) + 1 :]:
            if later.pos > at:
                self.found.extend(later.children)


def _has_words(text: str, start: int, end: int, count: int) -> bool:
    for n, _ in enumerate(_WORD.finditer(text, start, end), 1):
        if n >= count:
            return True
    return count <= 0


def _leading_opener(text: str, start: int, end: int) -> int:
    """Offset of a double opening mark that starts the paragraph [start, end), or -1."""
    first = _NON_SPACE.search(text, start, end)
    if first is None:
        return -1
    mark = _MARK.match(text, first.start(), end)
    if mark is None or mark.group() not in DOUBLE_QUOTE_MARKS & OPENING_MARKS:
        return -1
    nxt = text[mark.end()] if mark.end() < end else ""
    return -1 if _is_space(nxt) else mark.start()


def scan_quotes(text: str) -> list[QuoteSpan]:
    """Top-level quotation segments of text, sorted by start: quotes in marks, and the turns
    of a transcript ("GRENNAN: …", "Q: …"), which hold any quote inside them."""
    paras = paragraphs(text)
    spans: list[QuoteSpan] = []
    continue_at = -1
    for index, (start, end) in enumerate(paras):
        para = _Paragraph(text, index, start, end)
        para.scan(continue_at)
        has_next = index + 1 < len(paras)
        next_opener = _leading_opener(text, *paras[index + 1]) if has_next else -1
        continue_at = para.finish(next_opener)
        spans.extend(para.found)
    turns = transcript_turns(text, paras)
    if turns:
        inside = {t.paragraph for t in turns}
        spans = [q for q in spans if q.paragraph not in inside] + turns
    spans.sort(key=lambda q: q.start)
    return spans


# A paragraph opened by a speaker label and a colon: "GRENNAN: …", "NÍ GHABHRÁIN: …", "Q: …".
_TURN_LABEL = re.compile(r"((?:[^\W\d_]|[.'’-])+(?: (?:[^\W\d_]|[.'’-])+){0,3}):[ \t]+(?=\S)")
#: Labels that stand for the interviewer and the interviewee of a Q&A.
INTERVIEW_LABELS: frozenset[str] = frozenset({"Q", "A"})
# A transcript has at least this many speakers with at least this many turns each; a lone
# "UPDATE:" or "STAT OF THE WEEK:" is a heading.
_MIN_TRANSCRIPT_SPEAKERS = 2
_MIN_TURNS_PER_SPEAKER = 2


def turn_label(content: str) -> re.Match[str] | None:
    """The speaker label opening a transcript turn, in capitals (or Q and A)."""
    match = _TURN_LABEL.match(content)
    if match is None:
        return None
    label = match.group(1)
    if label in INTERVIEW_LABELS:
        return match
    letters = [c for c in label if c.isalpha()]
    return match if len(letters) > 1 and all(c.isupper() for c in letters) else None


def transcript_turns(text: str, paras: Sequence[tuple[int, int]]) -> list[QuoteSpan]:
    """The turns of a transcript: each paragraph opened by the label of a speaker who has
    more than one turn, in a document where more than one speaker does. A turn runs from its
    label to the end of its paragraph (the sieves cut the label off)."""
    labelled: list[tuple[int, str]] = []
    for index, (start, end) in enumerate(paras):
        match = turn_label(text[start:end])
        if match is not None:
            labelled.append((index, match.group(1)))
    counts = Counter(label for _, label in labelled)
    speakers = {label for label, n in counts.items() if n >= _MIN_TURNS_PER_SPEAKER}
    if len(speakers) < _MIN_TRANSCRIPT_SPEAKERS:
        return []
    turns: list[QuoteSpan] = []
    for index, label in labelled:
        if label not in speakers:
            continue
        start, end = paras[index]
        end = start + len(text[start:end].rstrip())
        turns.append(QuoteSpan(start, end, start, end, "", None, index, False, True))
    return turns
