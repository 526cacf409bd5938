"""The README's "For data teams" section runs as written: its commands (with the output shown),
its pandas and DuckDB snippets, its Datasette command and its SQL."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from quotes.cli import cli

from .conftest import REPO

pytest.importorskip("pyarrow")
pytest.importorskip("sqlite_utils")
pytest.importorskip("pandas")


def _section() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("## For data teams")
    return readme[start : readme.index("\n## ", start + 1)]


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", _section(), flags=re.S)


def _commands() -> list[tuple[str, list[str]]]:
    """(command, the output lines shown under it) of every console block."""
    found: list[tuple[str, list[str]]] = []
    for block in _blocks("console"):
        for line in block.splitlines():
            if line.startswith("$ "):
                found.append((line[2:], []))
            else:
                found[-1][1].append(line)
    return found


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder where the README's `quotes` commands have run (with seeds/ in it)."""
    folder = tmp_path_factory.mktemp("readme")
    shutil.copytree(REPO / "seeds", folder / "seeds")
    runner = CliRunner()
    ran = 0
    for command, shown in _commands():
        words = shlex.split(command)
        if words[0] != "quotes":
            continue
        args = [str(folder / w) if w.startswith(("seeds", "cards")) else w for w in words[1:]]
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, (command, result.output)
        assert result.stdout.splitlines() == shown, command
        ran += 1
    assert ran >= 3
    return folder


@pytest.mark.parametrize("index", range(len(_blocks("python"))))
def test_python_snippets_run(
    workdir: Path, index: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _blocks("python")[index]
    if "import duckdb" in code:
        pytest.importorskip("duckdb")
    monkeypatch.chdir(workdir)
    exec(compile(code, f"README.md python block {index}", "exec"), {})
    assert "Donald Trump" in capsys.readouterr().out


def test_sql_runs_on_the_database(workdir: Path) -> None:
    (query,) = _blocks("sql")
    conn = sqlite3.connect(workdir / "cards.db")
    rows = conn.execute(query).fetchall()
    conn.close()
    assert rows and all(re.search(r"\bwar\b", text, re.I) for _, text in rows)


def test_datasette_opens_the_database(workdir: Path) -> None:
    command = next(c for c, _ in _commands() if c.startswith("datasette "))
    if shutil.which("datasette") is None:
        pytest.skip("datasette is not installed (pip install datasette)")
    # The README's command, asked for one page instead of serving.
    get = [*shlex.split(command), "--get", "/cards/speakers.json?_shape=array"]
    run = subprocess.run(get, cwd=workdir, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    speakers = json.loads(run.stdout)
    assert speakers[0]["name"] == "Donald Trump"  # sorted by quotes, as the metadata says
    page = subprocess.run(
        [*shlex.split(command), "--get", "/cards/cards"],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Stable id: derived from doc_id and the quote offsets." in page.stdout
