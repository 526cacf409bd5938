"""Every Python snippet of the READMEs runs as written (a README that crashes is a bug)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

READMES = [REPO / "README.md", REPO / "benchmarks" / "README.md"]
_SNIPPET = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


# Its snippets read the files its commands write: tests/test_readme_data.py runs them in turn.
_OWN_TEST = "## For data teams"


def _snippets() -> list[tuple[str, str]]:
    found = []
    for readme in READMES:
        text = readme.read_text(encoding="utf-8")
        if _OWN_TEST in text:
            start = text.index(_OWN_TEST)
            text = text[:start] + text[text.index("\n## ", start + 1) :]
        for n, code in enumerate(_SNIPPET.findall(text), 1):
            found.append((f"{readme.relative_to(REPO)}#{n}", code))
    return found


def test_the_readmes_have_python_snippets() -> None:
    assert len(_snippets()) >= 3


@pytest.mark.parametrize(("where", "code"), _snippets(), ids=[w for w, _ in _snippets()])
def test_a_readme_snippet_runs_as_written(where: str, code: str, tmp_path: Path) -> None:
    """Run as a script in a folder holding the corpus.jsonl a snippet may name."""
    if "distributed" in code:
        pytest.importorskip("distributed")
    corpus = [{"id": "a", "text": "“We are ready,” said Mayor Ann Patel.\n"}]
    (tmp_path / "corpus.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in corpus), encoding="utf-8"
    )
    script = tmp_path / "snippet.py"
    script.write_text(code, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"{where}:\n{result.stderr[-3000:]}"


def test_the_reliability_table_names_tests_that_exist() -> None:
    """docs/reliability.md cites a test for every row; each must exist."""
    table = (REPO / "docs" / "reliability.md").read_text(encoding="utf-8")
    cited: list[tuple[str, str]] = []
    for cell in re.findall(r"`(test_\w+\.py)::(test_\w+)`((?:, `::test_\w+`)*)", table):
        module, first, more = cell
        cited += [(module, first)] + [(module, name) for name in re.findall(r"::(test_\w+)", more)]
    assert len(cited) >= 40
    missing = [
        f"{module}::{name}"
        for module, name in cited
        if f"def {name}(" not in (REPO / "tests" / module).read_text(encoding="utf-8")
    ]
    assert missing == []
