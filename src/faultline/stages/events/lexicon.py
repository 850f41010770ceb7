"""Load the event coder's vocabulary (package data, built by scripts/build_event_lexicon.py).

``lexicon.json`` holds verb and noun triggers, ``codes.tsv`` maps each CAMEO
code to PLOVER, ``curation.toml`` carries the PLOVER type table and
``cues.toml`` the modality and context cues.  See docs/events.md.
"""
from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any, Mapping

from ...errors import ConfigError

__all__ = ["CodeInfo", "Lexicon", "Pattern", "load_codes", "load_lexicon", "read_vocabulary"]


@dataclass(frozen=True, slots=True)
class CodeInfo:
    code: str
    type: str
    mode: str
    contexts: tuple[str, ...]
    quad: int
    goldstein: float | None


@dataclass(frozen=True, slots=True)
class Pattern:
    """A trigger pattern: word slots required before/after the verb."""

    code: str
    before: tuple[frozenset[str], ...] = ()
    after: tuple[frozenset[str], ...] = ()
    type: str | None = None
    mode: str | None = None
    curated: bool = False

    @property
    def weight(self) -> int:
        return len(self.before) + len(self.after)


def _pattern(p: Mapping[str, Any]) -> Pattern:
    return Pattern(
        code=p["code"],
        before=tuple(frozenset(s) for s in p.get("before", ())),
        after=tuple(frozenset(s) for s in p.get("after", ())),
        type=p.get("type"), mode=p.get("mode"), curated=p.get("src") == "curated",
    )


@dataclass(frozen=True)
class Lexicon:
    verbs: Mapping[str, tuple[str | None, tuple[Pattern, ...], str | None, str | None]]  # lemma -> (default, patterns, mode, type)
    nouns: Mapping[str, tuple[str, str | None]]  # phrase -> (code, mode)
    codes: Mapping[str, CodeInfo]
    types: Mapping[str, Mapping[str, Any]]
    cues: Mapping[str, Any]
    mode_scores: Mapping[str, float]
    calibration: Mapping[str, float] = None  # type: ignore[assignment]

    def info(self, code: str) -> CodeInfo | None:
        return self.codes.get(code)

    def cue(self, name: str) -> frozenset[str]:
        return self._cueset(name)

    def _cueset(self, name: str) -> frozenset[str]:
        value = self.cues.get(name)
        if value is None:
            raise ConfigError(f"cue list {name!r} is missing from events/cues.toml; restore it from git.")
        return value


def read_vocabulary(name: str) -> str:
    """The text of a shipped file of ``faultline/data/events`` (ConfigError when it is missing)."""
    ref = resources.files("faultline").joinpath("data", "events", name)
    try:
        return ref.read_text("utf-8")
    except FileNotFoundError as exc:  # pragma: no cover - packaging error
        raise ConfigError(f"event vocabulary {name} is missing from faultline/data/events; "
                          "rebuild it with `python scripts/build_event_lexicon.py`.") from exc


def load_codes(types: Mapping[str, Any]) -> dict[str, CodeInfo]:
    """``codes.tsv``: every CAMEO code -> its PLOVER type, mode, contexts, quad class and Goldstein score.

    The event coder and the GDELT/POLECAT interop both read CAMEO through this table.  A line that
    is not six tab-separated cells with a type of ``types`` is a ConfigError naming the line.
    """
    codes = {}
    for n, line in enumerate(read_vocabulary("codes.tsv").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < 6 or not cells[0].isdigit() or cells[1] not in types:
            raise ConfigError(f"data/events/codes.tsv line {n} is not 'code, type, mode, contexts, quad, goldstein'; "
                              "rebuild it with `python scripts/build_event_lexicon.py`.")
        code, ptype, mode, ctx, quad, gold = cells[:6]
        codes[code] = CodeInfo(code, ptype, mode, tuple(c for c in ctx.split(";") if c), int(quad),
                               float(gold) if gold else None)
    return codes


def load_lexicon() -> Lexicon:
    """Read the shipped vocabulary (call once per stage/coder, not per document)."""
    raw = json.loads(read_vocabulary("lexicon.json"))
    blocks = {bid: tuple(_pattern(p) for p in pats) for bid, pats in raw.get("blocks", {}).items()}
    verbs = {}
    for lemma, v in raw["verbs"].items():
        pats = tuple(_pattern(p) for p in v.get("patterns", ()))
        for bid in v.get("blocks", ()):
            pats += blocks.get(bid, ())
        verbs[lemma] = (v.get("code"), pats, v.get("mode"), v.get("type"))
    nouns = {w: (n["code"], n.get("mode")) for w, n in raw["nouns"].items()}
    cur = tomllib.loads(read_vocabulary("curation.toml"))
    codes = load_codes(cur["plover"])
    cues_raw = tomllib.loads(read_vocabulary("cues.toml"))
    cues: dict[str, Any] = {}
    for section, table in cues_raw.items():
        for key, value in table.items():
            if isinstance(value, list):
                cues[f"{section}.{key}"] = frozenset(str(v).lower() for v in value)
            else:
                cues[f"{section}.{key}"] = value
    try:
        calibration = json.loads(read_vocabulary("calibration.json")).get("weights", {})
    except Exception:  # noqa: BLE001 - optional file; the hand weights in cues.toml apply
        calibration = {}
    return Lexicon(verbs=verbs, nouns=nouns, codes=codes, types=cur["plover"], cues=cues,
                   mode_scores=cur.get("mode_scores", {}), calibration=calibration)
