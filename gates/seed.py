"""Seed gate: score the pipeline on ``seed/kosovo-serbia-globalresearch.md``.

The scorer follows the documented semantics of ``seed/golden.json``:

* quotes and anchors are compared after rendering Markdown away and folding
  curly quotes and whitespace;
* metadata fields are compared field by field (tags case-insensitively,
  ``media`` as a subset);
* the body must start and end exactly at the golden sentences, and none of
  the boilerplate snippets may leak into ``text``;
* an event matches a golden event when the golden anchor lies inside the
  event's quote; it is *fully correct* when its type, actor countries,
  recipient countries and modality are all accepted (a ``null`` among the
  accepted countries means an empty role is fine; KSV/KOS count as XKX);
* an actor mention matches when its text contains the golden text or the
  other way round, with the accepted country and sector;
* a framing span matches when it overlaps the golden quote with an accepted
  technique.

Nothing in Faultline reads this file or the seed at run time: the gate only
scores what the pipeline produced.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any, Iterable

_ALIASES = {"KSV": "XKX", "KOS": "XKX"}
_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})


def fold(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").translate(_FOLD)).strip().casefold()


def find(text: str, quote: str) -> tuple[int, int] | None:
    """Locate ``quote`` in ``text`` up to quote style and whitespace; return offsets."""
    parts = []
    for ch in quote.strip():
        if ch.isspace():
            if not parts or parts[-1] != r"\s+":
                parts.append(r"\s+")
        elif ch in "'\u2018\u2019":
            parts.append("['\u2018\u2019]")
        elif ch in '"\u201c\u201d':
            parts.append('["\u201c\u201d]')
        else:
            parts.append(re.escape(ch))
    m = re.search("".join(parts), text, flags=re.IGNORECASE)
    return (m.start(), m.end()) if m else None


def _country(code: str | None) -> str | None:
    return _ALIASES.get(code, code) if code else code


def _countries_ok(refs: list[dict[str, Any]], accepted: list[str | None] | None) -> bool:
    if accepted is None:
        return True
    accepted_set = {_country(c) for c in accepted}
    got = {_country(r.get("country")) for r in refs if r.get("country")}
    if not got:
        return None in accepted_set
    return got <= accepted_set


def score(record: dict[str, Any], golden: dict[str, Any]) -> tuple[dict[str, float], list[str]]:
    notes: list[str] = []
    m: dict[str, float] = {}
    text = record.get("text") or ""

    # -- metadata ------------------------------------------------------------
    meta = golden["metadata"]
    ok = 0
    for key, want in meta.items():
        got = record.get(key)
        if key == "tags":
            norm = lambda d: {fold(k): sorted(fold(v) for v in vs) for k, vs in (d or {}).items()}  # noqa: E731
            good = all(norm(got).get(fold(k)) == sorted(fold(v) for v in vs) for k, vs in want.items())
        elif key == "media":
            good = set(want) <= set(got or [])
        elif key == "authors":
            good = sorted(map(fold, got or [])) == sorted(map(fold, want))
        else:
            good = fold(str(got) if got is not None else None) == fold(want)
        ok += good
        if not good:
            notes.append(f"metadata {key}: got {got!r}, want {want!r}")
    m["metadata_fields_correct"] = ok / len(meta)

    # -- body ----------------------------------------------------------------
    body = golden["body"]
    ftext = fold(text)
    m["body_starts_exact"] = float(ftext.startswith(fold(body["first_sentence"])))
    m["body_ends_exact"] = float(ftext.endswith(fold(body["last_sentence"])))
    leaks = [s for s in body["must_not_contain"] if fold(s) in ftext]
    m["boilerplate_leaks"] = float(len(leaks))
    if not m["body_starts_exact"]:
        notes.append(f"body starts: {text[:80]!r}")
    if not m["body_ends_exact"]:
        notes.append(f"body ends: {text[-80:]!r}")
    notes.extend(f"boilerplate leak: {s!r}" for s in leaks)

    # -- events ----------------------------------------------------------------
    events = record.get("events") or []
    required = [g for g in golden["events"] if g.get("required")]
    type_ok = full_ok = 0
    for g in golden["events"]:
        matches = [e for e in events if fold(g["anchor"]) in fold(e.get("quote"))]
        typed = [e for e in matches if e["type"] in g["types"]]
        full = [e for e in typed
                if _countries_ok(e.get("actor") or [], g.get("actor_countries"))
                and (_countries_ok(e.get("recipient") or [], g.get("recipient_countries"))
                     if g.get("recipient_countries") else True)
                and e.get("modality") in g["modality"]]
        if g.get("required"):
            type_ok += bool(typed)
            full_ok += bool(full)
        status = "full" if full else "type" if typed else "matched" if matches else "missing"
        if status != "full":
            got = [(e["type"], [a.get("country") for a in e.get("actor") or []],
                    [a.get("country") for a in e.get("recipient") or []], e.get("modality")) for e in matches]
            notes.append(f"event {g['id']} ({'required' if g.get('required') else 'optional'}) {status}: {got}")
    m["events_required_type_correct"] = float(type_ok)
    m["events_required_fully_correct"] = float(full_ok)
    m["events_required_total"] = float(len(required))
    bad = 0
    for g in golden["not_asserted_events"]:
        hits = [e for e in events if fold(g["anchor"]) in fold(e.get("quote")) and e.get("modality") == "asserted"]
        bad += len(hits)
        for e in hits:
            notes.append(f"asserted event on a non-event ({g['anchor']!r}): {e['type']}")
    m["events_on_not_asserted"] = float(bad)
    m["events_from_boilerplate"] = float(sum(
        1 for e in events for s in body["must_not_contain"] if fold(s) in fold(e.get("quote"))))

    # -- actors and places --------------------------------------------------------
    actors = record.get("actors") or []
    found = 0
    for g in golden["actors"]:
        want_c = g["country"] if isinstance(g["country"], list) else [g["country"]]
        want_c = [_country(c) for c in want_c]
        hit = False
        for a in actors:
            ta, tg = fold(a.get("text")), fold(g["text"])
            if not (tg in ta or (len(ta) >= 3 and ta in tg)):
                continue
            if _country(a.get("country")) not in want_c or a.get("sector") not in g["sectors"]:
                continue
            if g.get("name_contains") and not any(fold(n) in fold(a.get("name")) for n in g["name_contains"]):
                if _country(a.get("country")) != "IGO":
                    continue
            hit = True
            break
        found += hit
        if not hit:
            cands = [(a.get("text"), a.get("country"), a.get("sector")) for a in actors
                     if fold(g["text"]) in fold(a.get("text")) or fold(a.get("text")) in fold(g["text"])]
            notes.append(f"actor {g['text']!r} not resolved; candidates {cands[:3]}")
    m["actors_resolved"] = float(found)
    m["actors_total"] = float(len(golden["actors"]))
    places = record.get("places") or []
    pfound = 0
    for g in golden["places"]:
        hit = any(fold(p.get("text")) == fold(g["text"]) and _country(p.get("country")) == _country(g["country"])
                  for p in places)
        pfound += hit
        if not hit:
            notes.append(f"place {g['text']!r} not resolved")
    m["places_resolved"] = float(pfound)

    # -- framing ------------------------------------------------------------------
    spans = record.get("framing") or []
    req_found = 0
    for g in golden["framing"]:
        loc = find(text, g["quote"])
        hit = bool(loc) and any(s["technique"] in g["techniques"] and s["start"] < loc[1] and s["end"] > loc[0]
                                for s in spans)
        if g.get("required"):
            req_found += hit
            if not hit:
                notes.append(f"framing {g['quote']!r} not found (in text: {bool(loc)})")
    m["framing_required_found"] = float(req_found)
    neutral = 0
    for sentence in golden["not_framing"]:
        loc = find(text, sentence)
        if loc:
            neutral += sum(1 for s in spans if s["start"] < loc[1] and s["end"] > loc[0])
    m["framing_on_neutral"] = float(neutral)
    m["genre_correct"] = float(record.get("genre") == meta.get("genre"))
    return m, notes


def analyse_seed(shared: Path) -> dict[str, Any]:
    from faultline.batch.jobs import analyze

    (record,) = [r.to_dict() for r in analyze([shared / "seed" / "kosovo-serbia-globalresearch.md"])]
    return record


def run(shared: Path) -> dict[str, float]:
    golden = json.loads((shared / "seed" / "golden.json").read_text("utf-8"))
    record = analyse_seed(shared)
    metrics, notes = score(record, golden)
    for line in notes:
        print(f"   seed: {line}", file=sys.stderr)
    return metrics


if __name__ == "__main__":
    from gates.run import shared_dir

    for k, v in run(shared_dir()).items():
        print(f"{k:40} {v}")
