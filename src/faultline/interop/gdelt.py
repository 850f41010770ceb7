"""GDELT 2.0 event exports: read them into stored records, and write ours in their layout.

A GDELT 2.0 *export* file (``YYYYMMDDHHMMSS.export.CSV``) is tab-separated,
without a header, one event per line, 61 columns (``COLUMNS``).  Import maps
each row's CAMEO ``EventCode`` to PLOVER through the event coder's table
(``data/events/codes.tsv``, see ``cameo.py``); rows whose code it does not map
(root 01, statements) are skipped and counted.  Rows are grouped by ``SOURCEURL`` into one stored
document per article (no text: GDELT ships none), so importing a file twice
changes nothing.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterable, Iterator
from urllib.parse import urlsplit

from ..records import ActorRef, Event, InputInfo, Location, Result, stable_id
from .cameo import CameoTable, load_cameo_table

__all__ = ["COLUMNS", "ImportSummary", "read_gdelt", "gdelt_row", "write_gdelt"]

COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)
assert len(COLUMNS) == 61

# PLOVER sector codes (ontology.md); a CAMEO type code outside them is not a sector.
SECTORS = frozenset("COP GOV JUD LEG MIL PRM PTY REB SPY UAF UNK AGR BUS CRM CVL EDU ELI JRN LAB MED REF OPP "
                    "PRE REL SOC".split())
_NON_STATE = ("IGO", "NGO", "MNC")


@dataclass(slots=True)
class ImportSummary:
    rows: int = 0
    events: int = 0
    documents: int = 0
    skipped: int = 0  # rows PLOVER drops (CAMEO roots 01, 02) or without a usable code
    bad: int = 0  # rows that are not GDELT rows (wrong column count, bad date)
    errors: list[str] = field(default_factory=list)


def _date8(value: str) -> str | None:
    value = (value or "").strip()
    if len(value) >= 8 and value[:8].isdigit():
        try:
            return dt.date(int(value[:4]), int(value[4:6]), int(value[6:8])).isoformat()
        except ValueError:
            return None
    return None


def _float(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _actor(row: dict[str, str], n: int, table: CameoTable) -> tuple[ActorRef, ...]:
    code = row.get(f"Actor{n}Code", "").strip().upper()
    name = row.get(f"Actor{n}Name", "").strip()
    if not code and not name:
        return ()
    country = table.country(row.get(f"Actor{n}CountryCode"))
    if not country and code[:3] in _NON_STATE:
        country = code[:3]
    sector = row.get(f"Actor{n}Type1Code", "").strip().upper() or None
    if sector not in SECTORS:
        tail = code[3:6] if len(code) >= 6 else ""
        sector = tail if tail in SECTORS else None
    title = name.title() if name.isupper() else name
    return (ActorRef(text=name or code, name=title or None, country=country, sector=sector),)


def gdelt_row(row: dict[str, str], table: CameoTable) -> Event | None:
    """One GDELT row as a PLOVER :class:`Event`; None when PLOVER drops its CAMEO code."""
    cameo = row.get("EventCode", "").strip()
    entry = table.lookup(cameo)
    if entry is None:
        return None
    loc = None
    if row.get("ActionGeo_FullName") or row.get("ActionGeo_Lat"):
        fid = row.get("ActionGeo_FeatureID", "").strip()
        loc = Location(name=row.get("ActionGeo_FullName") or None, country=None,
                       lat=_float(row.get("ActionGeo_Lat", "")), lon=_float(row.get("ActionGeo_Long", "")),
                       geonameid=int(fid) if fid.isdigit() else None)
    goldstein = _float(row.get("GoldsteinScale", ""))
    mentions = row.get("NumMentions", "").strip()
    return Event(
        id=f"gdelt-{row['GLOBALEVENTID'].strip()}", type=entry["type"], quote="", start=0, end=0,
        mode=entry.get("mode"), contexts=tuple(entry.get("contexts") or ()), cameo=cameo,
        quad_class=entry["quad_class"], goldstein=goldstein if goldstein is not None else entry.get("goldstein"),
        plover_score=entry["plover_score"], actor=_actor(row, 1, table), recipient=_actor(row, 2, table),
        location=loc, date=_date8(row.get("SQLDATE", "")), modality="asserted", confidence=0.5,
        why=f"imported from GDELT 2.0 (CAMEO {cameo}; {mentions or '?'} mentions)")


def _rows(stream: IO[str], summary: ImportSummary, where: str) -> Iterator[dict[str, str]]:
    first = stream.readline()
    if not first:
        return
    delimiter = "\t" if "\t" in first else ","
    lines: Iterable[str] = [first] if not first.startswith("GLOBALEVENTID") else []
    import itertools

    reader = csv.reader(itertools.chain(lines, stream), delimiter=delimiter, quoting=csv.QUOTE_NONE
                        if delimiter == "\t" else csv.QUOTE_MINIMAL)
    for i, cells in enumerate(reader, 1):
        if not cells or all(not c for c in cells):
            continue
        summary.rows += 1
        if len(cells) != len(COLUMNS):
            summary.bad += 1
            if len(summary.errors) < 20:
                summary.errors.append(f"{where}: row {i} has {len(cells)} columns, not 61")
            continue
        yield dict(zip(COLUMNS, cells))


def read_gdelt(paths: Iterable[str | os.PathLike[str]], *, table: CameoTable | None = None,
               summary: ImportSummary | None = None) -> list[Result]:
    """Stored records (one per source URL) from GDELT 2.0 export files (``.zip`` too)."""
    table = table or load_cameo_table()
    summary = summary if summary is not None else ImportSummary()
    by_url: dict[str, dict[str, Any]] = {}
    for path in paths:
        p = Path(path)
        for name, stream in _open(p):
            for row in _rows(stream, summary, name):
                if not row["GLOBALEVENTID"].strip() or not _date8(row["SQLDATE"]):
                    summary.bad += 1
                    continue
                event = gdelt_row(row, table)
                if event is None:
                    summary.skipped += 1
                    continue
                url = row.get("SOURCEURL", "").strip() or f"gdelt:event/{row['GLOBALEVENTID'].strip()}"
                doc = by_url.setdefault(url, {"events": {}, "added": None, "path": str(p)})
                doc["events"][event.id] = event
                doc["added"] = doc["added"] or _date8(row.get("DATEADDED", "")) or event.date
    out = []
    for url, doc in by_url.items():
        doc_id = stable_id("gdelt", url, prefix="gdelt-")
        host = urlsplit(url).hostname if url.startswith("http") else None
        events = tuple(sorted(doc["events"].values(), key=lambda e: e.id))
        summary.events += len(events)
        out.append(Result(id=doc_id, fingerprint=stable_id(url, length=32),
                          input=InputInfo(path=doc["path"], url=url if host else None, format="text"),
                          text="", title=f"GDELT events from {host or url}", publisher=host, published=doc["added"],
                          tags=(("source", ("gdelt",)),), events=events, cluster=doc_id,
                          provenance=("imported from a GDELT 2.0 event export",)))
    summary.documents += len(out)
    return out


def _open(path: Path) -> Iterator[tuple[str, IO[str]]]:
    if path.suffix.lower() == ".zip":
        import zipfile

        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if not info.is_dir():
                    with zf.open(info) as raw:
                        yield f"{path}:{info.filename}", io.TextIOWrapper(raw, encoding="utf-8", errors="replace")
        return
    with open(path, encoding="utf-8", errors="replace", newline="") as fh:
        yield str(path), fh


# -- export ------------------------------------------------------------------------------
def _gdelt_date(value: str | None) -> tuple[str, str, str, str]:
    try:
        d = dt.date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return "", "", "", ""
    frac = d.year + (d.timetuple().tm_yday - 1) / 365.0
    return d.strftime("%Y%m%d"), d.strftime("%Y%m"), str(d.year), f"{frac:.4f}"


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    return str(value).replace("\t", " ").replace("\n", " ").replace("\r", " ")


def write_gdelt(events: Iterable[dict[str, Any]], stream: IO[str], *, table: CameoTable | None = None,
                urls: dict[str, str] | None = None, published: dict[str, str] | None = None) -> int:
    """Write contract-shaped events (with ``article``) as GDELT 2.0 export rows; return the count.

    Tab-separated, no header, the 61 columns of ``COLUMNS`` (as GDELT's
    ``.export.CSV`` files).  Deviations: ``GLOBALEVENTID`` is our event id,
    actor country and ``ActionGeo_CountryCode`` are ISO 3166 alpha-3 (GDELT
    uses FIPS for geography), ``AvgTone`` is empty, counts are 1, and
    ``SOURCEURL`` is ``faultline:article/<id>`` when the article has no URL.
    """
    table = table or load_cameo_table()
    urls = urls or {}
    published = published or {}
    n = 0
    for e in events:
        row = dict.fromkeys(COLUMNS, "")
        sql, month, year, frac = _gdelt_date(e.get("date") or published.get(e.get("article") or ""))
        row.update(GLOBALEVENTID=e.get("id"), SQLDATE=sql, MonthYear=month, Year=year, FractionDate=frac)
        for n_, refs in ((1, e.get("actor") or []), (2, e.get("recipient") or [])):
            if refs:
                r = refs[0]
                country, sector = r.get("country") or "", r.get("sector") or ""
                row[f"Actor{n_}Code"] = country + sector
                row[f"Actor{n_}Name"] = r.get("name") or r.get("text")
                row[f"Actor{n_}CountryCode"] = country if country not in _NON_STATE else ""
                row[f"Actor{n_}Type1Code"] = sector
        code = e.get("cameo") or table.cameo_for(e.get("type")) or ""
        row.update(IsRootEvent=1, EventCode=code, EventBaseCode=code[:3], EventRootCode=code[:2],
                   QuadClass=e.get("quad_class"), GoldsteinScale=e.get("goldstein"), NumMentions=1, NumSources=1,
                   NumArticles=1)
        loc = e.get("location") or {}
        if loc:
            row.update(ActionGeo_Type="", ActionGeo_FullName=loc.get("name"), ActionGeo_CountryCode=loc.get("country"),
                       ActionGeo_Lat=loc.get("lat"), ActionGeo_Long=loc.get("lon"), ActionGeo_FeatureID=loc.get("geonameid"))
        pub = published.get(e.get("article") or "") or e.get("date")
        added = _gdelt_date(pub)[0]
        row["DATEADDED"] = added + "000000" if added else ""
        row["SOURCEURL"] = urls.get(e.get("article") or "") or f"faultline:article/{e.get('article')}"
        stream.write("\t".join(_fmt(row[c]) for c in COLUMNS) + "\n")
        n += 1
    return n
