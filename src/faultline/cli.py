"""The ``faultline`` command: a thin Typer layer over :mod:`faultline.batch.jobs`.

Every command is a few lines around a library function of the same name.
Heavy imports (spaCy, DuckDB, trafilatura) happen inside the commands, so
``faultline --help`` stays fast.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__

app = typer.Typer(
    name="faultline",
    help=(
        "Faultline turns news pages into checkable PLOVER events, provenance, framing and "
        "escalation alerts, offline.\n\n"
        "Example:  faultline analyze examples/border-standoff.md --format table"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)

# help texts are Rich markup (rich_markup_mode): a literal bracket is written \[
_DB_HELP = "DuckDB store file (default: the \\[store] path setting, faultline.duckdb)."


def _db(db: Optional[Path], settings) -> Path:
    """The store file: --db, else the [store] path setting."""
    return db if db is not None else Path(settings.store.path)


def _err(message: str, code: int = 2) -> None:
    from rich.console import Console

    from rich.text import Text

    # the message quotes user input (paths, values): plain Text, never markup
    Console(stderr=True, soft_wrap=True).print(Text.assemble(("error:", "bold red"), " ", message), highlight=False)
    raise typer.Exit(code)


def _settings(config: Optional[Path]):
    from .errors import FaultlineError
    from .settings import Settings

    try:
        return Settings.load(config)
    except FaultlineError as exc:
        _err(str(exc))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"faultline {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Faultline: who did what to whom, with the quote that proves it."""


@app.command()
def analyze(
    paths: List[str] = typer.Argument(None, help="Files, directories, or - for JSON Lines on stdin (the default)."),
    format: Optional[str] = typer.Option(None, "--format", "-f",
                                         help="jsonl, json or table (default: table on a terminal, jsonl otherwise)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write to this file instead of stdout."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Worker processes (records keep input order)."),
    engine: str = typer.Option("local", "--engine", help="local (worker processes) or dask."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler",
                                            help="Dask scheduler address (tcp://host:8786); default: a LocalCluster."),
    allow_private: bool = typer.Option(False, "--allow-private",
                                       help="Let URL inputs fetch from private/loopback addresses."),
    config: Optional[Path] = typer.Option(None, "--config", help="TOML file overriding the default settings."),
) -> None:
    """Run the whole pipeline on each input and write one record per document. Nothing is stored.

    PATH may also be an http(s) URL, a .urls file (one URL a line) or an RSS/Atom file (.rss, .atom).

    Example:  faultline analyze examples/border-standoff.md --format jsonl --out records.jsonl
    """
    from .batch.jobs import analyze as run_analyze
    from .errors import FaultlineError

    fmt = format or ("table" if out is None and sys.stdout.isatty() else "jsonl")
    if fmt not in ("jsonl", "json", "table"):
        _err(f"unknown --format {fmt!r}; choose jsonl, json or table.")
    settings = _settings(config)
    if allow_private:
        settings = settings.with_overrides({"fetch": {"allow_private": True}})
    stream = open(out, "w", encoding="utf-8") if out else sys.stdout
    try:
        results = run_analyze(paths or ["-"], settings=settings, workers=workers, engine=engine,
                              scheduler=scheduler)
        if fmt == "jsonl":
            for r in results:
                stream.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
                stream.flush()
        elif fmt == "json":
            json.dump([r.to_dict() for r in results], stream, ensure_ascii=False, indent=2)
            stream.write("\n")
        else:
            from .render import print_table

            print_table(results, file=stream if out else None)
    except FaultlineError as exc:
        _err(str(exc))
    finally:
        if out:
            stream.close()


@app.command()
def ingest(
    paths: List[str] = typer.Argument(None, help="Files, directories, or - for JSON Lines on stdin."),
    db: Optional[Path] = typer.Option(None, "--db", help=_DB_HELP),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Worker processes (or LocalCluster workers)."),
    engine: str = typer.Option("local", "--engine", help="local (worker processes) or dask."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler",
                                            help="Dask scheduler address (tcp://host:8786); default: a LocalCluster."),
    out_parquet: Optional[Path] = typer.Option(None, "--out-parquet",
                                               help="Write Parquet shards to this folder instead of DuckDB."),
    allow_private: bool = typer.Option(False, "--allow-private",
                                       help="Let URL inputs fetch from private/loopback addresses."),
    force: bool = typer.Option(False, "--force",
                               help="Reprocess documents already stored from the same input (after an upgrade)."),
    config: Optional[Path] = typer.Option(None, "--config", help="TOML file overriding the default settings."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Run the pipeline and store every record. Running it twice over the same input changes nothing.

    A run that was killed resumes: run the same command again. PATH may also be a URL, a .urls file or an RSS/Atom file.

    Example:  faultline ingest examples/ --db news.duckdb
    Example:  faultline ingest corpus.jsonl.gz --engine dask --workers 4 --out-parquet lake/
    """
    from rich.console import Console
    from rich.text import Text

    from .batch.jobs import ingest as run_ingest
    from .errors import FaultlineError
    from .render import progress_bar

    settings = _settings(config)
    db = _db(db, settings)
    if allow_private:
        settings = settings.with_overrides({"fetch": {"allow_private": True}})
    console = Console(stderr=True, soft_wrap=True)
    try:
        with progress_bar(console, disable=quiet) as tick:
            summary = run_ingest(paths or ["-"], db=db, settings=settings, workers=workers, progress=tick,
                                 engine=engine, scheduler=scheduler, out_parquet=out_parquet, force=force)
    except FaultlineError as exc:
        _err(str(exc))
    console.print(Text.assemble(
        ("stored", "green"), f" {summary.documents} document(s), {summary.events} event(s) in {db} "
        f"({summary.docs_per_second:.1f} docs/s); {summary.failed} failed; "
        f"{summary.unchanged} unchanged since an earlier ingest (skipped)"), highlight=False)
    for line in summary.errors[:10]:
        console.print(Text.assemble("  ", ("!", "yellow"), " ", line), highlight=False)


@app.command()
def events(
    db: Optional[Path] = typer.Option(None, "--db", help=_DB_HELP),
    since: Optional[str] = typer.Option(None, help="Earliest event date, YYYY-MM-DD."),
    until: Optional[str] = typer.Option(None, help="Latest event date, YYYY-MM-DD."),
    actor: Optional[str] = typer.Option(None, help="Country code (SRB), country+sector (SRBGOV) or actor name."),
    type: Optional[str] = typer.Option(None, "--type", help="PLOVER type, e.g. PROTEST."),
    format: str = typer.Option("csv", "--format", "-f", help="csv, jsonl, parquet or gdelt (GDELT 2.0 export layout)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output file (required for parquet)."),
) -> None:
    """Export the stored events.

    Example:  faultline events --db news.duckdb --actor SRB --type MOBILIZE --format csv
    """
    from .batch.jobs import export_events
    from .errors import FaultlineError

    db = _db(db, _settings(None))
    try:
        n = export_events(db, fmt=format, out=out, since=since, until=until, actor=actor, type=type)
    except FaultlineError as exc:
        _err(str(exc))
    if out:
        typer.echo(f"wrote {n} event(s) to {out}", err=True)


@app.command()
def framing(
    db: Optional[Path] = typer.Option(None, "--db", help=_DB_HELP),
    by: str = typer.Option("outlet", "--by", help="outlet, window (a time series) or article."),
    window: str = typer.Option("week", "--window", help="day, week (ISO) or month, with --by window."),
    outlet: Optional[str] = typer.Option(None, "--outlet", help="Only this outlet (as credited: the original "
                                                                "publisher of a syndicated copy)."),
    since: Optional[str] = typer.Option(None, help="Earliest publication date, YYYY-MM-DD."),
    until: Optional[str] = typer.Option(None, help="Latest publication date, YYYY-MM-DD."),
    min_confidence: float = typer.Option(0.0, "--min-confidence", min=0.0, max=1.0,
                                         help="Count only spans at least this confident."),
    limit: Optional[int] = typer.Option(None, "--limit", min=0,
                                        help="Rows to show (default: 20 outlets or articles, every window)."),
    format: Optional[str] = typer.Option(None, "--format", "-f",
                                         help="table, jsonl or csv (default: table on a terminal, jsonl otherwise)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write to this file instead of stdout."),
) -> None:
    """Count the stored persuasion techniques per outlet, per time window or per article.

    Syndicated copies of a story count once. Outlets and articles come most spans first, windows in time order.

    Example:  faultline framing --db news.duckdb --by outlet
    Example:  faultline framing --db news.duckdb --by window --window week --outlet "South Front" -f csv -o trend.csv
    """
    from .batch.jobs import framing_counts
    from .errors import FaultlineError
    from .render import FRAMING_FORMATS, write_framing

    fmt = format or ("table" if out is None and sys.stdout.isatty() else "jsonl")
    if fmt not in FRAMING_FORMATS:
        _err(f"unknown --format {fmt!r}; choose {', '.join(FRAMING_FORMATS)}.")
    db = _db(db, _settings(None))
    try:
        rows = framing_counts(db, by=by, window=window, outlet=outlet, since=since, until=until,
                              min_confidence=min_confidence, limit=limit)
    except FaultlineError as exc:
        _err(str(exc))
    if out:
        with open(out, "w", encoding="utf-8", newline="") as fh:
            write_framing(rows, by=by, fmt=fmt, file=fh)
        typer.echo(f"wrote {len(rows)} row(s) to {out}", err=True)
    else:
        write_framing(rows, by=by, fmt=fmt)


@app.command()
def serve(
    db: Optional[Path] = typer.Option(None, "--db", help="DuckDB store file to serve (opened read-only)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
    config: Optional[Path] = typer.Option(None, "--config", help="TOML file overriding the default settings."),
) -> None:
    """Serve the web dashboard and the JSON API (OpenAPI at /openapi.json).

    Example:  faultline serve --db news.duckdb --port 8000
    """
    from .errors import FaultlineError
    from .web import serve as run_serve

    settings = _settings(config)
    db = _db(db, settings)
    typer.echo(f"serving {db} on http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    try:
        run_serve(db, host=host, port=port, settings=settings)
    except FaultlineError as exc:
        _err(str(exc))


@app.command("import")
def import_(
    paths: List[Path] = typer.Argument(..., help="GDELT 2.0 export files (.CSV or .zip) or POLECAT files."),
    db: Optional[Path] = typer.Option(None, "--db", help=_DB_HELP),
    format: str = typer.Option("gdelt", "--format", "-f", help="gdelt or polecat."),
) -> None:
    """Import GDELT 2.0 or POLECAT event files into the store, mapped to PLOVER. Running it twice changes nothing.

    Example:  faultline import 20210928.export.CSV --format gdelt --db news.duckdb
    """
    from .errors import FaultlineError
    from .interop import import_events

    db = _db(db, _settings(None))
    try:
        s = import_events([str(p) for p in paths], db=db, fmt=format)
    except FaultlineError as exc:
        _err(str(exc))
    typer.echo(f"stored {s.events} event(s) in {s.documents} document(s) from {s.rows} row(s) in {db}; "
               f"{s.skipped} skipped (no PLOVER type), {s.bad} malformed", err=True)
    for line in s.errors[:10]:
        typer.echo(f"  ! {line}", err=True)


@app.command()
def stages() -> None:
    """List the registered pipeline stages, what each needs and what it sets.

    Example:  faultline stages
    """
    from rich.console import Console
    from rich.table import Table

    from .pipeline import registered_stages

    table = Table("stage", "version", "requires", "provides")
    for name, cls in sorted(registered_stages().items()):
        table.add_row(name, str(cls.version), ", ".join(cls.requires), ", ".join(cls.provides))
    Console().print(table)


def main() -> None:  # console-script entry point
    app()


if __name__ == "__main__":
    main()
