"""Gate: analytics over a real corpus, through the real pipeline and the HTTP API.

The 249 dated Guardian articles (``data/corpora/guardian_sdf_sample.csv``)
are written to a temporary JSON Lines file (id, published, text, source),
ingested with :func:`faultline.batch.jobs.ingest` (the default pipeline's
stages at the time the gate runs) into a temporary store, and then read
through the FastAPI app in-process:

* ``dyads`` — dyads the overview lists (``/api/dyads``, up to 20);
* ``top3_series_nonempty`` — share of the top 3 dyads whose daily series has
  at least one event;
* ``alerts_linked`` — share of alerts (``/api/alerts``) whose event list is
  non-empty and whose every event is stored, in that dyad, on that day, and of
  a conflict quad class (1.0 when there are no alerts; ``alerts`` says how many);
* ``overview_ok`` — the overview page renders with its chart (1/0).

A readable report of the top dyads and of every alert goes to stderr.
"""
from __future__ import annotations

import csv
import json
import sys
import tempfile
import time
from pathlib import Path


def _write_jsonl(src: Path, dst: Path) -> int:
    csv.field_size_limit(1 << 30)
    n = 0
    with open(src, encoding="utf-8", newline="") as fh, open(dst, "w", encoding="utf-8") as out:
        for row in csv.DictReader(fh):
            text = (row.get("text") or "").strip()
            if not text:
                continue
            rid = (row.get("") or str(n)).strip()
            out.write(json.dumps({"id": f"guardian-{rid}", "published": (row.get("date") or "")[:10] or None,
                                  "text": text, "source": row.get("source") or "Guardian"}, ensure_ascii=False) + "\n")
            n += 1
    return n


def _key_of(ref: dict) -> str | None:
    return ref.get("country") or None


def run(shared: Path) -> dict[str, float]:
    from fastapi.testclient import TestClient

    from faultline.batch.jobs import ingest
    from faultline.settings import Settings
    from faultline.store import Store
    from faultline.web import create_app

    corpus = shared / "data" / "corpora" / "guardian_sdf_sample.csv"
    if not corpus.is_file():
        print(f"analytics gate: {corpus} is missing; skipping.", file=sys.stderr)
        return {}
    log = lambda *a: print(*a, file=sys.stderr)  # noqa: E731
    with tempfile.TemporaryDirectory(prefix="faultline-gate-") as tmp:
        jsonl = Path(tmp) / "guardian.jsonl"
        n_docs = _write_jsonl(corpus, jsonl)
        db = Path(tmp) / "guardian.duckdb"
        settings = Settings.load()
        t0 = time.perf_counter()
        summary = ingest([str(jsonl)], db=db, settings=settings)
        took = time.perf_counter() - t0
        log(f"analytics gate: ingested {summary.documents}/{n_docs} documents, {summary.events} events, "
            f"{summary.failed} failed, in {took:.0f}s (stages: {', '.join(settings.pipeline.stages)})")
        with Store(db, read_only=True) as store:
            with TestClient(create_app(store)) as client:
                dyads = client.get("/api/dyads", params={"limit": 20}).json()
                top = dyads[:3]
                nonempty = 0
                for d in top:
                    series = client.get(f"/api/dyads/{d['a']}/{d['b']}/series", params={"freq": "day"}).json()
                    nonempty += int(any(p["events"] > 0 for p in series))
                alerts = client.get("/api/alerts").json()
                linked = 0
                for al in alerts:
                    ok = bool(al["events"])
                    for ev_id in al["events"]:
                        rows = store.query("SELECT e.record, e.quad_class, coalesce(e.date, e.published) AS day "
                                           "FROM events e WHERE e.id = ?", [ev_id])
                        if not rows:
                            ok = False
                            break
                        rec = json.loads(rows[0]["record"])
                        keys = {_key_of(r) for r in rec.get("actor", [])} | {_key_of(r) for r in rec.get("recipient", [])}
                        ok &= {al["a"], al["b"]} <= keys and rows[0]["quad_class"] in (3, 4) \
                            and str(rows[0]["day"]) == al["date"]
                    linked += int(ok)
                page = client.get("/")
                overview_ok = int(page.status_code == 200 and 'id="chart-data"' in page.text)
                total_events = store.count("events")
        log(f"analytics gate: {total_events} stored events, {len(dyads)} dyads listed; top dyads:")
        for d in dyads[:10]:
            log(f"  {d['a']}-{d['b']}: {d['events']} events ({d['conflict']} conflict, {d['cooperation']} "
                f"cooperation), Goldstein mean {d['goldstein_mean']}")
        log(f"analytics gate: {len(alerts)} alert(s)")
        for al in alerts:
            log(f"  {al['date']} {al['a']}-{al['b']} score {al['score']}: {al['reason']} -> {len(al['events'])} event(s)")
    return {
        "dyads": float(len(dyads)),
        "top3_series_nonempty": nonempty / 3.0,
        "alerts": float(len(alerts)),
        "alerts_linked": linked / len(alerts) if alerts else 1.0,
        "overview_ok": float(overview_ok),
    }


if __name__ == "__main__":
    import os

    shared = Path(os.environ.get("FAULTLINE_SHARED") or Path(__file__).resolve().parent.parent.parent / "shared")
    print(json.dumps(run(shared), indent=2))
