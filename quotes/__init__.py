"""quote-cards: quotations in news text, attributed to their speakers, as validated fact cards.

>>> from quotes import extract
>>> cards = extract("“We will win,” the mayor said.")
"""

from __future__ import annotations

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
from .pipeline import Extractor, ModelError, extract

__version__ = "0.1.0"

__all__ = [
    "SCHEMA_VERSION",
    "Addressee",
    "Cue",
    "DocumentRecord",
    "Extractor",
    "FactCard",
    "ModelError",
    "Quote",
    "RosterEntry",
    "Source",
    "Speaker",
    "__version__",
    "extract",
]
