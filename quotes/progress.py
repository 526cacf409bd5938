"""Progress of a long run on stderr: documents done, rate and ETA, at most every few seconds."""

from __future__ import annotations

import time

import click

#: Seconds between two progress lines.
PROGRESS_EVERY_S = 2.0


def plural(count: int, noun: str) -> str:
    """``1 quote``, ``2 quotes``: the count and the noun, plural unless the count is one."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def message(text: str) -> None:
    """A line for the user on stderr (stdout carries data only)."""
    click.echo(text, err=True)


class Progress:
    """Documents done and rate on stderr, at most every few seconds; silent when quiet."""

    def __init__(self, quiet: bool, total: int | None = None) -> None:
        self.quiet = quiet
        self.total = total
        self.done = 0
        self.failed = 0
        self.cards = 0
        self.started = time.monotonic()
        self.last = self.started

    def step(self, cards: int = 0, failed: bool = False) -> None:
        self.done += 1
        self.cards += cards
        self.failed += int(failed)
        now = time.monotonic()
        if not self.quiet and now - self.last >= PROGRESS_EVERY_S:
            self.last = now
            rate = self.done / max(now - self.started, 1e-9)
            of = f"/{self.total}" if self.total else ""
            eta = ""
            if self.total and rate > 0:
                eta = f", ETA {max(self.total - self.done, 0) / rate:.0f}s"
            message(f"quotes: {self.done}{of} documents, {rate:.1f} docs/s{eta}")

    def finish(self) -> None:
        if self.quiet:
            return
        elapsed = time.monotonic() - self.started
        failed = f", {self.failed} failed" if self.failed else ""
        message(f"quotes: {self.cards} cards from {self.done} documents{failed} in {elapsed:.1f}s")
