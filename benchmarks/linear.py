"""Linear time on pathological text: each doubling of the input may cost at most 2.5× the time.

Shapes (issue #15), each at 1×, 2×, 4× and 8× its base size:

  alternating  “a” pairs and spaces: a quote every four characters
  apostrophes  nothing but apostrophes
  paragraph    one paragraph of words without punctuation
  newlines     a double quote, a letter and a line break, repeated
  quotes       nothing but double quotes

Every measurement runs in its own child process (a fresh tokenizer cache, no memory carried
over) and times ``Extractor.extract_document`` end to end (tokenizer, pipeline, rules) in CPU
seconds of that process, the steadier figure on a shared machine; the table gives the minimum
over rounds. The check fails (exit 1) when any doubling costs more than 2.5×.

    python benchmarks/linear.py --rounds 3 --out benchmarks/README.md
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import subprocess
import sys
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's package, whatever is installed
BEGIN = "<!-- linear:begin -->"
END = "<!-- linear:end -->"
MULTIPLES = (1, 2, 4, 8)
MAX_RATIO = 2.5
_WORDS = ("the", "council", "said", "harbour", "will", "reopen", "Ann", "Patel", "in", "April")


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda n: (unit * (n // len(unit) + 1))[:n]


def _paragraph(n: int) -> str:
    rng = random.Random(1)
    words: list[str] = []
    length = 0
    while length < n:
        words.append(rng.choice(_WORDS))
        length += len(words[-1]) + 1
    return " ".join(words)[:n]


#: shape -> (base size in characters, text of a given size)
SHAPES: dict[str, tuple[int, Callable[[int], str]]] = {
    "alternating": (10_000, _repeat("“a” ")),
    "apostrophes": (10_000, _repeat("'")),
    "paragraph": (50_000, _paragraph),
    "newlines": (10_000, _repeat('"a\n')),
    "quotes": (10_000, _repeat('"')),
}


def child(shape: str, size: int) -> None:
    """Print the CPU seconds of one extraction (the model loaded and warmed up first)."""
    from quotes.extractor import Extractor
    from quotes.options import Limits

    extractor = Extractor(limits=Limits(max_chars=None, max_seconds=None))
    extractor.extract("“We are ready,” the mayor said.")
    text = SHAPES[shape][1](size)
    started = time.process_time()
    extraction = extractor.extract_document(text, "bench")
    spent = time.process_time() - started
    print(json.dumps({"seconds": spent, "cards": len(extraction.cards)}))


def measure(shape: str, size: int) -> float:
    result = subprocess.run(
        [sys.executable, __file__, "--child", shape, str(size)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds: float = json.loads(result.stdout.splitlines()[-1])["seconds"]
    return seconds


def run(rounds: int, shapes: list[str]) -> tuple[str, bool]:
    """The results table (Markdown) and whether every doubling stayed within the bound."""
    rows = []
    within = True
    for shape in shapes:
        base = SHAPES[shape][0]
        times = [min(measure(shape, base * m) for _ in range(rounds)) for m in MULTIPLES]
        ratios = [later / earlier for earlier, later in pairwise(times)]
        worst = max(ratios)
        within &= worst <= MAX_RATIO
        cells = " | ".join(f"{t:.2f}" for t in times)
        steps = " / ".join(f"{r:.2f}" for r in ratios)
        rows.append(
            f"| {shape} | {base:,} | {cells} | {steps} | {'yes' if worst <= MAX_RATIO else 'NO'} |"
        )
        print(rows[-1], file=sys.stderr, flush=True)
    header = (
        "| shape | 1× characters | 1× s | 2× s | 4× s | 8× s | cost of each doubling | "
        f"≤ {MAX_RATIO}× |\n| --- | ---: | ---: | ---: | ---: | ---: | --- | :---: |"
    )
    return header + "\n" + "\n".join(rows), within


def report(table: str, rounds: int) -> str:
    import spacy

    from quotes import __version__

    return (
        f"Measured {time.strftime('%Y-%m-%d')} with `python benchmarks/linear.py --rounds "
        f"{rounds} --out benchmarks/README.md` (CPU seconds of one extraction, tokenizer to "
        f"cards, minimum of {rounds} rounds, each in a fresh process):\n\n{table}\n\n"
        f"- Machine: {platform.processor() or platform.machine()}; Python "
        f"{platform.python_version()}; spacy {spacy.__version__}; quote-cards {__version__}.\n"
    )


def write_section(path: Path, body: str) -> None:
    text = path.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    path.write_text(text[:start] + "\n" + body + text[end:], encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--shape", action="append", choices=sorted(SHAPES))
    parser.add_argument("--out", type=Path, help="rewrite the section between the markers")
    parser.add_argument("--child", nargs=2, metavar=("SHAPE", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return 0
    table, within = run(args.rounds, args.shape or list(SHAPES))
    body = report(table, args.rounds)
    print(body)
    if args.out is not None:
        write_section(args.out, body)
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
