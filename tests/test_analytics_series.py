"""Dyads, series, alerts and networks over a planted scenario (tests/analytics_factory.py)."""
from __future__ import annotations

import datetime as dt

import pytest

from analytics_factory import END, ESCALATION, SPIKE_NEWS, START, build_scenario
from faultline.analytics import Analytics, AnalyticsOptions
from faultline.errors import ConfigError
from faultline.store import Store


@pytest.fixture(scope="module")
def world():
    store = Store(":memory:")
    scenario = build_scenario(store)
    yield store, scenario, Analytics(store)
    store.close()


def test_dyads_count_syndicated_copies_once_and_only_asserted(world):
    store, sc, an = world
    dyads = {(d["a"], d["b"]): d for d in an.dyads(limit=50)}
    d = dyads[("SRB", "XKX")]
    assert d["events"] == sc.srb_xkx_conflict
    assert d["conflict"] == sc.srb_xkx_conflict and d["cooperation"] == 0
    assert dyads[("RUS", "SRB")]["cooperation"] == sc.srb_rus_coop
    assert dyads[("CHN", "USA")]["conflict"] == sc.usa_chn_conflict
    # keys are sorted pairs, most active first
    rows = an.dyads(limit=50)
    assert all(r["a"] <= r["b"] for r in rows)
    assert [r["events"] for r in rows] == sorted((r["events"] for r in rows), reverse=True)
    # the future event counts only when asked for
    more = {(r["a"], r["b"]): r for r in an.dyads(limit=50, modalities=("asserted", "future"))}
    assert more[("SRB", "XKX")]["events"] == sc.srb_xkx_conflict + sc.srb_xkx_future


def test_raw_store_holds_the_copies_that_analytics_collapse(world):
    store, sc, an = world
    raw = store.query("SELECT count(*) AS n FROM events WHERE doc_id LIKE 'esc-0%'")[0]["n"]
    assert raw == 6  # 2 events x (original + 2 copies)
    day = [p for p in an.series("SRB", "XKX") if p["date"] == ESCALATION.isoformat()][0]
    assert day["conflict"] == 6


def test_dyad_filters_and_limits(world):
    _, _, an = world
    assert len(an.dyads(limit=2)) == 2
    assert an.dyads(since="2030-01-01") == []
    march = {(d["a"], d["b"]): d for d in an.dyads(until="2024-03-31", limit=50)}
    total = {(d["a"], d["b"]): d for d in an.dyads(limit=50)}
    assert 0 < march[("SRB", "XKX")]["events"] < total[("SRB", "XKX")]["events"]
    assert all(d["last"] <= "2024-03-31" for d in march.values())
    with pytest.raises(ConfigError):
        an.dyads(since="yesterday")
    with pytest.raises(ConfigError):
        an.dyads(level="galaxy")


def test_sector_level_keys(world):
    _, _, an = world
    keys = {(d["a"], d["b"]) for d in an.dyads(level="sector", limit=100)}
    assert ("SRBGOV", "XKXGOV") in keys
    assert ("SRBCVL", "XKXCOP") in keys
    pts = an.series("SRBCVL", "XKXCOP")
    assert sum(p["events"] for p in pts) == 2  # the assault and the detention, copies once


def test_series_fills_gaps_and_week_sums_match(world):
    _, sc, an = world
    days = an.series("XKX", "SRB", freq="day")
    dates = [dt.date.fromisoformat(p["date"]) for p in days]
    assert dates == [dates[0] + dt.timedelta(days=i) for i in range(len(dates))]
    assert dates[0] == START and dates[-1] == END
    weeks = an.series("SRB", "XKX", freq="week")
    assert all(dt.date.fromisoformat(p["date"]).weekday() == 0 for p in weeks)
    for key in ("events", "conflict", "cooperation"):
        assert sum(p[key] for p in weeks) == sum(p[key] for p in days)
    assert abs(sum(p["goldstein"] for p in weeks) - sum(p["goldstein"] for p in days)) < 1e-6
    for p in days:  # contract fields
        assert {"date", "events", "conflict", "cooperation", "goldstein", "escalation"} <= set(p)
    window = an.series("SRB", "XKX", since="2024-04-18", until="2024-04-22")
    assert [p["date"] for p in window] == ["2024-04-18", "2024-04-19", "2024-04-20", "2024-04-21", "2024-04-22"]
    full = {p["date"]: p["escalation"] for p in days}
    assert all(full[p["date"]] == p["escalation"] for p in window)


def test_escalation_alert_lists_its_events(world):
    store, sc, an = world
    alerts = an.alerts()
    srb = [a for a in alerts if (a["a"], a["b"]) == ("SRB", "XKX")]
    assert [a["date"] for a in srb] == [ESCALATION.isoformat()]
    alert = srb[0]
    assert len(alert["events"]) == len(sc.escalation_event_ids) == 6
    assert alert["score"] >= AnalyticsOptions().threshold and alert["reason"]
    stored = an.events_by_id(alert["events"])
    assert {e["id"] for e in stored} == set(alert["events"])
    planted = {e["quote"] for e in an.events_by_id(sc.escalation_event_ids)}
    assert {e["quote"] for e in stored} == planted  # one representative per syndicated event
    assert all(e["article"].startswith("esc-") for e in stored)
    assert an.alerts(since="2024-04-21") == [a for a in alerts if a["date"] >= "2024-04-21"]


def test_a_news_spike_is_not_read_as_escalation(world):
    _, _, an = world
    pts = {p["date"]: p for p in an.series("USA", "CHN")}
    spike = pts[SPIKE_NEWS.isoformat()]
    assert spike["conflict"] == 10 and spike["stories"] >= 30
    assert not spike["alert"] and spike["escalation"] < 1.0
    assert not [a for a in an.alerts() if (a["a"], a["b"]) == ("CHN", "USA")]


def test_options_change_the_verdict(world):
    store, _, _ = world
    strict = Analytics(store, AnalyticsOptions(threshold=50.0))
    assert strict.alerts() == []
    no_domestic = Analytics(store, AnalyticsOptions(include_domestic=False))
    assert all(d["a"] != d["b"] for d in no_domestic.dyads(limit=100))


def test_network_edges_are_weighted_and_signed(world):
    _, sc, an = world
    net = an.network("SRB")
    ids = [n["id"] for n in net["nodes"]]
    assert ids[0] == "SRB" and net["nodes"][0]["ego"]
    assert {"XKX", "RUS", "IGO"} <= set(ids)
    edges = {(e["source"], e["target"]): e for e in net["edges"]}
    assert edges[("SRB", "XKX")]["sign"] == -1 and edges[("SRB", "XKX")]["weight"] == sc.srb_xkx_conflict
    assert edges[("RUS", "SRB")]["sign"] == 1 and edges[("RUS", "SRB")]["balance"] == 1.0
    assert ("IGO", "XKX") in edges  # ties among the partners too
    assert an.network("SRB", size=1)["nodes"][1]["id"] == "XKX"
    with pytest.raises(ConfigError):
        an.network("not a code; DROP TABLE events")


def test_refresh_follows_store_writes():
    from faultline.analytics.synthetic import make_result

    store = Store(":memory:")
    an = Analytics(store)
    assert an.dyads() == []
    store.write([make_result("d1", [{"type": "ASSAULT", "actor": [("AAA", "MIL")], "recipient": [("BBB", "GOV")],
                                      "date": "2024-01-01"}], published="2024-01-01")])
    assert an.dyads()[0]["events"] == 1
    store.write([make_result("d1", [{"type": "AID", "actor": [("AAA", "GOV")], "recipient": [("CCC", "GOV")],
                                      "date": "2024-01-01"}], published="2024-01-01")])
    assert [(d["a"], d["b"]) for d in an.dyads()] == [("AAA", "CCC")]


def test_volume_counts_stories_and_events(world):
    _, sc, an = world
    vol = {p["date"]: p for p in an.volume()}
    assert vol[SPIKE_NEWS.isoformat()]["stories"] >= 30
    assert vol["2024-03-02"]["stories"] == 3
    weekly = an.volume(freq="week")
    assert sum(p["events"] for p in weekly) == sum(p["events"] for p in vol.values())


def test_alerts_agree_with_the_series_flags(world):
    _, _, an = world
    alerts = an.alerts()
    for al in alerts:
        point = [p for p in an.series(al["a"], al["b"]) if p["date"] == al["date"]][0]
        assert point["alert"] and point["escalation"] == al["score"]
        assert sorted(point["conflict_events"]) == al["events"]
    flagged = {(d["a"], d["b"], p["date"]) for d in an.dyads(limit=100) for p in an.series(d["a"], d["b"]) if p["alert"]}
    assert flagged == {(a["a"], a["b"], a["date"]) for a in alerts}
    weekly = an.alerts(freq="week")
    for al in weekly:
        assert al["freq"] == "week"
