"""What the tabular exports cost: writer time against extraction time, and peak memory as the
corpus grows tenfold.

1. Overhead. ``--docs`` PolNeAR train documents are extracted once in this process (the
   library's ``run_items``, as the CLI runs it; model load excluded), then the results are
   written through the CLI's own sinks (``quotes.output.open_sink``) to JSONL (the reference),
   CSV, Parquet and SQLite, ``--repeat`` times each, interleaved. Writer CPU time is compared
   with the extraction CPU time of the same run: the issue's bound is 10%.
2. Memory. The document records are saved once as JSONL; a child process per measurement
   streams them (1× or 10×, copies get new ids) into a Parquet file or a new SQLite database
   and reports its peak RSS (``ru_maxrss``) after the imports and after writing. Rows go out
   in batches, so the 10× run should peak where the 1× run does.

The PolNeAR texts are licence-restricted: everything is written to a temporary folder outside
the repository and deleted; only numbers reach ``--out``.

    python benchmarks/export.py --docs 300 --repeat 3 --out benchmarks/README.md
"""

from __future__ import annotations

import argparse
import json
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from throughput import POLNEAR, ROOT, _cpu, _sample, _versions, write_section

sys.path.insert(0, str(ROOT))  # this checkout's quotes, whatever is installed

from quotes.core.cards import Extraction
from quotes.extractor import Extractor
from quotes.files import Document, DocumentFailure, read_jsonl
from quotes.models import DocumentRecord
from quotes.output import open_sink, plan_output
from quotes.schema import validate_record
from quotes.workers import run_items

BEGIN = "<!-- export:begin -->"
END = "<!-- export:end -->"
FORMATS = ("jsonl", "csv", "parquet", "db")
BOUND = 0.10  # the bound: writing adds at most 10% to extraction time


def _status_mib(field: str) -> float:
    """A memory figure of this process from /proc/self/status (VmRSS now, VmHWM the peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024  # kB
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_peak() -> None:
    """Start the peak (VmHWM) again from the current RSS, so that it measures what follows
    and not the imports (Linux: clear_refs 5)."""
    Path("/proc/self/clear_refs").write_text("5")


# --------------------------------------------------------------------------- child


def _copies(records: Path, scale: int) -> Iterator[DocumentRecord]:
    """The saved records ``scale`` times over, streamed from disk; copy k > 0 gets new ids."""
    for k in range(scale):
        with records.open(encoding="utf-8") as handle:
            for line in handle:
                record = DocumentRecord.model_validate_json(line)
                if k:
                    record = _renamed(record, f"~{k}")
                yield record


def _renamed(record: DocumentRecord, suffix: str) -> DocumentRecord:
    def new(card_id: str | None) -> str | None:
        return None if card_id is None else card_id + suffix

    cards = [
        c.model_copy(
            update={
                "id": new(c.id),
                "doc_id": record.doc_id + suffix,
                "continues": new(c.continues),
                "part_of": new(c.part_of),
            }
        )
        for c in record.cards
    ]
    return record.model_copy(update={"doc_id": record.doc_id + suffix, "cards": cards})


def child_write(fmt: str, records: Path, scale: int, out: Path) -> dict[str, Any]:
    """Stream the records into a new file of ``fmt`` through the CLI's sink; peak RSS."""
    from quotes.export.parquet import ParquetSink
    from quotes.export.sqlite import SqliteSink

    _import_seconds()  # the libraries and the schema validator are loaded before measuring
    validate_record(next(_copies(records, 1)).model_dump(mode="json"), "document")
    _reset_peak()
    before = _status_mib("VmRSS")
    started, cpu = time.perf_counter(), time.process_time()
    cards = 0
    with ParquetSink(out) if fmt == "parquet" else SqliteSink(out) as sink:
        for record in _copies(records, scale):
            if isinstance(sink, ParquetSink):
                sink.write([record])
            else:
                sink.write_record(record)
            cards += len(record.cards)
    return {
        "cards": cards,
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,
        "rss_before_mib": before,
        "rss_peak_mib": _status_mib("VmHWM"),
        "bytes": out.stat().st_size,
    }


# --------------------------------------------------------------------------- parent


def _import_seconds() -> float:
    """What the first export costs once per run: importing pyarrow and sqlite-utils (timed
    here, then excluded from the writes, as the model load is from the extraction)."""
    started = time.process_time()
    import pyarrow.parquet  # noqa: F401
    import sqlite_utils  # noqa: F401

    return time.process_time() - started


def _extract(
    sample: list[dict[str, str]],
) -> tuple[list[tuple[Document, Extraction]], float, float]:
    extractor = Extractor()
    list(extractor.pipe_documents([("“We are ready,” the coach said.", "warm-up")]))
    lines = [json.dumps(d).encode() + b"\n" for d in sample]
    started, cpu = time.perf_counter(), time.process_time()
    results = []
    for result in run_items(extractor, read_jsonl(lines, "sample.jsonl")):
        if isinstance(result, DocumentFailure):
            raise SystemExit(f"extraction failed: {result}")
        results.append(result)
    return results, time.process_time() - cpu, time.perf_counter() - started


def _write(results: list[tuple[Document, Extraction]], path: Path) -> tuple[float, float]:
    path.unlink(missing_ok=True)
    started, cpu = time.perf_counter(), time.process_time()
    with open_sink(plan_output(str(path), None)) as sink:
        for document, extraction in results:
            sink.write(document, extraction)
    return time.process_time() - cpu, time.perf_counter() - started


def _child(fmt: str, records: Path, scale: int, out: Path) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", fmt, str(records), str(scale), str(out)]
    run = subprocess.run(command, capture_output=True, text=True, check=True)
    out.unlink(missing_ok=True)
    report: dict[str, Any] = json.loads(run.stdout)
    return report


def measure(args: argparse.Namespace) -> dict[str, Any]:
    sample = _sample(args.corpus, args.docs, args.seed)
    imports = _import_seconds()
    results, extract_cpu, extract_wall = _extract(sample)
    cards = sum(len(e.cards) for _, e in results)
    writers: dict[str, dict[str, list[float]]] = {f: {"cpu": [], "wall": []} for f in FORMATS}
    memory: dict[str, dict[int, dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory(prefix="quotes-export-bench-") as tmp:
        folder = Path(tmp)
        for round_ in range(args.repeat):
            order = FORMATS[round_ % len(FORMATS) :] + FORMATS[: round_ % len(FORMATS)]
            for fmt in order:
                cpu, wall = _write(results, folder / f"cards.{fmt}")
                writers[fmt]["cpu"].append(cpu)
                writers[fmt]["wall"].append(wall)
        records = folder / "records.jsonl"
        with records.open("w", encoding="utf-8") as handle:
            for document, extraction in results:
                handle.write(extraction.record(document.source).model_dump_json() + "\n")
        for fmt in ("parquet", "db"):
            memory[fmt] = {
                scale: _child(fmt, records, scale, folder / f"mem.{fmt}") for scale in (1, 10)
            }
    return {
        "docs": len(results),
        "cards": cards,
        "extract_cpu": extract_cpu,
        "imports": imports,
        "extract_wall": extract_wall,
        "writers": writers,
        "memory": memory,
    }


def render(args: argparse.Namespace, data: dict[str, Any], command: str) -> str:
    extract_cpu = data["extract_cpu"]
    lines = [
        BEGIN,
        f"Measured {date.today().isoformat()} with:",
        "",
        "```sh",
        command,
        "```",
        "",
        f"Extraction of {data['docs']} PolNeAR train documents (seed {args.seed}, "
        f"{data['cards']:,} cards): {extract_cpu:.1f} CPU-s ({data['extract_wall']:.1f} s wall), "
        "model load excluded. Writing the same results through the CLI's sinks, median of "
        f"{args.repeat} interleaved rounds:",
        "",
        "| output | writer CPU-s | writer wall s | writer CPU / extraction CPU | within 10% |",
        "| --- | ---: | ---: | ---: | :---: |",
    ]
    for fmt in FORMATS:
        cpu = statistics.median(data["writers"][fmt]["cpu"])
        wall = statistics.median(data["writers"][fmt]["wall"])
        share = cpu / extract_cpu
        ok = "yes" if share <= BOUND else "**no**"
        lines.append(f"| `-o cards.{fmt}` | {cpu:.2f} | {wall:.2f} | {share:.1%} | {ok} |")
    lines += [
        "",
        f"Importing pyarrow and sqlite-utils, once per run: {data['imports']:.2f} CPU-s "
        "(excluded above, as the model load is).",
        "",
        "Memory of a child process streaming the saved document records into a new file "
        "(10×: the same records ten times over, with new ids): its RSS once everything is "
        "imported, and its peak while writing (VmHWM, reset after the imports):",
        "",
        "| output | scale | cards | writer CPU-s | RSS after imports MiB | peak while writing "
        "MiB | growth while writing MiB | file MiB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for fmt, runs in data["memory"].items():
        for scale, run in sorted(runs.items()):
            growth = run["rss_peak_mib"] - run["rss_before_mib"]
            lines.append(
                f"| `{fmt}` | {scale}× | {run['cards']:,} | {run['cpu_seconds']:.1f} "
                f"| {run['rss_before_mib']:.0f} | {run['rss_peak_mib']:.0f} | "
                f"{growth:.0f} | {run['bytes'] / 2**20:.1f} |"
            )
    versions = ", ".join(f"{k} {v}" for k, v in _versions().items())
    lines += [
        "",
        f"- Machine: {_cpu()}; Python {platform.python_version()}; {versions}. Shared with "
        "other jobs: compare figures within one run.",
        "- The writers validate every card against the committed schema before writing it "
        "(as the JSONL writer does); that check is most of their time.",
        END,
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=300, help="train documents sampled (300)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of writes (3)")
    parser.add_argument("--seed", type=int, default=0, help="sample seed (0)")
    parser.add_argument("--out", type=Path, help="rewrite the export section of this file")
    parser.add_argument("--corpus", type=Path, default=POLNEAR / "train.jsonl")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        fmt, records, scale, out = args.child
        print(json.dumps(child_write(fmt, Path(records), int(scale), Path(out))))
        return
    if not args.corpus.is_file():
        parser.error(f"{args.corpus} is absent")
    shown = list(argv if argv is not None else sys.argv[1:])
    command = shlex.join(["python", "benchmarks/export.py", *shown])
    section = render(args, measure(args), command)
    print(section)
    if args.out:
        write_section(args.out, section, BEGIN, END, "Exports")
        print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
