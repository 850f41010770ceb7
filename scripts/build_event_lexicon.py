#!/usr/bin/env python3
"""Build the event coder's shipped vocabulary from shared data plus our curation.

Inputs (never copied into the repository, only read):

* ``$FAULTLINE_SHARED/data/petrarch2/CAMEO.2.0.txt`` — PETRARCH2's CAMEO verb
  patterns (verb synonym blocks, object/subject/preposition patterns);
* ``$FAULTLINE_SHARED/data/plover/CAMEO2PLOVER-2021.txt`` — CAMEO code →
  PLOVER type, mode and context;
* ``$FAULTLINE_SHARED/data/cameo/CAMEO.goldsteinscale.tsv`` — Goldstein scores;
* ``src/faultline/data/events/curation.toml`` — our own curation: the PLOVER
  type table, mode fixes, removals, overrides and the modern vocabulary
  (verbs and nominal triggers) that CAMEO lacks.

Outputs (our own format, documented in ``docs/events.md``):

* ``src/faultline/data/events/lexicon.json`` — verb and noun triggers;
* ``src/faultline/data/events/codes.tsv`` — every CAMEO code with its PLOVER
  type, mode, contexts, quad class and Goldstein score;
* ``src/faultline/data/events/cameo_types.json`` — per PLOVER type its quad
  class, PLOVER score and the CAMEO code the GDELT exporter writes for it (the
  most general code of ``codes.tsv`` that maps to the type, so it reads back
  as the type), plus the CAMEO country-code aliases.  The GDELT/POLECAT
  interop reads these two files, so imported and self-coded events share one
  reading of the CAMEO table.

Usage::

    python scripts/build_event_lexicon.py [--shared PATH]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "faultline" / "data" / "events"
CURATION = DATA / "curation.toml"

CODE_RE = re.compile(r"\[([^\]]*)\]")


def shared_dir(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    env = os.environ.get("FAULTLINE_SHARED")
    return Path(env) if env else ROOT.parent / "shared"


# --------------------------------------------------------------------------- CAMEO → PLOVER
def read_cameo2plover(path: Path) -> dict[str, tuple[str, str, list[str]]]:
    out: dict[str, tuple[str, str, list[str]]] = {}
    for line in path.read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        m = re.match(r"^(\d{2,4}):\s*(.*)$", line)
        if not m:
            continue
        code, rest = m.groups()
        parts = [p.strip() for p in rest.split(",")]
        ptype = parts[0].upper()
        mode = parts[1].strip() if len(parts) > 1 else ""
        ctx = [c.strip() for c in parts[2].split(";")] if len(parts) > 2 else []
        out[code] = (ptype, mode, [c for c in ctx if c])
    return out


def read_goldstein(path: Path) -> dict[str, float]:
    out = {}
    for line in path.read_text("utf-8").splitlines()[1:]:
        bits = line.strip().split("\t")
        if len(bits) == 2:
            out[bits[0]] = float(bits[1])
    return out


def build_codes(c2p, gold, cur) -> dict[str, dict]:
    """Every CAMEO code (from both tables) → type/mode/contexts/quad/goldstein."""
    types = cur["plover"]
    root_type = {k: v for k, v in cur["cameo_root_type"].items()}
    mode_fix = cur.get("mode_fix", {})
    type_fix = cur.get("type_fix", {})
    valid_ctx = set(cur["contexts"])
    codes: dict[str, dict] = {}
    for code in sorted(set(c2p) | set(gold)):
        root = code[:2]
        ptype, mode, ctx = c2p.get(code, ("", "", []))
        if not ptype or ptype not in types:
            # fall back to the nearest ancestor in the table, then to the root rule
            for k in (code[:3], code[:2]):
                if k in c2p and c2p[k][0] in types:
                    ptype = c2p[k][0]
                    break
            else:
                ptype = root_type.get(root, "")
        if code in type_fix:
            ptype = type_fix[code]
        if not ptype:
            continue  # 01 (statements) and other roots PLOVER drops
        if code in mode_fix:
            mode = mode_fix[code]
        elif code not in c2p:
            for k in (code[:3], code[:2]):
                if k in mode_fix:
                    mode = mode_fix[k]
                    break
                if k in c2p and c2p[k][0] == ptype:
                    mode = c2p[k][1]
                    break
        if mode not in types[ptype]["modes"]:
            mode = ""
        ctx = [c for c in ctx if c in valid_ctx]
        g = gold.get(code)
        if g is None:
            for k in (code[:3], code[:2]):
                if k in gold:
                    g = gold[k]
                    break
        codes[code] = {
            "type": ptype, "mode": mode, "contexts": ctx,
            "quad": types[ptype]["quad"], "goldstein": g,
        }
    return codes


def cameo_types(codes: dict[str, dict], cur: dict) -> dict:
    """The interop's type table: quad, PLOVER score and export code per type, and country aliases.

    A type's export code is its most general code (shortest, then smallest) in ``codes``: the code
    the exporter writes for an event without a CAMEO code of its own, which the importer reads back
    as the same type.  Roots folded in by ``[cameo_root_type]`` (02, appeals, read as REQUEST) are
    read but not written: a REQUEST goes out as CAMEO's 10, not as an appeal.  A type no code maps
    to gets ``null``.
    """
    folded = tuple(cur.get("cameo_root_type", {}))
    types = {}
    for t, spec in cur["plover"].items():
        mine = sorted((c for c, v in codes.items() if v["type"] == t and not c.startswith(folded)),
                      key=lambda c: (len(c), c))
        types[t] = {"quad_class": spec["quad"], "plover_score": spec["score"], "cameo": mine[0] if mine else None}
    return {"format": "faultline-cameo-types/1", "built_by": "scripts/build_event_lexicon.py",
            "types": types, "country_aliases": dict(sorted(cur.get("cameo_country_aliases", {}).items()))}


# --------------------------------------------------------------------------- CAMEO verb patterns
def _word(w: str) -> str:
    return w.strip().strip("_").replace("_", " ").lower()


def read_synsets(lines: list[str]) -> dict[str, list[str]]:
    sets: dict[str, list[str]] = {}
    cur = None
    for line in lines:
        s = line.split("#", 1)[0].rstrip()
        if s.startswith("&"):
            cur = s.strip()
            sets[cur] = []
        elif s.startswith("+") and cur:
            sets[cur].append(_word(s[1:]))
        elif not s.strip():
            cur = None
        if "VERB PATTERNS" in line:
            break
    return sets


def _code(raw: str) -> str | None:
    raw = raw.strip()
    if ":" in raw:
        a, b = raw.split(":", 1)
        raw = a.strip() or b.strip()
    if not raw or "-" in raw or not raw.isdigit():
        return None
    return raw


def _slots(tokens: str, synsets: dict[str, list[str]]) -> list[list[str]] | None:
    """Pattern text → list of slots; each slot is a list of alternative words."""
    slots: list[list[str]] = []
    text = tokens.replace("(", " ").replace(")", " ").replace("{", " ").replace("}", " ")
    for tok in text.split():
        if tok in ("$", "+", "^", "%", "*") or tok.startswith("~"):
            continue
        if tok.startswith("&"):
            alts = synsets.get(tok) or synsets.get(tok.rstrip("_"))
            if not alts:
                return None
            slots.append(sorted(set(alts)))
        else:
            w = _word(tok)
            if w:
                slots.append([w])
    return slots


def read_verbs(path: Path) -> tuple[dict[str, dict], dict[str, list[dict]]]:
    """CAMEO verb blocks → (verbs, blocks).

    ``verbs[lemma] = {"code": default CAMEO code or None, "blocks": [block ids],
    "patterns": [patterns of its own]}``; ``blocks[id]`` holds the patterns that
    every verb of a synonym block shares (as in PETRARCH).
    """
    lines = path.read_text("utf-8", errors="replace").splitlines()
    synsets = read_synsets(lines)
    start = next(i for i, l in enumerate(lines) if "VERB PATTERNS" in l)
    verbs: dict[str, dict] = {}
    blocks: dict[str, list[dict]] = {}
    block_id = ""
    block_code: str | None = None

    def entry(lemma: str) -> dict:
        return verbs.setdefault(lemma, {"code": None, "blocks": [], "patterns": [], "src": "cameo"})

    for line in lines[start + 1:]:
        raw = line.split("#", 1)[0].rstrip()
        if not raw.strip():
            continue
        if raw.startswith("---"):
            m = CODE_RE.search(raw)
            block_code = _code(m.group(1)) if m else None
            name = raw.strip("- ").split()[0] if raw.strip("- ").split() else "block"
            block_id = name.lower()
            while block_id in blocks:
                block_id += "+"
            blocks[block_id] = []
            continue
        if raw.startswith("-"):
            body = raw[1:]
            m = CODE_RE.search(body)
            if not m:
                continue
            code = _code(m.group(1))
            if code is None:
                continue
            body = body[: m.start()]
            if "*" not in body:
                continue
            before, after = body.split("*", 1)
            b, a = _slots(before, synsets), _slots(after, synsets)
            if b is None or a is None or (not a and not b):
                continue
            blocks[block_id].append({"before": b, "after": a, "code": code})
            continue
        # a verb line: [+]WORD[_PARTICLE] [{forms}] [code]
        m = CODE_RE.search(raw)
        code = _code(m.group(1)) if m else None
        head = re.sub(r"\{[^}]*\}", " ", CODE_RE.sub(" ", raw)).split()
        if not head:
            continue
        word = head[0].lstrip("+")
        bits = [w.lower() for w in word.split("_") if w]
        if not bits or not bits[0].isalpha():
            continue
        lemma, parts = bits[0], bits[1:]
        e = entry(lemma)
        if block_id and block_id not in e["blocks"]:
            e["blocks"].append(block_id)
        vcode = code or block_code
        if parts:
            if vcode:
                e["patterns"].append({"before": [], "after": [[x] for x in parts], "code": vcode})
        elif vcode and e["code"] is None:
            e["code"] = vcode
    return verbs, blocks


# --------------------------------------------------------------------------- curation
def _cur_slots(items) -> list[list[str]]:
    return [[w.strip().lower() for w in str(s).split("|") if w.strip()] for s in items or []]


FUNCTION_WORDS = frozenset("to for with on in at of from by against into over up out off down back about "
                           "as after before through toward towards under upon away around across".split())


def _clean(patterns: list[dict], codes: dict, *, shared_block: bool = False) -> list[dict]:
    keep, seen = [], set()
    for p in patterns:
        if p["code"] not in codes and "type" not in p:
            continue
        slots = p["before"] + p["after"]
        if shared_block and slots and all(set(s) <= FUNCTION_WORDS for s in slots):
            continue  # a block-wide pattern on a bare preposition is too weak to code on
        key = (json.dumps(p["before"]), json.dumps(p["after"]))
        if key in seen:
            continue
        seen.add(key)
        keep.append(p)
    return keep


def apply_curation(verbs: dict, blocks: dict, cur: dict, codes: dict) -> tuple[dict, dict, dict]:
    removals = cur.get("removals", {})
    for lemma in removals.get("verbs", []):
        verbs.pop(lemma, None)
    for lemma in removals.get("no_block_patterns", []):
        if lemma in verbs:
            verbs[lemma]["blocks"] = []
            verbs[lemma]["patterns"] = [p for p in verbs[lemma]["patterns"] if p.get("src") == "curated"]
    for lemma in removals.get("no_default", []):
        if lemma in verbs:
            verbs[lemma]["code"] = None
    keep = cur.get("keep_defaults", {})
    for lemma, v in verbs.items():
        if v["code"] in keep and lemma not in keep[v["code"]]:
            v["code"] = None
    for lemma, code in cur.get("default_override", {}).items():
        verbs.setdefault(lemma, {"code": None, "blocks": [], "patterns": [], "src": "curated"})["code"] = code
    for entry in cur.get("verb", []):
        v = verbs.setdefault(entry["lemma"], {"code": None, "blocks": [], "patterns": [], "src": "curated"})
        if "code" in entry:
            v["code"] = entry["code"]
        for key in ("type", "mode"):
            if key in entry:
                v[key] = entry[key]
        curated = []
        for p in entry.get("patterns", []):
            pat = {"before": _cur_slots(p.get("before")), "after": _cur_slots(p.get("after")),
                   "code": p["code"], "src": "curated"}
            for key in ("type", "mode", "agent"):
                if key in p:
                    pat[key] = p[key]
            curated.append(pat)
        v["patterns"][0:0] = curated  # curated first, in the order written (first wins a tie)
    # drop patterns whose code PLOVER does not keep, and keep the lexicon small
    for lemma, v in list(verbs.items()):
        if v["code"] and v["code"] not in codes:
            v["code"] = None
        v["patterns"] = _clean(v["patterns"], codes)
    for bid in list(blocks):
        blocks[bid] = _clean(blocks[bid], codes, shared_block=True)
        if not blocks[bid]:
            del blocks[bid]
    for lemma, v in list(verbs.items()):
        v["blocks"] = [b for b in v["blocks"] if b in blocks]
        if not v["code"] and not v["patterns"] and not v["blocks"] and "type" not in v:
            del verbs[lemma]
    nouns: dict[str, dict] = {}
    for entry in cur.get("noun", []):
        for w in entry["words"].split("|"):
            w = w.strip().lower()
            if not w:
                continue
            n = {"code": entry["code"], "src": "curated"}
            for key in ("type", "mode", "needs"):
                if key in entry:
                    n[key] = entry[key]
            nouns[w] = n
    return verbs, blocks, nouns


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", help="shared data folder (default $FAULTLINE_SHARED or ../shared)")
    args = ap.parse_args(argv)
    shared = shared_dir(args.shared)
    need = [shared / "data/petrarch2/CAMEO.2.0.txt", shared / "data/plover/CAMEO2PLOVER-2021.txt",
            shared / "data/cameo/CAMEO.goldsteinscale.tsv"]
    missing = [str(p) for p in need if not p.is_file()]
    if missing:
        print(f"build_event_lexicon: missing {', '.join(missing)}; set FAULTLINE_SHARED.", file=sys.stderr)
        return 2
    cur = tomllib.loads(CURATION.read_text("utf-8"))
    c2p = read_cameo2plover(need[1])
    gold = read_goldstein(need[2])
    for code in cur.get("extra_codes", {}):
        c2p.setdefault(code, tuple(cur["extra_codes"][code]))  # type: ignore[arg-type]
    codes = build_codes(c2p, gold, cur)
    verbs, blocks = read_verbs(need[0])
    n_cameo = sum(len(v["patterns"]) for v in verbs.values()) + sum(len(b) for b in blocks.values())
    verbs, blocks, nouns = apply_curation(verbs, blocks, cur, codes)
    everything = (list(nouns.values()) + list(verbs.values()) + [p for v in verbs.values() for p in v["patterns"]]
                  + [p for b in blocks.values() for p in b])
    for e in everything:
        c = e.get("code")
        if c and c not in codes:
            print(f"build_event_lexicon: unknown code {c} in curation", file=sys.stderr)
            return 1
    lexicon = {
        "format": "faultline-event-lexicon/1",
        "built_by": "scripts/build_event_lexicon.py",
        "sources": ["petrarch2/CAMEO.2.0.txt (MIT)", "plover/CAMEO2PLOVER-2021.txt (CC BY-SA 4.0)",
                    "src/faultline/data/events/curation.toml"],
        "verbs": dict(sorted(verbs.items())),
        "blocks": dict(sorted(blocks.items())),
        "nouns": dict(sorted(nouns.items())),
    }
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "lexicon.json").write_text(json.dumps(lexicon, indent=0, sort_keys=False, ensure_ascii=False) + "\n", "utf-8")
    rows = ["# code\ttype\tmode\tcontexts\tquad\tgoldstein  (built by scripts/build_event_lexicon.py)"]
    for code, c in sorted(codes.items()):
        g = "" if c["goldstein"] is None else f"{c['goldstein']:g}"
        rows.append(f"{code}\t{c['type']}\t{c['mode']}\t{';'.join(c['contexts'])}\t{c['quad']}\t{g}")
    (DATA / "codes.tsv").write_text("\n".join(rows) + "\n", "utf-8")
    (DATA / "cameo_types.json").write_text(json.dumps(cameo_types(codes, cur), indent=1, ensure_ascii=False) + "\n",
                                           "utf-8")
    n_pat = sum(len(v["patterns"]) for v in verbs.values()) + sum(len(b) for b in blocks.values())
    print(f"build_event_lexicon: {len(codes)} codes, {len(verbs)} verbs "
          f"({n_pat} patterns kept of {n_cameo} read), {len(nouns)} nominal triggers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
