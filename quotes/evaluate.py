"""Evaluation metrics: predicted fact cards against human-annotated gold quotes.

The gold format and the metrics are defined in ``shared/eval/README.md``; this module implements
them exactly, plus a few conventions the README leaves open (all listed here):

* **Spans** are compared after trimming whitespace, the quotation marks
  ``" ' “ ” ‘ ’ « » ‹ › „ ‚`` and the punctuation ``, . ; : — – - …`` from both ends. A span's own
  ``text`` is trimmed and its offsets moved accordingly (the document slice is used when the text
  does not fit the offsets). A span that trims to nothing has length 0 and matches nothing.
* **Zero denominators** give 0.0 (precision, recall, F1, accuracies, rates), with one exception:
  the strict speaker accuracy is ``None`` when the gold holds no canonical direct quote with a
  speaker (it is only defined for canonical gold).
* **Documents**: a gold document without predictions has no predictions; predictions for doc ids
  that are not in the gold are ignored.
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
  *Strict* (canonical gold only): the predicted name tokens equal the gold name tokens (aliases
  are not accepted). A card without a speaker is never right. Mention gold lacking speaker
  offsets falls back to the canonical (name) rule.
* **Speaker accuracy** counts lenient-matched direct pairs whose gold has a speaker.
* **Direct pair**: a predicted direct card is right when it is lenient-matched and its speaker is
  right. Recall is over gold direct spans with a speaker. Precision is over predicted direct
  cards, minus the ignored scare ones and minus cards matched to a gold direct span that has no
  speaker (those cannot be judged, just as their gold is left out of the recall).
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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "CONTEXT_CHARS",
    "EvalReport",
    "GoldDoc",
    "MethodStats",
    "Ratio",
    "Scores",
    "evaluate",
    "format_report",
    "load_gold",
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


def load_gold(lines: Iterable[str]) -> list[GoldDoc]:
    """Parse gold JSON Lines (blank lines skipped) into documents, keeping the raw quote dicts."""
    docs: list[GoldDoc] = []
    for line in lines:
        if not line.strip():
            continue
        raw = json.loads(line)
        meta = raw.get("meta")
        docs.append(
            GoldDoc(
                id=str(raw["id"]),
                text=str(raw["text"]),
                quotes=[dict(q) for q in raw.get("quotes", [])],
                source=str(raw.get("source") or ""),
                meta=dict(meta) if isinstance(meta, Mapping) else None,
            )
        )
    return docs


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


def _name_tokens(name: str | None, title: str | None = None) -> list[str]:
    if not name:
        return []
    raw: list[str] = _TOKEN_RE.findall(name.lower())
    raw = [t[:-2] if len(t) > 2 and t[-2:] in ("'s", "’s") else t for t in raw]
    drop = _HONORIFICS | _SUFFIXES | _NAME_STOPWORDS
    if title:
        drop = drop | frozenset(_TOKEN_RE.findall(title.lower()))
    kept = [t for t in raw if t not in drop]
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


def _pred_name_tokens(card: Mapping[str, Any]) -> list[str]:
    sp = _pred_speaker(card)
    if sp is None:
        return []
    title = sp.get("title")
    return _name_tokens(_pred_speaker_name(card), title if isinstance(title, str) else None)


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
    pred_tokens = _pred_name_tokens(card)
    return gold is not None and bool(pred_tokens) and _name_tokens(gold) == pred_tokens


def _addressee_right(gold_name: str, card: Mapping[str, Any]) -> bool:
    gold_tokens = _name_tokens(gold_name)
    addressee = _as_mapping(card.get("addressee"))
    name = addressee.get("name") if addressee else None
    if not gold_tokens or not isinstance(name, str):
        return False
    return gold_tokens[-1] in set(_name_tokens(name))


def _greedy(candidates: list[tuple[float, float, int, int]]) -> dict[int, int]:
    """One-to-one greedy matching; candidates are (score, tiebreak, gold_pos, pred_pos)."""
    candidates.sort(key=lambda c: (-c[0], -c[1], c[2], c[3]))
    gold_used: set[int] = set()
    pred_to_gold: dict[int, int] = {}
    for _, _, g, p in candidates:
        if g in gold_used or p in pred_to_gold:
            continue
        gold_used.add(g)
        pred_to_gold[p] = g
    return pred_to_gold


def _match_lenient(gold: Sequence[_Span], pred: Sequence[_Span]) -> dict[int, int]:
    cands = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            ov = _overlap(g.trimmed, p.trimmed)
            if ov == 0:
                continue
            union = _length(g.trimmed) + _length(p.trimmed) - ov
            if ov >= LENIENT_IOU * union:
                cands.append((ov / union, float(ov), gi, pi))
    return _greedy(cands)


def _match_exact(gold: Sequence[_Span], pred: Sequence[_Span]) -> dict[int, int]:
    cands = [
        (1.0, 0.0, gi, pi)
        for gi, g in enumerate(gold)
        for pi, p in enumerate(pred)
        if g.trimmed == p.trimmed and _length(g.trimmed) > 0
    ]
    return _greedy(cands)


def _match_indirect(gold: Sequence[_Span], pred: Sequence[_Span]) -> dict[int, int]:
    cands = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            ov = _overlap(g.trimmed, p.trimmed)
            if ov == 0:
                continue
            shorter = min(_length(g.trimmed), _length(p.trimmed))
            if ov >= INDIRECT_COVER * shorter:
                union = _length(g.trimmed) + _length(p.trimmed) - ov
                cands.append((ov / shorter, ov / union, gi, pi))
    return _greedy(cands)


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
class _Tally:
    exact_tp: int = 0
    lenient_tp: int = 0
    n_pred_direct: int = 0
    n_gold_direct: int = 0
    speaker_right: int = 0
    speaker_total: int = 0
    strict_right: int = 0
    strict_total: int = 0
    has_canonical: bool = False
    pair_right: int = 0
    pair_n_pred: int = 0
    pair_n_gold: int = 0
    unknown: int = 0
    partial_found: int = 0
    partial_n_gold: int = 0
    partial_pred_inside: int = 0
    partial_n_pred: int = 0
    indirect_tp: int = 0
    indirect_n_pred: int = 0
    indirect_n_gold: int = 0
    indirect_speaker_right: int = 0
    indirect_speaker_total: int = 0
    addressee_right: int = 0
    addressee_total: int = 0
    addressee_matched: int = 0
    ignored_scare: int = 0
    gold_counts: Counter[str] = field(default_factory=Counter)
    pred_counts: Counter[str] = field(default_factory=Counter)


def _evaluate_doc(
    doc: GoldDoc,
    doc_pos: int,
    cards: Sequence[Mapping[str, Any]],
    t: _Tally,
    methods: dict[str, list[int]],
    errors: list[tuple[int, int, int, dict[str, Any]]],
) -> None:
    g_all = _gold_spans(doc)
    p_all = _pred_spans(doc, cards)
    t.gold_counts.update(g.kind for g in g_all)
    t.pred_counts.update(p.kind for p in p_all)

    def add(etype: str, kind: str, g: _Span | None, p: _Span | None) -> None:
        primary = g if g is not None else p
        assert primary is not None
        errors.append((doc_pos, primary.start, primary.end, _error(doc, etype, kind, g, p)))

    # the card matched to each gold quote (by its index in doc.quotes), for the addressee metric
    matched_card: dict[int, _Span] = {}

    # ---- direct
    scare = {g.trimmed for g in g_all if g.kind == "scare" and _length(g.trimmed) > 0}
    g_dir = [g for g in g_all if g.kind == "direct"]
    p_dir: list[_Span] = []
    for p in p_all:
        if p.kind != "direct":
            continue
        if p.trimmed in scare:
            t.ignored_scare += 1
        else:
            p_dir.append(p)
    t.n_gold_direct += len(g_dir)
    t.n_pred_direct += len(p_dir)
    t.exact_tp += len(_match_exact(g_dir, p_dir))
    lenient = _match_lenient(g_dir, p_dir)
    t.lenient_tp += len(lenient)
    gold_matched = set(lenient.values())

    for g in g_dir:
        if _gold_speaker(g.raw) is not None:
            t.pair_n_gold += 1
            if g.raw.get("speaker_is_canonical", False):
                t.has_canonical = True

    for pi, p in enumerate(p_dir):
        if _pred_speaker_name(p.raw) is None:
            t.unknown += 1
        method = str(p.raw.get("method", "none"))
        gi = lenient.get(pi)
        if gi is None:
            t.pair_n_pred += 1
            methods.setdefault(method, [0, 0])[0] += 1
            add("fp", "direct", None, p)
            continue
        g = g_dir[gi]
        matched_card[g.index] = p
        if g.trimmed != p.trimmed:
            add("boundary", "direct", g, p)
        if _gold_speaker(g.raw) is None:
            continue  # cannot be judged: out of speaker accuracy and pair precision
        t.pair_n_pred += 1
        methods.setdefault(method, [0, 0])[0] += 1
        t.speaker_total += 1
        if g.raw.get("speaker_is_canonical", False):
            t.strict_total += 1
            t.strict_right += _speaker_strict(g.raw, p.raw)
        if _speaker_right(g.raw, p.raw):
            t.speaker_right += 1
            t.pair_right += 1
            methods[method][1] += 1
        else:
            add("wrong_speaker", "direct", g, p)
    for gi, g in enumerate(g_dir):
        if gi not in gold_matched:
            add("fn", "direct", g, None)

    # ---- partial
    g_part = [g for g in g_all if g.kind in ("mixed", "partial")]
    p_cover = [p for p in p_all if p.kind in ("partial", "direct")]
    t.partial_n_gold += len(g_part)
    for g in g_part:
        best: _Span | None = None
        for p in p_cover:
            if _inside(p.trimmed, g.trimmed) and (
                best is None or _overlap(p.trimmed, g.trimmed) > _overlap(best.trimmed, g.trimmed)
            ):
                best = p
        if best is not None:
            t.partial_found += 1
            matched_card[g.index] = best
        else:
            add("fn", g.kind, g, None)
    for p in p_all:
        if p.kind != "partial":
            continue
        t.partial_n_pred += 1
        if any(_inside(p.trimmed, g.trimmed) for g in g_all):
            t.partial_pred_inside += 1
        else:
            add("fp", "partial", None, p)

    # ---- indirect
    g_ind = [g for g in g_all if g.kind == "indirect"]
    p_ind = [p for p in p_all if p.kind == "indirect"]
    t.indirect_n_gold += len(g_ind)
    t.indirect_n_pred += len(p_ind)
    ind = _match_indirect(g_ind, p_ind)
    t.indirect_tp += len(ind)
    ind_gold = set(ind.values())
    for pi, p in enumerate(p_ind):
        gi = ind.get(pi)
        if gi is None:
            add("fp", "indirect", None, p)
            continue
        g = g_ind[gi]
        matched_card[g.index] = p
        if _gold_speaker(g.raw) is None:
            continue
        t.indirect_speaker_total += 1
        if _speaker_right(g.raw, p.raw):
            t.indirect_speaker_right += 1
        else:
            add("wrong_speaker", "indirect", g, p)
    for gi, g in enumerate(g_ind):
        if gi not in ind_gold:
            add("fn", "indirect", g, None)

    # ---- addressee
    for g in g_all:
        name = g.raw.get("addressee")
        if g.kind == "scare" or not isinstance(name, str) or not name.strip():
            continue
        t.addressee_total += 1
        card = matched_card.get(g.index)
        if card is not None:
            t.addressee_matched += 1
            t.addressee_right += _addressee_right(name, card.raw)


def evaluate(
    gold: Sequence[GoldDoc], predictions: Mapping[str, Sequence[Mapping[str, Any]]]
) -> EvalReport:
    """Score predicted cards (``doc_id -> card dicts``) against the gold documents."""
    t = _Tally()
    methods: dict[str, list[int]] = {}
    errors: list[tuple[int, int, int, dict[str, Any]]] = []
    for doc_pos, doc in enumerate(gold):
        _evaluate_doc(doc, doc_pos, predictions.get(doc.id, ()), t, methods, errors)

    errors.sort(key=lambda e: (e[0], e[1], e[2]))
    return EvalReport(
        n_documents=len(gold),
        direct_exact=Scores(t.exact_tp, t.n_pred_direct, t.exact_tp, t.n_gold_direct),
        direct_lenient=Scores(t.lenient_tp, t.n_pred_direct, t.lenient_tp, t.n_gold_direct),
        speaker_accuracy=Ratio(t.speaker_right, t.speaker_total),
        speaker_accuracy_strict=(
            Ratio(t.strict_right, t.strict_total) if t.has_canonical else None
        ),
        direct_pair=Scores(t.pair_right, t.pair_n_pred, t.pair_right, t.pair_n_gold),
        unknown_speaker_rate=Ratio(t.unknown, t.n_pred_direct),
        partial=Scores(t.partial_pred_inside, t.partial_n_pred, t.partial_found, t.partial_n_gold),
        indirect=Scores(t.indirect_tp, t.indirect_n_pred, t.indirect_tp, t.indirect_n_gold),
        indirect_speaker_accuracy=Ratio(t.indirect_speaker_right, t.indirect_speaker_total),
        addressee_recall=Ratio(t.addressee_right, t.addressee_total),
        addressee_matched=t.addressee_matched,
        per_method={m: MethodStats(n=v[0], right=v[1]) for m, v in sorted(methods.items())},
        gold_counts=dict(sorted(t.gold_counts.items())),
        pred_counts=dict(sorted(t.pred_counts.items())),
        n_ignored_scare=t.ignored_scare,
        errors=[e[3] for e in errors],
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

    def acc(name: str, r: Ratio | None) -> list[str]:
        if r is None:
            return [name, "", "", "n/a", "no canonical gold"]
        return [name, "", "", f(r.value), f"{r.count}/{r.total}"]

    rows = [
        prf("direct exact", report.direct_exact),
        prf("direct lenient", report.direct_lenient),
        prf("direct pair (headline)", report.direct_pair),
        acc("speaker accuracy", report.speaker_accuracy),
        acc("speaker accuracy strict", report.speaker_accuracy_strict),
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
