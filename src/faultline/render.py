"""Terminal rendering for the CLI: the results table, the framing report and the progress bar."""
from __future__ import annotations

from contextlib import contextmanager
from typing import IO, Callable, Iterable, Iterator

from .records import Result

__all__ = ["print_table", "progress_bar", "write_framing", "FRAMING_FORMATS"]

FRAMING_FORMATS = ("table", "jsonl", "csv")


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 3] + "..."


def print_table(results: Iterable[Result], *, file: IO[str] | None = None, framing: bool = True) -> None:
    """One block per document: metadata line, its events, then (``framing``) its persuasion spans.

    Every scraped string goes in as a Rich ``Text``, never as markup: a quote holding "[/caption]"
    or "[red]" is printed as written instead of crashing or restyling the table.
    """
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=file) if file else Console()
    for r in results:
        head = r.title or r.input.path or r.id
        console.rule(Text(str(head), style="bold"), style="cyan")
        meta = [f"id {r.id}", f"published {r.published or '?'}", f"publisher {r.publisher or '?'}"]
        if r.original_publisher:
            meta.append(f"original {r.original_publisher} ({r.original_published or '?'})")
        meta.append(f"{len(r.actors)} actors, {len(r.places)} places, {len(r.framing)} framing spans")
        if r.genre:
            meta.append(f"genre {r.genre}")
        console.print(" · ".join(meta), markup=False, highlight=False)
        for err in r.errors:
            console.print(Text.assemble(("error:", "red"), " ", str(err)), highlight=False)
        if r.events:
            table = Table("type", "mode", "modality", "actor", "recipient", "date", "quote", show_lines=False)
            for e in r.events:
                who = ", ".join(f"{a.country or '?'} {a.sector or ''}".strip() for a in e.actor) or "—"
                whom = ", ".join(f"{a.country or '?'} {a.sector or ''}".strip() for a in e.recipient) or "—"
                table.add_row(*(Text(x) for x in (e.type, e.mode or "", e.modality, who, whom, e.date or "",
                                                   _clip(e.quote, 90))))
            console.print(table)
        if framing and r.framing:
            table = Table("technique", "confidence", "quote", "why", show_lines=False)
            for f in sorted(r.framing, key=lambda f: (f.start, f.technique)):
                table.add_row(Text(f.technique), f"{f.confidence:.2f}", Text(_clip(f.quote, 60)),
                              Text(_clip(f.why, 110)))
            console.print(table)


def write_framing(rows: list[dict], *, by: str, fmt: str, file: IO[str] | None = None, top: int = 4) -> None:
    """The rows of ``Analytics.framing``: a table (the ``top`` techniques of each row), JSON Lines,
    or CSV with one line per row and technique (a row without spans keeps one line)."""
    import json
    import sys

    stream = file or sys.stdout
    if fmt == "jsonl":
        for row in rows:
            stream.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    if fmt == "csv":
        import csv

        keys = [by] + (["title", "outlet", "published"] if by == "article" else ["articles"])
        writer = csv.writer(stream)
        writer.writerow(keys + ["spans", "technique", "technique_spans"])
        for row in rows:
            base = [row.get(k) for k in keys] + [row["spans"]]
            for technique, n in (row["techniques"].items() or [(None, None)]):
                writer.writerow(base + [technique, n])
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(by, *(["outlet", "published"] if by == "article" else ["articles"]), "spans", "top techniques")
    for row in rows:
        head = [Text(str(row[by]))]  # Text: stored strings are never read as Rich markup
        if by == "article":
            head += [Text(str(row.get("outlet") or "")), Text(str(row.get("published") or ""))]
        else:
            head.append(str(row["articles"]))
        tops = ", ".join(f"{t} {n}" for t, n in list(row["techniques"].items())[:top])
        table.add_row(*head, str(row["spans"]), Text(tops))
    Console(file=file, soft_wrap=True).print(table)


@contextmanager
def progress_bar(console, *, disable: bool = False) -> Iterator[Callable[[Result], None]]:
    """A Rich progress bar showing documents, documents per second and failures."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    if disable:
        yield lambda _r: None
        return
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]ingest"),
        TextColumn("{task.completed} docs"),
        TextColumn("[cyan]{task.fields[rate]:.1f} docs/s"),
        TextColumn("[red]{task.fields[failed]} failed"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )
    import time

    t0 = time.perf_counter()
    failed = 0
    with progress:
        task = progress.add_task("ingest", total=None, rate=0.0, failed=0)

        def tick(result: Result) -> None:
            nonlocal failed
            failed += bool(result.errors)
            done = progress.tasks[0].completed + 1
            progress.update(task, completed=done, rate=done / max(time.perf_counter() - t0, 1e-9), failed=failed)

        yield tick
