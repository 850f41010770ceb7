"""Local parallelism: worker processes that each hold one Pipeline.

Design (spawn/forkserver safe):

* Each worker is a plain function (:func:`_worker_main`) started with the
  ``spawn`` context by default.  It builds its :class:`~faultline.pipeline.Pipeline`
  once, as a local variable, so the spaCy model loads once per worker and no
  module-level state is needed.
* The driver reads the input stream lazily, cuts it into chunks of
  ``batch_size`` documents (the same batch boundaries as the serial runner)
  and ships ``(index, Document)`` pairs; Documents are frozen and picklable.
* At most ``max_in_flight`` chunks are submitted and not yet emitted, which
  bounds memory however long the input is.  Results are re-ordered by chunk
  number, so records come out in input order.

Corpus-level stages (named in ``[parallel] corpus_stages``, such as the
cross-document ``cluster`` stage, or declaring ``scope = "corpus"``, or taking
the store through ``bind_store``/``flush_store``) must see every batch, in order, in one place.  They never run in a
worker: workers run the document-level prefix of the pipeline and return the
items (every slot except spaCy's ``doc``); the driver runs the remaining
stages batch by batch, in input order, exactly as the serial runner does.
That is what makes ``--workers N`` and ``--engine dask`` produce the same
records as the serial engine.  :func:`split_pipeline` decides the split; the
Dask engine (:mod:`faultline.batch.dask_engine`) uses the same functions.
"""
from __future__ import annotations

import logging
import multiprocessing as mp
import queue
import traceback
from dataclasses import dataclass
from itertools import islice
from typing import Any, Iterable, Iterator, Sequence

from ..errors import FaultlineError, PipelineError
from ..pipeline import Item, Pipeline, Stage, assemble
from ..records import Document, Result
from ..settings import Settings

__all__ = ["ENGINES", "ParallelOptions", "chunked", "is_corpus_stage", "process_chunk", "run_parallel",
           "run_engine", "run_stages", "split_pipeline", "DriverTail"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ParallelOptions:
    #: "spawn" (portable, the default), "forkserver" (Linux, faster start) or "fork"
    start_method: str = "spawn"
    #: chunks submitted but not yet emitted, per worker (bounds memory)
    in_flight_per_worker: int = 2
    #: documents per chunk; 0 means [pipeline] batch_size
    chunk_size: int = 0
    #: stages that keep state across documents and so run in the driver, in order
    corpus_stages: tuple[str, ...] = ("cluster",)


# -- splitting the pipeline ----------------------------------------------------
def is_corpus_stage(stage: Stage, corpus_stages: Sequence[str] = ()) -> bool:
    """True for a stage that must see the whole stream in one process.

    That is a stage named in ``[parallel] corpus_stages``, one that declares
    ``scope = "corpus"``, or one that takes the store (``bind_store``).
    """
    return (stage.name in corpus_stages
            or getattr(stage, "scope", "document") == "corpus"
            or callable(getattr(stage, "bind_store", None))
            or callable(getattr(stage, "flush_store", None)))


def split_pipeline(pipeline: Pipeline) -> int:
    """Index of the first stage that runs in the driver (``len(stages)`` if none).

    Everything from the first corpus-level stage on runs in the driver.  If a
    driver-side stage needs spaCy's ``doc`` (which never leaves a worker), the
    split moves to the stage that provides ``doc`` so the result stays right.
    """
    stages = pipeline.stages
    named = pipeline.settings.options("parallel", ParallelOptions).corpus_stages
    k = next((i for i, s in enumerate(stages) if is_corpus_stage(s, named)), len(stages))
    while k > 0 and any("doc" in s.requires for s in stages[k:]):
        k -= 1
    return k


def chunked(documents: Iterable[Document], size: int) -> Iterator[list[tuple[int, Document]]]:
    """``[(index, Document), ...]`` chunks of ``size``, lazily, with global indices."""
    it = enumerate(documents)
    while True:
        chunk = list(islice(it, size))
        if not chunk:
            return
        yield chunk


# -- running a slice of the stages ------------------------------------------------
def run_stages(stages: Sequence[Stage], items: list[Item], *, seed_errors: bool) -> None:
    """Run ``stages`` over ``items`` in place, exactly like ``Pipeline.run_batch``.

    ``seed_errors`` copies reader errors into the items (only on the first
    slice, so an error is never recorded twice).
    """
    if seed_errors:
        for item in items:
            if item.document.error:
                item.errors.append(item.document.error)
    for stage in stages:
        alive = [it for it in items if not it.failed]
        if not alive:
            break
        try:
            Pipeline._attach(stage, alive, stage.process(alive))
        except Exception:  # isolate: retry one by one to find the culprit
            log.debug("batch failed in %s; retrying per document", stage.ident, exc_info=True)
            for it in alive:
                try:
                    Pipeline._attach(stage, [it], stage.process([it]))
                except Exception as exc:  # noqa: BLE001 - recorded, batch goes on
                    it.errors.append(f"{stage.name}: {type(exc).__name__}: {exc}")


def process_chunk(pipeline: Pipeline, pairs: Sequence[tuple[int, Document]], *, finish: bool) -> list[Any]:
    """Worker side: run the worker's stages on one chunk.

    With ``finish`` the worker holds the whole pipeline and returns Results;
    otherwise it returns the Items (minus spaCy's ``doc``) for the driver.
    """
    items = [Item(index=i, document=d) for i, d in pairs]
    if finish:
        return pipeline.run_batch(items)
    pipeline.setup()
    run_stages(pipeline.stages, items, seed_errors=True)
    for item in items:
        item.slots.pop("doc", None)
    return sorted(items, key=lambda i: i.index)


class DriverTail:
    """Driver side: the corpus-level stages, run batch by batch in input order."""

    def __init__(self, pipeline: Pipeline, split: int) -> None:
        self.pipeline = pipeline
        self.stages = pipeline.stages[split:]
        self.split = split
        self._ready = False

    @property
    def empty(self) -> bool:
        return not self.stages

    def finish(self, payload: list[Any]) -> list[Result]:
        if self.empty:
            return payload  # already Results
        if not self._ready:
            for stage in self.stages:
                stage.setup(self.pipeline)
            self._ready = True
        items: list[Item] = payload
        run_stages(self.stages, items, seed_errors=self.split == 0)
        for item in items:
            item.slots.pop("doc", None)
        return [assemble(it) for it in sorted(items, key=lambda i: i.index)]


# -- local worker processes --------------------------------------------------------
def _worker_main(settings: Settings, stage_names: tuple[str, ...], finish: bool,
                 inbox: Any, outbox: Any) -> None:
    """One worker process: build the pipeline once, then serve chunks until ``None``."""
    try:
        pipeline = Pipeline(stage_names, settings=settings)
        pipeline.setup()
    except BaseException:  # noqa: BLE001 - reported to the driver, which raises
        outbox.put((-1, "error", traceback.format_exc()))
        return
    parent = mp.parent_process()
    while True:
        try:
            task = inbox.get(timeout=1.0)
        except queue.Empty:
            # the driver was killed (kill -9 leaves no goodbye): do not linger as an orphan
            if parent is not None and not parent.is_alive():
                return
            continue
        if task is None:
            return
        number, pairs = task
        try:
            outbox.put((number, "ok", process_chunk(pipeline, pairs, finish=finish)))
        except BaseException:  # noqa: BLE001
            outbox.put((number, "error", traceback.format_exc()))


def run_parallel(documents: Iterable[Document], *, settings: Settings | None = None, workers: int = 2,
                 pipeline: Pipeline | None = None, chunk_size: int | None = None,
                 max_in_flight: int | None = None, start_method: str | None = None) -> Iterator[Result]:
    """Run the pipeline over ``documents`` in ``workers`` processes; yield Results in input order.

    ``pipeline`` (built from ``settings`` when omitted) is the driver's copy:
    its corpus-level stages run here, in this process, in input order.
    """
    settings = settings or (pipeline.settings if pipeline is not None else Settings.load())
    pipeline = pipeline or Pipeline(settings=settings)
    options = settings.options("parallel", ParallelOptions)
    size = chunk_size or options.chunk_size or settings.pipeline.batch_size
    limit = max_in_flight or max(2, workers * options.in_flight_per_worker)
    split = split_pipeline(pipeline)
    tail = DriverTail(pipeline, split)
    names = tuple(s.name for s in pipeline.stages[:split])
    if not names:
        log.warning("every stage must run in the driver; --workers has no effect for this pipeline")
        for pairs in chunked(documents, size):
            yield from tail.finish([Item(index=i, document=d) for i, d in pairs])
        return

    ctx = mp.get_context(start_method or options.start_method)
    inbox = ctx.Queue()
    outbox = ctx.Queue()
    procs = [ctx.Process(target=_worker_main, args=(settings, names, tail.empty, inbox, outbox),
                         name=f"faultline-worker-{n}", daemon=True) for n in range(workers)]
    for p in procs:
        p.start()
    pending: dict[int, list[Any]] = {}
    submitted = 0
    emitted = 0
    source = chunked(documents, size)
    exhausted = False
    finished = False
    try:
        while True:
            while not exhausted and submitted - emitted < limit:
                pairs = next(source, None)
                if pairs is None:
                    exhausted = True
                    break
                inbox.put((submitted, pairs))
                submitted += 1
            if emitted == submitted and exhausted:
                finished = True
                return
            while emitted in pending:
                payload = pending.pop(emitted)
                emitted += 1
                yield from tail.finish(payload)
            if emitted == submitted:
                continue
            number, status, payload = _receive(outbox, procs)
            if status != "ok":
                raise FaultlineError(f"a worker process failed:\n{payload}")
            pending[number] = payload
    finally:
        # a normal end lets the workers finish; an error or an abandoned stream stops them now
        for _ in procs:
            inbox.put(None)
        for p in procs:
            p.join(timeout=10 if finished else 0.5)
            if p.is_alive():
                p.kill()
                p.join()
        inbox.close()
        outbox.close()


def _receive(outbox: Any, procs: list[Any]) -> tuple[int, str, Any]:
    while True:
        try:
            return outbox.get(timeout=1.0)
        except queue.Empty:
            dead = [p for p in procs if not p.is_alive()]
            if dead:
                codes = ", ".join(f"{p.name} exit code {p.exitcode}" for p in dead)
                raise PipelineError(
                    f"worker process died ({codes}); it may have run out of memory: "
                    "lower --workers or [pipeline] batch_size and run again (ingest resumes).")


ENGINES = ("local", "dask")


def run_engine(documents: Iterable[Document], *, settings: Settings | None = None, workers: int = 1,
               engine: str = "local", scheduler: str | None = None,
               pipeline: Pipeline | None = None) -> Iterator[Result]:
    """Dispatch to the serial runner, local worker processes, or Dask."""
    if engine not in ENGINES:
        from ..errors import ConfigError

        raise ConfigError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}.")
    if scheduler and engine != "dask":
        from ..errors import ConfigError

        raise ConfigError("--scheduler needs --engine dask.")
    if engine == "dask":
        from .dask_engine import run_dask

        return run_dask(documents, settings=settings, workers=workers, scheduler=scheduler, pipeline=pipeline)
    if workers > 1:
        return run_parallel(documents, settings=settings, workers=workers, pipeline=pipeline)
    pipeline = pipeline or Pipeline(settings=settings)
    return pipeline.run(documents)
