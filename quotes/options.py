"""What to extract: one frozen options object, carried unchanged by every way in.

The library (:class:`quotes.Extractor`), the CLI, the process pool, the Dask runner and the
spaCy component all build their cards from an :class:`ExtractOptions`, so the same options
always give the same cards whichever shell runs the core.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class ExtractOptions:
    """Which cards the core makes.

    ``include_scare``: scare quotes, titles and nicknames too (speaker null).
    ``include_indirect``: reported speech ("she said that …", "according to X, …").
    ``include_cognition``: with indirect, also beliefs, intentions, evidence and stances.
    """

    include_scare: bool = False
    include_indirect: bool = True
    include_cognition: bool = False

    def as_dict(self) -> dict[str, Any]:
        """Plain data (for a spaCy config, a run manifest or a log line)."""
        return asdict(self)


DEFAULT_OPTIONS = ExtractOptions()


@dataclass(frozen=True)
class Limits:
    """How much one document may cost; beyond a limit the document is given up with a clear
    reason (``too large``, ``too slow``) and the run goes on. ``None``: no limit.

    ``max_chars``: characters of text (checked before parsing; memory grows with it).
    ``max_seconds``: seconds for the rules after the parse (see :mod:`quotes.core.deadline`).
    Limits never change the cards of a document within them.
    """

    max_chars: int | None = 1_000_000
    max_seconds: float | None = 120.0


DEFAULT_LIMITS = Limits()
