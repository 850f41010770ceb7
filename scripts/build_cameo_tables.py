#!/usr/bin/env python3
"""Derive the CAMEO → PLOVER table that the GDELT importer and exporter use.

Inputs (read only, never copied):

* ``$FAULTLINE_SHARED/data/plover/CAMEO2PLOVER-2021.txt`` — every 2-, 3- and
  4-digit CAMEO code with a PLOVER type, mode and contexts;
* ``$FAULTLINE_SHARED/data/cameo/CAMEO.goldsteinscale.tsv`` — GDELT's
  Goldstein score of each CAMEO code.

Our own curation (below, as data of this script): the 16 PLOVER types with
their quad class, PLOVER score and valid modes (from the ontology), the type
names renamed since 2021, and the CAMEO country codes that are not ISO 3166
alpha-3.

Output: ``src/faultline/data/cameo_plover.json``::

    {"codes": {"1823": {"type": "ASSAULT", "mode": null, "contexts": [],
                        "quad_class": 4, "goldstein": -10.0, "plover_score": -9.0}, ...},
     "types": {"ASSAULT": {"quad_class": 4, "plover_score": -9.0, "cameo": "190"}, ...},
     "country_aliases": {"KSV": "XKX", ...}}

``types[T].cameo`` is the code the exporter writes for a PLOVER type without a
CAMEO code of its own (the most general code mapped to that type).

Usage::

    python scripts/build_cameo_tables.py [--shared PATH] [--out FILE]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "faultline" / "data" / "cameo_plover.json"

# --- curation --------------------------------------------------------------
# type: (quad class, PLOVER score, modes) — docs/ontology table of the 16 types.
PLOVER_TYPES = {
    "AGREE": (1, 2.5, ""),
    "CONSULT": (1, 2.5, "visit third-party multilateral phone"),
    "SUPPORT": (1, 5.0, ""),
    "CONCEDE": (1, 4.5, ""),
    "COOPERATE": (2, 9.5, ""),
    "AID": (2, 10.0, ""),
    "RETREAT": (2, 6.5, "withdraw release disarm ceasefire access resign"),
    "REQUEST": (3, 0.0, "assist change yield meet"),
    "ACCUSE": (3, -3.0, "disapprove investigate allege"),
    "REJECT": (3, -2.0, "assist change yield meet"),
    "THREATEN": (3, -3.5, "restrict arrest relations expel territory violence"),
    "PROTEST": (4, -5.0, "demo riot strike hunger boycott obstruct vandalize"),
    "SANCTION": (4, -6.0, "convict expel withdraw discontinue"),
    "MOBILIZE": (4, -5.5, "troops weapons police militia"),
    "COERCE": (4, -7.0, "seize restrict censor curfew martial-law arrest deport withhold misinformation cyber"),
    "ASSAULT": (4, -9.0, "abduct beat torture sexual targeted destroy primitive firearms explosives "
                         "suicide-attack aerial drone heavy-weapons crowd-control unconventional"),
}
# early PLOVER names still found in older tables
RENAMED = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
# CAMEO roots PLOVER keeps, when a code is missing from the 2021 table (ontology.md)
ROOT_TYPE = {"03": "AGREE", "04": "CONSULT", "05": "SUPPORT", "06": "COOPERATE", "07": "AID",
             "09": "ACCUSE", "10": "REQUEST", "11": "ACCUSE", "12": "REJECT", "13": "THREATEN",
             "14": "PROTEST", "15": "MOBILIZE", "16": "SANCTION", "17": "COERCE", "18": "ASSAULT",
             "19": "ASSAULT", "20": "ASSAULT"}
# CAMEO/GDELT actor country codes that differ from ISO 3166-1 alpha-3
COUNTRY_ALIASES = {"KSV": "XKX", "KOS": "XKX", "ROM": "ROU", "TMP": "TLS", "ZAR": "COD",
                   "SRB": "SRB", "YUG": "SRB", "SCG": "SRB", "BUR": "MMR", "GZS": "PSE", "WST": "PSE"}


def shared_dir(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    env = os.environ.get("FAULTLINE_SHARED")
    return Path(env) if env else ROOT.parent / "shared"


def read_cameo2plover(path: Path) -> dict[str, tuple[str, str, list[str]]]:
    out: dict[str, tuple[str, str, list[str]]] = {}
    for raw in path.read_text("utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        m = re.match(r"^(\d{2,4}):\s*(.*)$", line)
        if not m:
            continue
        code, rest = m.groups()
        parts = [p.strip() for p in rest.split(",")]
        ptype = RENAMED.get(parts[0].upper(), parts[0].upper())
        mode = parts[1] if len(parts) > 1 else ""
        ctx = [c.strip() for c in parts[2].split(";")] if len(parts) > 2 else []
        out.setdefault(code, (ptype, mode, [c for c in ctx if c]))
    return out


def read_goldstein(path: Path) -> dict[str, float]:
    out = {}
    for line in path.read_text("utf-8").splitlines()[1:]:
        bits = line.strip().split("\t")
        if len(bits) == 2 and bits[0].isdigit():
            out[bits[0]] = float(bits[1])
    return out


def build(c2p: dict, gold: dict) -> dict:
    codes: dict[str, dict] = {}
    for code in sorted(set(c2p) | set(gold), key=lambda c: (len(c), c)):
        ptype, mode, ctx = c2p.get(code, ("", "", []))
        if ptype not in PLOVER_TYPES:
            ptype = ""
            for k in (code[:3], code[:2]):
                if k != code and k in c2p and c2p[k][0] in PLOVER_TYPES:
                    ptype, mode, ctx = c2p[k]
                    break
            else:
                ptype = ROOT_TYPE.get(code[:2], "")
        if not ptype:
            continue  # roots 01 and 02 are dropped in PLOVER
        quad, score, modes = PLOVER_TYPES[ptype]
        mode = mode.strip()
        if mode not in modes.split():
            mode = ""
        g = gold.get(code)
        if g is None:
            g = next((gold[k] for k in (code[:3], code[:2]) if k in gold), None)
        codes[code] = {"type": ptype, "mode": mode or None, "contexts": ctx, "quad_class": quad,
                       "goldstein": g, "plover_score": score}
    types = {}
    for t, (quad, score, _modes) in PLOVER_TYPES.items():
        general = sorted((c for c, v in codes.items() if v["type"] == t), key=lambda c: (len(c), c))
        types[t] = {"quad_class": quad, "plover_score": score, "cameo": general[0] if general else None}
    return {"codes": codes, "types": types, "country_aliases": COUNTRY_ALIASES,
            "sources": ["plover/CAMEO2PLOVER-2021.txt (CC BY-SA 4.0)", "cameo/CAMEO.goldsteinscale.tsv (GDELT)"]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", help="the shared data folder (default $FAULTLINE_SHARED or ../shared)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    shared = shared_dir(args.shared)
    c2p_path = shared / "data/plover/CAMEO2PLOVER-2021.txt"
    gold_path = shared / "data/cameo/CAMEO.goldsteinscale.tsv"
    for p in (c2p_path, gold_path):
        if not p.is_file():
            print(f"missing {p}; set FAULTLINE_SHARED to the shared data folder.", file=sys.stderr)
            return 2
    table = build(read_cameo2plover(c2p_path), read_goldstein(gold_path))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(table, indent=1, sort_keys=True, ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {args.out} ({len(table['codes'])} CAMEO codes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
