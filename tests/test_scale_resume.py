"""Resumable ingest: after kill -9 in the middle of a run, the same command completes the store.

The killed run and its re-run use ``--workers 2``; the reference is a clean
serial run, so the test also checks that the parallel engine stores exactly
what the serial one does.

The killed run has committed some batches (each batch is one transaction);
running the same command again must leave exactly the rows of a clean run:
no duplicates, nothing lost.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

from faultline.store import Store

from scale_helpers import synthetic_records

N_DOCS = 200
BATCH = 16


def _peek_documents(db: Path, scratch: Path) -> int | None:
    """Count stored documents while another process holds the DuckDB lock.

    DuckDB lets no second process open a file that is being written, so the
    test copies the file and its write-ahead log and opens the copy; a copy
    torn by a concurrent write simply fails to open and is retried.
    """
    if not db.exists():
        return None
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    copy = scratch / db.name
    try:
        shutil.copyfile(db, copy)
        wal = db.with_name(db.name + ".wal")
        if wal.exists():
            shutil.copyfile(wal, scratch / wal.name)
        import duckdb

        con = duckdb.connect(str(copy))
        try:
            return con.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            con.close()
    except Exception:  # noqa: BLE001 - torn copy or tables not created yet
        return None


def _command(inputs: Path, db: Path, config: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "faultline", "ingest", str(inputs), "--db", str(db), "--quiet",
            "--config", str(config), *extra]


def test_kill_9_then_rerun_equals_a_clean_run(tmp_path):
    inputs = tmp_path / "news.jsonl"
    with open(inputs, "w", encoding="utf-8") as fh:
        for rec in synthetic_records(N_DOCS, seed=11):
            fh.write(json.dumps(rec) + "\n")
    config = tmp_path / "faultline.toml"
    config.write_text(f"[pipeline]\nbatch_size = {BATCH}\n[store]\ncommit_docs = {BATCH}\n", "utf-8")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}

    killed_db = tmp_path / "killed.duckdb"
    # the killed run and its re-run use two worker processes, the clean run the serial engine:
    # the stores must still be identical
    proc = subprocess.Popen(_command(inputs, killed_db, config, "--workers", "2"), env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen = None
    workers: list = []
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            seen = _peek_documents(killed_db, tmp_path / "peek")
            if seen and seen >= BATCH:
                workers = psutil.Process(proc.pid).children(recursive=True)
                os.kill(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.2)
    finally:
        if proc.poll() is None and not seen:
            proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, (
        f"the run was not killed mid-way (exit {proc.returncode}, {seen} documents seen): "
        f"{proc.stderr.read().decode()[-2000:]}")
    # the killed driver's worker processes notice and exit instead of lingering as orphans
    _gone, alive = psutil.wait_procs(workers, timeout=20)
    assert workers and not alive, f"orphaned worker processes: {[p.pid for p in alive]}"
    partial = _peek_documents(killed_db, tmp_path / "peek")
    assert partial is not None and BATCH <= partial < N_DOCS, partial
    assert partial % BATCH == 0  # whole batches only: each one is a transaction

    rerun = subprocess.run(_command(inputs, killed_db, config, "--workers", "2"), env=env, capture_output=True, text=True,
                           timeout=600)
    assert rerun.returncode == 0, rerun.stderr[-2000:]

    clean_db = tmp_path / "clean.duckdb"
    clean = subprocess.run(_command(inputs, clean_db, config), env=env, capture_output=True, text=True,
                           timeout=600)
    assert clean.returncode == 0, clean.stderr[-2000:]

    with Store(killed_db, read_only=True) as a, Store(clean_db, read_only=True) as b:
        resumed, reference = a.snapshot(), b.snapshot()
        statuses = [r["status"] for r in a.query("SELECT status FROM runs ORDER BY started")]
    assert len(reference["documents"]) == N_DOCS
    assert resumed == reference
    assert sorted(statuses) == ["done", "running"]  # the killed run's row says it never finished
