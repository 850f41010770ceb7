"""Stored framing counts per outlet, window and article: analytics, CLI and JSON API."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from faultline.analytics import Analytics
from faultline.analytics.synthetic import make_result
from faultline.cli import app
from faultline.errors import ConfigError
from faultline.records import FramingSpan
from faultline.store import Store
from faultline.web import create_app


def _spans(*techniques: str, confidence: float = 0.8) -> tuple[FramingSpan, ...]:
    return tuple(FramingSpan(technique=t, quote="Report", start=0, end=6, confidence=confidence, why=f"{t}: test")
                 for t in techniques)


def _world() -> list:
    """An original story, two syndicated copies of it (same cluster), and two stories of another outlet."""
    original = make_result("a-orig", [], published="2021-09-27", source="Origin Press", title="Original",
                           text_prefix="Report on the crossing.")
    original = original.replace(cluster="story-1", framing=_spans("Loaded_Language", "Loaded_Language", "Doubt"))
    copies = [make_result(f"b-copy{k}", [], published="2021-09-28", source=f"Mirror {k}", title="Copy",
                          text_prefix="Report on the crossing.").replace(
                  cluster="story-1", original_publisher="Origin Press",
                  framing=_spans("Loaded_Language", "Loaded_Language", "Doubt")) for k in range(2)]
    other = [make_result("c-1", [], published="2021-10-04", source="Daily Facts", text_prefix="Report one.")
             .replace(framing=_spans("Flag_Waving") + _spans("Doubt", confidence=0.2)),
             make_result("c-2", [], published="2021-10-05", source="Daily Facts", text_prefix="Report two.")]
    return [original, *copies, *other]


@pytest.fixture()
def store():
    s = Store(":memory:")
    s.write(_world())
    yield s
    s.close()


def test_outlets_count_syndicated_copies_once(store):
    rows = Analytics(store).framing(by="outlet")
    by = {r["outlet"]: r for r in rows}
    assert set(by) == {"Origin Press", "Daily Facts"}  # the mirrors' copies are the original's story
    assert by["Origin Press"]["articles"] == 1 and by["Origin Press"]["spans"] == 3
    assert by["Origin Press"]["techniques"] == {"Loaded_Language": 2, "Doubt": 1}
    assert by["Daily Facts"]["articles"] == 2 and by["Daily Facts"]["per_article"]["Flag_Waving"] == 0.5
    assert [r["outlet"] for r in rows] == ["Origin Press", "Daily Facts"]  # most spans first


def test_windows_confidence_and_outlet_filter(store):
    an = Analytics(store)
    weeks = an.framing(by="window", window="week")
    assert [w["window"] for w in weeks] == ["2021-W39", "2021-W40"]
    assert weeks[1]["techniques"] == {"Doubt": 1, "Flag_Waving": 1} and weeks[1]["articles"] == 2
    confident = an.framing(by="window", window="month", min_confidence=0.5)
    assert confident[1]["techniques"] == {"Flag_Waving": 1}
    only = an.framing(by="window", outlet="Daily Facts")
    assert [w["window"] for w in only] == ["2021-W40"]
    assert an.framing(by="window", since="2021-10-01", until="2021-10-04")[0]["articles"] == 1


def test_article_rows_and_limits(store):
    rows = Analytics(store).framing(by="article", limit=2)
    assert [r["article"] for r in rows] == ["a-orig", "c-1"]
    assert rows[0]["outlet"] == "Origin Press" and rows[0]["published"] == "2021-09-27" and rows[0]["spans"] == 3
    assert "articles" not in rows[0]


def test_new_rows_are_seen_and_bad_arguments_are_refused(store):
    an = Analytics(store)
    assert an.framing(by="outlet", outlet="Late Wire") == []
    late = make_result("d-1", [], published="2021-10-06", source="Late Wire", text_prefix="Late report.")
    store.write([late.replace(framing=_spans("Slogans"))])
    assert an.framing(by="outlet", outlet="Late Wire")[0]["techniques"] == {"Slogans": 1}
    for kwargs in ({"by": "planet"}, {"window": "fortnight"}, {"min_confidence": 1.5}, {"since": "soon"}):
        with pytest.raises(ConfigError):
            an.framing(**kwargs)


def test_api_route(store):
    with TestClient(create_app(store)) as client:
        assert "/api/framing" in client.get("/openapi.json").json()["paths"]
        rows = client.get("/api/framing", params={"by": "window", "window": "month"}).json()
        assert [r["window"] for r in rows] == ["2021-09", "2021-10"]
        assert client.get("/api/framing", params={"by": "planet"}).status_code == 422
        assert client.get("/api/framing", params={"since": "soon"}).status_code == 400
        page = client.get("/").text
        assert 'id="framing"' in page and "Origin Press" in page


def test_cli_formats_and_errors(tmp_path: Path):
    db = tmp_path / "news.duckdb"
    with Store(db) as s:
        s.write(_world())
    runner = CliRunner()
    res = runner.invoke(app, ["framing", "--db", str(db), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    assert [json.loads(line)["outlet"] for line in res.output.splitlines()] == ["Origin Press", "Daily Facts"]
    res = runner.invoke(app, ["framing", "--db", str(db), "--by", "window", "--window", "month", "-f", "csv"])
    assert res.exit_code == 0, res.output
    lines = list(csv.DictReader(io.StringIO(res.output)))
    assert {(r["window"], r["technique"], r["technique_spans"]) for r in lines} >= {
        ("2021-09", "Loaded_Language", "2"), ("2021-10", "Flag_Waving", "1")}
    res = runner.invoke(app, ["framing", "--db", str(db), "-f", "table"])
    assert res.exit_code == 0 and "Origin Press" in res.output and "Loaded_Language 2" in res.output
    out = tmp_path / "weeks.csv"
    res = runner.invoke(app, ["framing", "--db", str(db), "--by", "window", "-f", "csv", "-o", str(out)])
    assert res.exit_code == 0 and out.read_text("utf-8").startswith("window,articles,spans,technique")
    bad = runner.invoke(app, ["framing", "--db", str(db), "--by", "planet"])
    assert bad.exit_code == 2 and "unknown grouping" in bad.output
    missing = runner.invoke(app, ["framing", "--db", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 2 and "faultline ingest" in missing.output


def _wider_world() -> list:
    """_world plus the awkward cases: undated, dated only by the original, no publisher, a tie."""
    extra = [make_result("e-undated", [], published="", source="Daily Facts", text_prefix="Undated report.")
             .replace(published=None, framing=_spans("Slogans")),
             make_result("e-orig-date", [], published="", source=None, text_prefix="Reposted report.")
             .replace(published=None, publisher=None, original_published="2021-10-11T09:00:00+02:00",
                      framing=_spans("Doubt", "Doubt", confidence=0.55)),
             make_result("e-tie", [], published="2021-10-04", source="Tie Times", text_prefix="Tied report.")
             .replace(original_publisher="Wire Origin", framing=_spans("Loaded_Language", "Doubt", "Flag_Waving"))]
    return _world() + extra


@pytest.mark.parametrize("kwargs", [
    {"by": "outlet"}, {"by": "window"}, {"by": "window", "window": "day"}, {"by": "window", "window": "month"},
    {"by": "article"}, {"by": "article", "limit": 3}, {"by": "outlet", "min_confidence": 0.5},
    {"by": "window", "outlet": "Daily Facts"}, {"by": "outlet", "since": "2021-10-01"},
    {"by": "window", "until": "2021-10-04"}, {"by": "outlet", "limit": 1}])
def test_the_store_groups_as_the_python_summary_does(kwargs):
    """Analytics.framing groups in SQL; aggregate.summarise in Python: same rules, same rows."""
    import datetime as dt

    from faultline.stages.framing.aggregate import summarise

    world = _wider_world()
    with Store(":memory:") as s:
        s.write(world)
        stored = Analytics(s).framing(**kwargs)
    stories = [r.to_dict() for r in world if not r.id.startswith("b-copy")]  # one article per story
    py = {k: (dt.date.fromisoformat(v) if k in ("since", "until") else v) for k, v in kwargs.items()}
    expected = summarise(stories, **({"limit": 20} if py.get("by", "outlet") != "window" else {}) | py)
    assert stored == expected
    assert stored  # every case has rows
