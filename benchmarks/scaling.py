"""Scaling of the whole ``quotes extract`` command over worker processes and a local Dask
cluster, measured in one interleaved run.

Configurations, each the whole command in its own child process (interpreter start, imports,
model loading, reading, extraction, validated JSONL out):

  w1     ``quotes extract sample.jsonl -o out.jsonl -q --workers 1``
  w2     the same with ``--workers 2`` (or ``--workers N``)
  dask   ``quotes extract sample.jsonl --dask local --dask-workers 2 --partition-docs P -o DIR``

Rounds alternate the configurations (the order rotates every round). For each the table gives
words per wall second (best and median over rounds), the speed-up over ``w1`` of the best wall
times, CPU seconds of every process of the command (user + system, the command and all its
children), and the 1-minute load average as each run started: on a machine others use, wall
time depends on what they run; CPU seconds show what a configuration costs whatever the load.
The outputs are compared byte for byte. The PolNeAR texts go to a temporary folder and are
deleted; only numbers are printed.

    python benchmarks/scaling.py --docs 80 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "eval" / "polnear" / "train.jsonl"
_ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def run(command: list[str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds of the command and all its children, load average)."""
    load = os.getloadavg()[0]
    env = {**os.environ, **_ONE_THREAD, "PYTHONPATH": str(ROOT)}
    begin = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - begin
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{err.decode(errors='replace')[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, load


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=80, help="train documents sampled (80)")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved rounds (3)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2, help="processes of w2 and Dask (2)")
    parser.add_argument("--partition-docs", type=int, default=10, help="Dask (10)")
    parser.add_argument("--no-dask", action="store_true", help="leave out the Dask cluster")
    args = parser.parse_args(argv)
    lines = TRAIN.read_text(encoding="utf-8").splitlines()
    picked = random.Random(args.seed).sample(lines, args.docs)
    records = [json.loads(line) for line in picked]
    words = sum(len(r["text"].split()) for r in records)
    quotes = [sys.executable, "-m", "quotes", "extract"]
    with tempfile.TemporaryDirectory(prefix="quotes-scaling-") as tmp_name:
        tmp = Path(tmp_name)
        sample = tmp / "sample.jsonl"
        sample.write_text(
            "".join(json.dumps({"id": str(r["id"]), "text": r["text"]}) + "\n" for r in records),
            encoding="utf-8",
        )
        commands = {
            "w1": [*quotes, str(sample), "-o", str(tmp / "w1.jsonl"), "-q", "--workers", "1"],
            f"w{args.workers}": [
                *quotes,
                str(sample),
                "-o",
                str(tmp / "wn.jsonl"),
                "-q",
                "--workers",
                str(args.workers),
            ],
        }
        if not args.no_dask:
            commands["dask"] = [
                *quotes,
                str(sample),
                "--dask",
                "local",
                "--dask-workers",
                str(args.workers),
                "--partition-docs",
                str(args.partition_docs),
                "-o",
                str(tmp / "parts"),
                "-q",
            ]
        names = list(commands)
        walls: dict[str, list[float]] = {n: [] for n in names}
        cpus: dict[str, list[float]] = {n: [] for n in names}
        loads: dict[str, list[float]] = {n: [] for n in names}
        for round_no in range(args.repeat):
            order = names[round_no % len(names) :] + names[: round_no % len(names)]
            for name in order:
                wall, cpu, load = run(commands[name])
                walls[name].append(wall)
                cpus[name].append(cpu)
                loads[name].append(load)
                print(
                    f"round {round_no + 1} {name:5s} {wall:7.2f} s wall {words / wall:7.0f} "
                    f"words/s {cpu:7.2f} CPU-s load {load:.1f}",
                    file=sys.stderr,
                )
        same = (tmp / "w1.jsonl").read_bytes() == (tmp / "wn.jsonl").read_bytes()
        if not args.no_dask:
            parts = sorted((tmp / "parts").glob("part-?????.jsonl"))
            same = (
                same and b"".join(p.read_bytes() for p in parts) == (tmp / "w1.jsonl").read_bytes()
            )
    base = min(walls["w1"])
    print(
        f"{args.docs} PolNeAR train documents (seed {args.seed}), {words:,} words; "
        f"{args.repeat} interleaved rounds; outputs byte-identical: {'yes' if same else 'NO'}\n"
    )
    print(
        "| command | words/s wall, best (median) | × w1 (best walls) | CPU-s, median "
        "| load average at start |"
    )
    print("| --- | ---: | ---: | ---: | ---: |")
    for name in names:
        best, median = min(walls[name]), statistics.median(walls[name])
        print(
            f"| {name} | {words / best:,.0f} ({words / median:,.0f}) | {base / best:.2f} "
            f"| {statistics.median(cpus[name]):.1f} "
            f"| {min(loads[name]):.1f}–{max(loads[name]):.1f} |"
        )


if __name__ == "__main__":
    main()
