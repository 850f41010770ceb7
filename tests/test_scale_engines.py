"""Local worker processes and the Dask engine give the serial engine's records, in input order."""
from __future__ import annotations

from typing import Any

import pytest

from faultline.batch.parallel import chunked, is_corpus_stage, run_parallel, split_pipeline
from faultline.pipeline import Pipeline, Stage
from faultline.readers import documents_from_records
from faultline.records import Document
from faultline.settings import Settings

from scale_helpers import synthetic_records


def _docs(n: int) -> list[Document]:
    docs = list(documents_from_records(synthetic_records(n), "synthetic"))
    # a reader error and an empty text travel through every engine the same way
    docs.insert(3, Document(id="broken", content="", format="text", error="reader: broken input"))
    docs.insert(7, Document(id="blank", content="   ", format="text"))
    return docs


def _write_jsonl(path, n: int) -> None:
    import json

    with open(path, "w", encoding="utf-8") as fh:
        for i, rec in enumerate(synthetic_records(n)):
            if i == 3:
                fh.write("{not json\n")
            if i == 7:
                fh.write(json.dumps({"id": "blank", "text": "   "}) + "\n")
            fh.write(json.dumps(rec) + "\n")


class OrderProbe(Stage):
    """A corpus-level stage whose output depends on every earlier batch (like clustering)."""

    name = "test_order_probe"
    scope = "corpus"
    requires = ("article",)
    provides = ("cluster",)

    def setup(self, pipeline: Any) -> None:
        self.seen: list[str] = []

    def process(self, items):
        out = []
        for it in items:
            self.seen.append(it.document.id)
            out.append({"cluster": f"{len(self.seen)}:{self.seen[0]}"})
        return out


SETTINGS8 = {"pipeline": {"batch_size": 8}, "store": {"commit_docs": 8}}  # one commit (shard) per batch


@pytest.fixture(scope="module")
def small_settings() -> Settings:
    return Settings.load(overrides=SETTINGS8)


@pytest.fixture(scope="module")
def sample_jsonl(tmp_path_factory):
    path = tmp_path_factory.mktemp("scale") / "sample.jsonl"
    _write_jsonl(path, 38)
    return path


@pytest.fixture(scope="module")
def sample_docs(sample_jsonl) -> list[Document]:
    from faultline.readers import iter_documents

    return list(iter_documents([sample_jsonl]))


@pytest.fixture(scope="module")
def serial(small_settings, sample_docs):
    """The serial engine's records and its (set-up) pipeline."""
    pipeline = Pipeline(settings=small_settings)
    return list(pipeline.run(sample_docs)), pipeline


def test_workers_match_serial_in_input_order(small_settings, sample_docs, serial):
    from faultline.batch.parallel import run_engine

    expected, _ = serial
    parallel = list(run_engine(sample_docs, settings=small_settings, workers=2,
                               pipeline=Pipeline(settings=small_settings)))
    assert [r.id for r in parallel] == [d.id for d in sample_docs]
    assert parallel == expected
    assert "malformed JSON" in parallel[3].errors[0]
    assert parallel[8].errors and not expected[9].errors
    # syndicated copies share a cluster with their original across chunk boundaries
    by_id = {r.id: r for r in parallel}
    assert by_id["syn-00035"].cluster == by_id["syn-00032"].cluster is not None
    assert by_id["syn-00031"].cluster != by_id["syn-00032"].cluster


def test_dask_worker_processes_match_serial(small_settings, sample_docs, serial):
    from faultline.batch.dask_engine import run_dask

    expected, _ = serial
    # one worker process: the same code path as many, at half the start-up cost
    assert list(run_dask(sample_docs, settings=small_settings, workers=1, processes=True)) == expected


def test_corpus_stage_runs_in_the_driver_in_order(small_settings):
    docs = _docs(30)
    names = ("extract", "nlp")

    def build() -> Pipeline:
        return Pipeline(names, settings=small_settings, extra=[OrderProbe(small_settings)])

    serial_pipe = build()
    split = split_pipeline(serial_pipe)
    # extract (template memory) before the workers, nlp in them, the probe after them
    assert (split.head, split.tail) == (1, 2) and is_corpus_stage(serial_pipe.stages[2])
    serial = list(serial_pipe.run(docs))
    parallel = list(run_parallel(docs, settings=small_settings, workers=2, pipeline=build()))
    assert parallel == serial
    assert [r.cluster for r in parallel if not r.errors][-1].startswith(f"{len(docs) - 2}:")


def test_default_pipeline_split(small_settings):
    pipe = Pipeline(settings=small_settings)
    split = split_pipeline(pipe)
    names = [s.name for s in pipe.stages]
    head, middle = names[:split.head], names[split.head:split.tail]
    assert "nlp" in middle and "doc" not in {p for s in pipe.stages[:split.head] for p in s.provides}
    for stage in pipe.stages:
        if stage.memory_tables:  # cross-document memory never runs in a worker
            assert stage.name in head or stage.name in names[split.tail:]


def test_in_flight_chunks_are_bounded():
    settings = Settings.load(overrides={"pipeline": {"stages": ["extract", "nlp"], "batch_size": 4}})
    consumed = 0

    def stream():
        nonlocal consumed
        for d in documents_from_records(synthetic_records(200), "synthetic"):
            consumed += 1
            yield d

    emitted = 0
    worst = 0
    for _ in run_parallel(stream(), settings=settings, workers=2, max_in_flight=3):
        emitted += 1
        worst = max(worst, consumed - emitted)
    assert emitted == 200
    assert worst <= 3 * 4  # never more than max_in_flight chunks read ahead


def test_chunked_keeps_global_indices():
    chunks = list(chunked(iter("abcdefg"), 3))
    assert [c[0][0] for c in chunks] == [0, 3, 6]
    assert [d for c in chunks for _, d in c] == list("abcdefg")


def test_worker_failure_is_reported_not_hung():
    from faultline.errors import FaultlineError

    bad = Settings.load(overrides={"nlp": {"model": "no_such_model_xyz", "fallback": "no_such_model_xyz"}})
    with pytest.raises(FaultlineError, match="no spaCy English model"):
        list(run_parallel(_docs(5), settings=bad, workers=1))




def _parquet_snapshot(out) -> dict:
    import duckdb

    from faultline.store import _COLUMNS

    snap = {}
    for table in _COLUMNS:
        rows = []
        if (out / table).is_dir() and any((out / table).glob("*.parquet")):
            rows = duckdb.sql(f"SELECT * FROM '{out / table}/*.parquet'").fetchall()
        snap[table] = sorted(rows, key=repr)
    return snap


def _batches(results, size=8):
    return [results[i:i + size] for i in range(0, len(results), size)]


@pytest.fixture(scope="module")
def serial_snapshot(serial) -> dict:
    from faultline.store import Store

    with Store(":memory:") as store:
        for batch in _batches(serial[0]):
            store.write(batch)
        return store.snapshot()


def test_dask_threads_ingest_to_parquet_matches_serial(tmp_path, sample_jsonl, serial, serial_snapshot,
                                                       monkeypatch):
    from faultline.batch import dask_engine
    from faultline.batch.jobs import ingest
    from faultline.batch.parquet_sink import ParquetSink

    original = dask_engine.run_dask
    # the LocalCluster's workers as threads (quick to start); processes are tested above
    monkeypatch.setattr(dask_engine, "run_dask", lambda *a, **k: original(*a, processes=False, **k))
    out = tmp_path / "lake"
    summary = ingest([str(sample_jsonl)], db=tmp_path / "unused.duckdb", settings=Settings.load(overrides=SETTINGS8),
                     engine="dask", workers=1, out_parquet=out)
    assert summary.documents == 40
    assert not (tmp_path / "unused.duckdb").exists()
    assert _parquet_snapshot(out) == serial_snapshot
    shards = sorted(p.name for p in (out / "documents").glob("*.parquet"))
    assert len(shards) == 5  # 40 records in batches of 8
    assert len(list((out / "runs").glob("*.json"))) == 1
    # a re-run (same batches) overwrites the same shards: nothing is duplicated
    with ParquetSink(out) as sink:
        for batch in _batches(serial[0]):
            sink.write(batch)
    assert sorted(p.name for p in (out / "documents").glob("*.parquet")) == shards
    assert _parquet_snapshot(out) == serial_snapshot


def test_unneeded_spacy_pipes_are_switched_off(nlp):
    from faultline.stages.nlp import unneeded_pipes

    assert set(unneeded_pipes(nlp, {"ner"})) == {"tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"}
    # the parser listens to the shared tok2vec, which must stay on
    assert "tok2vec" not in unneeded_pipes(nlp, {"parser"})
    # the lemmatizer reads POS from attribute_ruler + tagger
    assert set(unneeded_pipes(nlp, {"lemmatizer"})) == {"parser", "ner"}
    assert unneeded_pipes(nlp, set(nlp.pipe_names)) == []


def test_nlp_stage_disables_what_no_stage_needs(small_settings, serial):
    pipe = Pipeline(("extract", "nlp"), settings=small_settings)
    pipe.setup()
    assert pipe.stage("nlp").nlp.pipe_names == []  # extract and nlp alone read no annotation
    _, full = serial
    assert set(full.spacy_needs()) <= set(full.stage("nlp").nlp.pipe_names)


def test_workers_exit_when_the_driver_is_killed():
    """kill -9 of the driver must not leave worker processes (and their models) behind."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    import psutil

    code = (
        "import sys, time\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from scale_helpers import synthetic_records\n"
        "from faultline.readers import documents_from_records\n"
        "from faultline.batch.parallel import run_parallel\n"
        "from faultline.settings import Settings\n"
        "def slow():\n"
        "    for d in documents_from_records(synthetic_records(100000), 'x'):\n"
        "        time.sleep(0.01)\n"
        "        yield d\n"
        "if __name__ == '__main__':\n"
        "    s = Settings.load(overrides={'pipeline': {'stages': ['extract', 'nlp'], 'batch_size': 2}})\n"
        "    for r in run_parallel(slow(), settings=s, workers=2):\n"
        "        print(r.id, flush=True)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        for _ in range(4):
            assert proc.stdout.readline()
        workers = [c for c in psutil.Process(proc.pid).children(recursive=True)]
        assert len(workers) >= 2
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        alive = [w for w in workers if w.is_running() and w.status() != psutil.STATUS_ZOMBIE]
        if not alive:
            break
        time.sleep(0.2)
    assert not alive, f"orphaned workers: {[w.pid for w in alive]}"


def test_driver_reports_dead_workers_and_exits():
    """Workers killed mid-run (the OOM killer does this): the driver raises and its process exits.

    Chunks still queued for the dead workers must not hold the driver's exit: a queue's feeder
    thread would otherwise wait forever on a pipe that nobody reads.
    """
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import os, signal, sys\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "import multiprocessing as mp\n"
        "from scale_helpers import synthetic_records\n"
        "from faultline.readers import documents_from_records\n"
        "from faultline.batch.parallel import run_parallel\n"
        "from faultline.settings import Settings\n"
        "def big():\n"  # chunks far larger than a pipe's 64 KiB buffer
        "    for r in synthetic_records(400):\n"
        "        yield {**r, 'text': (r['text'] + ' ') * 60}\n"
        "if __name__ == '__main__':\n"
        "    s = Settings.load(overrides={'pipeline': {'stages': ['extract', 'nlp'], 'batch_size': 4}})\n"
        "    try:\n"
        "        for n, r in enumerate(run_parallel(documents_from_records(big(), 'x'), settings=s, workers=2)):\n"
        "            if n == 0:\n"
        "                for p in mp.active_children():\n"
        "                    os.kill(p.pid, signal.SIGKILL)\n"
        "    except Exception as e:\n"
        "        print(type(e).__name__, flush=True)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "PipelineError", proc.stderr[-2000:]
    assert proc.returncode == 0


@pytest.mark.parametrize("zones", [True, False])
def test_memory_zones_keep_the_vocabulary_from_growing(zones: bool) -> None:
    """With ``[nlp] memory_zones`` the strings a batch adds to spaCy's vocabulary are gone when it
    ends (a long stream stays flat); without, every new word stays for the life of the process."""
    settings = Settings.load(overrides={"nlp": {"memory_zones": zones}})
    pipe = Pipeline(["extract", "nlp"], settings=settings)
    pipe.setup()
    vocab = pipe.stage("nlp").nlp.vocab
    before = len(vocab.strings)
    made_up = "Zorblaxian quuxifiers flimflammed the vexillographic glorptanks near Snorvik."
    out = list(pipe.run([Document(id="z", content=made_up, format="text")]))
    assert not out[0].errors
    grew = len(vocab.strings) - before
    assert (grew == 0) if zones else (grew > 0)


def test_tune_malloc_fixes_the_threshold_on_glibc_and_is_a_no_op_when_off() -> None:
    import platform

    from faultline.batch.parallel import tune_malloc, tune_malloc_for
    from faultline.settings import Settings

    assert tune_malloc(0) is False  # 0 leaves glibc's sliding default alone
    on_glibc = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"
    assert tune_malloc(262_144) is on_glibc
    assert tune_malloc_for(Settings.load().with_overrides({"parallel": {"mmap_threshold": 0}})) is False
    assert tune_malloc_for(Settings.load()) is on_glibc  # the default setting, 1 MiB
