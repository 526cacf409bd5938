"""Bad input, hostile ids, interruptions: nothing lost, nothing partial, nothing outside."""

from __future__ import annotations

import json
import os
import re
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
from quotes.errors import InputError
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


HOSTILE = ["../../x", "/etc/passwd", "_", "a" * 500, "nul\x00byte", "CON", "con.txt", "..", "a/b"]


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
    written = sorted(p.name for p in out.glob("*.json"))
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
        runs.append({p.name: p.read_bytes() for p in sorted(out.glob("*.json"))})
    assert list(runs[0]) == ["same.json", "same_2.json", "same_3.json"]
    assert runs[0] == runs[1]  # byte-identical across runs
    records = [json.loads(runs[0][n]) for n in runs[0]]
    assert [r["speakers"][0]["name"] for r in records] == ["Ann Patel", "Omar Reyes", "Karl Brandt"]


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


def _interrupted(args: list[str], ready: Callable[[], bool], signum: int) -> tuple[int | None, str]:
    """Run the CLI, send ``signum`` once ``ready()`` holds; its exit status and stderr."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "quotes", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert _wait_for(ready)
        proc.send_signal(signum)
        _, stderr = proc.communicate(timeout=60)
    finally:
        proc.kill()
        proc.communicate()
    return proc.returncode, stderr


def _quotes(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quotes", *args], capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    ("signum", "workers"), [(signal.SIGINT, 1), (signal.SIGTERM, 1), (signal.SIGINT, 2)]
)
def test_interrupted_run_leaves_no_partial_file(tmp_path: Path, signum: int, workers: int) -> None:
    text = SEED.read_text(encoding="utf-8")
    corpus = _corpus(tmp_path / "c.jsonl", [{"id": f"d{i}", "text": text} for i in range(400)])
    out = tmp_path / "cards.jsonl"
    status, stderr = _interrupted(
        ["extract", str(corpus), "-o", str(out), "-q", "--workers", str(workers)],
        lambda: any(tmp_path.glob(".cards.jsonl.*.tmp")),
        signum,
    )
    assert status == 128 + signum  # 130 for Ctrl-C, 143 for SIGTERM: not 1, "a document failed"
    assert stderr.splitlines() == [
        f"quotes: interrupted; nothing was written to {out} (it is written whole or not at all); "
        "with -o DIR, --resume finishes an interrupted run"
    ]
    assert not out.exists()
    assert list(tmp_path.glob("*.tmp")) == list(tmp_path.glob(".*.tmp")) == []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_folder_run_keeps_only_whole_files(tmp_path: Path, signum: int) -> None:
    corpus = _corpus(
        tmp_path / "c.jsonl", [{"id": f"d{i}", "text": ARTICLE * 3} for i in range(5000)]
    )
    out = tmp_path / "out"
    status, stderr = _interrupted(
        ["extract", str(corpus), "-o", str(out), "-q"],
        lambda: out.is_dir() and len(list(out.glob("*.json"))) >= 2,
        signum,
    )
    assert status == 128 + signum
    [line] = stderr.splitlines()
    assert re.fullmatch(
        rf"quotes: interrupted; \d+ documents written to {re.escape(str(out))} this run are "
        "complete; run the same command with --resume to extract the rest",
        line,
    )
    files = list(out.glob("*.json"))
    assert files and {p.name for p in out.iterdir()} - {p.name for p in files} == {
        ".quotes-manifest.jsonl"
    }
    for path in files:
        assert record_errors(json.loads(path.read_text(encoding="utf-8")), "document") == []
    # The corpus cut short after the documents done, so that the resumed run is quick.
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    corpus.write_text("".join(lines[: len(files) + 10]), encoding="utf-8")
    resumed = _quotes("extract", str(corpus), "-o", str(out), "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert f"skipped {len(files)} documents already done" in resumed.stderr
    assert len(list(out.glob("*.json"))) == len(files) + 10


def test_killed_run_leaves_a_temporary_file_the_next_run_sweeps(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    corpus = _corpus(tmp_path / "c.jsonl", [{"id": f"d{i}", "text": text} for i in range(400)])
    out = tmp_path / "cards.jsonl"
    _interrupted(
        ["extract", str(corpus), "-o", str(out), "-q"],
        lambda: any(tmp_path.glob(".cards.jsonl.*.tmp")),
        signal.SIGKILL,
    )
    [stale] = tmp_path.glob(".cards.jsonl.*.tmp")  # SIGKILL cannot be caught
    corpus.write_text(json.dumps({"id": "one", "text": ARTICLE}) + "\n", encoding="utf-8")
    result = _quotes("extract", str(corpus), "-o", str(out), "-q")
    assert result.returncode == 0, result.stderr
    assert f"quotes: removed {stale}, left by a run that was killed" in result.stderr
    assert not stale.exists() and out.is_file()


def test_symlinks_in_the_output_folder_are_replaced_not_followed(
    runner: CliRunner, tmp_path: Path
) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    for name in ("harbour.json", "errors.jsonl", ".quotes-manifest.jsonl"):
        (out / name).symlink_to(precious)
    corpus = _corpus(tmp_path / "c.jsonl", [{"id": "harbour", "text": ARTICLE}])
    result = runner.invoke(cli, ["extract", str(corpus), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert precious.read_text(encoding="utf-8") == "keep me"
    assert not (out / "harbour.json").is_symlink() and not (out / "errors.jsonl").exists()
    assert json.loads((out / "harbour.json").read_text(encoding="utf-8"))["doc_id"] == "harbour"


def test_temporary_files_of_a_live_run_are_left_alone(tmp_path: Path) -> None:
    from quotes.files import sweep_temporaries

    dead = tmp_path / ".cards.jsonl.4194305-0123456789ab.tmp"  # above Linux's largest pid
    old = tmp_path / ".cards.jsonl.0123456789ab.tmp"  # named before pids were
    live = tmp_path / f".cards.jsonl.{os.getppid()}-0123456789ab.tmp"
    other = tmp_path / ".notes.txt.4194305-0123456789ab.tmp"
    for path in (dead, old, live, other):
        path.touch()
    swept = sweep_temporaries(tmp_path, lambda name: name == "cards.jsonl")
    assert sorted(swept) == sorted([dead, old])
    assert live.exists() and other.exists()


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


# -- one bad document never stops the run ------------------------------------------------------

GOOD = {"id": "good", "text": ARTICLE}
LAST = {"id": "last", "text": "“Not yet,” said Karl Brandt.\n"}


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (json.dumps({"id": "s", "text": "“Ready \udcff now,” said Ann Patel."}),
         '"text" holds a lone surrogate (U+DCFF) at character 7'),
        (json.dumps({"id": "t", "text": ARTICLE, "title": "x\ud800"}),
         '"title" holds a lone surrogate (U+D800) at character 1'),
        (json.dumps({"id": "u\udcff", "text": ARTICLE}),
         '"id" holds a lone surrogate (U+DCFF) at character 1'),
        ("[" * 100_000 + "]" * 100_000, "malformed JSON: nested too deeply"),
        (json.dumps({"id": "", "text": ARTICLE}), '"id" is empty'),
        (json.dumps({"id": ["x"], "text": ARTICLE}),
         '"id" must be a string or a number, not array'),
    ],
)  # fmt: skip
def test_one_bad_corpus_line_is_reported_and_the_run_goes_on(
    runner: CliRunner, tmp_path: Path, line: str, reason: str
) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        json.dumps(GOOD) + "\n" + line + "\n" + json.dumps(LAST) + "\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    result = runner.invoke(cli, ["extract", str(corpus), "-o", str(out), "-q"])
    assert result.exit_code == 1
    assert result.stderr == f"{corpus}:2: {reason}\n"
    assert sorted(p.name for p in out.glob("*.json")) == ["good.json", "last.json"]
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text().splitlines()]
    assert errors == [{"where": f"{corpus}:2", "reason": reason}]
    resumed = runner.invoke(cli, ["extract", str(corpus), "-o", str(out), "--resume"])
    assert resumed.exit_code == 1 and "skipped 2 documents already done" in resumed.stderr


def test_a_file_name_that_is_not_utf8_gives_a_valid_id(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9.txt")  # Python keeps the byte as a lone surrogate
    (folder / name).write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "cards.jsonl"
    result = runner.invoke(cli, ["extract", str(folder), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    [card] = [json.loads(line) for line in out.read_bytes().decode("utf-8").splitlines()]
    assert card["doc_id"] == "caf\ufffd"


def test_an_id_of_5000_digits_is_an_id(runner: CliRunner, tmp_path: Path) -> None:
    digits = "9" * 5000
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(f'{{"id": {digits}, "text": {json.dumps(ARTICLE)}}}\n', encoding="utf-8")
    result = runner.invoke(cli, ["extract", str(corpus), "-q"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["doc_id"] == digits


def test_the_library_refuses_a_lone_surrogate_with_a_clear_error(extractor: Extractor) -> None:
    with pytest.raises(
        InputError, match=r"^text holds a lone surrogate \(U\+DCFF\) at character 0$"
    ):
        extractor.extract("\udcff")
    with pytest.raises(InputError, match=r"^document id holds a lone surrogate \(U\+DC80\)"):
        extractor.extract(ARTICLE, "id\udc80")


@pytest.mark.parametrize("invisible", ["\ufeff", "\u200b", "\u2060", "\u200e"])
def test_an_invisible_character_before_the_quote_changes_nothing(
    extractor: Extractor, invisible: str
) -> None:
    text = invisible + "“We are ready,” said Mayor Ann Patel." + invisible
    cards = extractor.extract(text)
    assert [(c.quote.kind, c.quote.text, c.method) for c in cards] == [
        ("direct", "We are ready,", "cue_adjacent")
    ]
    assert cards[0].speaker is not None and cards[0].speaker.name == "Ann Patel"
    assert cards[0].quote.start == 2


def test_a_json_array_is_a_corpus_not_an_article(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "articles.json"
    path.write_text(json.dumps([GOOD, {"id": "x"}, LAST], indent=2), encoding="utf-8")
    result = runner.invoke(cli, ["extract", str(path), "-q"])
    assert result.exit_code == 1
    assert result.stderr == f'{path}:6: no "text" field\n'  # the line the record starts on
    cards = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(c["doc_id"], c["quote"]["text"]) for c in cards] == [
        ("good", "The harbour will reopen in April,"),
        ("last", "Not yet,"),
    ]


def test_a_malformed_json_array_names_its_line(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "articles.json"
    path.write_text("[\n" + json.dumps(GOOD) + ",\n{broken\n]", encoding="utf-8")
    result = runner.invoke(cli, ["extract", str(path), "-q"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}:3: malformed JSON: Expecting property name")
    assert [json.loads(line)["doc_id"] for line in result.stdout.splitlines()] == ["good"]


def test_an_article_on_stdin_may_begin_with_a_brace(runner: CliRunner) -> None:
    article = "{Update: corrected}\n“We are ready,” said Mayor Ann Patel.\n"
    result = runner.invoke(cli, ["extract", "-", "-q"], input=article)
    assert result.exit_code == 0, result.output
    cards = [json.loads(line) for line in result.stdout.splitlines()]
    assert {c["doc_id"] for c in cards} == {"stdin"}
    assert ("direct", "We are ready,") in [(c["quote"]["kind"], c["quote"]["text"]) for c in cards]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_wide_encodings_are_read_as_text(runner: CliRunner, tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "harbour.txt"
    path.write_bytes(ARTICLE.encode(encoding))
    result = runner.invoke(cli, ["extract", str(path), "-q", "--encoding", encoding])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["speaker"]["name"] == "Ann Patel"
    corpus = tmp_path / "c.jsonl"
    corpus.write_bytes((json.dumps(GOOD) + "\n" + json.dumps(LAST) + "\n").encode(encoding))
    result = runner.invoke(cli, ["extract", str(corpus), "-q", "--encoding", encoding])
    assert result.exit_code == 0, result.output
    assert [json.loads(x)["doc_id"] for x in result.stdout.splitlines()] == ["good", "last"]


def test_utf16_without_encoding_says_which_to_pass(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "harbour.txt"
    path.write_bytes(ARTICLE.encode("utf-16"))
    result = runner.invoke(cli, ["extract", str(path), "-q"])
    assert result.exit_code == 1
    assert result.stderr == f"{path}: looks like UTF-16 text: pass --encoding utf-16\n"


@pytest.mark.parametrize("output", ["out", "cards.jsonl"])
def test_a_clean_rerun_removes_the_stale_errors_file(
    runner: CliRunner, tmp_path: Path, output: str
) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps(GOOD) + "\n{broken\n", encoding="utf-8")
    out = tmp_path / output
    errors = out / "errors.jsonl" if output == "out" else tmp_path / "cards.errors.jsonl"
    assert runner.invoke(cli, ["extract", str(corpus), "-o", str(out), "-q"]).exit_code == 1
    assert errors.is_file()
    corpus.write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    assert runner.invoke(cli, ["extract", str(corpus), "-o", str(out), "-q"]).exit_code == 0
    assert not errors.exists()


def test_a_write_failure_is_an_error_not_a_traceback(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    path = tmp_path / "harbour.txt"
    path.write_text(ARTICLE, encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    out = tmp_path / "cards.jsonl"
    result = runner.invoke(cli, ["extract", str(path), "-o", str(out), "-q"])
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot write {out}: No space left on device\n"
    assert list(tmp_path.iterdir()) == [path]


def test_output_onto_an_existing_plain_file_is_a_usage_error(
    runner: CliRunner, tmp_path: Path
) -> None:
    notes = tmp_path / "notes"
    notes.write_text("mine", encoding="utf-8")
    result = runner.invoke(cli, ["extract", "-", "-o", str(notes)], input=ARTICLE)
    assert result.exit_code == 2
    assert f"-o {notes} is a file, not a folder" in result.stderr
    assert notes.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize(
    ("inputs", "output"),
    [
        (["self.jsonl"], "self.jsonl"),
        (["c.jsonl"], "c.errors.jsonl/../c.jsonl"),
        (["self.json"], "."),
        (["self.jsonl"], "self.csv"),  # cards.errors.jsonl beside it is not an input: fine
    ],
)
def test_an_input_is_never_written_over(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    inputs: list[str],
    output: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in inputs:
        (tmp_path / name).write_text(
            json.dumps([GOOD]) if name.endswith(".json") else json.dumps(GOOD) + "\n",
            encoding="utf-8",
        )
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    result = runner.invoke(cli, ["extract", *inputs, "-o", output, "-q"])
    if output == "self.csv":
        assert result.exit_code == 0
        return
    assert result.exit_code == 2
    assert "would write over the input" in result.stderr
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


# -- --resume redoes what would come out differently ------------------------------------------


def _resume_run(runner: CliRunner, corpus: Path, out: Path, *args: str) -> str:
    result = runner.invoke(cli, ["extract", str(corpus), "-o", str(out), "--resume", *args])
    assert result.exit_code == 0, result.output
    return result.stderr


def test_resume_redoes_every_document_made_with_other_options(
    runner: CliRunner, tmp_path: Path
) -> None:
    reported = "The mayor said the harbour would reopen in April.\n"
    corpus = _corpus(tmp_path / "c.jsonl", [{"id": "a", "text": reported}, GOOD])
    out = tmp_path / "out"
    runner.invoke(cli, ["extract", str(corpus), "-o", str(out), "-q", "--no-indirect"])
    assert json.loads((out / "a.json").read_text(encoding="utf-8"))["cards"] == []
    stderr = _resume_run(runner, corpus, out)
    assert (
        f"--resume: {out} it was made with other settings (options.include_indirect False → "
        "True); extracting every document" in stderr
    )
    assert "skipped" not in stderr
    [card] = json.loads((out / "a.json").read_text(encoding="utf-8"))["cards"]
    assert card["quote"]["kind"] == "indirect"
    assert "skipped 2 documents already done" in _resume_run(runner, corpus, out)


def test_resume_redoes_a_document_whose_text_changed(runner: CliRunner, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c.jsonl", [GOOD, LAST])
    out = tmp_path / "out"
    assert runner.invoke(cli, ["extract", str(corpus), "-o", str(out), "-q"]).exit_code == 0
    _corpus(corpus, [GOOD, {"id": "last", "text": "“Soon,” said Omar Reyes.\n"}])
    assert "skipped 1 documents already done" in _resume_run(runner, corpus, out)
    record = json.loads((out / "last.json").read_text(encoding="utf-8"))
    assert record["speakers"][0]["name"] == "Omar Reyes"


def test_resume_without_a_manifest_redoes_everything(runner: CliRunner, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c.jsonl", [GOOD])
    out = tmp_path / "out"
    assert runner.invoke(cli, ["extract", str(corpus), "-o", str(out), "-q"]).exit_code == 0
    (out / ".quotes-manifest.jsonl").unlink()
    stderr = _resume_run(runner, corpus, out)
    assert "holds no manifest of an earlier run; extracting every document" in stderr


# -- duplicate ids -------------------------------------------------------------------------------


def test_duplicate_ids_are_made_unique_with_a_warning(runner: CliRunner, tmp_path: Path) -> None:
    corpus = _corpus(
        tmp_path / "c.jsonl",
        [{"id": "same", "text": ARTICLE}, {"id": "same", "text": ARTICLE}, {"id": "same_2",
         "text": ARTICLE}],
    )  # fmt: skip
    result = runner.invoke(cli, ["extract", str(corpus), "-q"])
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"{corpus}:2: warning: id 'same' was already given at {corpus}:1; this document is "
        "'same_2'",
        f"{corpus}:3: warning: id 'same_2' was already given at {corpus}:2; this document is "
        "'same_2_2'",
    ]
    cards = [json.loads(line) for line in result.stdout.splitlines()]
    assert [c["doc_id"] for c in cards] == ["same", "same_2", "same_2_2"]
    assert len({c["id"] for c in cards}) == 3


# -- the last line of defence: limits per document ----------------------------------------------


def test_a_document_over_the_size_limit_is_given_up(runner: CliRunner, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c.jsonl", [{"id": "long", "text": ARTICLE * 10}, GOOD])
    result = runner.invoke(cli, ["extract", str(corpus), "-q", "--max-chars", "100"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{corpus}:1: too large: 580 characters, over the limit of 100 (--max-chars)\n"
    )
    assert [json.loads(x)["doc_id"] for x in result.stdout.splitlines()] == ["good"]


def test_a_document_over_the_time_limit_is_given_up(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A clock that moves one second at every look: a document with many quotes (many checks)
    runs out of its 20 s, a short one does not."""
    from quotes.core import deadline

    ticks = iter(range(10**9))
    monkeypatch.setattr(deadline, "clock", lambda: float(next(ticks)))
    many = "".join(f"“Line {n} is here,” said Ann Patel.\n" for n in range(40))
    corpus = _corpus(tmp_path / "c.jsonl", [{"id": "many", "text": many}, GOOD])
    result = runner.invoke(cli, ["extract", str(corpus), "-q", "--max-seconds", "20"])
    assert result.exit_code == 1
    assert result.stderr == f"{corpus}:1: too slow: over 20 s (--max-seconds)\n"
    assert [json.loads(x)["doc_id"] for x in result.stdout.splitlines()] == ["good"]


def test_worker_processes_keep_the_limits() -> None:
    """No time at all: any document the rules must look at is too slow, an empty one is not;
    the same in worker processes as in this one."""
    from quotes.files import Document, DocumentFailure
    from quotes.models import Source
    from quotes.options import Limits
    from quotes.workers import run_parallel

    docs = [Document(i, t, Source(), i) for i, t in (("a", ARTICLE), ("b", ""), ("c", "x" * 99))]
    results = list(run_parallel(docs, workers=2, limits=Limits(max_chars=80, max_seconds=0.0)))
    assert results[0] == DocumentFailure("a", "too slow: over 0 s (--max-seconds)")
    assert not isinstance(results[1], DocumentFailure) and results[1][1].cards == []
    assert results[2] == DocumentFailure(
        "c", "too large: 99 characters, over the limit of 80 (--max-chars)"
    )
