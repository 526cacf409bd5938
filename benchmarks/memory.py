"""Peak memory of the whole ``quotes extract`` command on a corpus and on ten times as much.

Runs ``quotes extract CORPUS.jsonl -o cards.jsonl -q`` (this checkout's code) on ``--docs``
PolNeAR train documents and on ten times as many (the whole train set is 840: the 10x corpus
repeats it when asked for more), and reads each run's peak resident set size from ``wait4``
(the largest process: the command, or with ``--workers N`` the largest of it and its
workers). The texts go to a temporary folder and are deleted; only numbers are printed.

    python benchmarks/memory.py --docs 84
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "eval" / "polnear" / "train.jsonl"


def peak(corpus: Path, out: Path, workers: int) -> tuple[float, float, float]:
    """(peak RSS MiB, wall seconds, load average at start) of one whole command."""
    load = os.getloadavg()[0]
    command = [sys.executable, "-m", "quotes", "extract", str(corpus), "-o", str(out), "-q"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    begin = time.perf_counter()
    proc = subprocess.Popen([*command, "--workers", str(workers)], cwd=ROOT, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed")
    return usage.ru_maxrss / 1024, time.perf_counter() - begin, load


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=84, help="documents of the 1x corpus (84)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    lines = [line for line in TRAIN.read_text(encoding="utf-8").splitlines() if line.strip()]
    random.Random(args.seed).shuffle(lines)
    records = [json.loads(line) for line in lines]
    rows = []
    with tempfile.TemporaryDirectory(prefix="quotes-memory-") as tmp_name:
        tmp = Path(tmp_name)
        for scale in (1, 10):
            n = args.docs * scale
            corpus = tmp / f"corpus{scale}.jsonl"
            with corpus.open("w", encoding="utf-8") as handle:
                for i in range(n):
                    record = records[i % len(records)]
                    handle.write(json.dumps({"id": f"{i:06d}", "text": record["text"]}) + "\n")
            rss, wall, load = peak(corpus, tmp / "cards.jsonl", args.workers)
            rows.append((scale, n, wall, rss, load))
            print(f"{scale}x: {n} docs, {wall:.0f} s, peak {rss:.0f} MiB", file=sys.stderr)
    base = rows[0][3]
    print(f"--workers {args.workers}, PolNeAR train documents (seed {args.seed})\n")
    print("| corpus | documents | wall | peak RSS | × 1× | load average at start |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for scale, n, wall, rss, load in rows:
        ratio = rss / base
        print(f"| {scale}× | {n:,} | {wall:.0f} s | {rss:.0f} MiB | {ratio:.2f} | {load:.1f} |")


if __name__ == "__main__":
    main()
