"""Runners: documents in, extractions out, in input order, in one process or several.

``run_items`` runs in this process; ``run_parallel`` on a pool of processes on one machine,
with the same results in the same order.

Each worker process loads the pipeline once (pool initializer) and turns batches of documents
into extractions; the parent keeps a bounded number of batches in flight, so a corpus of any
size streams through in constant memory. A worker that dies makes the run fail with a clear
error rather than lose or repeat a document.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from .core.cards import Extraction
from .errors import QuotesError, WorkerError
from .extractor import Extractor
from .files import Document, DocumentFailure, Item
from .options import DEFAULT_LIMITS, DEFAULT_OPTIONS, ExtractOptions, Limits

Result = tuple[Document, Extraction] | DocumentFailure

# Documents parsed together in one process (also how often streamed output reaches disk).
IN_PROCESS_CHUNK = 64
# Documents sent to a worker at a time, and batches in flight per worker.
BATCH = 4
IN_FLIGHT_PER_WORKER = 2

_extractor: Extractor | None = None


def _start(model: str | None, options: ExtractOptions, limits: Limits) -> None:
    global _extractor
    # Ctrl-C reaches the whole process group: the parent decides what to keep and stops us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _extractor = Extractor(model, options, limits=limits)


def _work(batch: list[Document]) -> list[Extraction | DocumentFailure]:
    assert _extractor is not None, "pool initializer did not run"
    return extract_batch(_extractor, batch)


def extract_batch(
    extractor: Extractor, batch: list[Document]
) -> list[Extraction | DocumentFailure]:
    """The extraction of each document, in order, parsed together; a document refused (too
    large, a lone surrogate), too slow or failing becomes a :class:`DocumentFailure` and costs
    no other."""
    reasons = [extractor.refusal(d.text) for d in batch]
    accepted = [d for d, reason in zip(batch, reasons, strict=True) if reason is None]
    results: dict[int, Extraction | DocumentFailure] = {}
    for doc, document in extractor.parse((d.text, d) for d in accepted):
        try:
            results[id(document)] = extractor.build(doc, document.id)
        except QuotesError as err:  # too slow, an unusable id
            results[id(document)] = DocumentFailure(document.where, str(err))
        except Exception as err:  # a bug on one text must not cost the corpus
            results[id(document)] = DocumentFailure(document.where, f"extraction failed: {err!r}")
    return [
        results[id(d)] if reason is None else DocumentFailure(d.where, reason)
        for d, reason in zip(batch, reasons, strict=True)
    ]


def run_items(
    extractor: Extractor, items: Iterable[Item], chunk: int = IN_PROCESS_CHUNK
) -> Iterator[tuple[Document, Extraction] | DocumentFailure]:
    """Extract every readable document, keeping input order; a document that fails becomes an
    :class:`DocumentFailure` and the others go on."""
    for batch in _batches(items, chunk):
        yield from _paired(batch, extract_batch(extractor, _documents(batch)))


def run_documents(
    items: Iterable[Item], extractor: Extractor, *, workers: int = 1, model: str | None = None
) -> Iterator[Result]:
    """Every document extracted with ``extractor``'s options, in input order: in this process,
    or on ``workers`` processes that each load pipeline ``model`` (the same output)."""
    if workers > 1:
        return run_parallel(
            items, workers=workers, model=model, options=extractor.options, limits=extractor.limits
        )
    return run_items(extractor, items)


def _batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_parallel(
    items: Iterable[Item],
    *,
    workers: int,
    model: str | None = None,
    options: ExtractOptions = DEFAULT_OPTIONS,
    limits: Limits = DEFAULT_LIMITS,
    batch: int = BATCH,
) -> Iterator[Result]:
    """Extract every readable document on ``workers`` processes, in input order. When the run
    stops early (an interrupt, a dead worker), batches not yet started are cancelled."""
    context = multiprocessing.get_context("spawn")  # no forked copies of a loaded model
    pending: deque[tuple[list[Item], Future[list[Any]]]] = deque()
    with (
        _one_thread_each(),
        ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_start,
            initargs=(model, options, limits),
        ) as pool,
    ):
        try:
            for chunk in _batches(items, batch):
                pending.append((chunk, pool.submit(_work, _documents(chunk))))
                while len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                    chunk, future = pending.popleft()
                    yield from _paired(chunk, future.result())
            while pending:
                chunk, future = pending.popleft()
                yield from _paired(chunk, future.result())
        except BrokenProcessPool as err:
            raise WorkerError(
                "a worker process died (killed or out of memory); no partial output was kept, "
                "run again (with -o DIR, --resume skips finished documents)"
            ) from err
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


@contextlib.contextmanager
def _one_thread_each() -> Iterator[None]:
    """Workers inherit one BLAS/OpenMP thread each: N processes on N cores, not N × N threads."""
    saved = {name: os.environ.get(name) for name in _THREAD_VARIABLES}
    os.environ.update(dict.fromkeys(_THREAD_VARIABLES, "1"))
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _documents(chunk: list[Item]) -> list[Document]:
    return [item for item in chunk if isinstance(item, Document)]


def _paired(chunk: list[Item], extracted: list[Extraction | DocumentFailure]) -> Iterator[Result]:
    """The chunk's items in order, each document with its extraction (or failure)."""
    done = iter(extracted)
    for item in chunk:
        if isinstance(item, DocumentFailure):
            yield item
            continue
        result = next(done)
        yield result if isinstance(result, DocumentFailure) else (item, result)
