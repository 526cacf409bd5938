"""One extractor everywhere: the library, the CLI, the process pool, the Dask runner and the
spaCy component give identical cards for the same options, on the seed and on PolNeAR dev."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import spacy
from click.testing import CliRunner

from quotes.cli import cli
from quotes.evaluate import GoldDoc
from quotes.extractor import Extractor
from quotes.options import ExtractOptions
from quotes.pipeline import default_model_name

from .conftest import POLNEAR_DEV, SEED

Cards = list[dict[str, Any]]
# Every option away from its default, so a shell that drops one is caught.
SEED_OPTIONS = ExtractOptions(include_scare=True, include_cognition=True)
SEED_FLAGS = ["--include-scare", "--cognition"]

pytestmark = pytest.mark.slow


def _cli_cards(args: list[str], output: Path) -> Cards:
    result = CliRunner().invoke(cli, [*args, "-q"])
    assert result.exit_code == 0, result.output
    files = sorted(output.glob("part-*.jsonl")) if output.is_dir() else [output]
    return [json.loads(line) for path in files for line in path.read_text("utf-8").splitlines()]


def _component_cards(texts: list[tuple[str, str]], options: ExtractOptions) -> Cards:
    nlp = spacy.load(default_model_name())
    nlp.add_pipe("quote_cards", config=options.as_dict())
    cards: Cards = []
    for text, doc_id in texts:
        doc = nlp.make_doc(text)
        doc.user_data["doc_id"] = doc_id
        for _, component in nlp.pipeline:
            doc = component(doc)
        cards.extend(doc._.fact_cards)
    return cards


def _seed_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "seed.jsonl"
    record = {"id": SEED.stem, "text": SEED.read_text(encoding="utf-8")}
    corpus.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return corpus


@pytest.mark.parametrize(
    "shell",
    ["cli", "workers", "dask", "component"],
)
def test_every_shell_gives_the_library_cards_on_the_seed(shell: str, tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    library = Extractor(options=SEED_OPTIONS).extract(text, SEED.stem)
    expected = [c.model_dump(mode="json") for c in library]
    out = tmp_path / "cards.jsonl"
    if shell == "cli":
        got = _cli_cards(["extract", str(SEED), *SEED_FLAGS, "-o", str(out)], out)
    elif shell == "workers":
        corpus = _seed_corpus(tmp_path)
        got = _cli_cards(
            ["extract", str(corpus), *SEED_FLAGS, "--workers", "2", "-o", str(out)], out
        )
    elif shell == "dask":
        pytest.importorskip("distributed")
        corpus, parts = _seed_corpus(tmp_path), tmp_path / "parts"
        got = _cli_cards(
            ["extract", str(corpus), *SEED_FLAGS, "--dask", "local", "-o", str(parts)], parts
        )
    else:
        got = _component_cards([(text, SEED.stem)], SEED_OPTIONS)
    assert got == expected


@pytest.mark.parametrize("shell", ["workers", "dask", "component"])
def test_every_shell_gives_the_library_cards_on_polnear_dev(
    shell: str,
    tmp_path: Path,
    polnear_dev: list[GoldDoc],
    polnear_dev_cards: dict[str, Cards],
) -> None:
    expected = [card for doc in polnear_dev for card in polnear_dev_cards[doc.id]]
    out = tmp_path / "cards.jsonl"
    if shell == "workers":  # the CLI, over the process pool
        got = _cli_cards(["extract", str(POLNEAR_DEV), "--workers", "2", "-o", str(out)], out)
    elif shell == "dask":
        pytest.importorskip("distributed")
        parts = tmp_path / "parts"
        got = _cli_cards(
            [
                "extract",
                str(POLNEAR_DEV),
                "--dask",
                "local",
                "--partition-docs",
                "42",
                "-o",
                str(parts),
            ],
            parts,
        )
    else:
        got = _component_cards([(d.text, d.id) for d in polnear_dev], ExtractOptions())
    assert got == expected
