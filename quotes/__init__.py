"""quote-cards: quotations in news text, attributed to their speakers, as validated fact cards.

>>> from quotes import extract
>>> cards = extract("“We will win,” the mayor said.")
"""

from __future__ import annotations

from .errors import ModelError, QuotesError
from .extractor import Extractor, extract
from .models import (
    SCHEMA_VERSION,
    Addressee,
    Cue,
    DocumentRecord,
    FactCard,
    Quote,
    RosterEntry,
    Source,
    Speaker,
)
from .options import ExtractOptions

__version__ = "0.1.0"

__all__ = [
    "SCHEMA_VERSION",
    "Addressee",
    "Cue",
    "DocumentRecord",
    "ExtractOptions",
    "Extractor",
    "FactCard",
    "ModelError",
    "Quote",
    "QuotesError",
    "RosterEntry",
    "Source",
    "Speaker",
    "__version__",
    "extract",
]
