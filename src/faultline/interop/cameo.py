"""The CAMEO → PLOVER table used by the GDELT/POLECAT importer and the GDELT exporter.

It is the event coder's own reading of CAMEO, so imported and self-coded events
share one mapping.  Both files are built by scripts/build_event_lexicon.py:

* ``data/events/codes.tsv`` — every CAMEO code with its PLOVER type, mode,
  contexts, quad class and Goldstein score (with the curated modes);
* ``data/events/cameo_types.json`` — per PLOVER type its quad class, PLOVER
  score and the CAMEO code written for an event without one of its own (the
  type's most general code in ``codes.tsv``), and the CAMEO country-code
  aliases such as ``KSV`` → ``XKX``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..stages.events.lexicon import load_codes, read_vocabulary

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


def load_cameo_table() -> CameoTable:
    data = json.loads(read_vocabulary("cameo_types.json"))
    types = {t: dict(v) for t, v in data["types"].items()}
    codes = {c.code: {"type": c.type, "mode": c.mode or None, "contexts": list(c.contexts),
                      "quad_class": types[c.type]["quad_class"], "goldstein": c.goldstein,
                      "plover_score": types[c.type]["plover_score"]}
             for c in load_codes(types).values()}
    return CameoTable(codes=codes, types=types, country_aliases=data.get("country_aliases", {}))
