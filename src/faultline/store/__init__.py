"""The embedded DuckDB store: one writer, recorded migrations, id-keyed upserts.

DuckDB lets one process write a file.  Every write goes through
:meth:`Store.write` (batch workers return records; the driver commits them),
and each batch is one transaction, so a killed run leaves whole batches only.
Upserts are keyed on content-derived ids: storing the same record twice
changes nothing.  Reads use their own cursors (:meth:`Store.reader`).

No SQL is ever built from user strings: table and column names are constants
of this module, and every value is a bound parameter or an Arrow table.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from ..errors import StoreError
from ..records import Result
from .schema import MIGRATIONS

__all__ = ["Store", "open_store"]

log = logging.getLogger(__name__)

# table -> columns written by the writer, in order (constants, never user input)
_COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("id", "fingerprint", "path", "url", "format", "errors", "source_hash"),
    "articles": ("id", "title", "authors", "publisher", "original_publisher", "published",
                 "original_published", "language", "tags", "links", "media", "genre", "text",
                 "boilerplate", "cluster", "canonical_url", "provenance", "source_rating", "record"),
    "actors": ("doc_id", "idx", "text", "start", "end", "name", "country", "sector", "wikidata",
               "ethnicity", "kind"),
    "places": ("doc_id", "idx", "text", "start", "end", "name", "country", "lat", "lon", "geonameid"),
    "events": ("id", "doc_id", "idx", "type", "mode", "contexts", "cameo", "quad_class", "goldstein",
               "plover_score", "location", "location_country", "date", "modality", "quote", "start",
               "end", "confidence", "cluster", "published", "record"),
    "event_actors": ("event_id", "role", "idx", "text", "name", "country", "sector"),
    "framing": ("doc_id", "idx", "technique", "quote", "start", "end", "confidence", "why"),
    "clusters": ("id", "doc_id"),
}
#: cross-document memory that stages keep in the store (see Stage.drain_memory)
_MEMORY: dict[str, tuple[tuple[str, ...], str]] = {
    "cluster_signatures": (("fingerprint", "cluster", "seq", "minhash", "shingles"), "INSERT OR REPLACE"),
    "site_template_docs": (("site", "block_hash", "doc_id", "sample"), "INSERT OR IGNORE"),
}
#: primary-key positions of each memory table's rows (one bulk insert must not hit a key twice)
_MEMORY_KEYS = {"cluster_signatures": (0,), "site_template_docs": (0, 1, 2)}
_DATE_COLUMNS = {("events", "date"), ("events", "published")}
_CHILDREN_BY_DOC = ("actors", "places", "framing", "clusters")
#: tables with a primary key (the others are children, replaced by delete-then-insert)
_KEYED = frozenset({"documents", "articles", "events"})
#: ``_with_headroom`` doubles DuckDB's memory_limit up to this, then gives up with advice
_HEADROOM_CEILING = 16 << 30
_SIZE_UNITS = {"b": 1, "kb": 1000, "kib": 1 << 10, "mb": 1000 ** 2, "mib": 1 << 20, "gb": 1000 ** 3,
               "gib": 1 << 30, "tb": 1000 ** 4, "tib": 1 << 40}


def _out_of_memory(exc: Exception) -> bool:
    """DuckDB's own out-of-memory error, or a COMMIT that failed for want of a block.

    The error may come wrapped: a cleanup that ran after it (unregistering a batch in an aborted
    transaction) raises an error of its own, with the out-of-memory one as its context.
    """
    import duckdb

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, duckdb.OutOfMemoryException) or "could not allocate" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _rollback(con: Any) -> None:
    """Roll back if a transaction is still open (a failed COMMIT has already ended it)."""
    import duckdb

    try:
        con.execute("ROLLBACK")
    except duckdb.TransactionException:
        pass


def _parse_size(text: str) -> int | None:
    """Bytes in a DuckDB size string such as ``"122.0 MiB"`` or ``"134217728B"``."""
    m = re.fullmatch(r"\s*([0-9.]+)\s*([A-Za-z]*)\s*", str(text))
    if not m:
        return None
    unit = _SIZE_UNITS.get((m.group(2) or "b").lower())
    return int(float(m.group(1)) * unit) if unit else None


def _j(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _iso_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        return None


def _q(name: str) -> str:
    return f'"{name}"'


class Store:
    """A Faultline store in one DuckDB file (or ``":memory:"``)."""

    def __init__(self, path: str | os.PathLike[str] = "faultline.duckdb", *, read_only: bool = False,
                 memory_limit: str | None = None) -> None:
        """Open (and migrate) the store; ``memory_limit`` caps DuckDB's buffer pool (e.g. ``"512MB"``)."""
        import duckdb

        self.path = str(path)
        self.read_only = read_only
        if read_only and self.path != ":memory:" and not Path(self.path).exists():
            raise StoreError(f"no store at {self.path}; create one with `faultline ingest PATH --db {self.path}`.")
        try:
            config = {"memory_limit": memory_limit} if memory_limit else {}
            self._con = duckdb.connect(self.path, read_only=read_only, config=config)
        except (duckdb.InvalidInputException, duckdb.ParserException) as exc:
            raise StoreError(f"bad [store] memory_limit {memory_limit!r} (use a size such as \"512MB\"): "
                             f"{exc}") from exc
        except duckdb.IOException as exc:
            raise StoreError(
                f"cannot open {self.path}: {exc}. Another process may be writing to it; "
                "stop it or pass another --db."
            ) from exc
        self._lock = threading.Lock()
        if not read_only:
            self.migrate()

    # -- lifecycle ----------------------------------------------------------
    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def migrate(self) -> list[int]:
        """Apply pending migrations; return the ids applied now."""
        con = self._con
        con.execute("CREATE TABLE IF NOT EXISTS migrations (id INTEGER PRIMARY KEY, name VARCHAR, applied VARCHAR)")
        done = {row[0] for row in con.execute("SELECT id FROM migrations").fetchall()}
        applied = []
        for m in MIGRATIONS:
            if m.id in done:
                continue
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute(m.sql)
                con.execute("INSERT INTO migrations VALUES (?, ?, ?)",
                            [m.id, m.name, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")])
                con.execute("COMMIT")
            except Exception as exc:
                con.execute("ROLLBACK")
                raise StoreError(f"migration {m.id} ({m.name}) failed: {exc}") from exc
            applied.append(m.id)
        return applied

    def migrations(self) -> list[tuple[int, str]]:
        return [(r[0], r[1]) for r in self._con.execute("SELECT id, name FROM migrations ORDER BY id").fetchall()]

    # -- the single writer ----------------------------------------------------
    def write(self, results: Sequence[Result], *, memory: dict[str, list[tuple]] | None = None,
              source_hashes: dict[str, str] | None = None) -> None:
        """Upsert a batch of results, and the stages' new corpus memory, in one transaction.

        ``memory`` maps a memory table (``cluster_signatures``,
        ``site_template_docs``) to new rows; committing them with the batch
        keeps a killed run consistent.  ``source_hashes`` maps a document id
        to the hash of its raw input, so a later run can skip it unchanged.
        """
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only.")
        memory = {t: r for t, r in (memory or {}).items() if r}
        if not results and not memory:
            return
        results = list({r.id: r for r in results}.values())  # one row set per id: the last copy wins
        rows = _rows(results, source_hashes or {})
        with self._lock:
            self._with_headroom(lambda: self._write_batch(results, rows, memory),
                                f"writing {len(results)} record(s) to {self.path}")

    def _write_batch(self, results: Sequence[Result], rows: dict[str, list[tuple]],
                     memory: dict[str, list[tuple]]) -> None:
        con = self._con
        con.execute("BEGIN TRANSACTION")
        try:
            if results:
                self._delete_stored([r.id for r in results])
            for table, table_rows in rows.items():
                self._insert(table, table_rows)
            for table, table_rows in memory.items():
                self._remember(table, table_rows)
            con.execute("COMMIT")
        except BaseException:
            _rollback(con)
            raise

    def _delete_stored(self, ids: list[str]) -> None:
        """Remove every row of those of ``ids`` already stored, so that the insert that follows replaces
        them whole.  A primary-key probe comes first: a batch of new documents, the usual case, deletes
        nothing.  The ids are registered once, for the probe and the deletes alike."""
        import pyarrow as pa

        con = self._con
        con.register("_ids_batch", pa.table({"id": pa.array(ids, pa.string())}))
        try:
            if not con.execute(
                    "SELECT count(*) FROM documents WHERE id IN (SELECT id FROM _ids_batch)").fetchall()[0][0]:
                return
            con.execute("CREATE OR REPLACE TEMP TABLE _ids AS SELECT id FROM _ids_batch")
        finally:
            con.unregister("_ids_batch")
        con.execute("DELETE FROM event_actors WHERE event_id IN "
                    "(SELECT id FROM events WHERE doc_id IN (SELECT id FROM _ids))")
        con.execute("DELETE FROM events WHERE doc_id IN (SELECT id FROM _ids)")
        for table in _CHILDREN_BY_DOC:
            con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT id FROM _ids)")
        con.execute("DELETE FROM articles WHERE id IN (SELECT id FROM _ids)")
        con.execute("DELETE FROM documents WHERE id IN (SELECT id FROM _ids)")
        con.execute("DROP TABLE _ids")

    def _with_headroom(self, work: Any, what: str) -> Any:
        """Run ``work``; when DuckDB runs out of its ``memory_limit``, raise the limit and run it again.

        The buffer pool evicts table pages, but not the primary-key indexes, which grow with the
        store. A small limit keeps a long ingest lean (docs/scale.md, run 6); when the indexes
        outgrow it, the failed transaction was rolled back, so doubling the limit and retrying
        loses nothing.
        """
        import duckdb

        while True:
            try:
                return work()
            except duckdb.Error as exc:
                if not _out_of_memory(exc):
                    raise StoreError(f"{what} failed: {exc}") from exc
                limit = self._memory_limit_bytes()
                if limit is None or limit >= _HEADROOM_CEILING:
                    raise StoreError(f"{what} failed: {exc}. Raise [store] memory_limit.") from exc
                grown = min(limit * 2, _HEADROOM_CEILING)
                log.warning("DuckDB needed more than its memory_limit of %d MB while %s; raising it to %d MB "
                            "and retrying the batch (set [store] memory_limit to start higher).",
                            limit >> 20, what, grown >> 20)
                self._con.execute(f"SET memory_limit = '{grown >> 20}MiB'")  # an integer, never user text
            except StoreError:
                raise
            except Exception as exc:
                raise StoreError(f"{what} failed: {exc}") from exc

    def _memory_limit_bytes(self) -> int | None:
        rows = self._con.execute("SELECT value FROM duckdb_settings() WHERE name = 'memory_limit'").fetchall()
        return _parse_size(rows[0][0]) if rows else None

    def _insert(self, table: str, rows: list[tuple]) -> None:
        if not rows:
            return
        import pyarrow as pa

        cols = _COLUMNS[table]
        arrow = pa.table({c: [r[i] for r in rows] for i, c in enumerate(cols)})
        select = ", ".join(
            f"TRY_CAST({_q(c)} AS DATE)" if (table, c) in _DATE_COLUMNS else _q(c) for c in cols
        )
        verb = "INSERT OR REPLACE" if table in _KEYED else "INSERT"  # children were deleted first
        self._con.register("_batch", arrow)
        try:
            self._con.execute(
                f"{verb} INTO {table} ({', '.join(map(_q, cols))}) SELECT {select} FROM _batch"
            )
        finally:
            self._con.unregister("_batch")

    def _remember(self, table: str, rows: list[tuple]) -> None:
        if table not in _MEMORY:
            raise StoreError(f"unknown memory table {table!r}; known: {', '.join(_MEMORY)}")
        import pyarrow as pa

        cols, verb = _MEMORY[table]
        # one bulk insert, with the row-by-row outcome: the last row of a key wins
        # for INSERT OR REPLACE, the first for INSERT OR IGNORE
        key = _MEMORY_KEYS[table]
        unique: dict[tuple, tuple] = {}
        for r in rows:
            k = tuple(r[i] for i in key)
            if verb == "INSERT OR REPLACE" or k not in unique:
                unique[k] = r
        rows = list(unique.values())
        self._con.register("_memory_batch", pa.table({c: [r[i] for r in rows] for i, c in enumerate(cols)}))
        try:
            names = ", ".join(map(_q, cols))
            self._con.execute(f"{verb} INTO {table} ({names}) SELECT {names} FROM _memory_batch")
        finally:
            self._con.unregister("_memory_batch")

    def memory(self, table: str) -> list[tuple]:
        """Every stored row of a memory table (for a stage's ``load_memory``)."""
        if table not in _MEMORY:
            raise StoreError(f"unknown memory table {table!r}; known: {', '.join(_MEMORY)}")
        cols, _verb = _MEMORY[table]
        with self.reader() as cur:
            return cur.execute(f"SELECT {', '.join(map(_q, cols))} FROM {table}").fetchall()

    def unchanged(self, pairs: Sequence[tuple[str, str]]) -> set[str]:
        """Ids among ``(id, source_hash)`` pairs already stored from the same raw input."""
        if not pairs:
            return set()
        with self.reader() as cur:
            cur.execute("CREATE OR REPLACE TEMP TABLE _probe (id VARCHAR, h VARCHAR)")
            cur.executemany("INSERT INTO _probe VALUES (?, ?)", [list(p) for p in pairs])
            found = {r[0] for r in cur.execute(
                "SELECT d.id FROM documents d JOIN _probe p ON d.id = p.id AND d.source_hash = p.h").fetchall()}
            cur.execute("DROP TABLE _probe")
        return found

    def record_run(self, run: dict[str, Any]) -> None:
        """Upsert one row of the ``runs`` table (counts, errors, versions)."""
        cols = ("id", "started", "finished", "command", "inputs", "documents", "failed", "events",
                "errors", "versions", "status")
        values = [run.get(c) for c in cols]
        for i, c in enumerate(cols):
            if c in ("inputs", "errors", "versions"):
                values[i] = _j(values[i] or ([] if c != "versions" else {}))
        with self._lock:
            self._con.execute(
                f"INSERT OR REPLACE INTO runs ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", values
            )

    def execute_write(self, sql: str, params: Sequence[Any] = ()) -> None:
        """A write statement from library code (never from user strings)."""
        with self._lock:
            self._con.execute(sql, list(params))

    # -- reads ---------------------------------------------------------------
    @contextmanager
    def reader(self) -> Iterator[Any]:
        """A cursor of its own, for reads that must not disturb the writer."""
        cur = self._con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def query(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[dict[str, Any]]:
        """Rows as dicts; ``params`` bind ``?`` placeholders (a sequence) or ``$name`` ones (a mapping)."""
        with self.reader() as cur:
            res = cur.execute(sql, dict(params) if isinstance(params, Mapping) else list(params))
            names = [d[0] for d in res.description]
            return [dict(zip(names, row)) for row in res.fetchall()]

    def count(self, table: str) -> int:
        if table not in _COLUMNS and table not in ("runs", "migrations"):
            raise StoreError(f"unknown table {table!r}")
        with self.reader() as cur:
            return cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def article(self, doc_id: str) -> dict[str, Any] | None:
        rows = self.query("SELECT record FROM articles WHERE id = ?", [doc_id])
        return json.loads(rows[0]["record"]) if rows else None

    def has_documents(self, ids: Sequence[str]) -> set[str]:
        """The subset of ``ids`` already stored (used to resume a run)."""
        if not ids:
            return set()
        with self.reader() as cur:
            cur.execute("CREATE OR REPLACE TEMP TABLE _probe (id VARCHAR)")
            cur.executemany("INSERT INTO _probe VALUES (?)", [[i] for i in ids])
            found = {r[0] for r in cur.execute("SELECT d.id FROM documents d JOIN _probe p USING (id)").fetchall()}
            cur.execute("DROP TABLE _probe")
        return found

    def events(self, *, since: str | None = None, until: str | None = None, actor: str | None = None,
               type: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Stored events as contract-shaped dicts, each with its ``article`` id."""
        where, params = ["1=1"], []
        if since:
            where.append("coalesce(e.date, e.published) >= TRY_CAST(? AS DATE)")
            params.append(since)
        if until:
            where.append("coalesce(e.date, e.published) <= TRY_CAST(? AS DATE)")
            params.append(until)
        if type:
            where.append("e.type = ?")
            params.append(type.upper())
        if actor:
            where.append("e.id IN (SELECT event_id FROM event_actors WHERE country = ? OR name = ? "
                         "OR country || sector = ?)")
            params.extend([actor.upper(), actor, actor.upper()])
        sql = (f"SELECT e.record, e.doc_id FROM events e WHERE {' AND '.join(where)} "
               "ORDER BY coalesce(e.date, e.published), e.doc_id, e.idx")
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        out = []
        for row in self.query(sql, params):
            record = json.loads(row["record"])
            record["article"] = row["doc_id"]
            out.append(record)
        return out

    def snapshot(self) -> dict[str, list[tuple]]:
        """Every stored row of the content tables, sorted (for equality checks)."""
        snap = {}
        with self.reader() as cur:
            for table in _COLUMNS:
                rows = cur.execute(f"SELECT * FROM {table}").fetchall()
                snap[table] = sorted(rows, key=repr)
        return snap


def open_store(path: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> Store:
    return Store(path or "faultline.duckdb", read_only=read_only)


def _rows(results: Sequence[Result], source_hashes: dict[str, str]) -> dict[str, list[tuple]]:
    rows: dict[str, list[tuple]] = {t: [] for t in _COLUMNS}
    for r in results:
        d = r.to_dict()
        rows["documents"].append((r.id, r.fingerprint, r.input.path, r.input.url, r.input.format, _j(d["errors"]),
                                  source_hashes.get(r.id)))
        rows["articles"].append((
            r.id, r.title, _j(d["authors"]), r.publisher, r.original_publisher, r.published,
            r.original_published, r.language, _j(d["tags"]), _j(d["links"]), _j(d["media"]), r.genre,
            r.text, _j(d["boilerplate"]), r.cluster, r.canonical_url, _j(d["provenance"]), r.source_rating,
            _j(d),
        ))
        for i, a in enumerate(r.actors):
            rows["actors"].append((r.id, i, a.text, a.start, a.end, a.name, a.country, a.sector, a.wikidata,
                                   a.ethnicity, a.kind))
        for i, p in enumerate(r.places):
            rows["places"].append((r.id, i, p.text, p.start, p.end, p.name, p.country, p.lat, p.lon, p.geonameid))
        for i, e in enumerate(r.events):
            ed = e.to_dict()
            loc = e.location
            rows["events"].append((
                e.id, r.id, i, e.type, e.mode, _j(list(e.contexts)), e.cameo, e.quad_class, e.goldstein,
                e.plover_score, _j(ed["location"]), loc.country if loc else None, _iso_date(e.date),
                e.modality, e.quote, e.start, e.end, e.confidence, r.cluster or r.id, _iso_date(r.published),
                _j(ed),
            ))
            for role, refs in (("actor", e.actor), ("recipient", e.recipient)):
                for j, a in enumerate(refs):
                    rows["event_actors"].append((e.id, role, j, a.text, a.name, a.country, a.sector))
        for i, f in enumerate(r.framing):
            rows["framing"].append((r.id, i, f.technique, f.quote, f.start, f.end, f.confidence, f.why))
        rows["clusters"].append((r.cluster or r.id, r.id))
    return rows
