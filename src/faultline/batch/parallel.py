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

Corpus-level stages (named in ``[parallel] corpus_stages``, declaring
``scope = "corpus"``, keeping cross-document memory in ``memory_tables`` such
as extraction's site templates and the cluster signatures, or taking the
store) must see every batch, in order, in one place.  They never run in a
worker: the driver runs the leading corpus-level stages on each chunk before
shipping it, the workers run the document-level stages that follow and return
the items (every slot except spaCy's ``doc``), and the driver runs the rest,
batch by batch, in input order, exactly as the serial runner does.
That is what makes ``--workers N`` and ``--engine dask`` produce the same
records as the serial engine.  :func:`split_pipeline` decides the split; the
Dask engine (:mod:`faultline.batch.dask_engine`) uses the same functions.
"""
from __future__ import annotations

import gc
import logging
import multiprocessing as mp
import queue
import traceback
from contextlib import ExitStack
from dataclasses import dataclass
from itertools import islice
from typing import Any, Iterable, Iterator, Sequence

from ..errors import FaultlineError, PipelineError
from ..pipeline import Item, Pipeline, Stage, assemble, frozen_heap, run_stages
from ..records import Document, Result
from ..settings import Settings

__all__ = ["ENGINES", "Driver", "EnginePlan", "ParallelOptions", "Split", "chunked", "is_corpus_stage", "process_chunk",
           "plan_engine", "run_engine", "run_parallel", "run_stages", "split_pipeline", "tune_malloc", "tune_malloc_for"]

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
    #: BLAS/OpenMP threads per worker process (0: the libraries' default, one per core).  With
    #: one per worker, N workers use N cores instead of oversubscribing them N-fold (Dask does the same)
    worker_threads: int = 1
    #: glibc's mmap threshold in bytes for ingest's processes (driver and workers); 0 leaves glibc's
    #: sliding default. A fixed threshold gives every large block (parse arrays, Arrow batches) back
    #: to the system when it is freed instead of leaving it in the heap. 256 KiB made every parse
    #: about 20 % slower (a page-faulting mmap per mid-sized array); 1 MiB costs nothing measurable
    mmap_threshold: int = 1_048_576


# -- splitting the pipeline ----------------------------------------------------
def is_corpus_stage(stage: Stage, corpus_stages: Sequence[str] = ()) -> bool:
    """True for a stage that must see the whole stream in one process.

    That is a stage named in ``[parallel] corpus_stages``, one that declares
    ``scope = "corpus"``, one with cross-document memory (``memory_tables``),
    or one that takes the store (``bind_store``).
    """
    return (stage.name in corpus_stages
            or getattr(stage, "scope", "document") == "corpus"
            or bool(getattr(stage, "memory_tables", ()))
            or callable(getattr(stage, "bind_store", None))
            or callable(getattr(stage, "flush_store", None)))


@dataclass(frozen=True, slots=True)
class Split:
    """Stages ``[0:head]`` and ``[tail:]`` run in the driver, ``[head:tail]`` in workers."""

    head: int
    tail: int

    @property
    def parallel(self) -> bool:
        return self.tail > self.head


def split_pipeline(pipeline: Pipeline) -> Split:
    """Where the driver hands items to the workers and takes them back.

    Leading corpus-level stages (extraction with its template memory) run in
    the driver before a chunk is shipped; the following document-level stages
    run in the workers; everything from the next corpus-level stage on runs in
    the driver again.  spaCy's ``doc`` never crosses a process boundary, so a
    driver-side stage that needs it pulls the boundary back.
    """
    stages = pipeline.stages
    named = pipeline.settings.options("parallel", ParallelOptions).corpus_stages
    corpus = [is_corpus_stage(s, named) for s in stages]
    head = 0
    while head < len(stages) and corpus[head]:
        head += 1
    tail = next((i for i in range(head, len(stages)) if corpus[i]), len(stages))
    while tail > head and any("doc" in s.requires for s in stages[tail:]):
        tail -= 1
    if any("doc" in s.provides for s in stages[:head]):
        return Split(0, 0)
    return Split(head, tail)


def chunked(documents: Iterable[Document], size: int) -> Iterator[list[tuple[int, Document]]]:
    """``[(index, Document), ...]`` chunks of ``size``, lazily, with global indices."""
    it = enumerate(documents)
    while True:
        chunk = list(islice(it, size))
        if not chunk:
            return
        yield chunk


# -- running a slice of the stages ------------------------------------------------
def new_items(pairs: Sequence[tuple[int, Document]]) -> list[Item]:
    """Items for a chunk, with the readers' errors recorded (once, here)."""
    return [Item(index=i, document=d, errors=[d.error] if d.error else []) for i, d in pairs]


def _ship(items: list[Item]) -> list[Item]:
    for item in items:
        item.slots.pop("doc", None)  # spaCy's Doc never leaves the process that made it
    return sorted(items, key=lambda i: i.index)


def process_chunk(pipeline: Pipeline, items: list[Item], *, start: int, finish: bool) -> list[Any]:
    """Worker side: run stages ``[start:]`` of the worker's pipeline on one chunk.

    With ``finish`` (nothing runs after the workers) it returns Results;
    otherwise the Items (minus spaCy's ``doc``) for the driver.
    """
    pipeline.setup(start)
    run_stages(pipeline.stages[start:], items)
    items = _ship(items)
    return [assemble(it) for it in items] if finish else items


class Driver:
    """Driver side: the corpus-level stages before and after the workers, in input order."""

    def __init__(self, pipeline: Pipeline, split: Split) -> None:
        self.pipeline = pipeline
        self.split = split
        self.head = pipeline.stages[:split.head]
        self.tail = pipeline.stages[split.tail:]
        self._ready = False

    @property
    def tail_empty(self) -> bool:
        return not self.tail

    def setup(self) -> None:
        """Load the driver-side stages (once)."""
        if not self._ready:
            for stage in (*self.head, *self.tail):
                stage.setup(self.pipeline)
            self._ready = True

    def start(self, pairs: Sequence[tuple[int, Document]]) -> list[Item]:
        """Items for one chunk, through the leading corpus-level stages."""
        items = new_items(pairs)
        if self.head:
            self.setup()
            run_stages(self.head, items)
        return _ship(items)

    def finish(self, payload: list[Any]) -> list[Result]:
        """Results for one chunk back from the workers, through the trailing stages."""
        if self.tail_empty:
            return payload  # already Results
        self.setup()
        items: list[Item] = payload
        run_stages(self.tail, items)
        return [assemble(it) for it in _ship(items)]

    def run_here(self, pairs: Sequence[tuple[int, Document]]) -> list[Result]:
        """No worker can help (every stage is corpus-level): the whole pipeline, here."""
        return self.pipeline.run_batch([Item(index=i, document=d) for i, d in pairs])


@dataclass(frozen=True)
class EnginePlan:
    """What every engine sets up first: settings, the driver's pipeline and its split, chunk size."""

    settings: Settings
    pipeline: Pipeline
    options: ParallelOptions
    size: int
    split: Split
    driver: Driver
    #: the stages a worker builds: those up to the boundary (so its pipeline validates); it runs [head:tail]
    names: tuple[str, ...]


def plan_engine(settings: Settings | None, pipeline: Pipeline | None, chunk_size: int | None) -> EnginePlan:
    settings = settings or (pipeline.settings if pipeline is not None else Settings.load())
    pipeline = pipeline or Pipeline(settings=settings)
    options = settings.options("parallel", ParallelOptions)
    size = chunk_size or options.chunk_size or settings.pipeline.batch_size
    split = split_pipeline(pipeline)
    return EnginePlan(settings, pipeline, options, size, split, Driver(pipeline, split),
                      tuple(s.name for s in pipeline.stages[:split.tail]))


# -- local worker processes --------------------------------------------------------
def tune_malloc(threshold: int) -> bool:
    """Fix glibc's mmap threshold at ``threshold`` bytes in this process; False where it cannot.

    glibc raises its threshold each time a large mmapped block is freed (up to 32 MB), after
    which blocks of that size come from the heap, which a long-running process rarely gives
    back. A fixed threshold keeps them mmapped, so they return to the system when freed:
    docs/scale.md, run 6, measured 25 MB less per process on a 3,000-document stream.
    """
    import ctypes
    import platform

    if threshold <= 0 or platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    return bool(libc.mallopt(-3, int(threshold)))  # -3: M_MMAP_THRESHOLD in <malloc.h>


def tune_malloc_for(settings: Settings) -> bool:
    """:func:`tune_malloc` at the ``[parallel] mmap_threshold`` setting: what every process that runs
    stages (the driver, a worker process, a Dask worker) does first."""
    return tune_malloc(settings.options("parallel", ParallelOptions).mmap_threshold)


def _worker_main(settings: Settings, stage_names: tuple[str, ...], start: int, finish: bool,
                 inbox: Any, outbox: Any) -> None:
    """One worker process: build the pipeline once, then serve chunks until ``None``."""
    try:
        options = settings.options("parallel", ParallelOptions)
        tune_malloc_for(settings)
        threads = options.worker_threads
        if threads > 0:
            from threadpoolctl import threadpool_limits  # scikit-learn's dependency

            threadpool_limits(threads)
        pipeline = Pipeline(stage_names, settings=settings)
        pipeline.setup(start)  # the driver runs the stages before ``start``: their models stay unloaded here
        if settings.pipeline.freeze_heap:
            gc.freeze()  # the models, out of the collector's sight for the process's life (see frozen_heap)
    except BaseException:  # noqa: BLE001 - reported to the driver, which raises
        outbox.put((-1, "error", traceback.format_exc()))
        return
    parent = mp.parent_process()
    while True:
        try:
            task = inbox.get(timeout=1.0)
        except queue.Empty:
            # the driver was killed (kill -9 leaves no goodbye): do not linger as an orphan.  Results
            # still buffered for the dead driver would block the exit (the queue's feeder thread waits
            # on a pipe nobody reads), so drop them.
            if parent is not None and not parent.is_alive():
                outbox.cancel_join_thread()
                return
            continue
        if task is None:
            return
        number, items = task
        try:
            outbox.put((number, "ok", process_chunk(pipeline, items, start=start, finish=finish)))
        except BaseException:  # noqa: BLE001
            outbox.put((number, "error", traceback.format_exc()))


def run_parallel(documents: Iterable[Document], *, settings: Settings | None = None, workers: int = 2,
                 pipeline: Pipeline | None = None, chunk_size: int | None = None,
                 max_in_flight: int | None = None, start_method: str | None = None) -> Iterator[Result]:
    """Run the pipeline over ``documents`` in ``workers`` processes; yield Results in input order.

    ``pipeline`` (built from ``settings`` when omitted) is the driver's copy:
    its corpus-level stages run here, in this process, in input order.
    """
    plan = plan_engine(settings, pipeline, chunk_size)
    settings, options, size, split, driver, names = (plan.settings, plan.options, plan.size, plan.split,
                                                     plan.driver, plan.names)
    limit = max_in_flight or max(2, workers * options.in_flight_per_worker)
    if not split.parallel:
        log.warning("every stage must run in the driver; --workers has no effect for this pipeline")
        for pairs in chunked(documents, size):
            yield from driver.run_here(pairs)
        return

    ctx = mp.get_context(start_method or options.start_method)
    inbox = ctx.Queue()
    outbox = ctx.Queue()
    procs = [ctx.Process(target=_worker_main, args=(settings, names, split.head, driver.tail_empty, inbox, outbox),
                         name=f"faultline-worker-{n}", daemon=True) for n in range(workers)]
    for p in procs:
        p.start()
    pending: dict[int, list[Any]] = {}
    submitted = 0
    emitted = 0
    source = chunked(documents, size)
    exhausted = False
    finished = False
    heap = ExitStack()
    try:
        driver.setup()
        heap.enter_context(frozen_heap(settings.pipeline.freeze_heap))  # the driver's models, as in a serial run
        while True:
            while not exhausted and submitted - emitted < limit:
                pairs = next(source, None)
                if pairs is None:
                    exhausted = True
                    break
                inbox.put((submitted, driver.start(pairs)))
                submitted += 1
            if emitted == submitted and exhausted:
                finished = True
                return
            while emitted in pending:
                payload = pending.pop(emitted)
                emitted += 1
                yield from driver.finish(payload)
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
        if not finished:
            # chunks still queued for workers that are gone: without this, the queue's feeder thread
            # would hold this process's exit forever, writing to a pipe that nobody reads
            inbox.cancel_join_thread()
        inbox.close()
        outbox.close()
        heap.close()


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
