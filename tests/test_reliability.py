"""Bad input, hostile ids, interruptions: nothing lost, nothing partial, nothing outside."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import spacy
from click.testing import CliRunner

from quotes.cli import cli
from quotes.extractor import Extractor
from quotes.files import safe_stem
from quotes.pipeline import default_model_name, split_glued_quotes
from quotes.schema import record_errors

from .conftest import SEED

ARTICLE = "“The harbour will reopen in April,” said Mayor Ann Patel.\n"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _corpus(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.mark.parametrize("content", ["", "   \n\n\t  \n"])
def test_empty_and_blank_documents_give_empty_records(
    runner: CliRunner, tmp_path: Path, content: str
) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "blank.txt").write_text(content, encoding="utf-8")
    result = runner.invoke(cli, ["extract", str(tmp_path / "in"), "-o", str(tmp_path / "o"), "-q"])
    assert result.exit_code == 0, result.output
    record = json.loads((tmp_path / "o" / "blank.json").read_text(encoding="utf-8"))
    assert record["cards"] == [] and record["speakers"] == []


def test_binary_file_is_reported_and_the_rest_written(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "b.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["extract", str(folder), "-o", str(out), "-q"])
    assert result.exit_code == 1
    assert f"{folder / 'a.txt'}: looks like a binary file" in result.stderr
    assert (out / "b.json").is_file() and not (out / "a.json").exists()
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text().splitlines()]
    assert errors == [
        {"where": str(folder / "a.txt"), "reason": "looks like a binary file, not text"}
    ]


def test_unreadable_file_is_reported(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    real = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    result = runner.invoke(cli, ["extract", str(path), "-q"])
    assert result.exit_code == 1
    assert f"{path}: cannot read: Permission denied" in result.stderr


def test_folder_without_txt_files(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    result = runner.invoke(cli, ["extract", str(tmp_path), "-q"])
    assert result.exit_code == 1
    assert "folder holds no .txt files" in result.stderr


def test_fail_fast_stops_at_the_first_failure(runner: CliRunner, tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        "{broken\n" + json.dumps({"id": "late", "text": ARTICLE}) + "\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    result = runner.invoke(cli, ["extract", str(corpus), "-o", str(out), "--fail-fast", "-q"])
    assert result.exit_code == 1
    assert "stopped at the first failure" in result.stderr
    assert not (out / "late.json").exists()


HOSTILE = ["../../x", "/etc/passwd", "", "a" * 500, "nul\x00byte", "CON", "con.txt", "..", "a/b"]


@pytest.mark.parametrize("doc_id", HOSTILE)
def test_hostile_ids_become_safe_file_names(doc_id: str) -> None:
    stem = safe_stem(doc_id)
    assert stem and "/" not in stem and "\\" not in stem and "\x00" not in stem
    assert not stem.startswith(".") and len(stem) <= 140
    assert stem.split(".")[0].lower() not in {"con", "prn", "aux", "nul"}


def test_hostile_ids_never_write_outside_the_folder(runner: CliRunner, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c.jsonl", [{"id": i, "text": ARTICLE} for i in HOSTILE])
    out = tmp_path / "deep" / "out"
    result = runner.invoke(cli, ["extract", str(corpus), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == len(HOSTILE)
    outside = {p for p in tmp_path.rglob("*") if p.is_file()} - set(out.iterdir())
    assert outside == {corpus}
    ids = {json.loads((out / n).read_text(encoding="utf-8"))["doc_id"] for n in written}
    assert ids == set(HOSTILE)


def test_duplicate_ids_resolve_deterministically(runner: CliRunner, tmp_path: Path) -> None:
    texts = [ARTICLE, "“We are ready,” said Omar Reyes.\n", "“Not yet,” said Karl Brandt.\n"]
    corpus = _corpus(tmp_path / "c.jsonl", [{"id": "same", "text": t} for t in texts])
    runs = []
    for n in range(2):
        out = tmp_path / f"out{n}"
        assert runner.invoke(cli, ["extract", str(corpus), "-o", str(out), "-q"]).exit_code == 0
        runs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert list(runs[0]) == ["same.json", "same_2.json", "same_3.json"]
    assert runs[0] == runs[1]  # byte-identical across runs
    speakers = [json.loads(runs[0][n])["speakers"][0]["name"] for n in runs[0]]
    assert speakers == ["Ann Patel", "Omar Reyes", "Karl Brandt"]


def test_resume_skips_documents_already_done(runner: CliRunner, tmp_path: Path) -> None:
    corpus = _corpus(
        tmp_path / "c.jsonl",
        [{"id": "one", "text": ARTICLE}, {"id": "two", "text": ARTICLE}],
    )
    out = tmp_path / "out"
    assert runner.invoke(cli, ["extract", str(corpus), "-o", str(out), "-q"]).exit_code == 0
    kept = out / "one.json"
    os.utime(kept, (1_000_000, 1_000_000))
    (out / "two.json").write_text('{"doc_id": "two", "cards": "half-writ', encoding="utf-8")
    result = runner.invoke(cli, ["extract", str(corpus), "-o", str(out), "--resume"])
    assert result.exit_code == 0, result.output
    assert "skipped 1 documents already done" in result.stderr
    assert kept.stat().st_mtime == 1_000_000  # untouched
    redone = json.loads((out / "two.json").read_text(encoding="utf-8"))
    assert record_errors(redone, "document") == []
    assert runner.invoke(cli, ["extract", str(corpus), "--resume"]).exit_code == 2


def test_document_beyond_max_length_is_parsed_in_chunks(extractor: Extractor) -> None:
    """The 5 MB case with a small limit: the same cards, offsets exact into the original."""
    text = SEED.read_text(encoding="utf-8")
    small = spacy.load(default_model_name())
    split_glued_quotes(small)
    small.max_length = 2_000
    chunked = Extractor(small).extract(text, "seed")
    whole = extractor.extract(text, "seed")
    for card in chunked:
        assert text[card.quote.start : card.quote.end] == card.quote.text
    direct = [(c.quote.start, c.speaker.name if c.speaker else None) for c in whole]
    assert [(c.quote.start, c.speaker.name if c.speaker else None) for c in chunked] == direct


def _wait_for(predicate: Callable[[], bool], timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def _interrupted(args: list[str], ready: Callable[[], bool], signum: int) -> int:
    """Run the CLI, send ``signum`` once ``ready()`` holds, return its exit status."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "quotes", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        assert _wait_for(ready)
        proc.send_signal(signum)
        proc.communicate(timeout=60)
    finally:
        proc.kill()
        proc.communicate()
    return proc.returncode


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_run_leaves_no_partial_file(tmp_path: Path, signum: int) -> None:
    text = SEED.read_text(encoding="utf-8")
    corpus = _corpus(tmp_path / "c.jsonl", [{"id": f"d{i}", "text": text} for i in range(400)])
    out = tmp_path / "cards.jsonl"
    status = _interrupted(
        ["extract", str(corpus), "-o", str(out), "-q"],
        lambda: any(tmp_path.glob(".cards.jsonl.*.tmp")),
        signum,
    )
    assert status != 0
    assert not out.exists()
    assert list(tmp_path.glob("*.tmp")) == list(tmp_path.glob(".*.tmp")) == []


def test_interrupted_folder_run_keeps_only_whole_files(tmp_path: Path) -> None:
    corpus = _corpus(
        tmp_path / "c.jsonl", [{"id": f"d{i}", "text": ARTICLE * 3} for i in range(5000)]
    )
    out = tmp_path / "out"
    _interrupted(
        ["extract", str(corpus), "-o", str(out), "-q"],
        lambda: out.is_dir() and len(list(out.glob("*.json"))) >= 2,
        signal.SIGTERM,
    )
    files = list(out.iterdir())
    assert files and all(p.suffix == ".json" for p in files)
    for path in files:
        assert record_errors(json.loads(path.read_text(encoding="utf-8")), "document") == []


def test_invalid_record_mid_run_leaves_no_file(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quotes import files as quotes_io
    from quotes.schema import FieldProblem, InvalidRecordError

    corpus = _corpus(tmp_path / "c.jsonl", [{"id": f"d{n}", "text": ARTICLE} for n in range(3)])
    calls = {"n": 0}
    real = quotes_io.validate_record

    def fail_on_second(record: dict[str, object], name: str | None = None) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise InvalidRecordError([FieldProblem("$.quote.start", "broken on purpose")])
        real(record, name)  # type: ignore[arg-type]

    monkeypatch.setattr(quotes_io, "validate_record", fail_on_second)
    out = tmp_path / "cards.jsonl"
    result = runner.invoke(cli, ["extract", str(corpus), "-o", str(out), "-q"])
    assert result.exit_code == 1
    assert "Error: record does not match the schema: $.quote.start: broken on purpose" in (
        result.stderr
    )
    assert not out.exists() and list(tmp_path.glob(".*.tmp")) == []


def test_encoding_option_reads_latin1(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(
        "“Olé,” said Ann Patel.\n".replace("“", '"').replace("”", '"').encode("latin-1")
    )
    strict = runner.invoke(cli, ["extract", str(path), "-q"])
    assert strict.exit_code == 1 and "not valid utf-8 at byte 3" in strict.stderr
    result = runner.invoke(cli, ["extract", str(path), "-q", "--encoding", "latin-1"])
    assert result.exit_code == 0
    card = json.loads(result.stdout.splitlines()[0])
    assert card["quote"]["text"] == "Olé,"
