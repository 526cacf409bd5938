"""Tabular exports of fact cards: one flat row per card (``rows``), Parquet (``parquet``),
SQLite (``sqlite``), pandas and reading any format back (``frames``).

The heavy libraries are optional extras, imported only when a writer or reader needs them:
``pip install "quote-cards[parquet]"`` (pyarrow), ``[sqlite]`` (sqlite-utils), ``[pandas]``, or
``[export]`` for all three.
"""

from __future__ import annotations

import importlib
from typing import Any

from ..errors import MissingExtraError

#: The extra that installs each optional module.
EXTRAS = {"pyarrow": "parquet", "sqlite_utils": "sqlite", "pandas": "pandas"}


def require(module: str, purpose: str) -> Any:
    """Import an optional dependency, or raise :class:`MissingExtraError` naming the extra."""
    try:
        return importlib.import_module(module)
    except ImportError as err:
        extra = EXTRAS.get(module.split(".")[0], "export")
        raise MissingExtraError(
            f'{purpose} needs {module.split(".")[0]}: pip install "quote-cards[{extra}]"'
        ) from err
