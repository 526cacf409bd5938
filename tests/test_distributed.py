"""The Dask runner: its parts, concatenated, are byte-identical to the single-process CLI.

All sentences here are invented for the tests.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import signal
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from quotes.cli import cli
from quotes.distributed import Partition, plan_partitions, run_dask

pytest.importorskip("distributed")

TEXTS = [
    "“The bridge will open in May,” the mayor, Ada Brennan, said on Tuesday.",
    "Nobody was hurt in the fire. Firefighters left the scene at noon.",
    "Karl Ostrow told reporters: “We have not seen numbers like this in ten years.”\n\n"
    "He added that the council would meet again next week.",
    "“It is too early to say,” said Mina Delacroix, a spokeswoman for the port authority. "
    "“We are still counting the containers.”",
    "The company said profits rose by a third, according to a statement on Friday.",
    "“I was here first,” the baker insisted. Her neighbour said he “never agreed” to the plan.",
]


def _corpus(tmp_path: Path) -> Path:
    lines = [json.dumps({"id": f"doc-{n}", "text": text}) for n, text in enumerate(TEXTS[:3])]
    lines.append('{"id": "broken", "text": "no closing brace"')  # malformed JSON
    lines.append("")  # blank lines are skipped, but still counted in file:line
    lines.append(json.dumps({"id": "no-text", "title": "A headline only"}))
    lines += [json.dumps({"id": f"doc-{n}", "text": text}) for n, text in enumerate(TEXTS[3:], 3)]
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_plan_partitions_cuts_at_line_starts(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    data = corpus.read_bytes()
    parts = plan_partitions(corpus, 2)
    assert [p.index for p in parts] == [0, 1, 2, 3]
    assert parts[0] == Partition(0, 0, parts[0].end, 1)
    assert [p.first_line for p in parts] == [1, 3, 5, 8]  # line 5 is blank
    assert parts[-1].end == len(data)
    for before, after in itertools.pairwise(parts):
        assert before.end == after.start
        assert data[after.start - 1 : after.start] == b"\n"
    with pytest.raises(ValueError):
        plan_partitions(corpus, 0)


def test_parts_concatenate_to_the_single_process_output(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    out_dir = tmp_path / "parts"
    out_dir.mkdir()
    (out_dir / "part-00009.jsonl").write_text("stale\n", encoding="utf-8")  # an earlier run
    (out_dir / "part-00002.errors.jsonl").write_text("stale\n", encoding="utf-8")
    (out_dir / "part-00003.errors.jsonl").write_text("stale\n", encoding="utf-8")
    (out_dir / ".part-00001.jsonl.x1y2z3.tmp").write_text("{", encoding="utf-8")  # killed task

    result = run_dask(corpus, out_dir, scheduler="local", partition_docs=2, n_workers=2)

    single = tmp_path / "cards.jsonl"
    run = CliRunner().invoke(cli, ["extract", str(corpus), "-o", str(single), "-q"])
    assert run.exit_code == 1, run.output  # two documents fail, the others are written

    parts = sorted(out_dir.glob("part-?????.jsonl"))
    assert list(result.parts) == parts
    assert len(parts) == 4
    joined = b"".join(p.read_bytes() for p in parts)
    assert joined == single.read_bytes()
    assert joined.count(b"\n") == result.cards > 0

    error_parts = sorted(out_dir.glob("part-?????.errors.jsonl"))
    assert [p.name for p in error_parts] == ["part-00001.errors.jsonl", "part-00002.errors.jsonl"]
    errors = b"".join(p.read_bytes() for p in error_parts)
    assert errors == (tmp_path / "cards.errors.jsonl").read_bytes()
    wheres = [json.loads(line)["where"] for line in errors.decode().splitlines()]
    assert wheres == [f"{corpus}:4", f"{corpus}:6"]

    assert (result.documents, result.failed) == (len(TEXTS) + 2, 2)
    assert [f.where for f in result.failures] == wheres
    assert len(result.models) == 1
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(
        p.name for p in parts + error_parts
    )  # no temporary files; stale parts and error files are gone


def test_bad_scheduler_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="scheduler"):
        run_dask(_corpus(tmp_path), tmp_path / "out", scheduler="somewhere")


def test_cli_dask_option_matches_single_process(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    runner = CliRunner()
    single = tmp_path / "single.jsonl"
    assert runner.invoke(cli, ["extract", str(corpus), "-o", str(single), "-q"]).exit_code == 1
    parts = tmp_path / "parts"
    result = runner.invoke(
        cli,
        [
            "extract",
            str(corpus),
            "--dask",
            "local",
            "--dask-workers",
            "2",
            "--partition-docs",
            "2",
            "-o",
            str(parts),
        ],
    )
    assert result.exit_code == 1, result.output  # the two bad lines
    assert f"{corpus}:4: malformed JSON" in result.stderr
    cards = sorted(p for p in parts.glob("part-*.jsonl") if not p.name.endswith(".errors.jsonl"))
    joined = b"".join(p.read_bytes() for p in cards)
    assert joined == single.read_bytes()
    # A progress line for every partition, as it finishes.
    lines = result.stderr.splitlines()
    progress = [line for line in lines if re.match(r"quotes: \d+/\d+ doc", line)]
    assert len(progress) == len(cards) and f"in {len(cards)} parts" in progress[-1]
    usage = runner.invoke(cli, ["extract", str(corpus), "--dask", "local", "--workers", "2"])
    assert usage.exit_code == 2


def test_killed_dask_worker_still_gives_every_document_once(tmp_path: Path) -> None:
    """Fault injection: a worker process is killed mid-run; Dask reruns its tasks elsewhere
    and, since each part is written atomically, the result is still exactly the
    single-process output: every document once, nothing partial."""
    distributed = pytest.importorskip("distributed")
    seed = (Path(__file__).resolve().parents[1] / "seeds").glob("*.txt")
    text = next(seed).read_text(encoding="utf-8")
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "".join(json.dumps({"id": f"d{n:03d}", "text": text}) + "\n" for n in range(24)),
        encoding="utf-8",
    )
    out_dir = tmp_path / "parts"
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        pids = list(client.run(os.getpid).values())
        outcome: dict[str, object] = {}

        def drive() -> None:
            outcome["result"] = run_dask(
                corpus, out_dir, scheduler=cluster.scheduler_address, partition_docs=2
            )

        thread = threading.Thread(target=drive)
        thread.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not list(out_dir.glob("part-*.jsonl")):
            time.sleep(0.1)
        os.kill(pids[0], signal.SIGKILL)
        thread.join(timeout=300)
        assert not thread.is_alive()
    single = tmp_path / "single.jsonl"
    assert CliRunner().invoke(cli, ["extract", str(corpus), "-o", str(single), "-q"]).exit_code == 0
    parts = sorted(out_dir.glob("part-?????.jsonl"))
    assert b"".join(p.read_bytes() for p in parts) == single.read_bytes()
    assert sorted(p.name for p in out_dir.iterdir()) == [p.name for p in parts]


def test_repeated_ids_are_renamed_as_the_single_process_run_does(tmp_path: Path) -> None:
    ids = ["a", "a", "b", "a_2", "a"]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in zip(ids, TEXTS, strict=False)),
        encoding="utf-8",
    )
    single = tmp_path / "single.jsonl"
    run = CliRunner().invoke(cli, ["extract", str(corpus), "-o", str(single), "-q"])
    assert run.exit_code == 0
    warnings: list[str] = []
    result = run_dask(
        corpus, tmp_path / "parts", scheduler="local", partition_docs=1, n_workers=2,
        warn=warnings.append,
    )  # fmt: skip
    assert warnings == run.stderr.splitlines() and len(warnings) == 3
    joined = b"".join(p.read_bytes() for p in result.parts)
    assert joined == single.read_bytes()
    doc_ids = [json.loads(line)["doc_id"] for line in joined.decode().splitlines()]
    assert {"a_2_2", "a_3"} <= set(doc_ids)  # renamed in every partition alike


# dask 2026.8 calls reset_index(inplace=True), which pandas 3.1 deprecates: theirs, not ours.
@pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.reset_index")
def test_parquet_parts_read_by_dask_as_one_table(tmp_path: Path) -> None:
    """`--dask --format parquet`: part-NNNNN.parquet files that dask.dataframe reads as one
    table holding exactly the rows of the single-process Parquet output."""
    dd = pytest.importorskip("dask.dataframe")
    pytest.importorskip("pyarrow")
    from quotes.export.frames import read_rows

    corpus = _corpus(tmp_path)
    runner = CliRunner()
    single = tmp_path / "single.parquet"
    assert runner.invoke(cli, ["extract", str(corpus), "-o", str(single), "-q"]).exit_code == 1
    parts = tmp_path / "parts"
    parts.mkdir()
    (parts / "part-00000.jsonl").write_text("stale\n", encoding="utf-8")  # the other format
    args = ["extract", str(corpus), "--dask", "local", "--partition-docs", "2", "--format"]
    result = runner.invoke(cli, [*args, "parquet", "-o", str(parts), "-q"])
    assert result.exit_code == 1, result.output  # the two bad lines
    assert f"{corpus}:4: malformed JSON" in result.stderr, result.stderr
    names = sorted(p.name for p in parts.iterdir())
    assert names == [
        "part-00000.parquet",
        "part-00001.errors.jsonl",
        "part-00001.parquet",
        "part-00002.errors.jsonl",
        "part-00002.parquet",
        "part-00003.parquet",
    ]
    table = dd.read_parquet(str(parts)).compute()
    expected = list(read_rows(single))
    assert len(table) == len(expected) > 0
    assert list(table.columns) == list(expected[0])
    assert list(read_rows(parts)) == expected  # and quote-cards reads the folder back
