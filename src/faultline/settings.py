"""Configuration is data, resolved once at the edge.

The commented defaults live in ``defaults.toml`` next to this module.  A user
file (``--config FILE`` or ``$FAULTLINE_CONFIG``) overrides only the keys it
names.  The two are merged into one :class:`Settings` object that is passed
explicitly to every stage; there are no module-level globals.

Each stage keeps its own typed options: it declares a frozen dataclass and asks
for it with :meth:`Settings.options`, which checks the section's keys and
types against the dataclass.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any, Mapping, TypeVar

from .errors import ConfigError

__all__ = ["PipelineOptions", "Settings", "StoreOptions"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PipelineOptions:
    stages: tuple[str, ...] = ("extract", "nlp")
    batch_size: int = 32
    #: hide the objects alive when a run starts (the loaded models) from the cyclic garbage collector
    freeze_heap: bool = True


@dataclass(frozen=True, slots=True)
class StoreOptions:
    path: str = "faultline.duckdb"
    commit_docs: int = 256
    memory_limit: str = "128MB"


def _merge(base: dict[str, Any], over: Mapping[str, Any], where: str = "") -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value, f"{where}{key}.")
        else:
            out[key] = value
    return out


def _coerce(cls: type[T], section: str, raw: Mapping[str, Any]) -> T:
    known = {f.name: f for f in fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise ConfigError(
            f"unknown setting(s) {', '.join(section + '.' + u for u in unknown)}; "
            f"known keys in [{section}]: {', '.join(sorted(known))}."
        )
    values = {}
    for key, value in raw.items():
        values[key] = tuple(value) if isinstance(value, list) else value
    try:
        return cls(**values)
    except TypeError as exc:
        raise ConfigError(f"bad value in [{section}]: {exc}") from exc


@dataclass(frozen=True)
class Settings:
    """All configuration, resolved once.  Immutable; pass it explicitly."""

    raw: Mapping[str, Any]
    source: str = "defaults"

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None, *,
             overrides: Mapping[str, Any] | None = None) -> "Settings":
        text = resources.files("faultline").joinpath("defaults.toml").read_text("utf-8")
        data = tomllib.loads(text)
        source = "defaults"
        path = path or os.environ.get("FAULTLINE_CONFIG")
        if path:
            p = Path(path)
            if not p.is_file():
                raise ConfigError(f"config file {p} does not exist; pass an existing TOML file to --config.")
            try:
                data = _merge(data, tomllib.loads(p.read_text("utf-8")))
            except tomllib.TOMLDecodeError as exc:
                raise ConfigError(f"{p} is not valid TOML: {exc}") from exc
            source = str(p)
        if overrides:
            data = _merge(data, overrides)
        return cls(raw=data, source=source)

    def section(self, name: str) -> Mapping[str, Any]:
        value = self.raw.get(name, {})
        if not isinstance(value, Mapping):
            raise ConfigError(f"[{name}] must be a table in the config file.")
        return value

    def options(self, name: str, cls: type[T]) -> T:
        """The typed options of section ``name``, checked against ``cls``."""
        return _coerce(cls, name, self.section(name))

    @property
    def pipeline(self) -> PipelineOptions:
        return self.options("pipeline", PipelineOptions)

    @property
    def store(self) -> StoreOptions:
        return self.options("store", StoreOptions)

    def with_overrides(self, overrides: Mapping[str, Any]) -> "Settings":
        return Settings(raw=_merge(dict(self.raw), overrides), source=self.source)
