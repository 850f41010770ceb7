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
