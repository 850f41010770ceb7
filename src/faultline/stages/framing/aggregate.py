"""Technique counts per article, per outlet and per time window.

Every function accepts :class:`~faultline.records.Result` objects or the plain
dicts of the JSON contract (``Result.to_dict()``), so the analytics layer can
feed it rows from the store as well as live results.
"""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any, Iterable, Mapping

__all__ = ["technique_counts", "counts_by_article", "counts_by_outlet", "counts_by_window", "window_key", "summarise",
           "report_rows", "GROUPINGS", "WINDOWS"]

GROUPINGS = ("outlet", "window", "article")
WINDOWS = ("day", "week", "month")


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def technique_counts(result: Any, *, min_confidence: float = 0.0) -> Counter:
    """Spans per technique in one result (a span counts once per technique it carries)."""
    c: Counter = Counter()
    for span in _get(result, "framing", ()) or ():
        if float(_get(span, "confidence", 1.0) or 0.0) >= min_confidence:
            c[_get(span, "technique")] += 1
    return c


def counts_by_article(results: Iterable[Any], *, min_confidence: float = 0.0) -> dict[str, Counter]:
    """Result id -> technique counts."""
    return {str(_get(r, "id")): technique_counts(r, min_confidence=min_confidence) for r in results}


def _outlet(result: Any) -> str:
    return (_get(result, "original_publisher") or _get(result, "publisher") or "unknown")


def _day(result: Any) -> date | None:
    """The day a result counts on: ``published``, else ``original_published``."""
    return _parse_day(_get(result, "published")) or _parse_day(_get(result, "original_published"))


def counts_by_outlet(results: Iterable[Any], *, original: bool = True,
                     min_confidence: float = 0.0) -> dict[str, dict[str, Any]]:
    """Outlet -> {"articles": n, "spans": total, "techniques": Counter, "per_article": {t: mean}}.

    ``original=True`` credits a syndicated copy to the outlet that first
    published it (``original_publisher``) when known.  (The rows of
    :func:`summarise` keyed by outlet.)
    """
    rows = summarise(results, by="outlet", original=original, min_confidence=min_confidence)
    return {row["outlet"]: {"articles": row["articles"], "spans": row["spans"],
                            "techniques": Counter(row["techniques"]), "per_article": row["per_article"]}
            for row in rows}


def _parse_day(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None


def window_key(day: date, window: str) -> str:
    """``day`` -> ``2021-09-28`` (day), ``2021-W39`` (week, ISO) or ``2021-09`` (month)."""
    if window == "day":
        return day.isoformat()
    if window == "week":
        y, w, _ = day.isocalendar()
        return f"{y}-W{w:02d}"
    if window == "month":
        return f"{day.year}-{day.month:02d}"
    raise ValueError(f"window must be day, week or month, not {window!r}")


def counts_by_window(results: Iterable[Any], *, window: str = "week", by_outlet: bool = False,
                     min_confidence: float = 0.0) -> dict[Any, Counter]:
    """Time window (optionally ``(outlet, window)``) -> technique counts.

    The date is ``published`` (else ``original_published``); undated results
    go under ``"undated"``.
    """
    window_key(date(2000, 1, 1), window)  # validate early
    out: dict[Any, Counter] = {}
    for r in results:
        day = _day(r)
        key: Any = window_key(day, window) if day else "undated"
        if by_outlet:
            key = (_outlet(r), key)
        out.setdefault(key, Counter()).update(technique_counts(r, min_confidence=min_confidence))
    return dict(sorted(out.items(), key=lambda kv: str(kv[0])))


def summarise(results: Iterable[Any], *, by: str = "outlet", window: str = "week", outlet: str | None = None,
              since: date | None = None, until: date | None = None, min_confidence: float = 0.0,
              limit: int | None = None, original: bool = True) -> list[dict[str, Any]]:
    """Rows for a report or an API: technique counts per ``outlet``, per time ``window`` or per ``article``.

    Every row has ``spans`` and ``techniques`` (technique -> spans, most frequent first); outlet and
    window rows add ``articles`` (how many results they cover, with or without spans) and
    ``per_article`` (spans per article, per technique); article rows add ``title``, ``outlet`` and
    ``published``.  ``outlet`` keeps the results of one outlet (as :func:`counts_by_outlet` credits
    them); ``since``/``until`` keep the results dated inside the range (undated ones are then
    dropped).  Outlets and articles come most spans first, windows in time order (``undated`` last).
    ``original=False`` credits a syndicated copy to the outlet that published it, not the original.
    """
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}, not {by!r}")
    window_key(date(2000, 1, 1), window)  # validate early
    outlet_of = _outlet if original else (lambda r: _get(r, "publisher") or "unknown")
    groups: dict[str, dict[str, Any]] = {}
    for r in results:
        day = _day(r)
        if (since or until) and (day is None or (since and day < since) or (until and day > until)):
            continue
        if outlet is not None and outlet_of(r) != outlet:
            continue
        if by == "outlet":
            key, extra = outlet_of(r), {}
        elif by == "window":
            key, extra = (window_key(day, window) if day else "undated"), {}
        else:
            key = str(_get(r, "id"))
            extra = {"title": _get(r, "title"), "outlet": outlet_of(r), "published": day.isoformat() if day else None}
        slot = groups.setdefault(key, {by: key, **extra, "articles": 0, "spans": 0, "techniques": Counter()})
        c = technique_counts(r, min_confidence=min_confidence)
        slot["articles"] += 1
        slot["spans"] += sum(c.values())
        slot["techniques"].update(c)
    return report_rows(groups.values(), by=by, limit=limit)


def report_rows(groups: Iterable[dict[str, Any]], *, by: str, limit: int | None = None) -> list[dict[str, Any]]:
    """Finish :func:`summarise`'s rows from groups of ``{by: key, ..., "articles": n, "spans": n,
    "techniques": Counter}``: techniques most frequent first, ``per_article`` for outlets and windows
    (article rows drop ``articles``), the order and the limit.  The store's SQL path
    (``Analytics.framing``) ends here too, so both give the same rows."""
    rows = [dict(g) for g in groups]
    for row in rows:
        row["techniques"] = dict(sorted(row["techniques"].items(), key=lambda kv: (-kv[1], kv[0])))
        if by == "article":
            row.pop("articles", None)
        else:
            row["per_article"] = {t: round(n / row["articles"], 4) for t, n in row["techniques"].items()}
    if by == "window":
        rows.sort(key=lambda row: (row["window"] == "undated", row["window"]))
    else:
        rows.sort(key=lambda row: (-row["spans"], str(row[by])))
    return rows[:limit] if limit is not None else rows
