"""A time limit for the rules on one document, checked as they go.

The rules call :func:`check` once per step of their outer loops (a quote, a token, a draft
card); past the deadline set by :func:`time_limit` it raises :class:`~quotes.errors.TooSlow`,
so an unforeseen slow path costs at most one step beyond the limit. Checking cooperatively
rather than with a timer signal works in any thread and process (worker pools, Dask) and never
interrupts spaCy's compiled code halfway; the parse before the rules is linear in the text,
and the size limit bounds it.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from contextvars import ContextVar

from ..errors import TooSlow

#: The clock the limit is measured on (a test may replace it).
clock = time.monotonic

_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("quotes_deadline", default=None)


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Within the block, :func:`check` raises once ``seconds`` have passed (None: never)."""
    token = _DEADLINE.set(None if seconds is None else (clock() + seconds, seconds))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def check() -> None:
    """Raise :class:`TooSlow` when the current document is past its time limit."""
    limit = _DEADLINE.get()
    if limit is not None and clock() > limit[0]:
        raise TooSlow(f"too slow: over {limit[1]:g} s (--max-seconds)")
