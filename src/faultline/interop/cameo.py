"""The CAMEO → PLOVER table used by the GDELT/POLECAT importer and the GDELT exporter.

Two derived files feed it:

* ``data/events/codes.tsv`` — the event coder's own CAMEO table (built by
  scripts/build_event_lexicon.py, with its curated modes).  When present it
  wins for every code it lists, so imported and self-coded events share one
  mapping;
* ``data/cameo_plover.json`` — built by scripts/build_cameo_tables.py: every
  code PLOVER keeps, the PLOVER type table (quad class, PLOVER score, the
  CAMEO code written for a type) and CAMEO country-code aliases.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ..errors import ConfigError

__all__ = ["CameoTable", "load_cameo_table"]


@dataclass(frozen=True)
class CameoTable:
    codes: dict[str, dict[str, Any]]
    types: dict[str, dict[str, Any]]
    country_aliases: dict[str, str]

    def lookup(self, code: str | None) -> dict[str, Any] | None:
        """The PLOVER entry of a CAMEO code, falling back to its 3- and 2-digit ancestors."""
        code = (code or "").strip()
        if not code.isdigit():
            return None
        for k in (code, code[:3], code[:2]):
            if k in self.codes:
                return self.codes[k]
        return None

    def cameo_for(self, plover_type: str | None) -> str | None:
        return (self.types.get((plover_type or "").upper()) or {}).get("cameo")

    def country(self, code: str | None) -> str | None:
        code = (code or "").strip().upper()
        if not code:
            return None
        return self.country_aliases.get(code, code)


def _event_codes(types: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """``data/events/codes.tsv`` as code -> entry; {} when the file is absent."""
    try:
        text = resources.files("faultline").joinpath("data/events/codes.tsv").read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        return {}
    out: dict[str, dict[str, Any]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < 6 or not cells[0].isdigit() or cells[1] not in types:
            raise ConfigError(f"data/events/codes.tsv line {n} is not 'code, type, mode, contexts, quad, goldstein'; "
                              "rebuild it with scripts/build_event_lexicon.py.")
        code, ptype, mode, contexts, _quad, goldstein = cells[:6]
        out[code] = {"type": ptype, "mode": mode or None,
                     "contexts": [c for c in re.split(r"[;,]", contexts) if c],
                     "quad_class": types[ptype]["quad_class"],
                     "goldstein": float(goldstein) if goldstein else None,
                     "plover_score": types[ptype]["plover_score"]}
    return out


def load_cameo_table() -> CameoTable:
    try:
        raw = resources.files("faultline").joinpath("data/cameo_plover.json").read_text("utf-8")
    except FileNotFoundError as exc:
        raise ConfigError("src/faultline/data/cameo_plover.json is missing; run scripts/build_cameo_tables.py.") from exc
    data = json.loads(raw)
    codes = dict(data["codes"])
    codes.update(_event_codes(data["types"]))
    table = CameoTable(codes=codes, types={t: dict(v) for t, v in data["types"].items()},
                       country_aliases=data.get("country_aliases", {}))
    # The code written for a type without a CAMEO code of its own must read back as that type.  The
    # JSON chose it on its own codes, where root 08 is CONCEDE; the event coder's table, which wins,
    # makes 08 RETREAT, so a CONCEDE exported as 08 came back as RETREAT.  Such a type gets its most
    # general code in the merged table instead.
    for t, v in table.types.items():
        back = table.lookup(v.get("cameo"))
        if back is None or back["type"] != t:
            mine = sorted((c for c, e in codes.items() if e["type"] == t), key=lambda c: (len(c), c))
            v["cameo"] = mine[0] if mine else None
    return table
