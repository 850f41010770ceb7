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


def _read(name: str) -> str:
    try:
        return resources.files("faultline").joinpath(f"data/events/{name}").read_text("utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"src/faultline/data/events/{name} is missing; run scripts/build_event_lexicon.py.") from exc


def _event_codes(types: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """``data/events/codes.tsv`` as code -> entry."""
    out: dict[str, dict[str, Any]] = {}
    for n, line in enumerate(_read("codes.tsv").splitlines(), 1):
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
    data = json.loads(_read("cameo_types.json"))
    types = {t: dict(v) for t, v in data["types"].items()}
    return CameoTable(codes=_event_codes(types), types=types, country_aliases=data.get("country_aliases", {}))
