"""Analytics over stored events: dyad series, escalation alerts, actor networks.

See docs/analytics.md for the counting rules and the escalation method.
"""
from __future__ import annotations

from .escalation import Escalation, escalation_scores
from .options import FREQS, LEVELS, AnalyticsOptions
from .queries import Analytics, normalise_key

__all__ = ["Analytics", "AnalyticsOptions", "Escalation", "FREQS", "LEVELS", "escalation_scores", "normalise_key"]
