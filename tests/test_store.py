"""The DuckDB store: migrations, id-keyed upserts, round trips, one writer."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings as hsettings

from faultline.errors import StoreError
from faultline.records import Result
from faultline.store import Store
from strategies import results


def test_migrations_are_recorded_once(tmp_path) -> None:
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        first = store.migrations()
        assert first and first[0][0] == 1
    with Store(db) as store:
        assert store.migrate() == []  # nothing pending the second time
        assert store.migrations() == first


@given(results())
@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_result_round_trips_through_the_store(result: Result) -> None:
    with Store(":memory:") as store:
        store.write([result])
        stored = store.article(result.id)
        assert Result.from_dict(stored) == result
        assert store.count("events") == len(result.events)
        assert store.count("actors") == len(result.actors)


def _result(i: int, text: str = "Protesters blocked the road.") -> Result:
    from faultline.records import Event, InputInfo, fingerprint_text

    ev = Event(id=f"e{i}", type="PROTEST", quote=text[:10], start=0, end=10, date="2023-05-30")
    return Result(id=f"d{i}", fingerprint=fingerprint_text(text), input=InputInfo(path=f"{i}.txt"), text=text,
                  events=(ev,), published="2023-05-30")


def test_writing_the_same_batch_twice_changes_nothing() -> None:
    with Store(":memory:") as store:
        batch = [_result(i) for i in range(5)]
        store.write(batch)
        snap = store.snapshot()
        store.write(batch)
        assert store.snapshot() == snap
        assert store.count("documents") == 5


def test_an_updated_record_replaces_its_children() -> None:
    with Store(":memory:") as store:
        store.write([_result(1)])
        changed = _result(1).replace(events=())
        store.write([changed])
        assert store.count("events") == 0
        assert store.count("documents") == 1


def test_events_filters_use_bound_parameters() -> None:
    with Store(":memory:") as store:
        store.write([_result(1)])
        assert len(store.events(type="protest")) == 1
        assert store.events(actor="x' OR '1'='1") == []  # an injection attempt is just a value
        assert store.events(since="2023-06-01") == []
        assert store.events(until="2023-05-30")[0]["article"] == "d1"


def test_read_only_store_must_exist(tmp_path) -> None:
    with pytest.raises(StoreError, match="faultline ingest"):
        Store(tmp_path / "missing.duckdb", read_only=True)


def test_runs_table_keeps_counts(tmp_path) -> None:
    with Store(":memory:") as store:
        store.record_run({"id": "r1", "started": "t0", "inputs": ["a"], "documents": 3, "failed": 1,
                          "events": 2, "errors": ["bad"], "versions": {"extract": 1}, "status": "done"})
        row = store.query("SELECT * FROM runs")[0]
        assert row["documents"] == 3 and json.loads(row["versions"]) == {"extract": 1}


def test_memory_limit_is_applied_and_a_bad_one_is_a_clear_error(tmp_path):
    with Store(tmp_path / "a.duckdb", memory_limit="256MB") as store:
        assert "MiB" in store.query("SELECT current_setting('memory_limit') AS m")[0]["m"]
    with pytest.raises(StoreError, match="memory_limit"):
        Store(tmp_path / "b.duckdb", memory_limit="lots")


def test_a_store_from_before_migration_3_keeps_every_row(tmp_path, monkeypatch) -> None:
    import faultline.store as store_module
    from faultline.store.schema import MIGRATIONS

    db = tmp_path / "old.duckdb"
    batch = [_result(i) for i in range(4)]
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS[:2])
    with Store(db) as store:
        store.write(batch)
        before = store.snapshot()
        assert [m for m, _ in store.migrations()] == [1, 2]
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS)
    with Store(db) as store:
        assert [m for m, _ in store.migrations()] == [1, 2, 3]
        assert store.snapshot() == before
        keyed = {r["table_name"] for r in store.query(
            "SELECT table_name FROM information_schema.table_constraints WHERE constraint_type = 'PRIMARY KEY'")}
        assert {"documents", "articles", "events"} <= keyed
        assert not keyed & {"actors", "places", "event_actors", "framing", "clusters"}
        store.write([_result(1, "Police arrested two men.")])  # an update after the migration replaces whole
        assert store.count("documents") == 4 and store.count("clusters") == 4 and store.count("events") == 4


def test_one_id_twice_in_a_batch_stores_the_last_copy() -> None:
    with Store(":memory:") as store:
        store.write([_result(1), _result(1, "Strikers marched on the ministry.")])
        assert store.count("documents") == 1 and store.count("events") == 1 and store.count("clusters") == 1
        assert store.article("d1")["text"] == "Strikers marched on the ministry."


def test_the_store_raises_its_memory_limit_when_duckdb_runs_out(tmp_path, caplog) -> None:
    with Store(tmp_path / "tight.duckdb") as store:
        store.execute_write("SET memory_limit = '2MB'")
        batch = [_result(i, "word " * 5000) for i in range(40)]
        with caplog.at_level("WARNING", logger="faultline.store"):
            store.write(batch)
        assert store.count("documents") == 40 and store.count("events") == 40
        assert "raising it to" in caplog.text
        grown = store.query("SELECT current_setting('memory_limit') AS m")[0]["m"]
        assert "MiB" in grown and float(grown.split()[0]) > 2
