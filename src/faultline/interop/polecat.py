"""POLECAT weekly event files into stored records.

POLECAT (the successor of ICEWS) is already coded in PLOVER.  Its data files
are tab-separated with a header row; the columns read here are (names are
matched case-, space- and underscore-insensitively):

``Event ID``, ``Event Date``, ``Event Type``, ``Event Mode``, ``Event Intensity``
(or ``Intensity``), ``Contexts``, ``Actor Name``, ``Actor Country``, ``Primary
Actor Sector`` (or ``Actor Sector``), ``Recipient Name``, ``Recipient
Country``, ``Primary Recipient Sector``, ``Placename``, ``Latitude``,
``Longitude``, ``GeoNames ID``, ``Story ID``, ``Source``, ``Publication Date``.

Compound actors are separated by ``;``.  Rows are grouped by ``Story ID``
(else one document per event).  The CAMEO code written for each event is the
most general CAMEO code of its PLOVER type; the Goldstein score stays empty
(analytics fall back to the PLOVER score / intensity).
"""
from __future__ import annotations

import csv
import datetime as dt
import os
import re
from pathlib import Path
from typing import Any, Iterable

from ..records import ActorRef, Event, InputInfo, Location, Result, stable_id
from .cameo import CameoTable, load_cameo_table
from .gdelt import SECTORS, ImportSummary, _date8, _float

__all__ = ["read_polecat"]

_TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
          "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
_RENAMED = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _get(row: dict[str, str], *names: str) -> str:
    for n in names:
        v = row.get(_norm(n))
        if v not in (None, ""):
            return v.strip()
    return ""


def _iso(value: str) -> str | None:
    """An ISO date, or GDELT's YYYYMMDD form."""
    value = value.strip()
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return _date8(value)


def _country(value: str, table: CameoTable) -> str | None:
    value = value.strip()
    if not value:
        return None
    if len(value) == 3 and value.isalpha():
        return table.country(value)
    try:
        import pycountry

        return pycountry.countries.lookup(value).alpha_3
    except (LookupError, ImportError):
        return None


def _refs(names: str, countries: str, sectors: str, table: CameoTable) -> tuple[ActorRef, ...]:
    ns = [n.strip() for n in names.split(";")] if names else []
    cs = [c.strip() for c in countries.split(";")] if countries else []
    ss = [s.strip().upper() for s in sectors.split(";")] if sectors else []
    out = []
    for i in range(max(len(ns), len(cs))):
        name = ns[i] if i < len(ns) else ""
        country = _country(cs[i] if i < len(cs) else (cs[0] if len(cs) == 1 else ""), table)
        sector = ss[i] if i < len(ss) else (ss[0] if len(ss) == 1 else "")
        if not name and not country:
            continue
        out.append(ActorRef(text=name or country or "", name=name or None, country=country,
                            sector=sector if sector in SECTORS else None))
    return tuple(out)


def read_polecat(paths: Iterable[str | os.PathLike[str]], *, table: CameoTable | None = None,
                 summary: ImportSummary | None = None) -> list[Result]:
    table = table or load_cameo_table()
    summary = summary if summary is not None else ImportSummary()
    stories: dict[str, dict[str, Any]] = {}
    for path in paths:
        p = Path(path)
        with open(p, encoding="utf-8", errors="replace", newline="") as fh:
            first = fh.readline()
            delimiter = "\t" if "\t" in first else ","
            header = [_norm(h) for h in next(csv.reader([first], delimiter=delimiter))]
            if "eventid" not in header or "eventtype" not in header:
                summary.bad += 1
                summary.errors.append(f"{p}: no POLECAT header (needs Event ID and Event Type columns)")
                continue
            for i, cells in enumerate(csv.reader(fh, delimiter=delimiter), 2):
                if not cells:
                    continue
                summary.rows += 1
                row = dict(zip(header, cells))
                eid = _get(row, "Event ID")
                etype = _get(row, "Event Type").upper()
                etype = _RENAMED.get(etype, etype)
                date = _iso(_get(row, "Event Date"))
                if not eid or etype not in _TYPES:
                    (summary.__setattr__("skipped", summary.skipped + 1) if eid else
                     summary.__setattr__("bad", summary.bad + 1))
                    continue
                tinfo = table.types[etype]
                ctx = [c.strip().lower().replace(" ", "_") for c in re.split(r"[;,]", _get(row, "Contexts")) if c.strip()]
                place = _get(row, "Placename", "Place Name")
                loc = None
                if place or _get(row, "Latitude"):
                    gid = _get(row, "GeoNames ID", "GeoNamesID")
                    loc = Location(name=place or None, country=_country(_get(row, "Country"), table),
                                   lat=_float(_get(row, "Latitude")), lon=_float(_get(row, "Longitude")),
                                   geonameid=int(gid) if gid.isdigit() else None)
                intensity = _float(_get(row, "Event Intensity", "Intensity"))
                mode = _get(row, "Event Mode").lower() or None
                event = Event(
                    id=f"polecat-{eid}", type=etype, quote="", start=0, end=0, mode=mode, contexts=tuple(ctx),
                    cameo=table.cameo_for(etype), quad_class=tinfo["quad_class"], goldstein=None,
                    plover_score=intensity if intensity is not None else tinfo["plover_score"],
                    actor=_refs(_get(row, "Actor Name"), _get(row, "Actor Country"),
                                _get(row, "Primary Actor Sector", "Actor Sector", "Actor Sectors"), table),
                    recipient=_refs(_get(row, "Recipient Name"), _get(row, "Recipient Country"),
                                    _get(row, "Primary Recipient Sector", "Recipient Sector", "Recipient Sectors"), table),
                    location=loc, date=date, modality="asserted", confidence=0.5,
                    why=f"imported from POLECAT (event {eid})")
                story = _get(row, "Story ID") or eid
                doc = stories.setdefault(story, {"events": {}, "source": _get(row, "Source") or None,
                                                 "published": _iso(_get(row, "Publication Date")) or date,
                                                 "language": _get(row, "Language") or None, "path": str(p)})
                doc["events"][event.id] = event
    out = []
    for story, doc in stories.items():
        doc_id = stable_id("polecat", story, prefix="polecat-")
        events = tuple(sorted(doc["events"].values(), key=lambda e: e.id))
        summary.events += len(events)
        out.append(Result(id=doc_id, fingerprint=stable_id("polecat", story, length=32),
                          input=InputInfo(path=doc["path"], url=None, format="text"), text="",
                          title=f"POLECAT story {story}", publisher=doc["source"], published=doc["published"],
                          language=doc["language"], tags=(("source", ("polecat",)),), events=events, cluster=doc_id,
                          provenance=("imported from a POLECAT event file",)))
    summary.documents += len(out)
    return out
