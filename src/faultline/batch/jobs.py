"""The plain library functions that the CLI and the web layer wrap.

``analyze`` streams records without storing them; ``ingest`` runs the same
pipeline and commits each batch through the store's single writer;
``export_events`` writes the stored events as CSV, JSON Lines or Parquet.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import os
import time
from dataclasses import dataclass, field
from typing import IO, Any, Callable, Iterable, Iterator, Sequence

from ..pipeline import Pipeline
from ..readers import ReaderOptions, iter_documents
from ..records import Document, Result, stable_id
from ..settings import Settings

__all__ = ["RunSummary", "analyze", "analyze_documents", "export_events", "framing_counts", "ingest", "EXPORT_FORMATS"]

EXPORT_FORMATS = ("csv", "jsonl", "parquet", "gdelt")  # gdelt: GDELT 2.0 export layout (faultline.interop)


@dataclass(slots=True)
class RunSummary:
    """Counts of one ingest run (also stored as a row of ``runs``)."""

    run_id: str
    documents: int = 0
    failed: int = 0
    events: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


def _documents(paths: Sequence[str], settings: Settings, stdin: IO[str] | None) -> Iterator[Document]:
    from ..sources.fetch import FetchOptions

    from ..errors import InputError

    for raw in paths:  # fail on a typo at once, before any model loads
        if raw != "-" and not raw.lower().startswith(("http://", "https://")) and not os.path.exists(raw):
            raise InputError(f"{raw} does not exist; give a file, a directory, a URL, "
                             "or - for JSON Lines on stdin.")
    options = settings.options("reader", ReaderOptions)
    return iter_documents(paths or ["-"], options=options, stdin=stdin,
                          fetch=settings.options("fetch", FetchOptions))


def analyze_documents(documents: Iterable[Document], *, settings: Settings | None = None,
                      pipeline: Pipeline | None = None) -> Iterator[Result]:
    """Run the whole pipeline over Documents; yield results in input order."""
    pipeline = pipeline or Pipeline(settings=settings)
    yield from pipeline.run(documents)


def analyze(paths: Sequence[str | os.PathLike[str]] = (), *, settings: Settings | None = None,
            stdin: IO[str] | None = None, workers: int = 1, engine: str = "local",
            scheduler: str | None = None) -> Iterator[Result]:
    """Analyse PATHs (files, directories, ``-``); nothing is stored."""
    settings = settings or Settings.load()
    docs = _documents([str(p) for p in paths], settings, stdin)
    if workers > 1 or engine != "local":
        from .parallel import run_engine

        yield from run_engine(docs, settings=settings, workers=workers, engine=engine, scheduler=scheduler)
        return
    yield from analyze_documents(docs, settings=settings)


def ingest(paths: Sequence[str | os.PathLike[str]], *, db: str | os.PathLike[str], settings: Settings | None = None,
           stdin: IO[str] | None = None, workers: int = 1,
           progress: Callable[[Result], None] | None = None, command: str = "ingest",
           engine: str = "local", scheduler: str | None = None,
           out_parquet: str | os.PathLike[str] | None = None, force: bool = False) -> RunSummary:
    """Analyse PATHs and store every record; safe to run twice on the same input.

    ``engine`` is ``local`` (``workers`` processes) or ``dask`` (a LocalCluster,
    or the cluster at ``scheduler``).  ``out_parquet`` writes Parquet shards to
    that folder instead of the DuckDB store.  Documents already stored from
    the same raw input are skipped (counted in ``unchanged``) unless ``force``.
    """
    from ..store import Store
    from .parallel import tune_malloc_for

    settings = settings or Settings.load()
    tune_malloc_for(settings)
    started = dt.datetime.now(dt.timezone.utc)
    inputs = [str(p) for p in paths] or ["-"]
    summary = RunSummary(run_id=stable_id(started.isoformat(), *inputs, prefix="run-"))
    t0 = time.perf_counter()
    if out_parquet is not None:
        from .parquet_sink import ParquetSink

        sink: Any = ParquetSink(out_parquet)
    else:
        sink = Store(db, memory_limit=settings.store.memory_limit)
    with sink as store:
        pipeline = Pipeline(settings=settings)
        durable = isinstance(store, Store)
        if durable:
            for stage in pipeline.stages:
                if stage.memory_tables:
                    stage.load_memory({t: store.memory(t) for t in stage.memory_tables})
        run = {"id": summary.run_id, "started": started.isoformat(timespec="seconds"), "command": command,
               "inputs": inputs, "documents": 0, "failed": 0, "events": 0, "versions": pipeline.versions,
               "status": "running"}
        store.record_run(run)
        hashes: dict[str, str] = {}
        docs = _documents(inputs, settings, stdin)
        if durable:
            docs = _skip_unchanged(docs, store, hashes, summary, size=settings.pipeline.batch_size, force=force)
        if workers > 1 or engine != "local":
            from .parallel import run_engine

            results: Iterable[Result] = run_engine(docs, settings=settings, workers=workers, engine=engine,
                                                   scheduler=scheduler, pipeline=pipeline)
        else:
            results = pipeline.run(docs)
        batch: list[Result] = []
        size = max(1, settings.store.commit_docs)
        status = "failed"
        try:
            for result in results:
                batch.append(result)
                summary.documents += 1
                summary.events += len(result.events)
                if result.errors:
                    summary.failed += 1
                    if len(summary.errors) < 100:
                        summary.errors.append(f"{result.input.path or result.id}: {'; '.join(result.errors)}")
                if progress is not None:
                    progress(result)
                if len(batch) >= size:
                    _commit(store, batch, pipeline, hashes, durable)
                    batch = []
            _commit(store, batch, pipeline, hashes, durable)
            status = "done"
        finally:
            summary.seconds = time.perf_counter() - t0
            run.update(documents=summary.documents, failed=summary.failed, events=summary.events,
                       errors=summary.errors, status=status,
                       finished=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
            store.record_run(run)
    return summary


def _commit(store: Any, batch: list[Result], pipeline: Pipeline, hashes: dict[str, str], durable: bool) -> None:
    """Write one batch with the corpus memory its stages learnt from it, atomically."""
    if not durable:
        store.write(batch)
        return
    memory: dict[str, list[tuple]] = {}
    for stage in pipeline.stages:
        for table, rows in stage.drain_memory().items():
            memory.setdefault(table, []).extend(rows)
    store.write(batch, memory=memory, source_hashes={r.id: hashes.pop(r.id, None) for r in batch})


def _skip_unchanged(docs: Iterable[Document], store: Any, hashes: dict[str, str], summary: RunSummary, *,
                    size: int, force: bool) -> Iterator[Document]:
    """Drop documents already stored from the same raw input (unless ``force``).

    This is what makes a second ingest of the same input a no-op, and what lets
    a killed run resume: each batch is committed with its source hashes, so a
    rerun skips exactly the committed documents.  ``hashes`` collects the
    source hash of every document let through, for the writer.
    """
    from itertools import islice

    it = iter(docs)
    while True:
        chunk = list(islice(it, max(size, 1)))
        if not chunk:
            return
        keyed = [(d, stable_id(d.format, d.content, d.error or "")) for d in chunk]
        seen = set() if force else store.unchanged([(d.id, h) for d, h in keyed])
        for d, h in keyed:
            if d.id in seen:
                summary.unchanged += 1
                continue
            hashes[d.id] = h
            yield d


_CSV_COLUMNS = ("id", "article", "date", "type", "mode", "modality", "actor_countries", "actor_sectors",
                "actor_names", "recipient_countries", "recipient_sectors", "recipient_names", "cameo",
                "quad_class", "goldstein", "plover_score", "location", "location_country", "contexts",
                "confidence", "quote", "start", "end")


def _flat(event: dict[str, Any]) -> dict[str, Any]:
    def join(refs: list[dict[str, Any]], key: str) -> str:
        return ";".join(str(r.get(key) or "") for r in refs)

    loc = event.get("location") or {}
    return {
        "id": event["id"], "article": event.get("article"), "date": event.get("date"),
        "type": event["type"], "mode": event.get("mode"), "modality": event.get("modality"),
        "actor_countries": join(event.get("actor", []), "country"),
        "actor_sectors": join(event.get("actor", []), "sector"),
        "actor_names": join(event.get("actor", []), "name"),
        "recipient_countries": join(event.get("recipient", []), "country"),
        "recipient_sectors": join(event.get("recipient", []), "sector"),
        "recipient_names": join(event.get("recipient", []), "name"),
        "cameo": event.get("cameo"), "quad_class": event.get("quad_class"),
        "goldstein": event.get("goldstein"), "plover_score": event.get("plover_score"),
        "location": loc.get("name"), "location_country": loc.get("country"),
        "contexts": ";".join(event.get("contexts") or []), "confidence": event.get("confidence"),
        "quote": event.get("quote"), "start": event.get("start"), "end": event.get("end"),
    }


def framing_counts(db: str | os.PathLike[str], *, by: str = "outlet", window: str = "week",
                   outlet: str | None = None, since: str | None = None, until: str | None = None,
                   min_confidence: float = 0.0, limit: int | None = None) -> list[dict[str, Any]]:
    """Stored persuasion-technique counts per outlet, time window or article (see
    :meth:`faultline.analytics.Analytics.framing`); the store is opened read-only."""
    from ..analytics import Analytics
    from ..store import Store

    with Store(db, read_only=True) as store:
        return Analytics(store).framing(by=by, window=window, outlet=outlet, since=since, until=until,
                                        min_confidence=min_confidence, limit=limit)


def export_events(db: str | os.PathLike[str], *, fmt: str = "csv", out: str | os.PathLike[str] | IO[str] | None = None,
                  since: str | None = None, until: str | None = None, actor: str | None = None,
                  type: str | None = None) -> int:
    """Write stored events to ``out`` (a path or text stream); return the count."""
    from ..errors import ConfigError
    from ..store import Store

    if fmt not in EXPORT_FORMATS:
        raise ConfigError(f"unknown format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}.")
    with Store(db, read_only=True) as store:
        events = store.events(since=since, until=until, actor=actor, type=type)
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        if out is None or not isinstance(out, (str, os.PathLike)):
            raise ConfigError("parquet needs a file: pass --out FILE.parquet.")
        rows = [_flat(e) for e in events]
        table = pa.Table.from_pylist(rows) if rows else pa.table({c: pa.array([], pa.string()) for c in _CSV_COLUMNS})
        pq.write_table(table, str(out))
        return len(events)
    stream: IO[str]
    close = False
    if out is None:
        import sys

        stream = sys.stdout
    elif isinstance(out, (str, os.PathLike)):
        stream = open(out, "w", encoding="utf-8", newline="")
        close = True
    else:
        stream = out
    try:
        if fmt == "gdelt":
            from ..interop import gdelt_lookups, write_gdelt

            with Store(db, read_only=True) as store:
                urls, published = gdelt_lookups(store, [e.get("article") for e in events])
            write_gdelt(events, stream, urls=urls, published=published)
        elif fmt == "jsonl":
            for e in events:
                stream.write(json.dumps(e, ensure_ascii=False) + "\n")
        else:
            writer = csv.DictWriter(stream, fieldnames=_CSV_COLUMNS)
            writer.writeheader()
            for e in events:
                writer.writerow(_flat(e))
    finally:
        if close:
            stream.close()
    return len(events)
