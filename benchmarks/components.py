"""Where the time goes: CPU seconds per pipeline component and for the quote rules.

Runs each component of spaCy's default English pipeline, and of the pipeline the extractor
loads, one after another over the same PolNeAR train sample (batches of 16, as the library
does), and the rules (``build_cards``) on the parsed documents. Repeated; the median is kept.
Shares are of the bare pipeline's total. Only numbers are printed; the texts stay in
``../shared``::

    python benchmarks/components.py --docs 60 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from quotes.core.cards import build_cards
from quotes.pipeline import default_model_name, load_model

TRAIN = Path(__file__).resolve().parents[2] / "shared" / "eval" / "polnear" / "train.jsonl"


def component_seconds(nlp: Language, texts: list[str]) -> dict[str, float]:
    """CPU seconds of the tokenizer, each component and the rules, over ``texts``."""
    seconds: dict[str, float] = {"tokenizer": 0.0, **{name: 0.0 for name in nlp.pipe_names}}
    seconds["rules (build_cards)"] = 0.0  # on the bare pipeline: for reference only
    for first in range(0, len(texts), 16):
        batch = texts[first : first + 16]
        start = time.process_time()
        docs: list[Doc] = [nlp.make_doc(text) for text in batch]
        seconds["tokenizer"] += time.process_time() - start
        for name, component in nlp.pipeline:
            start = time.process_time()
            docs = list(_run(component, docs))
            seconds[name] += time.process_time() - start
        start = time.process_time()
        for doc in docs:
            build_cards(doc, "profile")
        seconds["rules (build_cards)"] += time.process_time() - start
    return seconds


def _run(component: Callable[[Doc], Doc], docs: list[Doc]) -> Iterable[Doc]:
    pipe = getattr(component, "pipe", None)
    return pipe(docs, batch_size=16) if pipe is not None else (component(d) for d in docs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=60, help="train documents sampled (60)")
    parser.add_argument("--repeat", type=int, default=3, help="passes; the median is kept (3)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    lines = TRAIN.read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in random.Random(args.seed).sample(lines, args.docs)]
    pipelines = {"bare": spacy.load(default_model_name()), "extractor": load_model()}
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in pipelines}
    for _ in range(args.repeat):
        for name, nlp in pipelines.items():  # interleaved, so noise hits both alike
            runs[name].append(component_seconds(nlp, texts))
    medians = {
        name: {part: statistics.median(r[part] for r in results) for part in results[0]}
        for name, results in runs.items()
    }
    bare_total = sum(v for k, v in medians["bare"].items() if not k.startswith("rules"))
    words = sum(len(t.split()) for t in texts)
    print(
        f"{args.docs} PolNeAR train documents (seed {args.seed}), {words:,} words, "
        f"median of {args.repeat} passes, CPU seconds\n"
    )
    print("| part | bare pipeline | share | extractor's pipeline | share |")
    print("| --- | ---: | ---: | ---: | ---: |")
    parts = list(dict.fromkeys([*medians["bare"], *medians["extractor"]]))
    for part in parts:
        cells = []
        for name in ("bare", "extractor"):
            value = medians[name].get(part)
            cells += ["", ""] if value is None else [f"{value:.2f}", f"{value / bare_total:.0%}"]
        print(f"| {part} | {' | '.join(cells)} |")
    extractor_total = sum(medians["extractor"].values())
    print(
        f"| **total** (bare: parse only; extractor: parse and rules) | {bare_total:.2f} | 100% "
        f"| {extractor_total:.2f} | {extractor_total / bare_total:.0%} |"
    )


if __name__ == "__main__":
    main()
