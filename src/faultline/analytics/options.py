"""Typed options of the ``[analytics]`` section (see defaults.toml)."""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import ConfigError

__all__ = ["AnalyticsOptions", "LEVELS", "FREQS"]

LEVELS = ("country", "sector")
FREQS = ("day", "week")


@dataclass(frozen=True, slots=True)
class AnalyticsOptions:
    # Event modalities that count in dyads, series, alerts and networks.
    modalities: tuple[str, ...] = ("asserted",)
    # Count an actor's events with its own country (SYR-SYR) as a dyad.
    include_domestic: bool = True
    # Half-life, in periods, of the trailing EWMA baseline.
    halflife_days: float = 14.0
    halflife_weeks: float = 6.0
    # Weight, in articles of coverage, of the prior rate that seeds the baseline.
    prior_weight: float = 20.0
    # An alert needs a score (-log10 Poisson tail probability) at or above this ...
    threshold: float = 3.0
    # ... and at least this many conflict events in the period.
    min_events: int = 3
    # "Current" alerts on the overview: the last N days of stored data.
    recent_days: int = 30
    # Default and largest list sizes.
    default_limit: int = 20
    max_limit: int = 10000
    # Nodes in an actor network besides the actor itself.
    network_size: int = 30

    def __post_init__(self) -> None:
        if self.halflife_days <= 0 or self.halflife_weeks <= 0:
            raise ConfigError("[analytics] halflife_days and halflife_weeks must be > 0.")
        if self.prior_weight < 0 or self.min_events < 1:
            raise ConfigError("[analytics] prior_weight must be >= 0 and min_events >= 1.")
        object.__setattr__(self, "modalities", tuple(self.modalities))

    def halflife(self, freq: str) -> float:
        return self.halflife_days if freq == "day" else self.halflife_weeks
