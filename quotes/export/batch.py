"""The shape every batched export writer shares (Parquet, SQLite): rows kept in a bounded
buffer, stored a batch at a time, made final on a clean exit and undone on any error."""

from __future__ import annotations

from types import TracebackType
from typing import Any, TypeVar

S = TypeVar("S", bound="BatchSink")


class BatchSink:
    """A writer used as a context manager that keeps rows in a bounded buffer: subclasses
    store a batch (``_flush``), make the output final on a clean exit (``_commit``) and undo
    everything on an error (``_abort``, which must not raise)."""

    def __init__(self, batch_rows: int) -> None:
        self.batch_rows = batch_rows
        self.rows = 0
        self._pending: list[dict[str, Any]] = []

    def _open(self) -> None:
        raise NotImplementedError

    def _store(self, rows: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    def _commit(self) -> None:
        raise NotImplementedError

    def _abort(self, err: BaseException) -> None:
        raise NotImplementedError

    def _add(self, row: dict[str, Any]) -> None:
        self._pending.append(row)
        if len(self._pending) >= self.batch_rows:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._store(self._pending)
            self.rows += len(self._pending)
            self._pending = []

    def __enter__(self: S) -> S:
        try:
            self._open()
        except BaseException as err:
            self._abort(err)
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is not None:
            self._abort(exc)
            return
        try:
            self._flush()
            self._commit()
        except BaseException as err:
            self._abort(err)
            raise
