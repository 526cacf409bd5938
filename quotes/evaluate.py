"""Evaluation metrics: predicted fact cards against human-annotated gold quotes.

The gold format and the metrics are defined in ``shared/eval/README.md``; this module implements
them exactly, plus a few conventions the README leaves open (all listed here):

* **Spans** are compared after trimming whitespace, the quotation marks
  ``" ' “ ” ‘ ’ « » ‹ › „ ‚`` and the punctuation ``, . ; : — – - …`` from both ends. A span's own
  ``text`` is trimmed and its offsets moved accordingly (the document slice is used when the text
  does not fit the offsets). A span that trims to nothing has length 0 and matches nothing.
* **Zero denominators** give 0.0 (precision, recall, F1, accuracies, rates), except for the
  metrics only canonical gold defines, which are ``None`` (``n/a``) when the gold holds no direct
  quote of their population: strict speaker accuracy (no canonical direct quote with a speaker),
  pronoun accuracy (no direct quote with a speaker and a non-null ``speaker_pronoun``), pronoun
  given where the gold has none (no direct quote with a speaker and ``speaker_pronoun: null``)
  and unnamed-speaker accuracy (no canonical direct quote with ``speaker: null``). When the gold
  has such quotes but none got matched, they are 0.0 of 0.
* **Documents**: a gold document without predictions has no predictions; predictions for doc ids
  that are not in the gold are ignored (:func:`read_predictions` warns about them, and refuses a
  file of cards none of whose doc ids is in the gold).
* **Files** are JSON Lines split on ``"\\n"`` only (:func:`jsonl_lines`). A file or line that is not
  usable raises :class:`~quotes.errors.InputError` naming ``FILE:LINE`` and what is wrong: a line
  that is not a JSON object, gold without a ``quotes`` list, ``id`` or ``text``, a gold quote
  without integer offsets into its text, a card without ``doc_id``, an empty gold file.
* **Direct quotes**: gold ``direct`` spans against predicted cards of kind ``direct``. A predicted
  direct card whose trimmed span equals a trimmed gold ``scare`` span is ignored everywhere (it is
  counted only in ``n_ignored_scare`` and ``pred_counts``). Matching is one-to-one and greedy,
  best overlap first: candidate pairs are sorted by overlap / union (descending), then overlap,
  then gold order, then prediction order. *Exact* pairs have identical trimmed offsets; *lenient*
  pairs have overlap / union ≥ 0.5. Exact and lenient are matched separately.
* **Speaker right** (direct and indirect): for mention gold (``speaker_is_canonical`` false, with
  ``speaker_start``/``speaker_end``) the predicted ``speaker.start``/``speaker.end`` span overlaps
  the gold speaker span by at least one character; for canonical gold the last name token of the
  gold name (or of one of its ``speaker_aliases``) is among the predicted ``speaker.name`` tokens.
  Name tokens are lowercased word tokens (hyphens and apostrophes kept inside a word, a trailing
  possessive ``'s`` dropped) without honorifics and titles (``Mr``, ``Dr``, ``President``,
  ``Sen``, ... and the tokens of the card's own ``speaker.title``), without the suffixes
  ``Jr``, ``Sr``, ``II``, ``III``, ``IV`` and the words ``the of and for``; when nothing is left
  the unfiltered tokens are used.
  *Strict* (canonical gold only): the name tokens are identical, the name tokens being taken as
  the canonical README writes names: lowercased word tokens (possessive ``'s`` dropped) without
  the honorifics and titles that *lead* the name and without the tokens of the card's own
  ``speaker.title``, but keeping suffixes (``J.R. Pickett Jr.`` needs the ``Jr``), particles and
  function words (``Ministry of Health``), and title-like words inside a name (``Ferrisvale
  General Hospital``). ``speaker_aliases`` are *not* accepted: the canonical name of an
  organisation with aliases is its full form (``Brisk Valley Water plc``, not ``Brisk Valley
  Water``), and strict asks for the canonical name. A card without a speaker is never right.
  Mention gold lacking speaker offsets falls back to the canonical (name) rule.
* **Speaker accuracy** counts lenient-matched direct pairs whose gold has a speaker.
* **Direct pair**: a predicted direct card is right when it is lenient-matched and its speaker is
  right. Recall is over gold direct spans with a speaker. Precision is over predicted direct
  cards, minus the ignored scare ones and minus cards matched to a gold direct span that has no
  speaker (those cannot be judged, just as their gold is left out of the recall).
* **Pronoun accuracy** (gold with a ``speaker_pronoun`` key, i.e. canonical gold): over
  lenient-matched direct pairs whose gold has a speaker with a non-null ``speaker_pronoun`` and
  whose speaker is right (the lenient rule), the card's ``speaker.pronoun`` equals it. *Pronoun
  given where the gold has none*: over the same pairs whose gold ``speaker_pronoun`` is null
  (organisations, people the narrative never calls by a pronoun), the cards that give a pronoun.
  Null gold speakers are in neither (their pronoun is null by convention, not by reading). A
  card's missing ``pronoun`` means null; a pronoun is compared as written.
* **Unnamed speakers** (canonical gold with ``speaker: null``): over lenient-matched direct pairs
  whose canonical gold speaker is null; when the gold has a ``speaker_description`` the card is
  right if it has no speaker (none, or an empty name) or its speaker says ``named: false``;
  without a description only if it has no speaker. A card's missing ``named`` means true. Like
  speaker accuracy, unmatched gold is not counted.
* **Unknown-speaker rate**: share of predicted direct cards (minus ignored scare ones) with no
  speaker or an empty speaker name.
* **Per attribution rule** (``method``): for the predicted direct cards in the pair-precision
  denominator, the number of cards of each method and the share of them that are pair-right
  (the per-method counts add up to the pair precision counts).
* **Partial**: a gold ``mixed``/``partial`` span is found when some predicted ``partial`` or
  ``direct`` card has ≥ 80% of its (trimmed) length inside it (not one-to-one); precision is the
  share of predicted ``partial`` cards with ≥ 80% of their length inside any gold span of any kind.
* **Indirect**: gold ``indirect`` against predicted ``indirect`` cards; a candidate pair when the
  overlap covers ≥ 50% of the shorter span; one-to-one greedy, best coverage of the shorter span
  first. Indirect speaker accuracy is over matched pairs whose gold has a speaker.
* **Addressee recall**: over gold quotes (any kind but ``scare``) with a non-null ``addressee``.
  One is right when it got matched (direct: lenient pair; indirect: indirect pair; mixed/partial:
  the card that lies ≥ 80% inside it with the largest overlap) and the last name token of the
  gold addressee is among the name tokens of the matched card's ``addressee.name``.
* **Errors**: one dict per problem, with the keys ``doc_id``, ``type``, ``kind``, ``start``,
  ``end``, ``text`` (the gold span when there is one, else the predicted span), ``gold_span``,
  ``pred_span`` (``[start, end]`` or ``None``), ``gold_speaker``, ``gold_speaker_span``,
  ``pred_speaker``, ``pred_speaker_span``, ``method`` and ``context`` (the text around the span,
  at most ``CONTEXT_CHARS`` either side, never beyond its paragraph, i.e. its newline-delimited
  lines). Types: ``fp`` (a prediction that matched nothing), ``fn`` (a gold span that was not
  matched / found), ``wrong_speaker`` (a matched pair whose speaker is wrong) and ``boundary``
  (a lenient direct pair whose trimmed spans differ). Direct: ``fp``, ``fn``, ``wrong_speaker``,
  ``boundary``; indirect: ``fp``, ``fn``, ``wrong_speaker``; partial (gold ``mixed``/``partial``,
  predicted ``partial``): ``fn``, ``fp``. Errors are sorted by document order, then offset.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .files import DocumentFailure, jsonl_lines, read_records, read_utf8

__all__ = [
    "CONTEXT_CHARS",
    "EvalReport",
    "GoldDoc",
    "MethodStats",
    "Predictions",
    "Ratio",
    "Scores",
    "evaluate",
    "format_report",
    "jsonl_lines",
    "load_gold",
    "read_gold",
    "read_predictions",
    "report_to_json",
    "trim_span",
]

QUOTE_MARKS = "\"'“”‘’«»‹›„‚"
TRIM_PUNCTUATION = ",.;:—–-…"
_TRIM_CHARS = frozenset(QUOTE_MARKS + TRIM_PUNCTUATION)

LENIENT_IOU = 0.5
PARTIAL_INSIDE = 0.8
INDIRECT_COVER = 0.5
#: Characters of context kept on each side of an error span (within its paragraph).
CONTEXT_CHARS = 200

_TOKEN_RE = re.compile(r"\w+(?:['’\-]\w+)*")
#: Honorifics and titles, ignored in names.
# fmt: off
_HONORIFICS = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady",
    "rev", "reverend", "sen", "senator", "rep", "representative", "gov", "governor",
    "president", "vice", "pres", "gen", "general", "attorney", "col", "colonel", "capt",
    "captain", "lt", "sgt", "adm", "admiral", "judge", "secretary", "sec", "minister", "prime",
    "chancellor", "mayor", "ambassador", "chairman", "chairwoman", "speaker", "sheikh"
})
# fmt: on
#: Function words skipped in names ("Department of Justice").
_NAME_STOPWORDS = frozenset({"the", "of", "and", "for"})
_SUFFIXES = frozenset(["jr", "sr", "ii", "iii", "iv"])


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class GoldDoc:
    """One gold document; ``quotes`` are the raw gold quote dicts, unchanged."""

    id: str
    text: str
    quotes: list[dict[str, Any]]
    source: str = ""
    meta: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Scores:
    """Precision / recall counts: ``pred_correct`` of ``n_pred``, ``gold_found`` of ``n_gold``.

    For one-to-one matchings ``pred_correct == gold_found`` (the true positives).
    """

    pred_correct: int
    n_pred: int
    gold_found: int
    n_gold: int

    @property
    def precision(self) -> float:
        return _div(self.pred_correct, self.n_pred)

    @property
    def recall(self) -> float:
        return _div(self.gold_found, self.n_gold)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r > 0 else 0.0


@dataclass(frozen=True)
class Ratio:
    """``count`` of ``total``; ``value`` is 0.0 when ``total`` is 0."""

    count: int
    total: int

    @property
    def value(self) -> float:
        return _div(self.count, self.total)


@dataclass(frozen=True)
class MethodStats:
    """Predicted direct cards of one attribution rule and how many of them are pair-right."""

    n: int
    right: int

    @property
    def precision(self) -> float:
        return _div(self.right, self.n)


@dataclass(frozen=True)
class EvalReport:
    n_documents: int
    direct_exact: Scores
    direct_lenient: Scores
    speaker_accuracy: Ratio
    speaker_accuracy_strict: Ratio | None
    pronoun_accuracy: Ratio | None
    pronoun_given_where_gold_has_none: Ratio | None
    unnamed_speaker_accuracy: Ratio | None
    direct_pair: Scores
    unknown_speaker_rate: Ratio
    partial: Scores
    indirect: Scores
    indirect_speaker_accuracy: Ratio
    addressee_recall: Ratio
    addressee_matched: int
    per_method: dict[str, MethodStats]
    gold_counts: dict[str, int]
    pred_counts: dict[str, int]
    n_ignored_scare: int
    errors: list[dict[str, Any]]


# --------------------------------------------------------------------------- loading


_GOLD_LINE = 'gold is JSON Lines, one {"id", "text", "quotes": [...]} document a line'


def _json_line(line: str, where: str, what: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise InputError(
            f"{where}: not a JSON object ({err.msg} at column {err.colno}); {what}"
        ) from err
    if not isinstance(record, dict):
        raise InputError(f"{where}: not a JSON object but a JSON {type(record).__name__}; {what}")
    return record


def _gold_doc(raw: dict[str, Any], where: str) -> GoldDoc:
    quotes = raw.get("quotes")
    if not isinstance(quotes, list):
        hint = " (these look like fact cards: pass them with --pred)" if "doc_id" in raw else ""
        raise InputError(
            f'{where}: no "quotes" list, so there is nothing to score against{hint}; {_GOLD_LINE}'
            " (shared/eval/README.md)"
        )
    for field_name in ("id", "text"):
        if raw.get(field_name) is None:
            raise InputError(f'{where}: no "{field_name}"; {_GOLD_LINE}')
    text = raw["text"]
    if not isinstance(text, str):
        raise InputError(f'{where}: "text" must be a string')
    for i, q in enumerate(quotes):
        start = _int_or_none(q.get("start")) if isinstance(q, dict) else None
        end = _int_or_none(q.get("end")) if isinstance(q, dict) else None
        if start is None or end is None or not 0 <= start <= end <= len(text):
            raise InputError(
                f'{where}: quote {i} needs integer "start" and "end" offsets into "text" '
                f"(0 ≤ start ≤ end ≤ {len(text)})"
            )
    meta = raw.get("meta")
    return GoldDoc(
        id=str(raw["id"]),
        text=text,
        quotes=[dict(q) for q in quotes],
        source=str(raw.get("source") or ""),
        meta=dict(meta) if isinstance(meta, Mapping) else None,
    )


def load_gold(lines: Iterable[str], where: str = "gold") -> list[GoldDoc]:
    """Parse gold JSON Lines (blank lines skipped) into documents, keeping the raw quote dicts.

    ``where`` names the source in errors: a line that is not a gold document raises
    :class:`~quotes.errors.InputError` ``WHERE:LINE: what is wrong``.
    """
    docs: list[GoldDoc] = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            at = f"{where}:{number}"
            docs.append(_gold_doc(_json_line(line, at, _GOLD_LINE), at))
    return docs


def read_gold(path: Path) -> list[GoldDoc]:
    """The gold documents of a JSON Lines file; :class:`~quotes.errors.InputError` (naming the
    file and line) when it cannot be read, is not gold, or holds no document."""
    docs = load_gold(jsonl_lines(read_utf8(path)), str(path))
    if not docs:
        raise InputError(f"{path}: no gold documents (the file is empty); {_GOLD_LINE}")
    return docs


@dataclass(frozen=True)
class Predictions:
    """Fact card dicts by document id, as read from a file of cards."""

    by_doc: dict[str, list[dict[str, Any]]]
    #: document ids that are in no gold document, in file order (their cards are ignored)
    unknown_ids: list[str]
    #: what the reader should know, though the cards can be scored (``FILE: ...``)
    warnings: list[str]


def _card_records(path: Path) -> Iterator[tuple[str, Any]]:
    """(where, record) for each card of a file of cards; a line that is not JSON stops it."""
    for where, record in read_records(path):
        if isinstance(record, DocumentFailure):
            raise InputError(
                f"{record}; cards are JSON Lines, one fact card a line "
                "(quotes extract GOLD -o cards.jsonl)"
            )
        yield where, record


def read_predictions(path: Path, gold: Sequence[GoldDoc]) -> Predictions:
    """The fact cards of a file, by ``doc_id``, checked against the gold documents they are
    scored on: :class:`~quotes.errors.InputError` when a record is not a card, or when there are
    cards and none of their document ids is in the gold (nothing could be scored)."""
    gold_ids = {d.id for d in gold}
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for where, record in _card_records(path):
        if not isinstance(record, dict) or "doc_id" not in record:
            hint = ": it looks like gold, give it as GOLD" if _looks_like_gold(record) else ""
            raise InputError(f'{where}: not a fact card (no "doc_id"){hint}')
        by_doc.setdefault(str(record["doc_id"]), []).append(record)
    unknown = [doc_id for doc_id in by_doc if doc_id not in gold_ids]
    if by_doc and len(unknown) == len(by_doc):
        raise InputError(
            f"{path}: none of the document ids of its cards ({_some(unknown)}) is a gold document "
            f"id ({_some(sorted(gold_ids))}); score cards extracted from the gold texts "
            "(quotes extract GOLD -o cards.jsonl), or leave out --pred to extract them here"
        )
    warnings = []
    if not by_doc:
        warnings.append(f"{path}: no cards, so every score is 0")
    elif unknown:
        warnings.append(
            f"{path}: the cards of {len(unknown)} documents that are not in the gold are not "
            f"scored ({_some(unknown, 10)}); were they extracted from another file?"
        )
    return Predictions(by_doc, unknown, warnings)


def _looks_like_gold(record: Any) -> bool:
    return isinstance(record, dict) and isinstance(record.get("quotes"), list)


def _some(ids: Sequence[str], most: int = 3) -> str:
    shown = ", ".join(repr(i) for i in ids[:most])
    return shown + (f" and {len(ids) - most} more" if len(ids) > most else "")


# --------------------------------------------------------------------------- helpers


def _div(a: int, b: int) -> float:
    return a / b if b else 0.0


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of ``text`` (which sits at ``start:end``) without the trimmed characters at its
    ends; an all-trimmed span becomes the empty span ``(start, start)``."""
    i, j = 0, len(text)
    while i < j and (text[i].isspace() or text[i] in _TRIM_CHARS):
        i += 1
    while j > i and (text[j - 1].isspace() or text[j - 1] in _TRIM_CHARS):
        j -= 1
    if i == j:
        return start, start
    return start + i, start + j


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _length(a: tuple[int, int]) -> int:
    return a[1] - a[0]


def _inside(inner: tuple[int, int], outer: tuple[int, int]) -> bool:
    """At least 80% of ``inner``'s length lies inside ``outer``."""
    n = _length(inner)
    return n > 0 and _overlap(inner, outer) >= PARTIAL_INSIDE * n


def _words(text: str | None) -> list[str]:
    """Lowercased word tokens, a trailing possessive ``'s`` dropped."""
    raw: list[str] = _TOKEN_RE.findall(text.lower()) if text else []
    return [t[:-2] if len(t) > 2 and t[-2:] in ("'s", "’s") else t for t in raw]


def _name_tokens(name: str | None, title: str | None = None) -> list[str]:
    """The tokens the lenient speaker rule compares: honorifics, titles (and the card's own
    ``title``), suffixes and function words dropped wherever they stand."""
    raw = _words(name)
    drop = _HONORIFICS | _SUFFIXES | _NAME_STOPWORDS | frozenset(_words(title))
    kept = [t for t in raw if t not in drop]
    return kept or raw


def _canonical_tokens(name: str | None, title: str | None = None) -> list[str]:
    """The tokens the strict rule compares: the name as the canonical README writes it, so only
    the honorifics and titles leading it (and the card's own ``title`` tokens) are dropped;
    suffixes (``Jr``, ``III``), particles and function words ("Ministry of Health") stay."""
    raw = _words(name)
    own_title = frozenset(_words(title))
    kept = [t for t in raw if t not in own_title]
    while kept and kept[0] in _HONORIFICS:
        kept.pop(0)
    return kept or raw


def _as_mapping(value: Any) -> Mapping[str, Any] | None:
    return value if isinstance(value, Mapping) else None


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class _Span:
    """A gold quote or a predicted card, as the metrics see it."""

    index: int
    kind: str
    start: int  # raw offsets
    end: int
    trimmed: tuple[int, int]
    text: str
    raw: Mapping[str, Any]


def _span(doc: GoldDoc, index: int, kind: str, start: int, end: int, text: Any, raw: Any) -> _Span:
    t = text if isinstance(text, str) and len(text) == end - start else doc.text[start:end]
    return _Span(index, kind, start, end, trim_span(t, start, end), t, raw)


def _gold_spans(doc: GoldDoc) -> list[_Span]:
    spans = []
    for i, q in enumerate(doc.quotes):
        start, end = int(q["start"]), int(q["end"])
        spans.append(_span(doc, i, str(q.get("kind", "")), start, end, q.get("text"), q))
    return spans


def _pred_spans(doc: GoldDoc, cards: Sequence[Mapping[str, Any]]) -> list[_Span]:
    spans = []
    for i, card in enumerate(cards):
        quote = _as_mapping(card.get("quote")) or {}
        start, end = _int_or_none(quote.get("start")), _int_or_none(quote.get("end"))
        if start is None or end is None:
            continue
        spans.append(_span(doc, i, str(quote.get("kind", "")), start, end, quote.get("text"), card))
    return spans


def _gold_speaker(q: Mapping[str, Any]) -> str | None:
    s = q.get("speaker")
    return s if isinstance(s, str) and s.strip() else None


def _pred_speaker(card: Mapping[str, Any]) -> Mapping[str, Any] | None:
    return _as_mapping(card.get("speaker"))


def _pred_speaker_name(card: Mapping[str, Any]) -> str | None:
    sp = _pred_speaker(card)
    name = sp.get("name") if sp else None
    return name if isinstance(name, str) and name.strip() else None


def _pred_speaker_span(card: Mapping[str, Any]) -> tuple[int, int] | None:
    sp = _pred_speaker(card)
    if sp is None:
        return None
    s, e = _int_or_none(sp.get("start")), _int_or_none(sp.get("end"))
    return (s, e) if s is not None and e is not None else None


def _gold_speaker_span(q: Mapping[str, Any]) -> tuple[int, int] | None:
    s, e = _int_or_none(q.get("speaker_start")), _int_or_none(q.get("speaker_end"))
    return (s, e) if s is not None and e is not None else None


def _pred_name_tokens(
    card: Mapping[str, Any], tokens: Callable[[str | None, str | None], list[str]] = _name_tokens
) -> list[str]:
    sp = _pred_speaker(card)
    if sp is None:
        return []
    title = sp.get("title")
    return tokens(_pred_speaker_name(card), title if isinstance(title, str) else None)


def _speaker_right(q: Mapping[str, Any], card: Mapping[str, Any]) -> bool:
    """The README speaker rule (see the module docstring); gold must have a speaker."""
    gold = _gold_speaker(q)
    if gold is None or _pred_speaker(card) is None:
        return False
    gold_span = _gold_speaker_span(q)
    if not q.get("speaker_is_canonical", False) and gold_span is not None:
        pred_span = _pred_speaker_span(card)
        return pred_span is not None and _overlap(pred_span, gold_span) > 0
    pred_tokens = set(_pred_name_tokens(card))
    aliases = q.get("speaker_aliases") or []
    for name in [gold, *(a for a in aliases if isinstance(a, str))]:
        tokens = _name_tokens(name)
        if tokens and tokens[-1] in pred_tokens:
            return True
    return False


def _speaker_strict(q: Mapping[str, Any], card: Mapping[str, Any]) -> bool:
    gold = _gold_speaker(q)
    pred_tokens = _pred_name_tokens(card, _canonical_tokens)
    return gold is not None and bool(pred_tokens) and _canonical_tokens(gold) == pred_tokens


def _pred_named(card: Mapping[str, Any]) -> bool:
    """The card's ``speaker.named``; a card without the field names its speaker."""
    sp = _pred_speaker(card)
    return sp is None or sp.get("named", True) is not False


def _pred_pronoun(card: Mapping[str, Any]) -> str | None:
    """The card's ``speaker.pronoun``; missing means null."""
    sp = _pred_speaker(card)
    pronoun = sp.get("pronoun") if sp else None
    return pronoun if isinstance(pronoun, str) else None


def _gold_pronoun(q: Mapping[str, Any]) -> str | None:
    pronoun = q.get("speaker_pronoun")
    return pronoun if isinstance(pronoun, str) else None


def _addressee_right(gold_name: str, card: Mapping[str, Any]) -> bool:
    gold_tokens = _name_tokens(gold_name)
    addressee = _as_mapping(card.get("addressee"))
    name = addressee.get("name") if addressee else None
    if not gold_tokens or not isinstance(name, str):
        return False
    return gold_tokens[-1] in set(_name_tokens(name))


#: Scores a candidate pair of trimmed spans (gold, predicted): ``None`` when they do not match,
#: else the ``(score, tiebreak)`` that orders the greedy matching (higher first).
_PairScore = Callable[[tuple[int, int], tuple[int, int]], tuple[float, float] | None]


def _exact_score(g: tuple[int, int], p: tuple[int, int]) -> tuple[float, float] | None:
    return (1.0, 0.0) if g == p and _length(g) > 0 else None


def _lenient_score(g: tuple[int, int], p: tuple[int, int]) -> tuple[float, float] | None:
    """Overlap / union ≥ 0.5; ties go to the larger overlap."""
    ov = _overlap(g, p)
    union = _length(g) + _length(p) - ov
    return (ov / union, float(ov)) if ov > 0 and ov >= LENIENT_IOU * union else None


def _indirect_score(g: tuple[int, int], p: tuple[int, int]) -> tuple[float, float] | None:
    """The overlap covers ≥ 50% of the shorter span; ties go to the larger overlap / union."""
    ov = _overlap(g, p)
    if ov == 0:
        return None
    shorter = min(_length(g), _length(p))
    union = _length(g) + _length(p) - ov
    return (ov / shorter, ov / union) if ov >= INDIRECT_COVER * shorter else None


@dataclass(frozen=True)
class _Matching:
    """A one-to-one matching of gold spans and predicted spans."""

    gold: Sequence[_Span]
    pred: Sequence[_Span]
    pred_to_gold: dict[int, int]  # positions in ``pred`` -> positions in ``gold``

    def __len__(self) -> int:
        return len(self.pred_to_gold)

    def by_prediction(self) -> Iterator[tuple[_Span | None, _Span]]:
        """(matched gold or ``None``, prediction) for each prediction, in prediction order."""
        for pi, p in enumerate(self.pred):
            gi = self.pred_to_gold.get(pi)
            yield (self.gold[gi] if gi is not None else None), p

    def missed_gold(self) -> list[_Span]:
        """The gold spans nothing matched, in gold order."""
        found = set(self.pred_to_gold.values())
        return [g for gi, g in enumerate(self.gold) if gi not in found]


def _match(gold: Sequence[_Span], pred: Sequence[_Span], score: _PairScore) -> _Matching:
    """One-to-one greedy matching, best score first, then the tiebreak, then gold order, then
    prediction order."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            s = score(g.trimmed, p.trimmed)
            if s is not None:
                candidates.append((s[0], s[1], gi, pi))
    candidates.sort(key=lambda c: (-c[0], -c[1], c[2], c[3]))
    gold_used: set[int] = set()
    pred_to_gold: dict[int, int] = {}
    for _, _, gi, pi in candidates:
        if gi in gold_used or pi in pred_to_gold:
            continue
        gold_used.add(gi)
        pred_to_gold[pi] = gi
    return _Matching(gold, pred, pred_to_gold)


def _context(text: str, start: int, end: int) -> str:
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    if para_end == -1:
        para_end = len(text)
    lo = max(para_start, start - CONTEXT_CHARS)
    hi = min(para_end, end + CONTEXT_CHARS)
    return text[lo:hi].strip()


def _error(
    doc: GoldDoc, etype: str, kind: str, gold: _Span | None, pred: _Span | None
) -> dict[str, Any]:
    primary = gold if gold is not None else pred
    assert primary is not None
    gq = gold.raw if gold is not None else None
    card = pred.raw if pred is not None else None
    gold_sp = _gold_speaker_span(gq) if gq is not None else None
    pred_sp = _pred_speaker_span(card) if card is not None else None
    method = card.get("method") if card is not None else None
    return {
        "doc_id": doc.id,
        "type": etype,
        "kind": kind,
        "start": primary.start,
        "end": primary.end,
        "text": primary.text,
        "gold_span": [gold.start, gold.end] if gold is not None else None,
        "pred_span": [pred.start, pred.end] if pred is not None else None,
        "gold_speaker": _gold_speaker(gq) if gq is not None else None,
        "gold_speaker_span": list(gold_sp) if gold_sp is not None else None,
        "pred_speaker": _pred_speaker_name(card) if card is not None else None,
        "pred_speaker_span": list(pred_sp) if pred_sp is not None else None,
        "method": method if isinstance(method, str) else None,
        "context": _context(doc.text, primary.start, primary.end),
    }


# --------------------------------------------------------------------------- evaluation


@dataclass
class _Count:
    """A ratio being tallied: ``count`` right of ``total``.

    ``defined`` is for the metrics that exist only for some gold (canonical names, pronouns,
    unnamed speakers): it is set once the gold holds a quote of the metric's population.
    """

    count: int = 0
    total: int = 0
    defined: bool = False

    def add(self, right: bool) -> None:
        self.total += 1
        self.count += right

    def ratio(self) -> Ratio:
        return Ratio(self.count, self.total)

    def ratio_if_defined(self) -> Ratio | None:
        return self.ratio() if self.defined else None


@dataclass
class _Detection:
    """Precision / recall counts being tallied (see :class:`Scores`)."""

    pred_correct: int = 0
    n_pred: int = 0
    gold_found: int = 0
    n_gold: int = 0

    def add_matching(self, matched: int, n_pred: int, n_gold: int) -> None:
        """A one-to-one matching: its pairs are both the right predictions and the found gold."""
        self.pred_correct += matched
        self.n_pred += n_pred
        self.gold_found += matched
        self.n_gold += n_gold

    def scores(self) -> Scores:
        return Scores(self.pred_correct, self.n_pred, self.gold_found, self.n_gold)


@dataclass
class _Tally:
    """The counters of every metric, summed over the documents."""

    direct_exact: _Detection = field(default_factory=_Detection)
    direct_lenient: _Detection = field(default_factory=_Detection)
    direct_pair: _Detection = field(default_factory=_Detection)
    speaker: _Count = field(default_factory=_Count)
    speaker_strict: _Count = field(default_factory=_Count)
    pronoun: _Count = field(default_factory=_Count)
    pronoun_gold_none: _Count = field(default_factory=_Count)
    unnamed_speaker: _Count = field(default_factory=_Count)
    unknown_speaker: _Count = field(default_factory=_Count)
    #: per attribution rule: ``count`` pair-right of ``total`` judged cards
    per_method: dict[str, _Count] = field(default_factory=dict)
    partial: _Detection = field(default_factory=_Detection)
    indirect: _Detection = field(default_factory=_Detection)
    indirect_speaker: _Count = field(default_factory=_Count)
    addressee: _Count = field(default_factory=_Count)
    addressee_matched: int = 0
    ignored_scare: int = 0
    gold_counts: Counter[str] = field(default_factory=Counter)
    pred_counts: Counter[str] = field(default_factory=Counter)
    #: (document position, start, end, error): sorted once at the end
    errors: list[tuple[int, int, int, dict[str, Any]]] = field(default_factory=list)


@dataclass
class _DocRun:
    """One gold document and its cards as spans, while its metrics are computed."""

    doc: GoldDoc
    position: int
    gold: list[_Span]
    pred: list[_Span]
    tally: _Tally
    #: the card matched to each gold quote (by its index in ``doc.quotes``), for the addressees
    matched: dict[int, _Span] = field(default_factory=dict)
    #: the lenient direct pairs (gold, card), for the speaker metrics that need no errors
    direct_pairs: list[tuple[_Span, _Span]] = field(default_factory=list)

    def error(self, etype: str, kind: str, g: _Span | None, p: _Span | None) -> None:
        primary = g if g is not None else p
        assert primary is not None
        record = _error(self.doc, etype, kind, g, p)
        self.tally.errors.append((self.position, primary.start, primary.end, record))


def _canonical(g: _Span) -> bool:
    return bool(g.raw.get("speaker_is_canonical", False))


def _direct(run: _DocRun) -> None:
    """Direct detection (exact and lenient), and each lenient pair judged by its speaker."""
    t = run.tally
    scare = {g.trimmed for g in run.gold if g.kind == "scare" and _length(g.trimmed) > 0}
    g_dir = [g for g in run.gold if g.kind == "direct"]
    p_dir = [p for p in run.pred if p.kind == "direct" and p.trimmed not in scare]
    t.ignored_scare += sum(p.kind == "direct" and p.trimmed in scare for p in run.pred)
    t.direct_exact.add_matching(len(_match(g_dir, p_dir, _exact_score)), len(p_dir), len(g_dir))
    lenient = _match(g_dir, p_dir, _lenient_score)
    t.direct_lenient.add_matching(len(lenient), len(p_dir), len(g_dir))
    with_speaker = [g for g in g_dir if _gold_speaker(g.raw) is not None]
    t.direct_pair.n_gold += len(with_speaker)
    t.speaker_strict.defined |= any(_canonical(g) for g in with_speaker)
    for g, p in lenient.by_prediction():
        t.unknown_speaker.add(_pred_speaker_name(p.raw) is None)
        if g is None:
            _judge_direct_card(run, None, p)
            run.error("fp", "direct", None, p)
            continue
        run.matched[g.index] = p
        run.direct_pairs.append((g, p))
        if g.trimmed != p.trimmed:
            run.error("boundary", "direct", g, p)
        _judge_direct_card(run, g, p)
    for g in lenient.missed_gold():
        run.error("fn", "direct", g, None)


def _judge_direct_card(run: _DocRun, g: _Span | None, p: _Span) -> None:
    """Speaker accuracy (lenient and strict), direct pair and per-method precision for one
    predicted direct card and the gold it is matched to (``None``: unmatched)."""
    if g is not None and _gold_speaker(g.raw) is None:
        return  # cannot be judged: out of speaker accuracy and pair precision
    t = run.tally
    right = g is not None and _speaker_right(g.raw, p.raw)
    t.direct_pair.n_pred += 1
    t.direct_pair.pred_correct += right
    t.direct_pair.gold_found += right
    t.per_method.setdefault(str(p.raw.get("method", "none")), _Count()).add(right)
    if g is None:
        return
    t.speaker.add(right)
    if _canonical(g):
        t.speaker_strict.add(_speaker_strict(g.raw, p.raw))
    if not right:
        run.error("wrong_speaker", "direct", g, p)


def _pronouns(run: _DocRun) -> None:
    """Pronoun accuracy over lenient direct pairs whose speaker is right and whose gold pronoun is
    given; and how many cards give a pronoun where the gold pronoun is null."""
    t = run.tally
    annotated = [
        g.raw
        for g in run.gold
        if g.kind == "direct" and _gold_speaker(g.raw) is not None and "speaker_pronoun" in g.raw
    ]
    t.pronoun.defined |= any(_gold_pronoun(q) is not None for q in annotated)
    t.pronoun_gold_none.defined |= any(_gold_pronoun(q) is None for q in annotated)
    for g, p in run.direct_pairs:
        if "speaker_pronoun" not in g.raw or not _speaker_right(g.raw, p.raw):
            continue
        gold = _gold_pronoun(g.raw)
        if gold is not None:
            t.pronoun.add(_pred_pronoun(p.raw) == gold)
        else:
            t.pronoun_gold_none.add(_pred_pronoun(p.raw) is not None)


def _unnamed_speakers(run: _DocRun) -> None:
    """Lenient direct pairs whose canonical gold speaker is null: the card names nobody."""
    t = run.tally
    t.unnamed_speaker.defined |= any(
        g.kind == "direct" and _canonical(g) and _gold_speaker(g.raw) is None for g in run.gold
    )
    for g, p in run.direct_pairs:
        if not _canonical(g) or _gold_speaker(g.raw) is not None:
            continue
        description = g.raw.get("speaker_description")
        described = isinstance(description, str) and bool(description.strip())
        no_speaker = _pred_speaker_name(p.raw) is None
        t.unnamed_speaker.add(no_speaker or (described and not _pred_named(p.raw)))


def _partial(run: _DocRun) -> None:
    """Partial: gold mixed/partial found by a card lying inside it; partial cards inside gold."""
    t = run.tally
    g_part = [g for g in run.gold if g.kind in ("mixed", "partial")]
    p_cover = [p for p in run.pred if p.kind in ("partial", "direct")]
    t.partial.n_gold += len(g_part)
    for g in g_part:
        inside = [p for p in p_cover if _inside(p.trimmed, g.trimmed)]
        best = max(inside, key=lambda p: _overlap(p.trimmed, g.trimmed), default=None)
        if best is not None:
            t.partial.gold_found += 1
            run.matched[g.index] = best
        else:
            run.error("fn", g.kind, g, None)
    for p in run.pred:
        if p.kind != "partial":
            continue
        t.partial.n_pred += 1
        if any(_inside(p.trimmed, g.trimmed) for g in run.gold):
            t.partial.pred_correct += 1
        else:
            run.error("fp", "partial", None, p)


def _indirect(run: _DocRun) -> None:
    """Indirect detection, and the speaker of each matched pair whose gold has one."""
    t = run.tally
    g_ind = [g for g in run.gold if g.kind == "indirect"]
    p_ind = [p for p in run.pred if p.kind == "indirect"]
    pairs = _match(g_ind, p_ind, _indirect_score)
    t.indirect.add_matching(len(pairs), len(p_ind), len(g_ind))
    for g, p in pairs.by_prediction():
        if g is None:
            run.error("fp", "indirect", None, p)
            continue
        run.matched[g.index] = p
        if _gold_speaker(g.raw) is None:
            continue
        right = _speaker_right(g.raw, p.raw)
        t.indirect_speaker.add(right)
        if not right:
            run.error("wrong_speaker", "indirect", g, p)
    for g in pairs.missed_gold():
        run.error("fn", "indirect", g, None)


def _addressees(run: _DocRun) -> None:
    """Addressee recall over gold quotes with an addressee, through the card matched to each."""
    t = run.tally
    for g in run.gold:
        name = g.raw.get("addressee")
        if g.kind == "scare" or not isinstance(name, str) or not name.strip():
            continue
        card = run.matched.get(g.index)
        if card is not None:
            t.addressee_matched += 1
        t.addressee.add(card is not None and _addressee_right(name, card.raw))


#: The metrics, in the order their errors are recorded (the final sort is stable).
_METRICS: tuple[Callable[[_DocRun], None], ...] = (
    _direct,
    _pronouns,
    _unnamed_speakers,
    _partial,
    _indirect,
    _addressees,
)


def evaluate(
    gold: Sequence[GoldDoc], predictions: Mapping[str, Sequence[Mapping[str, Any]]]
) -> EvalReport:
    """Score predicted cards (``doc_id -> card dicts``) against the gold documents."""
    t = _Tally()
    for position, doc in enumerate(gold):
        run = _DocRun(
            doc, position, _gold_spans(doc), _pred_spans(doc, predictions.get(doc.id, ())), t
        )
        t.gold_counts.update(g.kind for g in run.gold)
        t.pred_counts.update(p.kind for p in run.pred)
        for metric in _METRICS:
            metric(run)

    t.errors.sort(key=lambda e: (e[0], e[1], e[2]))
    return EvalReport(
        n_documents=len(gold),
        direct_exact=t.direct_exact.scores(),
        direct_lenient=t.direct_lenient.scores(),
        speaker_accuracy=t.speaker.ratio(),
        speaker_accuracy_strict=t.speaker_strict.ratio_if_defined(),
        pronoun_accuracy=t.pronoun.ratio_if_defined(),
        pronoun_given_where_gold_has_none=t.pronoun_gold_none.ratio_if_defined(),
        unnamed_speaker_accuracy=t.unnamed_speaker.ratio_if_defined(),
        direct_pair=t.direct_pair.scores(),
        unknown_speaker_rate=t.unknown_speaker.ratio(),
        partial=t.partial.scores(),
        indirect=t.indirect.scores(),
        indirect_speaker_accuracy=t.indirect_speaker.ratio(),
        addressee_recall=t.addressee.ratio(),
        addressee_matched=t.addressee_matched,
        per_method={
            m: MethodStats(n=c.total, right=c.count) for m, c in sorted(t.per_method.items())
        },
        gold_counts=dict(sorted(t.gold_counts.items())),
        pred_counts=dict(sorted(t.pred_counts.items())),
        n_ignored_scare=t.ignored_scare,
        errors=[e[3] for e in t.errors],
    )


# --------------------------------------------------------------------------- output


def _scores_json(s: Scores) -> dict[str, Any]:
    return {
        "precision": s.precision,
        "recall": s.recall,
        "f1": s.f1,
        "pred_correct": s.pred_correct,
        "n_pred": s.n_pred,
        "gold_found": s.gold_found,
        "n_gold": s.n_gold,
    }


def _ratio_json(r: Ratio | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {"value": r.value, "count": r.count, "total": r.total}


def report_to_json(report: EvalReport, *, include_errors: bool = True) -> dict[str, Any]:
    """The report as plain JSON-serialisable data (floats unrounded)."""
    out: dict[str, Any] = {
        "n_documents": report.n_documents,
        "direct_exact": _scores_json(report.direct_exact),
        "direct_lenient": _scores_json(report.direct_lenient),
        "speaker_accuracy": _ratio_json(report.speaker_accuracy),
        "speaker_accuracy_strict": _ratio_json(report.speaker_accuracy_strict),
        "pronoun_accuracy": _ratio_json(report.pronoun_accuracy),
        "pronoun_given_where_gold_has_none": _ratio_json(report.pronoun_given_where_gold_has_none),
        "unnamed_speaker_accuracy": _ratio_json(report.unnamed_speaker_accuracy),
        "direct_pair": _scores_json(report.direct_pair),
        "unknown_speaker_rate": _ratio_json(report.unknown_speaker_rate),
        "partial": _scores_json(report.partial),
        "indirect": _scores_json(report.indirect),
        "indirect_speaker_accuracy": _ratio_json(report.indirect_speaker_accuracy),
        "addressee_recall": _ratio_json(report.addressee_recall),
        "addressee_matched": report.addressee_matched,
        "per_method": {
            m: {"n": s.n, "right": s.right, "precision": s.precision}
            for m, s in report.per_method.items()
        },
        "gold_counts": dict(report.gold_counts),
        "pred_counts": dict(report.pred_counts),
        "n_ignored_scare": report.n_ignored_scare,
        "n_errors": len(report.errors),
    }
    if include_errors:
        out["errors"] = [dict(e) for e in report.errors]
    return out


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    return [line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def format_report(report: EvalReport) -> str:
    """A human-readable report: aligned tables of every metric."""

    def f(x: float) -> str:
        return f"{x:.3f}"

    def prf(name: str, s: Scores) -> list[str]:
        counts = f"{s.pred_correct}/{s.n_pred} pred, {s.gold_found}/{s.n_gold} gold"
        return [name, f(s.precision), f(s.recall), f(s.f1), counts]

    def acc(name: str, r: Ratio | None, undefined: str = "") -> list[str]:
        if r is None:
            return [name, "", "", "n/a", undefined]
        return [name, "", "", f(r.value), f"{r.count}/{r.total}"]

    rows = [
        prf("direct exact", report.direct_exact),
        prf("direct lenient", report.direct_lenient),
        prf("direct pair (headline)", report.direct_pair),
        acc("speaker accuracy", report.speaker_accuracy),
        acc("speaker accuracy strict", report.speaker_accuracy_strict, "no canonical gold"),
        acc("pronoun accuracy", report.pronoun_accuracy, "no gold pronouns"),
        acc(
            "pronoun given, gold none",
            report.pronoun_given_where_gold_has_none,
            "no gold null pronouns",
        ),
        acc("unnamed speaker accuracy", report.unnamed_speaker_accuracy, "no unnamed gold"),
        acc("unknown-speaker rate", report.unknown_speaker_rate),
        prf("partial", report.partial),
        prf("indirect", report.indirect),
        acc("indirect speaker accuracy", report.indirect_speaker_accuracy),
        acc("addressee recall", report.addressee_recall),
    ]
    lines = [
        f"documents: {report.n_documents}   errors: {len(report.errors)}"
        f"   ignored scare predictions: {report.n_ignored_scare}",
        "",
        *_table(["metric", "P", "R", "F1/value", "counts"], rows),
        "",
        "direct pair precision per attribution rule",
    ]
    method_rows = [
        [m, str(s.n), str(s.right), f(s.precision)] for m, s in report.per_method.items()
    ]
    lines += _table(["method", "cards", "right", "precision"], method_rows or [["-", "0", "0", ""]])
    kinds = sorted(set(report.gold_counts) | set(report.pred_counts))
    kind_rows = [
        [k, str(report.gold_counts.get(k, 0)), str(report.pred_counts.get(k, 0))] for k in kinds
    ]
    lines += ["", "spans per kind"]
    lines += _table(["kind", "gold", "predicted"], kind_rows or [["-", "0", "0"]])
    return "\n".join(lines) + "\n"
