"""Runners: documents in, extractions out, in input order, in one process or several.

``run_items`` runs in this process; ``run_parallel`` on a pool of processes on one machine,
with the same results in the same order.

Each worker process has the pipeline loaded once (forked from this process after it loaded
it, on Linux; else loaded by the pool initializer) and turns batches of documents into
extractions; the parent keeps a bounded number of batches in flight, so a corpus of any
size streams through in constant memory. A worker that dies makes the run fail with a clear
error rather than lose or repeat a document.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import warnings
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from multiprocessing.context import BaseContext
from typing import Any

from .core.cards import Extraction
from .errors import QuotesError, WorkerError
from .extractor import Extractor
from .files import Document, DocumentFailure, Item
from .options import DEFAULT_LIMITS, DEFAULT_OPTIONS, ExtractOptions, Limits
from .pipeline import load_model

Result = tuple[Document, Extraction] | DocumentFailure

# Documents parsed together in one process (also how often streamed output reaches disk).
IN_PROCESS_CHUNK = 64
# Documents sent to a worker at a time (one batch of the parser: 4 a time cost 20% more CPU),
# and batches in flight per worker.
BATCH = 16
IN_FLIGHT_PER_WORKER = 2

_extractor: Extractor | None = None


def _start(model: str | None, options: ExtractOptions, limits: Limits, parent: int) -> None:
    global _extractor
    # A forked worker inherits the CLI's SIGTERM handler, which only raises at the next Python
    # instruction: a worker blocked writing a result would outlive the pool that ends it.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):  # forked while the parent held them
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _INTERRUPTS)
    if hasattr(os, "setsid"):
        # A session of its own: Linux shares the CPU between sessions first (autogroup), so
        # on a busy machine workers in the parent's session share its one slice, and
        # --workers 2 ran slower than one process. The parent stops them (_stop), as
        # Ctrl-C no longer reaches them.
        os.setsid()
    _die_with_parent(parent)
    # Ctrl-C is the parent's to handle: it decides what to keep and stops us (_stop).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _extractor = Extractor(model, options, limits=limits)


def _die_with_parent(parent: int) -> None:
    """End this worker when the parent process ends, however it ends (killed, or stopped
    before it could stop us): a forked worker shares its siblings' ends of the pool's pipes,
    so it would never read the end of its input and would outlive the run (Linux:
    ``PR_SET_PDEATHSIG``; elsewhere workers are spawned and see the pipes close)."""
    if sys.platform != "linux":
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent ended before the request was made
        os._exit(1)


_PR_SET_PDEATHSIG = 1


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


def _balanced_batches(items: Iterable[Item], size: int, workers: int) -> Iterator[list[Item]]:
    """Batches of ``size`` items, except at the end: reading ``workers`` batches ahead, the
    rest, once the input ends, goes out in ``2 × workers`` smaller batches, so that the
    workers finish together (80 documents on 2 workers: 16, 16, then 4 × 12)."""
    remaining = iter(items)
    ahead: list[Item] = []
    window = size * (workers + 1)
    while True:
        ahead.extend(islice(remaining, window - len(ahead)))
        if len(ahead) < window:  # the input has ended
            break
        yield ahead[:size]
        del ahead[:size]
    if ahead:
        step = -(-len(ahead) // min(len(ahead), 2 * workers))
        for start in range(0, len(ahead), step):
            yield ahead[start : start + step]


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
    stops early (an interrupt, a dead worker), the workers are stopped at once."""
    context = _context()
    if context.get_start_method() == "fork":
        load_model(model)  # once, here: every worker starts with it (see _context)
    pending: deque[tuple[list[Item], Future[list[Any]]]] = deque()
    with (
        _one_thread_each(),
        ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_start,
            initargs=(model, options, limits, os.getpid()),
        ) as pool,
    ):
        try:
            for chunk in _balanced_batches(items, batch, workers):
                pending.append((chunk, _submit(pool, _documents(chunk))))
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
        except BaseException:  # Ctrl-C, SIGTERM, a consumer that stops early: stop at once
            _stop(pool)
            raise


def _stop(pool: ProcessPoolExecutor) -> None:
    """End the workers now, not after the batches already queued."""
    processes = list(pool._processes.values())  # no public way to reach them
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()


def _context() -> BaseContext:
    """How workers start. On Linux, forked from this process once it has loaded the pipeline:
    they start at once, with no interpreter start-up, imports or model load of their own
    (about 2 CPU-seconds each), and share the model's memory until they write to it. Elsewhere
    spawned, each loading the pipeline itself (fork is unsafe on macOS, absent on Windows)."""
    return multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")


def _submit(pool: ProcessPoolExecutor, docs: list[Document]) -> Future[list[Any]]:
    with warnings.catch_warnings(), _interrupts_held():
        # Python 3.12+ warns about forking a process that has threads; numpy's BLAS starts
        # idle ones at import, which hold no lock the workers need.
        warnings.filterwarnings("ignore", "This process .* is multi-threaded", DeprecationWarning)
        return pool.submit(_work, docs)


_INTERRUPTS = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until ``submit`` returns: it may fork a worker, and an
    interrupt between the fork and the pool's note of the new process left a worker the
    parent could not stop, and the run hung. Workers unblock them (:func:`_start`)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, _INTERRUPTS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _INTERRUPTS)


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
