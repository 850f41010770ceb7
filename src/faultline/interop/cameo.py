"""The derived CAMEO → PLOVER table (built by scripts/build_cameo_tables.py)."""
from __future__ import annotations

import json
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


def load_cameo_table() -> CameoTable:
    try:
        raw = resources.files("faultline").joinpath("data/cameo_plover.json").read_text("utf-8")
    except FileNotFoundError as exc:
        raise ConfigError("src/faultline/data/cameo_plover.json is missing; run scripts/build_cameo_tables.py.") from exc
    data = json.loads(raw)
    return CameoTable(codes=data["codes"], types=data["types"], country_aliases=data.get("country_aliases", {}))
