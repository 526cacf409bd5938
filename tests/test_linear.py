"""Linear time on pathological text, shown by counting work rather than timing it (timings
live in benchmarks/linear.py): the rules' Python lines executed, and what spaCy's tokenizer
is given at once."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from quotes.core.cards import build_cards
from quotes.pipeline import MARK_PIECE, MAX_SENTENCE_TOKENS, LinearTokenizer, line_sentences

from .conftest import SEED

QUOTES_PACKAGE = str(Path(__file__).resolve().parents[1] / "quotes")


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda n: (unit * (n // len(unit) + 1))[:n]


SHAPES: dict[str, Callable[[int], str]] = {
    "alternating": _repeat("“a” "),
    "words between quotes": _repeat("“a” said "),
    "apostrophes": _repeat("'"),
    "newlines": _repeat('"a\n'),
    "quotes": _repeat('"'),
    "abbreviations": _repeat("“Mr. Dr. Sen. a” "),
    "attributed quotes": _repeat("“We agree,” said Ann Patel. She added: “Yes.” "),
    "names": _repeat("Ann Patel met Omar Reyes and Karl Brandt in Lima. "),
}


@contextmanager
def _counting_lines() -> Iterator[list[int]]:
    """Count the lines of this package's code executed in the block (in ``count[0]``)."""
    count = [0]

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        if not frame.f_code.co_filename.startswith(QUOTES_PACKAGE):
            return None
        if event == "line":
            count[0] += 1
        return tracer

    sys.settrace(tracer)
    try:
        yield count
    finally:
        sys.settrace(None)


@pytest.mark.parametrize("shape", SHAPES)
def test_the_rules_do_twice_the_work_for_twice_the_text(nlp: Language, shape: str) -> None:
    work = []
    for size in (3_000, 6_000):
        doc = nlp(SHAPES[shape](size))
        with _counting_lines() as count:
            build_cards(doc, "x")
        work.append(count[0])
    assert work[1] <= 2.5 * work[0], work


def test_the_tokenizer_gets_a_run_of_marks_in_pieces(nlp: Language) -> None:
    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer, LinearTokenizer)
    given: list[str] = []
    inner = tokenizer.inner

    def spy(text: str) -> Doc:
        given.append(text)
        return inner(text)

    text = "He said " + "'" * 10_000 + ' and "' + "”’" * 3_000 + " end."
    wrapped = LinearTokenizer(spy)  # type: ignore[arg-type]
    doc = wrapped(text)
    assert doc.text == text  # offsets unchanged
    longest = max(len(run) for piece in given for run in re.findall(r"[^\w\s]+", piece))
    assert longest <= 2 * MARK_PIECE  # the tokenizer is quadratic in a run of marks only
    assert [t.idx for t in doc] == sorted(t.idx for t in doc)


def test_the_tokens_of_news_text_do_not_change(nlp: Language) -> None:
    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer, LinearTokenizer)
    text = SEED.read_text(encoding="utf-8") + " ----- " + "=" * 64 + " https://x.org/a?b=c&d=e"
    ours, theirs = tokenizer(text), tokenizer.inner(text)
    assert [(t.text, t.whitespace_) for t in ours] == [(t.text, t.whitespace_) for t in theirs]


def test_a_line_longer_than_a_sentence_is_cut_at_its_full_stops(nlp: Language) -> None:
    sentence = "The council met in the harbour hall on Tuesday and voted . "
    doc = nlp.make_doc(sentence * 200)  # 2,400 tokens, no line break
    for name, component in nlp.pipeline:
        if name == "quotes_line_sentences":
            break
        doc = component(doc)
    line_sentences(doc)
    starts = [t.i for t in doc if t.is_sent_start]
    gaps = [b - a for a, b in zip([0, *starts], [*starts, len(doc)], strict=True)]
    assert max(gaps) <= MAX_SENTENCE_TOKENS
    assert all(doc[i - 1].text == "." for i in starts if i > 0)  # after a full stop


def test_line_breaks_start_sentences(nlp: Language) -> None:
    doc = nlp("Harbour news\nThe mayor said “We are ready.”\n\nShe left.")
    starts = [t.text for t in doc if t.is_sent_start]
    assert starts[:3] == ["Harbour", "The", "She"]
