"""Atomic replacement of a whole file written by a library (Parquet, SQLite) rather than
through a text handle: write to a temporary name beside the target, rename on success."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

S = TypeVar("S", bound="BatchSink")


def temp_beside(path: Path) -> Path:
    """A fresh hidden name in the target's folder (same file system, so the rename is atomic)."""
    return path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class AtomicFile:
    """A whole file written by a library under a temporary name beside ``path``: ``start``
    gives that name, ``commit`` syncs it and renames it to ``path``, ``discard`` removes it
    (safe to call at any point, twice, or after a commit)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp: Path | None = None

    def start(self) -> Path:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = temp_beside(self.path)
        return self.tmp

    def commit(self) -> None:
        assert self.tmp is not None, "commit before start"
        fsync_file(self.tmp)
        os.replace(self.tmp, self.path)
        self.tmp = None

    def discard(self) -> None:
        if self.tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.tmp)
            self.tmp = None


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
