"""The JSON API and pages, in-process (FastAPI TestClient)."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from analytics_factory import ESCALATION, PAYLOAD, XSS_ID, build_scenario
from faultline.store import Store
from faultline.web import create_app


@pytest.fixture(scope="module")
def client():
    store = Store(":memory:")
    scenario = build_scenario(store)
    with TestClient(create_app(store)) as c:
        c.scenario = scenario
        yield c
    store.close()


def test_openapi_lists_every_contract_route(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/events", "/api/dyads", "/api/dyads/{a}/{b}/series", "/api/alerts", "/api/articles/{doc_id}",
                 "/api/actors/{code}/network"):
        assert path in spec["paths"], path
    params = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert {"since", "until", "actor", "type", "limit"} <= params


def test_events_route_filters(client):
    rows = client.get("/api/events", params={"actor": "XKX", "type": "MOBILIZE"}).json()
    assert rows and all(r["type"] == "MOBILIZE" for r in rows)
    assert all("article" in r and "quote" in r and "actor" in r for r in rows)
    assert len(client.get("/api/events", params={"limit": 5}).json()) == 5
    since = client.get("/api/events", params={"since": "2024-04-29"}).json()
    assert since and all(r["date"] >= "2024-04-29" for r in since)
    assert client.get("/api/events", params={"since": "soon"}).status_code == 400


def test_dyads_route_matches_contract(client):
    rows = client.get("/api/dyads", params={"limit": 5}).json()
    assert len(rows) == 5
    for r in rows:
        assert {"a", "b", "events", "conflict", "cooperation", "goldstein_mean"} <= set(r)
    srb = [r for r in client.get("/api/dyads", params={"limit": 50}).json() if (r["a"], r["b"]) == ("SRB", "XKX")][0]
    assert srb["events"] == client.scenario.srb_xkx_conflict
    sector = client.get("/api/dyads", params={"level": "sector", "limit": 50}).json()
    assert any(r["a"] == "SRBGOV" and r["b"] == "XKXGOV" for r in sector)
    assert client.get("/api/dyads", params={"level": "planet"}).status_code == 422


def test_series_route(client):
    day = client.get("/api/dyads/SRB/XKX/series", params={"freq": "day"}).json()
    assert {"date", "events", "conflict", "cooperation", "goldstein", "escalation"} <= set(day[0])
    flipped = client.get("/api/dyads/xkx/srb/series").json()
    assert flipped == day
    week = client.get("/api/dyads/SRB/XKX/series", params={"freq": "week"}).json()
    assert sum(p["events"] for p in week) == sum(p["events"] for p in day)
    assert client.get("/api/dyads/SRB/XKX/series", params={"freq": "hour"}).status_code == 422
    assert client.get("/api/dyads/SRB/X'1/series").status_code == 400


def test_alerts_route_links_events(client):
    alerts = client.get("/api/alerts").json()
    assert alerts
    a = [x for x in alerts if (x["a"], x["b"]) == ("SRB", "XKX")][0]
    assert {"a", "b", "date", "score", "reason", "events"} <= set(a)
    assert a["date"] == ESCALATION.isoformat() and len(a["events"]) == 6
    later = client.get("/api/alerts", params={"since": "2024-04-21"}).json()
    assert all(x["date"] >= "2024-04-21" for x in later)


def test_article_route(client):
    r = client.get(f"/api/articles/{XSS_ID}").json()
    assert r["id"] == XSS_ID and PAYLOAD in r["text"]
    for e in r["events"]:
        assert r["text"][e["start"]:e["end"]] == e["quote"]
    assert client.get("/api/articles/nope").status_code == 404


def test_network_route(client):
    net = client.get("/api/actors/SRB/network").json()
    assert set(net) >= {"nodes", "edges"}
    assert any(e["sign"] == -1 for e in net["edges"]) and any(e["sign"] == 1 for e in net["edges"])
    assert client.get("/api/actors/SRBGOV/network").json()["level"] == "sector"
    assert client.get("/api/actors/'; DROP TABLE events; --/network").status_code in (400, 404)


def test_pages_render_with_chart_data_and_csp(client):
    for url in ("/", "/dyads/SRB/XKX", "/dyads/SRB/XKX?freq=week", f"/articles/{XSS_ID}", "/actors/SRB",
                "/articles/esc-0"):
        res = client.get(url)
        assert res.status_code == 200, url
        assert 'id="chart"' in res.text and 'id="chart-data"' in res.text
        assert "script-src 'self'" in res.headers["content-security-policy"]
        assert "cdn" not in res.text.lower() and "https://" not in res.text.split("<main>")[0]
    assert client.get("/static/charts.js").status_code == 200
    assert client.get("/articles/missing").status_code == 404


def test_dyad_page_links_quotes_to_articles(client):
    html = client.get("/dyads/SRB/XKX").text
    assert 'href="/articles/esc-' in html and "#e-ev-" in html
    assert "Serbian army moved armoured units" in html


def test_article_page_escapes_every_scraped_string(client):
    html = client.get(f"/articles/{XSS_ID}").text
    body = html.split("<main>", 1)[1]
    assert "<script>window.__pwned" not in body
    assert "<img src=x" not in body and "<b onmouseover" not in body
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in body
    assert 'href="javascript:' not in html
    assert '<mark class="ev"' in body and '<mark class="fr"' in body
    assert "<details" in body  # boilerplate collapsed
    assert "0.20" in body  # source rating shown
    # the embedded chart JSON cannot close its script element
    data = html.split('id="chart-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data


def test_article_page_marks_copies(client):
    html = client.get("/articles/esc-0").text
    assert "esc-0-copy0" in html and "esc-0-copy1" in html


def test_serve_refuses_a_missing_store(tmp_path):
    from typer.testing import CliRunner

    from faultline.cli import app

    res = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "none.duckdb"), "--port", "8765"])
    assert res.exit_code == 2
    assert "no store at" in res.output


def test_app_over_a_read_only_file(tmp_path):
    from analytics_factory import build_scenario as build

    db = tmp_path / "ro.duckdb"
    with Store(db) as store:
        build(store)
    with Store(db, read_only=True) as ro:
        with TestClient(create_app(ro)) as c:
            assert c.get("/api/dyads").json()[0]["events"] > 0
            assert c.get("/").status_code == 200


def test_marks_escape_and_nest_overlapping_spans():
    from faultline.web.marks import Span, highlight, safe_url

    text = "a <b>&c</b> d"
    html = str(highlight(text, [Span(0, 8, "event", "e-1", 'x"y'), Span(2, 13, "framing", "fr-0", "<z>"),
                                Span(5, 99, "event", "bad", "out of range")]))
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert html.count("<mark") == html.count("</mark>")
    assert 'title="x&#34;y"' in html and 'title="&lt;z&gt;"' in html and "bad" not in html
    import re

    assert re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == text
    assert safe_url("javascript:alert(1)") is None and safe_url("data:text/html,x") is None
    assert safe_url("https://example.org/a") == "https://example.org/a"
