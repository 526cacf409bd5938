"""quote-cards: quotations in news text, attributed to their speakers, as validated fact cards.

>>> from quotes import extract
>>> cards = extract("“We will win,” the mayor said.")

Across a corpus: :func:`card_row` (a card as one flat row), :func:`to_dataframe` (pandas),
:func:`read_cards` (any format written back to validated cards) and :func:`speaker_index`
(speakers merged into corpus identities).
"""

from __future__ import annotations

from .corpus import speaker_index
from .errors import InputError, ModelError, QuotesError
from .export.frames import read_cards, to_dataframe
from .export.rows import card_row
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
    "InputError",
    "ModelError",
    "Quote",
    "QuotesError",
    "RosterEntry",
    "Source",
    "Speaker",
    "__version__",
    "card_row",
    "extract",
    "read_cards",
    "speaker_index",
    "to_dataframe",
]
