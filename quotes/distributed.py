"""Run extraction over a large JSONL corpus on a Dask cluster (optional: ``pip install
"quote-cards[dask]"``).

The driver never holds the corpus: it streams the file once to cut it into partitions of
``partition_docs`` document lines, remembering only byte offsets. Each task reads its own byte
range, extracts with a pipeline loaded once per worker process and writes
``part-NNNNN.jsonl`` (the partition's cards, in input order, every card schema-validated) or,
with ``fmt="parquet"``, ``part-NNNNN.parquet`` (their flat rows, with each document's source:
``dask.dataframe.read_parquet(out_dir)`` reads the parts as one table) through a temporary file
and a rename, plus ``part-NNNNN.errors.jsonl`` when documents of the
partition failed. The parts concatenated in order are byte-identical to the single-process
``quotes extract CORPUS.jsonl -o cards.jsonl`` output, and their error files to its
``cards.errors.jsonl`` (same ``file:line`` positions).

Workers must see the corpus and the output folder at the same paths as the driver (a shared
file system), have this package and the spaCy pipeline installed, and should run one thread
each (``dask worker ADDRESS --nthreads 1``): parallelism comes from processes.
"""

from __future__ import annotations

import bisect
import contextlib
import importlib
import io
import re
import sys
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal

from .core.cards import Extraction
from .errors import ModelError
from .export.parquet import ParquetSink
from .extractor import Extractor
from .files import (
    CardSink,
    Document,
    DocumentFailure,
    Item,
    atomic_output,
    read_jsonl,
    unique_ids,
    write_failures,
)
from .options import DEFAULT_LIMITS, DEFAULT_OPTIONS, ExtractOptions, Limits
from .pipeline import default_model_name, model_label
from .workers import run_items

#: ``part-00000.jsonl`` or ``.parquet``; five digits keep 100 000 parts in lexical order.
PART_NAME = "part-{index:05d}.{suffix}"
ERRORS_NAME = "part-{index:05d}.errors.jsonl"
PartFormat = Literal["jsonl", "parquet"]
PART_FORMATS: tuple[PartFormat, ...] = ("jsonl", "parquet")
_PART_FILE = re.compile(r"^part-(\d{5,})(\.errors\.jsonl|\.jsonl|\.parquet)$")
# Temporary files that a killed task left behind (see quotes.files.temp_beside).
_PART_TEMP = re.compile(r"^\.part-\d{5,}(?:\.errors)?\.(?:jsonl|parquet)\..+\.tmp$")
_ADDRESS = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$")
# One extraction at a time per process, should a worker run several threads: a spaCy pipeline
# is not meant to be shared between threads.
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Partition:
    """One task: lines ``first_line``… of the corpus, bytes ``start:end`` of the file."""

    index: int
    start: int
    end: int
    first_line: int


@dataclass(frozen=True)
class PartitionJob:
    """What a task needs; small and picklable (no text, no model)."""

    partition: Partition
    path: str  # absolute, to open on the worker
    name: str  # as the user gave it, for ``file:line`` messages (as the CLI writes them)
    out_dir: str
    model: str | None
    options: ExtractOptions  # frozen, so hashable for the worker cache
    encoding: str
    errors: str
    limits: Limits = DEFAULT_LIMITS
    renames: tuple[tuple[str, str], ...] = ()  # (where, id) of this partition's repeated ids
    fmt: PartFormat = "jsonl"


@dataclass(frozen=True)
class PartResult:
    """What one task did; ``documents`` counts the failed ones too (as the CLI's summary)."""

    index: int
    documents: int
    cards: int
    failures: tuple[DocumentFailure, ...]
    model: str


@dataclass(frozen=True)
class DaskResult:
    """Totals of a run; ``parts`` lists every part file in order (concatenate them)."""

    documents: int
    cards: int
    failed: int
    parts: tuple[Path, ...]
    failures: tuple[DocumentFailure, ...]
    models: tuple[str, ...]  # pipelines the workers used, ``name-version``; one, normally


def plan_partitions(corpus: Path, partition_docs: int = 200) -> list[Partition]:
    """Cut ``corpus`` at line starts into ranges of ``partition_docs`` non-blank lines (the
    last may hold fewer). Streams the file; keeps offsets only."""
    if partition_docs < 1:
        raise ValueError(f"partition_docs must be at least 1, not {partition_docs}")
    partitions: list[Partition] = []
    start = position = 0
    first_line = 1
    docs = 0
    with corpus.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            position += len(raw)
            if not raw.strip():
                continue
            docs += 1
            if docs == partition_docs:
                partitions.append(Partition(len(partitions), start, position, first_line))
                start, first_line, docs = position, number + 1, 0
    if docs:
        partitions.append(Partition(len(partitions), start, position, first_line))
    return partitions


@cache
def _extractor(model: str | None, options: ExtractOptions, limits: Limits) -> Extractor:
    """The pipeline, loaded once per worker process and reused by every task it runs."""
    return Extractor(model, options, limits=limits)


def run_partition(job: PartitionJob) -> PartResult:
    """The task: extract one partition and write its part (and error) file atomically."""

    part = job.partition
    with open(job.path, "rb") as handle:
        handle.seek(part.start)
        data = handle.read(part.end - part.start)
    items = _renamed(
        read_jsonl(io.BytesIO(data), job.name, job.encoding, job.errors, part.first_line),
        dict(job.renames),
    )
    out_dir = Path(job.out_dir)
    failures: list[DocumentFailure] = []
    documents = cards = 0
    with _LOCK:
        extractor = _extractor(job.model, job.options, job.limits)
        target = out_dir / PART_NAME.format(index=part.index, suffix=job.fmt)
        with _part_writer(target, job.fmt) as write:  # validates every card, as the CLI does
            for result in run_items(extractor, items):
                documents += 1
                if isinstance(result, DocumentFailure):
                    failures.append(result)
                    continue
                write(*result)
                cards += len(result[1].cards)
    errors_path = out_dir / ERRORS_NAME.format(index=part.index)
    if failures:
        write_failures(errors_path, failures)
    else:
        errors_path.unlink(missing_ok=True)  # from an earlier run
    return PartResult(part.index, documents, cards, tuple(failures), model_label(extractor.nlp))


def _renamed(items: Iterable[Item], renames: dict[str, str]) -> Iterator[Item]:
    for item in items:
        if isinstance(item, Document) and item.where in renames:
            item = replace(item, id=renames[item.where])
        yield item


def repeated_ids(
    corpus: Path, name: str, encoding: str, errors: str, warn: Callable[[str], None]
) -> dict[str, str]:
    """``{where: unique id}`` for each document of ``corpus`` whose id an earlier one has, as
    ``quotes extract`` renames it (with the same warnings): read once on the driver, so that
    the parts are the single-process output whatever the partitions."""
    renames: dict[str, str] = {}
    with corpus.open("rb") as handle:
        given = read_jsonl(handle, name, encoding, errors)
        originals: dict[str, str] = {}

        def remember(items: Iterable[Item]) -> Iterator[Item]:
            for item in items:
                if isinstance(item, Document):
                    originals[item.where] = item.id
                yield item

        for item in unique_ids(remember(given), warn):
            if isinstance(item, Document) and item.id != originals[item.where]:
                renames[item.where] = item.id
    return renames


def _by_partition(
    renames: dict[str, str], partitions: list[Partition]
) -> list[list[tuple[str, str]]]:
    """Each partition's share of ``renames`` (keyed ``corpus:LINE``), by line number."""
    firsts = [p.first_line for p in partitions]
    shares: list[list[tuple[str, str]]] = [[] for _ in partitions]
    for where, new_id in renames.items():
        line = int(where.rsplit(":", 1)[1])
        shares[bisect.bisect_right(firsts, line) - 1].append((where, new_id))
    return shares


@contextlib.contextmanager
def _forked_local_workers(
    model: str | None, options: ExtractOptions, limits: Limits
) -> Iterator[None]:
    """On Linux, the local cluster's workers are forked from this process once it has loaded
    the pipeline: they start without an interpreter, imports or a model load of their own
    (spawned, each spent ~3.5 CPU-seconds on these before its first document). Dask's
    ``distributed.worker.multiprocessing-method``; a setting of the user's other than spawn
    is kept."""
    dask: Any = importlib.import_module("dask")
    method = dask.config.get("distributed.worker.multiprocessing-method", "spawn")
    if sys.platform != "linux" or method != "spawn":
        yield
        return
    _extractor(model, options, limits)
    with dask.config.set({"distributed.worker.multiprocessing-method": "fork"}):
        yield


@contextlib.contextmanager
def _part_writer(target: Path, fmt: PartFormat) -> Iterator[Callable[[Document, Extraction], None]]:
    """A function writing one document's cards to the part, which appears on success only."""
    if fmt == "parquet":
        with ParquetSink(target) as parquet:
            yield lambda document, extraction: parquet.write([extraction.record(document.source)])
        return
    with atomic_output(target) as handle:
        sink = CardSink(handle, "jsonl")
        yield lambda document, extraction: sink.write(extraction.cards)


def _remove_stale_parts(out_dir: Path, count: int, fmt: PartFormat) -> None:
    """Part files of an earlier, longer run (or of a run in the other format) would join the
    table, and a task killed mid-write (then retried) leaves its temporary file: remove them."""
    for path in out_dir.iterdir():
        match = _PART_FILE.match(path.name)
        stale = match is not None and (
            int(match.group(1)) >= count or match.group(2) == f".{_other(fmt)}"
        )
        if stale or _PART_TEMP.match(path.name):
            path.unlink(missing_ok=True)


def _other(fmt: PartFormat) -> PartFormat:
    return "parquet" if fmt == "jsonl" else "jsonl"


def run_dask(
    corpus: Path,
    out_dir: Path,
    *,
    scheduler: str = "local",
    model: str | None = None,
    options: ExtractOptions = DEFAULT_OPTIONS,
    limits: Limits = DEFAULT_LIMITS,
    partition_docs: int = 200,
    n_workers: int = 2,
    encoding: str = "utf-8",
    errors: str = "strict",
    fmt: PartFormat = "jsonl",
    on_part: Callable[[PartResult], None] | None = None,
    warn: Callable[[str], None] | None = None,
) -> DaskResult:
    """Extract the cards of a JSONL ``corpus`` into ``out_dir/part-NNNNN.jsonl`` (or
    ``.parquet`` with ``fmt="parquet"``) on Dask.

    ``scheduler`` is ``"local"`` (a :class:`distributed.LocalCluster` of ``n_workers``
    one-thread processes on this machine) or the address of a running scheduler
    (``tcp://host:8786``; ``n_workers`` is then ignored). ``on_part`` is called on the driver
    as each part finishes, in completion order (for progress). A repeated id is made unique
    as ``quotes extract`` does, with a warning through ``warn``; ``limits`` bound what one
    document may cost, as the CLI's ``--max-chars`` and ``--max-seconds``. With no ``model``,
    the driver names the default pipeline (``QUOTES_MODEL``, else the first installed) for
    every worker.
    A task that raises (an invalid card, a missing model) stops the run with that error; parts
    already written stay, and a rerun rewrites them.
    """
    if scheduler != "local" and not _ADDRESS.match(scheduler):
        raise ValueError(
            f"scheduler must be 'local' or an address like tcp://host:8786, not {scheduler!r}"
        )
    if n_workers < 1:
        raise ValueError(f"n_workers must be at least 1, not {n_workers}")
    if fmt not in PART_FORMATS:
        raise ValueError(f"parts are written as jsonl or parquet, not {fmt!r}")
    try:
        # Imported here so the package works without Dask; as Any, for Dask's untyped API.
        dask_distributed: Any = importlib.import_module("distributed")
    except ImportError as err:
        raise ImportError(
            'running on Dask needs the optional dependency: pip install "quote-cards[dask]"'
        ) from err

    if model is None:
        # Name the pipeline here, so that every worker loads the same one (or fails loudly).
        with contextlib.suppress(ModelError):
            model = default_model_name()
    partitions = plan_partitions(corpus, partition_docs)
    renames = repeated_ids(corpus, str(corpus), encoding, errors, warn or (lambda _: None))
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = [
        PartitionJob(
            partition=p,
            path=str(corpus.resolve()),
            name=str(corpus),
            out_dir=str(out_dir.resolve()),
            model=model,
            options=options,
            encoding=encoding,
            errors=errors,
            limits=limits,
            renames=tuple(renamed),
            fmt=fmt,
        )
        for p, renamed in zip(partitions, _by_partition(renames, partitions), strict=True)
    ]
    results: list[PartResult] = []

    def run(client: Any) -> None:
        run_id = uuid.uuid4().hex[:8]  # keys must not collide with another run's
        keys = [f"quotes-part-{run_id}-{p.index:05d}" for p in partitions]
        futures = client.map(run_partition, jobs, key=keys, pure=False)
        for future in dask_distributed.as_completed(futures):
            result: PartResult = future.result()
            results.append(result)
            if on_part is not None:
                on_part(result)

    if jobs:
        if scheduler == "local":
            with (
                _forked_local_workers(model, options, limits),
                dask_distributed.LocalCluster(
                    n_workers=n_workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",  # any free port: runs side by side never clash
                ) as cluster,
                dask_distributed.Client(cluster) as client,
            ):
                run(client)
        else:
            with dask_distributed.Client(scheduler) as client:
                run(client)
    _remove_stale_parts(out_dir, len(partitions), fmt)
    results.sort(key=lambda r: r.index)
    failures = tuple(f for r in results for f in r.failures)
    return DaskResult(
        documents=sum(r.documents for r in results),
        cards=sum(r.cards for r in results),
        failed=len(failures),
        parts=tuple(out_dir / PART_NAME.format(index=r.index, suffix=fmt) for r in results),
        failures=failures,
        models=tuple(sorted({r.model for r in results})),
    )
