"""The FastAPI application: the JSON API of docs/contract.md and the dashboard pages.

Reads only.  Every request reads through a cursor of its own
(``Store.reader()``); the analytics layer keeps its derived tables in a
private in-memory database.  Pages are Jinja2 templates with autoescaping on;
every asset is served from ``faultline/web/static``; responses carry a strict
Content-Security-Policy (scripts and styles from this origin only) as a second
line of defence behind the escaping.
"""
from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from typing import Any, Optional

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..analytics import Analytics, AnalyticsOptions, normalise_key
from ..errors import ConfigError, FaultlineError
from .marks import Span, highlight, safe_url

__all__ = ["create_app"]

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def _check_date(value: Optional[str], name: str) -> Optional[str]:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        raise HTTPException(status_code=400, detail=f"{name}={value!r} is not a date; use YYYY-MM-DD.")


def _templates():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("faultline.web", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    env.filters["safe_url"] = safe_url
    env.globals["version"] = __version__
    return env


def create_app(store: Any, *, options: AnalyticsOptions | None = None) -> FastAPI:
    """The app over an open :class:`~faultline.store.Store` (read-only is enough)."""
    app = FastAPI(title="Faultline", version=__version__,
                  description="Events, dyads, escalation alerts and articles with their evidence.",
                  docs_url=None, redoc_url=None)  # the stock docs pages load from a CDN
    analytics = Analytics(store, options)
    env = _templates()
    app.state.store = store
    app.state.analytics = analytics
    static_dir = resources.files("faultline.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static_dir)), name="static")

    @app.middleware("http")
    async def _headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    @app.exception_handler(FaultlineError)
    async def _faultline_error(request: Request, exc: FaultlineError):
        return JSONResponse({"detail": str(exc)}, status_code=400)

    def page(name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(**ctx), status_code=status)

    def key_or_400(code: str) -> str:
        try:
            return normalise_key(code)
        except ConfigError as exc:
            raise HTTPException(status_code=400, detail=str(exc))

    # -- JSON API -------------------------------------------------------------------
    @app.get("/api/events", tags=["api"], summary="Stored events, each with its article id")
    def api_events(since: Optional[str] = None, until: Optional[str] = None, actor: Optional[str] = None,
                   type: Optional[str] = None, limit: int = Query(100, ge=0, le=100000)) -> list[dict]:
        return _json(store.events(since=_check_date(since, "since"), until=_check_date(until, "until"), actor=actor,
                                  type=type, limit=min(limit, analytics.options.max_limit)))

    @app.get("/api/dyads", tags=["api"], summary="The most active actor pairs, most active first")
    def api_dyads(since: Optional[str] = None, until: Optional[str] = None,
                  limit: int = Query(20, ge=0, le=100000),
                  level: str = Query("country", pattern="^(country|sector)$")) -> list[dict]:
        return _json(analytics.dyads(since=_check_date(since, "since"), until=_check_date(until, "until"),
                                     limit=limit, level=level))

    @app.get("/api/dyads/{a}/{b}/series", tags=["api"], summary="A dyad's points by day or week")
    def api_series(a: str, b: str, freq: str = Query("day", pattern="^(day|week)$"),
                   since: Optional[str] = None, until: Optional[str] = None,
                   level: Optional[str] = Query(None, pattern="^(country|sector)$")) -> list[dict]:
        return _json(analytics.series(key_or_400(a), key_or_400(b), freq=freq, since=_check_date(since, "since"),
                                      until=_check_date(until, "until"), level=level))

    @app.get("/api/alerts", tags=["api"], summary="Escalation alerts, each with the events that triggered it")
    def api_alerts(since: Optional[str] = None, until: Optional[str] = None,
                   level: str = Query("country", pattern="^(country|sector)$"),
                   freq: str = Query("day", pattern="^(day|week)$"),
                   limit: int = Query(1000, ge=0, le=100000)) -> list[dict]:
        return _json(analytics.alerts(since=_check_date(since, "since"), until=_check_date(until, "until"), level=level,
                                      freq=freq, limit=limit))

    @app.get("/api/articles/{doc_id}", tags=["api"], summary="The stored record of one document")
    def api_article(doc_id: str) -> dict:
        record = store.article(doc_id)
        if record is None:
            raise HTTPException(status_code=404, detail=f"no article {doc_id!r} in this store")
        return _json(record)

    @app.get("/api/actors/{code}/network", tags=["api"], summary="An actor's partners, edges signed by balance")
    def api_network(code: str, since: Optional[str] = None, until: Optional[str] = None,
                    size: int = Query(30, ge=1, le=200)) -> dict:
        return _json(analytics.network(key_or_400(code), since=_check_date(since, "since"),
                                       until=_check_date(until, "until"), size=size))

    @app.get("/api/volume", tags=["api"], summary="Stories and deduplicated events per period")
    def api_volume(freq: str = Query("day", pattern="^(day|week)$"), since: Optional[str] = None,
                   until: Optional[str] = None) -> list[dict]:
        return _json(analytics.volume(freq=freq, since=_check_date(since, "since"), until=_check_date(until, "until")))

    @app.get("/api/framing", tags=["api"],
             summary="Persuasion-technique counts per outlet, time window or article (copies count once)")
    def api_framing(by: str = Query("outlet", pattern="^(outlet|window|article)$"),
                    window: str = Query("week", pattern="^(day|week|month)$"), outlet: Optional[str] = None,
                    since: Optional[str] = None, until: Optional[str] = None,
                    min_confidence: float = Query(0.0, ge=0.0, le=1.0),
                    limit: Optional[int] = Query(None, ge=0, le=100000)) -> list[dict]:
        return _json(analytics.framing(by=by, window=window, outlet=outlet, since=_check_date(since, "since"),
                                       until=_check_date(until, "until"), min_confidence=min_confidence,
                                       limit=limit))

    # -- pages -----------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview():
        last = analytics.last_day()
        recent = (last - dt.timedelta(days=analytics.options.recent_days)).isoformat() if last else None
        dyads = analytics.dyads(limit=15)
        alerts = analytics.alerts(since=recent, limit=50)
        latest = not alerts
        if latest:  # nothing in the recent window: show the latest alerts instead
            alerts = analytics.alerts(limit=10)
        volume = analytics.volume(freq="day")
        if len(volume) > 400:
            volume = analytics.volume(freq="week")
        counts = {"events": sum(v["events"] for v in volume), "stories": store.count("articles"),
                  "dyads": len(analytics.dyads(limit=analytics.options.max_limit))}
        framing = [o for o in analytics.framing(by="outlet", limit=10) if o["spans"]]
        return page("overview.html", dyads=dyads, alerts=alerts, latest=latest, recent=recent, last=last, counts=counts,
                    chart={"kind": "volume", "points": volume}, framing=framing)

    @app.get("/dyads/{a}/{b}", response_class=HTMLResponse, include_in_schema=False)
    def dyad_page(a: str, b: str, freq: str = Query("day", pattern="^(day|week)$")):
        a, b = sorted((key_or_400(a), key_or_400(b)))
        series = analytics.series(a, b, freq=freq)
        if len(series) > 400 and freq == "day":
            freq = "week"
            series = analytics.series(a, b, freq=freq)
        events = analytics.dyad_events(a, b, limit=200)
        alert_points = [p for p in series if p["alert"]]
        chart = {"kind": "timeline", "freq": freq,
                 "points": [{k: p[k] for k in ("date", "events", "conflict", "cooperation", "goldstein",
                                               "escalation", "expected", "alert", "stories")} for p in series]}
        return page("dyad.html", a=a, b=b, freq=freq, series=series, events=events, alerts=alert_points,
                    chart=chart, totals={"events": sum(p["events"] for p in series),
                                         "conflict": sum(p["conflict"] for p in series),
                                         "cooperation": sum(p["cooperation"] for p in series)})

    @app.get("/articles/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(doc_id: str):
        record = store.article(doc_id)
        if record is None:
            return page("error.html", status=404, message=f"No article {doc_id} in this store.")
        text = record.get("text") or ""
        spans = []
        for i, e in enumerate(record.get("events") or []):
            label = f"{e.get('type')} ({e.get('modality')}) {_actors(e.get('actor'))} → {_actors(e.get('recipient'))}"
            spans.append(Span(int(e.get("start") or 0), int(e.get("end") or 0), "event", f"e-{e.get('id') or i}", label,
                              muted=e.get("modality") != "asserted"))
        for i, f in enumerate(record.get("framing") or []):
            spans.append(Span(int(f.get("start") or 0), int(f.get("end") or 0), "framing", f"fr-{i}",
                              f"{f.get('technique')}: {f.get('why') or ''}"))
        body = highlight(text, spans)
        copies = store.query("SELECT doc_id FROM clusters WHERE id = ? AND doc_id <> ? ORDER BY doc_id",
                             [record.get("cluster") or doc_id, doc_id])
        chart = {"kind": "textmap", "length": len(text),
                 "spans": [{"start": s.start, "end": s.end, "kind": s.kind, "anchor": s.anchor, "label": s.label}
                           for s in spans if 0 <= s.start < s.end <= len(text)]}
        return page("article.html", r=record, body=body, copies=[c["doc_id"] for c in copies], chart=chart,
                    url=safe_url((record.get("input") or {}).get("url")), canonical=safe_url(record.get("canonical_url")))

    @app.get("/actors/{code}", response_class=HTMLResponse, include_in_schema=False)
    def actor_page(code: str):
        key = key_or_400(code)
        net = analytics.network(key)
        dyads = sorted(net["edges"], key=lambda e: -e["weight"])
        return page("actor.html", code=key, net=net, edges=[e for e in dyads if key in (e["source"], e["target"])],
                    chart={"kind": "network", **net})

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException):
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return page("error.html", status=exc.status_code, message=str(exc.detail))

    return app


def _json(data: Any) -> Response:
    """Plain JSON of plain data (skips FastAPI's slow per-item encoder on large series)."""
    return Response(json.dumps(data, ensure_ascii=False, separators=(",", ":")), media_type="application/json")


def _actors(refs: Any) -> str:
    out = []
    for r in refs or []:
        code = (r.get("country") or "?") + (r.get("sector") or "")
        out.append(f"{r.get('name') or r.get('text') or ''} [{code}]")
    return ", ".join(out) or "—"

