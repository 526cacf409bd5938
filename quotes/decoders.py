"""Faster decoding for spaCy's dependency parser and entity recogniser, with the same output.

spaCy 3.8 decodes both transition-based models in C with the GIL released, and every state
query inside that loop (``StateC.B_``, ``safe_get``) takes the GIL back and drops it again for
Cython's error check. Under ``perf``, that traffic is half of the recogniser's time: about 65 µs
a token, the largest single cost of the pipeline. Both components here keep spaCy's model,
features, weights and transition rules, so they produce the same annotations (compared on
every PolNeAR and canonical dev and train document, and in ``tests/test_pipeline.py``):

- :class:`FastParser` runs spaCy's own Python-level step loop (``step_forward`` and
  ``transition_states``, as spaCy's training does) with the GIL held, so the state queries
  stop paying for it. The transitions are spaCy's; a third of the parser's time goes.
- :class:`FastEntityRecognizer` decodes the recogniser's BILUO moves with numpy, one step for
  every sentence of the batch at once. The recogniser cannot open an entity across a sentence
  start, and with no entity open its features name only the current token, so every sentence
  decodes on its own from the same token vectors. What is left is the recogniser's own
  token-to-vector layer. Pipelines it does not fit (another architecture, a beam, preset
  entities) run spaCy's recogniser unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, cast

import numpy as np
import spacy.about
from numpy.typing import NDArray
from spacy.language import Language
from spacy.pipeline import DependencyParser, EntityRecognizer
from spacy.tokens import Doc, Span
from thinc.api import Model, NumpyOps

_OPS = NumpyOps()
IntArray = NDArray[np.int64]


#: The spaCy versions whose parser internals (``ParserStepModel``, ``transition_states``, the
#: BILUO moves) these decoders were checked against; other versions keep spaCy's components.
CHECKED_SPACY_VERSIONS = ((3, 7), (3, 8))


def speed_up_decoders(nlp: Language) -> None:
    """Swap spaCy's ``parser`` and ``ner`` for the faster decoders, in place (idempotent).
    A component of another kind or architecture, or a spaCy version the decoders were not
    checked against, keeps spaCy's own component."""
    if spacy_version() not in CHECKED_SPACY_VERSIONS:
        return
    for name, kind, wrapper in (
        ("parser", DependencyParser, FastParser),
        ("ner", EntityRecognizer, FastEntityRecognizer),
    ):
        if name in nlp.pipe_names:
            inner = nlp.get_pipe(name)
            if type(inner) is kind and wrapper.fits(inner):
                swap_component(nlp, name, wrapper(inner))


def spacy_version() -> tuple[int, int]:
    major, minor, *_ = spacy.about.__version__.split(".")
    return int(major), int(minor)


def swap_component(nlp: Language, name: str, component: object) -> bool:
    """Put ``component`` in the place of pipe ``name``, keeping its name and its config (the
    factory and settings of spaCy's component it wraps), so ``nlp.select_pipes``, ``nlp.config``
    and ``nlp.to_disk`` see spaCy's pipeline and a saved one loads with ``spacy.load``: the
    wrappers save and load what they wrap. False (nothing changed) if this spaCy keeps its
    components elsewhere."""
    components = getattr(nlp, "_components", None)
    if not isinstance(components, list) or name not in nlp.component_names:
        return False
    index = [entry[0] for entry in components].index(name)
    components[index] = (name, component)
    return True


def _batches(docs: Iterable[Doc], size: int) -> Iterator[list[Doc]]:
    remaining = iter(docs)
    while batch := list(islice(remaining, size)):
        yield batch


class Wrapper:
    """A pipeline component in the place of a spaCy component (``inner``), under its name
    and config (:func:`swap_component`): anything not defined here (``labels``, ``to_disk``,
    …) is the wrapped component's; loading into it (``from_disk``, ``from_bytes``) loads
    spaCy's component, then :meth:`reloaded` lets the wrapper read it again."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> Any:
        if name == "inner":  # not set yet (a copy being made): no recursion
            raise AttributeError(name)
        return getattr(self.inner, name)

    def reloaded(self) -> None:
        """Called after spaCy's component was loaded into: read what it holds again."""

    def from_disk(self, path: Any, **kwargs: Any) -> Any:
        self.inner.from_disk(path, **kwargs)
        self.reloaded()
        return self

    def from_bytes(self, data: bytes, **kwargs: Any) -> Any:
        self.inner.from_bytes(data, **kwargs)
        self.reloaded()
        return self


class _Wrapper(Wrapper):
    """A wrapped spaCy transition-based component, annotating batches of docs."""

    @classmethod
    def fits(cls, inner: Any) -> bool:
        """Whether ``inner`` is the model this decoder knows: spaCy's greedy
        TransitionBasedParser (tok2vec, precomputable affine, linear output layer)."""
        model: Any = getattr(inner, "model", None)
        layers = getattr(model, "layers", [])
        try:
            return bool(
                inner.cfg.get("beam_width", 1) == 1
                and len(layers) == 3
                and layers[1].name == "precomputable_affine"
                and layers[2].name == "linear"
                and model.attrs.get("has_upper")
                and layers[2].get_dim("nO") == inner.moves.n_moves
            )
        except (AttributeError, KeyError, ValueError):  # another architecture
            return False

    def __call__(self, doc: Doc) -> Doc:
        self.annotate([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 256) -> Iterator[Doc]:
        for batch in _batches(docs, batch_size):
            self.annotate(batch)
            yield from batch

    def annotate(self, docs: list[Doc]) -> None:
        raise NotImplementedError


class FastParser(_Wrapper):
    """spaCy's parser, decoded by spaCy's own step loop with the GIL held (same parses).

    A batch takes as many steps as its longest document needs, each with a fixed cost, so
    :meth:`pipe` parses documents of similar length together: it sorts a window of
    ``SORT_WINDOW`` batches by length (as spaCy sorts one batch) and yields them in order."""

    SORT_WINDOW = 4

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 256) -> Iterator[Doc]:
        for window in _batches(docs, batch_size * self.SORT_WINDOW):
            for batch in _batches(sorted(window, key=len), batch_size):
                self.annotate(batch)
            yield from window

    def annotate(self, docs: list[Doc]) -> None:
        inner = self.inner
        if inner.cfg.get("beam_width", 1) != 1 or not any(len(doc) for doc in docs):
            inner.set_annotations(docs, inner.predict(docs))
            return
        inner._ensure_labels_are_added(docs)
        # spaCy's ParserStepModel: the token vectors and their precomputed features.
        model = inner.model.predict(docs)
        state2vec = model.state2vec
        weights, bias = model.vec2scores.get_param("W"), model.vec2scores.get_param("b")
        unseen = np.flatnonzero(model._class_mask == 0)
        states = inner.moves.init_batch(docs)
        unfinished = [state for state in states if not state.is_final()]
        while unfinished:
            # spaCy's step_forward for prediction, less thinc's per-call bookkeeping.
            vectors = state2vec.predict(model.get_token_ids(unfinished))
            scores = _OPS.gemm(vectors, weights, trans2=True)
            scores += bias
            if unseen.size:
                scores[:, unseen] = np.nanmin(scores)
            unfinished = inner.transition_states(unfinished, scores)
        model.clear_memory()
        inner.set_annotations(docs, states)


class FastEntityRecognizer(_Wrapper):
    """spaCy's entity recogniser with its greedy BILUO decoding done in numpy across all the
    sentences of a batch at once (same entities)."""

    def __init__(self, inner: Any) -> None:
        super().__init__(inner)
        self.moves_table = _BiluoMoves.of(inner)

    @classmethod
    def fits(cls, inner: Any) -> bool:
        return super().fits(inner) and _BiluoMoves.of(inner) is not None

    def reloaded(self) -> None:  # new weights and labels: the moves are read again
        self.moves_table = _BiluoMoves.of(self.inner)

    def annotate(self, docs: list[Doc]) -> None:
        inner = self.inner
        table = self.moves_table
        if table is None or any(doc.has_annotation("ENT_IOB") for doc in docs):
            inner.set_annotations(docs, inner.predict(docs))  # spaCy's own decoding
            return
        parsed = [doc for doc in docs if len(doc)]
        if parsed:
            found = table.decode(parsed)
            for doc, ents in zip(parsed, found, strict=True):
                doc.set_ents(
                    [Span(doc, start, end, label=label) for start, end, label in ents],
                    default="outside",
                )
        for doc in docs:
            if not len(doc):
                doc.set_ents([], default="unmodified")


class _BiluoMoves:
    """The recogniser's model and moves, as arrays, and its greedy decoder.

    The validity rules are those of spaCy's ``BiluoPushDown`` (``ner.pyx``) for documents
    without preset entities: B and U not on whitespace, B and I not when the next token starts
    a sentence or the document ends, I and L only inside an open entity of their label, O
    only outside one."""

    def __init__(self, inner: Any, kinds: list[str], labels: list[str]) -> None:
        self.tok2vec, self.lower, self.upper = cast(list[Model[Any, Any]], inner.model.layers)
        self.unseen = sorted(inner.model.attrs.get("unseen_classes") or ())
        self.labels = sorted(set(labels) - {""})
        label_ids = {label: i for i, label in enumerate(self.labels)}
        self.move_label = np.array([label_ids.get(label, -1) for label in labels])
        kind = np.array(kinds)
        labelled = self.move_label >= 0
        self.begin, self.inside = (kind == "B") & labelled, (kind == "I") & labelled
        self.last, self.unit = (kind == "L") & labelled, (kind == "U") & labelled
        self.out = kind == "O"

    @classmethod
    def of(cls, inner: Any) -> _BiluoMoves | None:
        """The table for ``inner``, or None when its model is not the one this decoder knows
        (spaCy's TransitionBasedParser: tok2vec, precomputable affine of 3 features, linear)."""
        model = inner.model
        layers = getattr(model, "layers", [])
        if (
            type(inner) is not EntityRecognizer
            or inner.cfg.get("beam_width", 1) != 1
            or len(layers) != 3
            or layers[1].name != "precomputable_affine"
            or layers[2].name != "linear"
            or not model.attrs.get("has_upper")
            or layers[1].get_dim("nF") != 3
            or layers[1].get_dim("nP") < 2
            or layers[2].get_dim("nO") != inner.moves.n_moves
        ):
            return None
        kinds: list[str] = []
        labels: list[str] = []
        for index in range(inner.moves.n_moves):
            name = inner.moves.get_class_name(index)
            kind, _, label = name.partition("-")
            if kind not in ("B", "I", "L", "U", "O", "M") or (kind == "O" and label):
                return None
            kinds.append(kind)
            labels.append(label)
        return cls(inner, kinds, labels)

    def decode(self, docs: list[Doc]) -> list[list[tuple[int, int, str]]]:
        """Entities ``(start, end, label)`` of each (non-empty) doc, in order."""
        tokvecs = self.tok2vec.predict(docs)
        # Row t + 1 holds token t's contribution to each of the 3 features; row 0 the padding.
        features = cast(NDArray[np.float32], self.lower.predict(tokvecs))
        bias = cast(NDArray[np.float32], self.lower.get_param("b"))
        lengths = [len(doc) for doc in docs]
        doc_start = np.cumsum([0, *lengths[:-1]])
        flags = np.concatenate([doc.to_array(["IS_SPACE", "SENT_START"]) for doc in docs])
        space = flags[:, 0] == 1
        sentence_start = flags[:, 1] == 1
        sentence_start[doc_start] = True
        starts = np.flatnonzero(sentence_start)
        ends = np.append(starts[1:], len(space))
        # B and I need a next token in the document that does not start a sentence.
        continues = np.append(~sentence_start[1:], False)
        continues[doc_start + np.array(lengths) - 1] = False
        found = self._decode(features, bias, starts, ends, continues, space)
        out: list[list[tuple[int, int, str]]] = [[] for _ in docs]
        for start, end, label in sorted(found):
            index = int(np.searchsorted(doc_start, start, "right")) - 1
            offset = int(doc_start[index])
            out[index].append((start - offset, end - offset, self.labels[label]))
        return out

    def _decode(
        self,
        features: NDArray[np.float32],
        bias: NDArray[np.float32],
        starts: IntArray,
        ends: IntArray,
        continues: NDArray[np.bool_],
        space: NDArray[np.bool_],
    ) -> list[tuple[int, int, int]]:
        position = starts.copy()
        entity_start = np.full(len(starts), -1)
        entity_label = np.full(len(starts), -1)
        active = np.arange(len(starts))
        found: list[tuple[int, int, int]] = []
        while active.size:
            here = position[active]
            opened = entity_start[active]
            label = entity_label[active]
            is_open = opened >= 0
            # spaCy's three features: this token, the entity's first token, the one before
            # this (the last two only inside an entity); -1 is the padding row.
            vector = features[here + 1, 0]
            vector = vector + features[opened + 1, 1]
            vector = vector + features[np.where(is_open, here - 1, -1) + 1, 2]
            vector += bias
            hidden, _ = _OPS.maxout(vector)
            scores = self.upper.predict(hidden)
            if self.unseen:
                scores[:, self.unseen] = np.nanmin(scores)
            closed = ~is_open
            same = self.move_label[None, :] == label[:, None]
            valid = (self.begin & (closed & continues[here] & ~space[here])[:, None]) | (
                self.inside & (is_open & continues[here])[:, None] & same
            )
            valid |= (self.last & is_open[:, None] & same) | (
                self.unit & (closed & ~space[here])[:, None]
            )
            valid |= self.out & closed[:, None]
            move = np.where(valid, scores, -np.inf).argmax(axis=1)
            move_label = self.move_label[move]
            for i in np.flatnonzero(self.last[move]):
                found.append((int(opened[i]), int(here[i]) + 1, int(move_label[i])))
            for i in np.flatnonzero(self.unit[move]):
                found.append((int(here[i]), int(here[i]) + 1, int(move_label[i])))
            ends_entity = self.last[move] | self.unit[move]
            begins = self.begin[move]
            entity_start[active] = np.where(begins, here, np.where(ends_entity, -1, opened))
            entity_label[active] = np.where(begins, move_label, np.where(ends_entity, -1, label))
            position[active] = here + 1
            active = active[here + 1 < ends[active]]
        return found
