"""Progress of a long run on stderr: documents done, rate and ETA, at most every few seconds
(and after every Dask partition)."""

from __future__ import annotations

import time

import click

#: Seconds between two progress lines, and the least time a rate is measured over.
PROGRESS_EVERY_S = 2.0


def plural(count: int, noun: str) -> str:
    """``1 quote``, ``2 quotes``: the count and the noun, plural unless the count is one."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def message(text: str) -> None:
    """A line for the user on stderr (stdout carries data only)."""
    click.echo(text, err=True)


class Progress:
    """Documents done, rate and ETA on stderr; silent when quiet.

    The rate counts from the first document (or partition) done, not from the start: start-up
    and loading the model, here or in every worker, would otherwise make a long run's early
    ETAs too long. Until it has been measured over a few seconds, no rate is shown."""

    def __init__(self, quiet: bool, total: int | None = None) -> None:
        self.quiet = quiet
        self.total = total
        self.done = 0
        self.failed = 0
        self.cards = 0
        self.parts = 0
        self.started = time.monotonic()
        self.last = self.started
        self.first: tuple[float, int] | None = None  # (when, documents done) at the first

    def step(self, cards: int = 0, failed: bool = False) -> None:
        """One document done; a line if the last one is a few seconds old."""
        now = self._advance(1, cards, int(failed))
        if not self.quiet and now - self.last >= PROGRESS_EVERY_S:
            self.last = now
            message(self.line(now))

    def part(self, documents: int, cards: int, failed: int) -> None:
        """One partition of ``documents`` done (Dask): a line every time."""
        self.parts += 1
        now = self._advance(documents, cards, failed)
        if not self.quiet:
            self.last = now
            message(self.line(now, f" in {self.parts} part{'s' if self.parts > 1 else ''}"))

    def _advance(self, documents: int, cards: int, failed: int) -> float:
        now = time.monotonic()
        self.done += documents
        self.cards += cards
        self.failed += failed
        if self.first is None:
            self.first = (now, self.done)
        return now

    def line(self, now: float, detail: str = "") -> str:
        of = f"/{self.total}" if self.total else ""
        rate = self.rate(now)
        speed = eta = ""
        if rate is not None:
            speed = f", {rate:.1f} docs/s"
            if self.total:
                eta = f", ETA {max(self.total - self.done, 0) / rate:.0f}s"
        return f"quotes: {self.done}{of} documents{detail}{speed}{eta}"

    def rate(self, now: float) -> float | None:
        """Documents a second since the first was done, once measured over a few seconds."""
        if self.first is None:
            return None
        since, counted = now - self.first[0], self.done - self.first[1]
        if since < PROGRESS_EVERY_S or counted <= 0:
            return None
        return counted / since

    def finish(self) -> None:
        if self.quiet:
            return
        elapsed = time.monotonic() - self.started
        failed = f", {self.failed} failed" if self.failed else ""
        message(f"quotes: {self.cards} cards from {self.done} documents{failed} in {elapsed:.1f}s")
