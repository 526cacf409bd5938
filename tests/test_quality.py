"""House style as tests: ruff (lint and format) and mypy --strict on the package."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from .conftest import REPO


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is not installed")
def test_ruff_check_and_format() -> None:
    python = ["quotes", "tests", *map(str, sorted((REPO / "benchmarks").glob("*.py")))]
    lint = _run("ruff", "check", *python)
    assert lint.returncode == 0, lint.stdout
    fmt = _run("ruff", "format", "--check", *python)
    assert fmt.returncode == 0, fmt.stdout


def test_mypy_strict_on_the_package() -> None:
    pytest.importorskip("mypy")
    result = _run(sys.executable, "-m", "mypy", "--strict", "quotes")
    assert result.returncode == 0, result.stdout
