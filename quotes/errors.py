"""The one exception hierarchy of quote-cards.

Every failure the tool reports to a user is a :class:`QuotesError`; the CLI maps the classes to
``Error: …`` messages and exit codes in one place (``quotes.cli``). Library users catch
``QuotesError`` to handle them all. Records that *describe* a failure (a document that could
not be read, a field that does not match the schema) are data, not exceptions: see
``quotes.files.DocumentFailure`` and ``quotes.schema.FieldProblem``.
"""

from __future__ import annotations


class QuotesError(Exception):
    """Base class: a failure the tool explains to its user."""


class ModelError(QuotesError):
    """No usable spaCy pipeline: missing, or without the dependency parser the rules need."""


class InputError(QuotesError):
    """An input the command cannot use at all (a missing path, a gold file that is not gold)."""


class TooSlow(InputError):
    """A document took longer than the per-document time limit; the run goes on without it."""


class OutputError(QuotesError):
    """An output that cannot be written (a full disk, a path that is a folder, an input)."""


class SchemaError(QuotesError):
    """A record does not match the committed schema; nothing may be written."""


class WorkerError(QuotesError):
    """A worker process or cluster task ended abruptly; the run stops without partial output."""


class UsageError(QuotesError):
    """Options that do not go together (the CLI exits 2, as for any usage error)."""


class MissingExtraError(QuotesError, ImportError):
    """An optional feature whose dependencies are not installed; the message names the extra."""
