"""--workers: the same output as one process, in order; a killed worker fails the run cleanly."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from quotes.cli import cli

from .conftest import SEED

TEXTS = [
    "“The harbour will reopen in April,” said Mayor Ann Patel.\n",
    "Omar Reyes said the port would close. “We have no choice,” he added.\n",
    "“Not yet,” Karl Brandt told reporters.\n\nHe said the budget was balanced.\n",
]


def _corpus(path: Path, n: int, text: str | None = None) -> Path:
    lines = [
        json.dumps({"id": f"d{i:04d}", "text": text or TEXTS[i % len(TEXTS)]}) for i in range(n)
    ]
    lines.insert(5, "{not json")  # a bad line keeps its place among the failures
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_two_workers_write_exactly_what_one_writes(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c.jsonl", 30)
    runner = CliRunner()
    outputs = []
    for workers in (1, 2):
        out = tmp_path / f"cards{workers}.jsonl"
        result = runner.invoke(
            cli, ["extract", str(corpus), "-o", str(out), "-q", "--workers", str(workers)]
        )
        assert result.exit_code == 1  # the bad line
        assert f"{corpus}:6: malformed JSON" in result.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    ids = [json.loads(line)["doc_id"] for line in outputs[0].decode().splitlines()]
    assert ids == sorted(ids) and len(set(ids)) == 30


def test_workers_must_be_positive() -> None:
    result = CliRunner().invoke(cli, ["extract", "-", "--workers", "0"], input="x")
    assert result.exit_code == 2


def _worker_pids(parent: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        # Pool workers (forked, or spawned off Linux), not multiprocessing's resource tracker.
        if ppid == parent and b"resource_tracker" not in cmdline:
            pids.append(int(entry.name))
    return pids


def test_killed_worker_fails_the_run_with_nothing_partial(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c.jsonl", 300, SEED.read_text(encoding="utf-8"))
    out = tmp_path / "cards.jsonl"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "quotes",
            "extract",
            str(corpus),
            "-o",
            str(out),
            "-q",
            "--workers",
            "2",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        workers: list[int] = []
        while time.monotonic() < deadline and len(workers) < 2:
            workers = _worker_pids(proc.pid)
            time.sleep(0.1)
        assert workers, "no worker process started"
        # Kill one mid-run: once the first cards have reached the temporary output file.
        while time.monotonic() < deadline and not any(
            p.stat().st_size for p in tmp_path.glob(".cards.jsonl.*.tmp")
        ):
            time.sleep(0.1)
        assert proc.poll() is None, "the run ended before a worker could be killed"
        os.kill(workers[0], signal.SIGKILL)
        _, stderr = proc.communicate(timeout=120)
    finally:
        proc.kill()
        proc.communicate()
    assert proc.returncode == 1
    assert "Error: a worker process died" in stderr
    assert not out.exists()
    assert list(tmp_path.glob(".*.tmp")) == []


@pytest.mark.skipif(sys.platform != "linux", reason="forked workers in sessions of their own")
def test_workers_end_when_the_parent_is_killed(tmp_path: Path) -> None:
    """Workers forked into sessions of their own share the pool's pipes with each other, so
    they would not see the parent go: they end with it, however it ends."""
    corpus = _corpus(tmp_path / "c.jsonl", 300, SEED.read_text(encoding="utf-8"))
    command = [sys.executable, "-m", "quotes", "extract", str(corpus), "-q", "--workers", "2"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and len(workers) < 2:
            workers = _worker_pids(proc.pid)
            time.sleep(0.1)
        assert len(workers) == 2, "the workers did not start"
        proc.kill()
        proc.wait()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in workers)
    finally:
        proc.kill()
        proc.wait()
        for pid in workers:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_batches_are_full_until_the_tail_is_shared_out() -> None:
    from quotes.workers import _balanced_batches

    for n in (0, 1, 5, 48, 80, 200):
        batches = list(_balanced_batches(range(n), 16, 2))
        assert [i for batch in batches for i in batch] == list(range(n))
        tail = batches[-4:]
        assert all(len(b) == 16 for b in batches[: len(batches) - len(tail)])
        assert max(map(len, tail), default=0) - min(map(len, tail), default=0) <= 6
