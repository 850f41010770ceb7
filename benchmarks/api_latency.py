#!/usr/bin/env python3
"""API latency on a store of 100,000 synthetic events, over loopback from a second process.

Builds the store (synthetic records from faultline.analytics.synthetic, written
through the store's single writer), starts ``faultline serve`` on 127.0.0.1 in
a subprocess, and times a bounded loop of requests from this process:

* ``GET /api/dyads``
* ``GET /api/dyads/{a}/{b}/series?freq=day&since=2024-01-01&until=2024-12-31``
  (a one-year daily series of the busiest dyad)

Prints p50/p95/max per route as JSON; exits 1 when a p95 is 200 ms or more.

Usage::

    python benchmarks/api_latency.py [--events 100000] [--requests 200] [--db FILE] [--keep]
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_MS = 200.0


def build_store(path: Path, n_events: int) -> float:
    from faultline.analytics.synthetic import synthetic_results
    from faultline.store import Store

    t0 = time.perf_counter()
    with Store(path) as store:
        batch = []
        for r in synthetic_results(n_events, start="2024-01-01", days=366):
            batch.append(r)
            if len(batch) >= 2000:
                store.write(batch)
                batch = []
        store.write(batch)
    return time.perf_counter() - t0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(round(q * (len(ordered) - 1)))))
    return ordered[k]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=200, help="timed requests per route")
    ap.add_argument("--db", type=Path, help="reuse or create this store file")
    ap.add_argument("--keep", action="store_true", help="keep the temporary store")
    args = ap.parse_args(argv)

    import httpx

    tmp = None
    if args.db:
        db = args.db
    else:
        tmp = tempfile.mkdtemp(prefix="faultline-bench-")
        db = Path(tmp) / "bench.duckdb"
    report: dict = {"events_requested": args.events}
    if not db.exists():
        report["build_seconds"] = round(build_store(db, args.events), 1)
    from faultline.store import Store

    with Store(db, read_only=True) as store:
        report["stored_events"] = store.count("events")
        report["stored_documents"] = store.count("documents")

    port = free_port()
    env = dict(os.environ)
    t0 = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "faultline", "serve", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=30.0) as client:
            deadline = time.time() + 120
            while True:
                try:
                    if client.get("/api/dyads", params={"limit": 1}).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if server.poll() is not None or time.time() > deadline:
                    err = server.stderr.read().decode("utf-8", "replace") if server.stderr else ""
                    print(f"server did not start: {err[-2000:]}", file=sys.stderr)
                    return 2
                time.sleep(0.2)
            report["server_ready_seconds"] = round(time.perf_counter() - t0, 2)
            top = client.get("/api/dyads", params={"limit": 1}).json()[0]
            routes = {
                "/api/dyads": ("/api/dyads", {}),
                "one-year daily series": (f"/api/dyads/{top['a']}/{top['b']}/series",
                                          {"freq": "day", "since": "2024-01-01", "until": "2024-12-31"}),
            }
            report["routes"] = {}
            ok = True
            for name, (path, params) in routes.items():
                for _ in range(5):  # warm-up
                    client.get(path, params=params).raise_for_status()
                times = []
                for _ in range(args.requests):
                    t = time.perf_counter()
                    res = client.get(path, params=params)
                    times.append((time.perf_counter() - t) * 1000.0)
                    res.raise_for_status()
                body = res.json()
                p95 = percentile(times, 0.95)
                ok &= p95 < TARGET_MS
                report["routes"][name] = {"path": path, "requests": len(times), "items": len(body),
                                          "p50_ms": round(statistics.median(times), 1), "p95_ms": round(p95, 1),
                                          "max_ms": round(max(times), 1)}
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        if tmp and not args.keep:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
    report["target_p95_ms"] = TARGET_MS
    report["pass"] = ok
    print(json.dumps(report, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
