"""Escalation scores: conflict counts against a coverage-normalised EWMA baseline.

For one dyad and periods ``t = 0..T-1`` (days or weeks, gaps filled with 0):

* ``c[t]`` — deduplicated conflict events (quad classes 3 and 4) of the dyad;
* ``x[t]`` — coverage exposure: distinct stories (syndication clusters)
  published in, or reporting events dated in, period ``t`` (at least 1).

The baseline *rate* of conflict per story is a ratio of two exponentially
weighted sums over the **previous** periods only (half-life ``h`` periods,
decay ``d = 0.5 ** (1/h)``), shrunk toward a prior rate ``rho``::

    E[t] = sum_{s<t} d**(t-1-s) * c[s]
    V[t] = sum_{s<t} d**(t-1-s) * x[s]
    lam[t] = (E[t] + w * rho) / (V[t] + w)
    mu[t] = lam[t] * x[t]                       # expected conflict count

``rho`` is the dyad's pooled rate over the analysed window and ``w`` the prior
weight in stories.  The score is the Poisson surprise of the observed count,
``-log10 P(X >= c[t] | mu[t])`` (0 when ``c[t] == 0``).  A period is an alert
when the score reaches ``threshold`` and ``c[t] >= min_events``.  Because the
expected count scales with coverage, a news spike that raises every dyad's
counts raises ``mu`` as well and is not read as escalation.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Escalation", "escalation_scores"]


@dataclass(frozen=True, slots=True)
class Escalation:
    expected: np.ndarray
    score: np.ndarray
    alert: np.ndarray


def escalation_scores(conflict: np.ndarray, exposure: np.ndarray, *, halflife: float, prior_weight: float,
                      threshold: float, min_events: int, prior_rate: float | None = None) -> Escalation:
    """Scores for one dyad's periods.  ``prior_rate`` (``rho``) defaults to the pooled rate
    ``sum(conflict) / sum(exposure)``; given explicitly, period ``t``'s score depends on
    periods ``<= t`` only."""
    from scipy.stats import poisson

    c = np.asarray(conflict, dtype=float)
    x = np.maximum(np.asarray(exposure, dtype=float), 1.0)
    n = len(c)
    if n == 0:
        empty = np.zeros(0)
        return Escalation(empty, empty, np.zeros(0, dtype=bool))
    rho = float(prior_rate) if prior_rate is not None else c.sum() / x.sum()
    d = 0.5 ** (1.0 / halflife)
    e_sum = np.zeros(n)
    v_sum = np.zeros(n)
    e = v = 0.0
    for t in range(n):  # trailing sums: period t sees only s < t
        e_sum[t], v_sum[t] = e, v
        e = d * e + c[t]
        v = d * v + x[t]
    lam = (e_sum + prior_weight * rho) / (v_sum + prior_weight) if prior_weight > 0 else \
        np.where(v_sum > 0, e_sum / np.maximum(v_sum, 1e-12), rho)
    mu = np.maximum(lam * x, 1e-9)
    tail = poisson.sf(c - 1, mu)  # P(X >= c)
    score = np.where(c > 0, -np.log10(np.maximum(tail, 1e-300)), 0.0)
    alert = (score >= threshold) & (c >= min_events)
    return Escalation(expected=mu, score=score, alert=alert)
