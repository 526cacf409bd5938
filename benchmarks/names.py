"""Where the entity recogniser runs, and what naming it buys: designs scored on both dev sets.

Each design parses the documents with the extractor's pipeline and gives the recogniser only
part of them (or all), then builds cards with the same core:

  full        the recogniser over every token (the default; the faster decoder of
              ``quotes.decoders``, whose entities are spaCy's own)
  sentences   only sentences holding a quotation mark, a speech verb or a proper noun, each
              with 4 tokens of context on either side (the recogniser's token vectors reach 4
              tokens, so its entities there are exactly the full run's); others have none
  quotes      only sentences holding a quotation mark or a speech verb (the same way)
  none        no recogniser at all

For each: the share of tokens given to the recogniser, its CPU seconds, PolNeAR dev direct
pair F1 and the strict canonical speaker accuracy on the canonical dev set. Only numbers are
printed; the texts stay in ``../shared``.

    python benchmarks/names.py
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
CONTEXT = 4  # tokens: the reach of the recogniser's token-to-vector layer (4 window-1 CNNs)


def main(argv: list[str] | None = None) -> None:
    sys.path.insert(0, str(ROOT))  # this checkout's ``quotes``
    from spacy.tokens import Doc, Span

    from quotes.core.cards import build_cards
    from quotes.core.grammar import is_speech_verb
    from quotes.core.lexicon import QUOTE_MARKS
    from quotes.evaluate import evaluate, load_gold
    from quotes.pipeline import load_model

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args(argv)
    nlp = load_model()
    ner = nlp.get_pipe("ner")

    def wanted(sentence: Span, names: bool) -> bool:
        return any(
            any(c in QUOTE_MARKS for c in t.text)
            or is_speech_verb(t)
            or (names and t.pos_ == "PROPN")
            for t in sentence
        )

    def selective(names: bool) -> Callable[[Doc], tuple[int, float]]:
        def run(doc: Doc) -> tuple[int, float]:
            spans = [(s.start, s.end) for s in doc.sents if wanted(s, names)]
            begin = time.process_time()
            found: list[Span] = []
            pieces = [
                (max(a - CONTEXT, 0), doc[max(a - CONTEXT, 0) : min(b + CONTEXT, len(doc))])
                for a, b in spans
            ]
            subdocs = [piece.as_doc() for _, piece in pieces]
            for (offset, _), sub, (a, b) in zip(
                pieces, ner.pipe(subdocs, batch_size=64), spans, strict=True
            ):
                for ent in sub.ents:
                    start, end = ent.start + offset, ent.end + offset
                    if a <= start and end <= b:
                        found.append(Span(doc, start, end, label=ent.label_))
            doc.set_ents(found, default="outside")
            return sum(b - a for a, b in spans), time.process_time() - begin

        return run

    def full(doc: Doc) -> tuple[int, float]:
        begin = time.process_time()
        ner(doc)
        return len(doc), time.process_time() - begin

    def none(doc: Doc) -> tuple[int, float]:
        doc.set_ents([], default="outside")
        return 0, 0.0

    designs = {
        "full": full,
        "sentences": selective(True),
        "quotes": selective(False),
        "none": none,
    }
    sets = {
        "polnear": load_gold((EVAL / "polnear" / "dev.jsonl").read_text("utf-8").splitlines()),
        "canonical": load_gold(
            (EVAL / "canonical" / "dev.gold.jsonl").read_text("utf-8").splitlines()
        ),
    }
    parsed = {}
    with nlp.select_pipes(disable=["ner"]):
        for name, gold in sets.items():
            parsed[name] = list(nlp.pipe([d.text for d in gold], batch_size=16))
    print(
        "| design | tokens to the recogniser | its CPU s | PolNeAR dev pair F1 | canonical strict |"
    )
    print("| --- | ---: | ---: | ---: | ---: |")
    for design, run in designs.items():
        cells = []
        tokens = total = 0
        seconds = 0.0
        for name, gold in sets.items():
            predictions = {}
            for doc, g in zip(parsed[name], gold, strict=True):
                copy = doc.copy()
                used, spent = run(copy)
                tokens += used
                total += len(copy)
                seconds += spent
                predictions[g.id] = [
                    c.model_dump(mode="json") for c in build_cards(copy, g.id).cards
                ]
            report = evaluate(gold, predictions)
            strict = report.speaker_accuracy_strict
            cells.append(
                f"{report.direct_pair.f1:.3f}"
                if name == "polnear"
                else f"{strict.value:.3f}"
                if strict
                else "–"
            )
        print(f"| {design} | {tokens / total:.0%} | {seconds:.1f} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
