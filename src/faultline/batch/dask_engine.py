"""The Dask engine: the same pipeline, scaled out over a Dask cluster.

* Without a scheduler address a :class:`distributed.LocalCluster` is started
  (worker processes, one thread each, ``n_workers = --workers``).  With one
  (``tcp://host:8786``) the driver connects to an existing cluster started
  with ``dask scheduler`` / ``dask worker`` or by dask-jobqueue on an HPC
  scheduler; every worker needs Faultline and the spaCy model installed.
* A :class:`PipelinePlugin` builds the Pipeline once per Dask worker (so the
  spaCy model loads once per worker) and keeps it on the plugin instance, not
  in a module global.
* The driver partitions the input stream into chunks of ``batch_size``
  documents, keeps a bounded number of chunks in flight, and takes the results
  back in input order.  Corpus-level stages run in the driver, exactly as in
  :mod:`faultline.batch.parallel`, and the driver is the single writer.
"""
from __future__ import annotations

import logging
from collections import deque
from typing import Any, Iterable, Iterator

from ..errors import ConfigError
from ..pipeline import Item, Pipeline
from ..records import Document, Result
from ..settings import Settings
from .parallel import chunked, plan_engine, process_chunk

__all__ = ["PipelinePlugin", "run_dask"]

log = logging.getLogger(__name__)

PLUGIN_NAME = "faultline-pipeline"


from distributed.diagnostics.plugin import WorkerPlugin  # noqa: E402  (module is imported lazily)


class PipelinePlugin(WorkerPlugin):
    """Holds one Pipeline per Dask worker; built in ``setup``, once."""

    name = PLUGIN_NAME

    def __init__(self, settings: Settings, stage_names: tuple[str, ...], start: int = 0) -> None:
        self.settings = settings
        self.stage_names = stage_names
        self.start = start  # the stages before it run in the driver: not loaded here
        self.pipeline: Pipeline | None = None

    def setup(self, worker: Any) -> None:
        from .parallel import tune_malloc_for

        tune_malloc_for(self.settings)
        self.pipeline = Pipeline(self.stage_names, settings=self.settings)
        self.pipeline.setup(self.start)

    def teardown(self, worker: Any) -> None:
        self.pipeline = None

    def __getstate__(self) -> dict[str, Any]:  # ship the recipe, never a loaded model
        return {"settings": self.settings, "stage_names": self.stage_names, "start": self.start}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.settings = state["settings"]
        self.stage_names = state["stage_names"]
        self.start = state.get("start", 0)
        self.pipeline = None


def _dask_chunk(items: list[Item], start: int, finish: bool) -> list[Any]:
    """Task run on a Dask worker: the worker's pipeline over one chunk."""
    from distributed import get_worker

    worker = get_worker()
    plugin = worker.plugins[PLUGIN_NAME]
    if plugin.pipeline is None:  # pragma: no cover - setup always runs first
        plugin.setup(worker)
    return process_chunk(plugin.pipeline, items, start=start, finish=finish)


def run_dask(documents: Iterable[Document], *, settings: Settings | None = None, workers: int = 1,
             scheduler: str | None = None, pipeline: Pipeline | None = None,
             processes: bool = True, chunk_size: int | None = None,
             max_in_flight: int | None = None) -> Iterator[Result]:
    """Run the pipeline on a Dask cluster; yield Results in input order.

    ``processes=False`` runs the LocalCluster's workers as threads of this
    process (quick to start; used by tests).  The code path is the same.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - dask[distributed] is a dependency
        raise ConfigError("the Dask engine needs `pip install 'dask[distributed]'`.") from exc

    plan = plan_engine(settings, pipeline, chunk_size)
    settings, options, size, split, driver, names = (plan.settings, plan.options, plan.size, plan.split,
                                                     plan.driver, plan.names)
    if not split.parallel:
        log.warning("every stage must run in the driver; the Dask cluster has nothing to do")
        for pairs in chunked(documents, size):
            yield from driver.run_here(pairs)
        return

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=processes,
                               dashboard_address=":0")
        client = Client(cluster)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        limit = max_in_flight or max(2, n_workers * options.in_flight_per_worker)
        client.register_plugin(PipelinePlugin(settings, names, split.head), name=PLUGIN_NAME)
        in_flight: deque[Any] = deque()
        for pairs in chunked(documents, size):
            in_flight.append(client.submit(_dask_chunk, driver.start(pairs), split.head, driver.tail_empty,
                                           pure=False))
            while len(in_flight) >= limit:
                yield from driver.finish(in_flight.popleft().result())
        while in_flight:
            yield from driver.finish(in_flight.popleft().result())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
