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
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from .core.cards import Extraction
from .errors import WorkerError
from .extractor import Extractor
from .files import Document, DocumentFailure, Item
from .options import DEFAULT_OPTIONS, ExtractOptions

Result = tuple[Document, Extraction] | DocumentFailure

# Documents parsed together in one process (also how often streamed output reaches disk).
IN_PROCESS_CHUNK = 64
# Documents sent to a worker at a time, and batches in flight per worker.
BATCH = 4
IN_FLIGHT_PER_WORKER = 2

_extractor: Extractor | None = None


def _start(model: str | None, options: ExtractOptions) -> None:
    global _extractor
    _extractor = Extractor(model, options)


def _work(batch: list[Document]) -> list[Extraction | DocumentFailure]:
    assert _extractor is not None, "pool initializer did not run"
    out: list[Extraction | DocumentFailure] = []
    for doc, document in _extractor.parse((d.text, d) for d in batch):
        try:
            out.append(_extractor.build(doc, document.id))
        except Exception as err:  # one bad text must not cost the batch
            out.append(DocumentFailure(document.where, f"extraction failed: {err!r}"))
    return out


def run_items(
    extractor: Extractor, items: Iterable[Item], chunk: int = IN_PROCESS_CHUNK
) -> Iterator[tuple[Document, Extraction] | DocumentFailure]:
    """Extract every readable document, keeping input order; a document that fails becomes an
    :class:`DocumentFailure` and the others go on."""
    buffer: list[Item] = []

    def flush() -> Iterator[tuple[Document, Extraction] | DocumentFailure]:
        docs = [item for item in buffer if isinstance(item, Document)]
        parsed = extractor.parse((d.text, d) for d in docs)
        results: dict[int, tuple[Document, Extraction] | DocumentFailure] = {}
        for doc, document in parsed:
            try:
                results[id(document)] = (document, extractor.build(doc, document.id))
            except Exception as err:  # a bug on one text must not cost the corpus
                results[id(document)] = DocumentFailure(
                    document.where, f"extraction failed: {err!r}"
                )
        for item in buffer:
            yield item if isinstance(item, DocumentFailure) else results[id(item)]
        buffer.clear()

    for item in items:
        buffer.append(item)
        if len(buffer) >= chunk:
            yield from flush()
    yield from flush()


def run_documents(
    items: Iterable[Item], extractor: Extractor, *, workers: int = 1, model: str | None = None
) -> Iterator[Result]:
    """Every document extracted with ``extractor``'s options, in input order: in this process,
    or on ``workers`` processes that each load pipeline ``model`` (the same output)."""
    if workers > 1:
        return run_parallel(items, workers=workers, model=model, options=extractor.options)
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
    batch: int = BATCH,
) -> Iterator[Result]:
    """Extract every readable document on ``workers`` processes, in input order."""
    context = multiprocessing.get_context("spawn")  # no forked copies of a loaded model
    pending: deque[tuple[list[Item], Future[list[Any]]]] = deque()
    with (
        _one_thread_each(),
        ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_start,
            initargs=(model, options),
        ) as pool,
    ):
        try:
            for chunk in _batches(items, batch):
                docs = [i for i in chunk if isinstance(i, Document)]
                pending.append((chunk, pool.submit(_work, docs)))
                while len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                    yield from _collect(*pending.popleft())
            while pending:
                yield from _collect(*pending.popleft())
        except BrokenProcessPool as err:
            raise WorkerError(
                "a worker process died (killed or out of memory); no partial output was kept, "
                "run again (with -o DIR, --resume skips finished documents)"
            ) from err


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


def _collect(chunk: list[Item], future: Future[list[Any]]) -> Iterator[Result]:
    done = iter(future.result())
    for item in chunk:
        if isinstance(item, DocumentFailure):
            yield item
            continue
        result = next(done)
        yield result if isinstance(result, DocumentFailure) else (item, result)
