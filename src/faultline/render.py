"""Terminal rendering for the CLI: the results table and the progress bar."""
from __future__ import annotations

from contextlib import contextmanager
from typing import IO, Callable, Iterable, Iterator

from .records import Result

__all__ = ["print_table", "progress_bar"]


def print_table(results: Iterable[Result], *, file: IO[str] | None = None) -> None:
    """One block per document: metadata line, then its events."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=file) if file else Console()
    for r in results:
        head = r.title or r.input.path or r.id
        console.rule(f"[bold]{head}", style="cyan")
        meta = [f"id {r.id}", f"published {r.published or '?'}", f"publisher {r.publisher or '?'}"]
        if r.original_publisher:
            meta.append(f"original {r.original_publisher} ({r.original_published or '?'})")
        meta.append(f"{len(r.actors)} actors, {len(r.places)} places, {len(r.framing)} framing spans")
        console.print(" · ".join(meta), markup=False, highlight=False)
        for err in r.errors:
            console.print(f"[red]error:[/] {err}", highlight=False)
        if not r.events:
            continue
        table = Table("type", "mode", "modality", "actor", "recipient", "date", "quote", show_lines=False)
        for e in r.events:
            who = ", ".join(f"{a.country or '?'} {a.sector or ''}".strip() for a in e.actor) or "—"
            whom = ", ".join(f"{a.country or '?'} {a.sector or ''}".strip() for a in e.recipient) or "—"
            quote = e.quote if len(e.quote) <= 90 else e.quote[:87] + "..."
            table.add_row(e.type, e.mode or "", e.modality, who, whom, e.date or "", quote)
        console.print(table)


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
