"""Parquet shards instead of DuckDB, for lake-scale runs (``ingest --out-parquet DIR``).

Each batch the driver commits becomes one shard per table::

    DIR/documents/part-<key>.parquet   DIR/articles/...   DIR/events/...
    DIR/event_actors/...  DIR/actors/...  DIR/places/...  DIR/framing/...  DIR/clusters/...
    DIR/runs/<run id>.json

The rows are exactly the store's rows: the batch goes through an in-memory
:class:`~faultline.store.Store` (same schema, same flattening, same types) and
DuckDB's ``COPY ... TO`` writes the shard; the in-memory tables are emptied
after every batch, so memory stays bounded.  ``<key>`` is a hash of the
batch's document ids, and every shard is written to a temporary name and
renamed, so a killed run leaves whole shards only and re-running the same
command overwrites the same shards (no duplicates).  Read them back with, for
example, ``duckdb -c "SELECT * FROM 'DIR/events/*.parquet'"``.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Sequence

from ..records import Result, stable_id

__all__ = ["ParquetSink"]


def _tables() -> tuple[str, ...]:
    from ..store import _COLUMNS

    return tuple(_COLUMNS)


class ParquetSink:
    """A write-only sink with the writer's interface (``write``, ``record_run``)."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        from ..store import Store

        self.path = Path(directory)
        self.path.mkdir(parents=True, exist_ok=True)
        self._mem = Store(":memory:")
        self.shards = 0

    def __enter__(self) -> "ParquetSink":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._mem.close()

    def write(self, results: Sequence[Result]) -> None:
        if not results:
            return
        key = stable_id(*(r.id for r in results), length=20)
        self._mem.write(results)
        with self._mem.reader() as cur:
            for table in _tables():
                if not cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0]:
                    continue
                folder = self.path / table
                folder.mkdir(exist_ok=True)
                final = folder / f"part-{key}.parquet"
                tmp = folder / f".part-{key}.parquet.tmp"
                target = tmp.as_posix().replace("'", "''")  # a string literal: quotes doubled
                cur.execute(f"COPY (SELECT * FROM {table}) TO '{target}' (FORMAT PARQUET)")
                os.replace(tmp, final)
                self.shards += 1
        for table in _tables():
            self._mem.execute_write(f"DELETE FROM {table}")

    def record_run(self, run: dict[str, Any]) -> None:
        folder = self.path / "runs"
        folder.mkdir(exist_ok=True)
        tmp = folder / f".{run['id']}.json.tmp"
        tmp.write_text(json.dumps(run, ensure_ascii=False, indent=1, default=str), "utf-8")
        os.replace(tmp, folder / f"{run['id']}.json")
