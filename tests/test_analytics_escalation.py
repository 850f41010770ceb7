"""Invariants of the escalation detector (faultline.analytics.escalation)."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from faultline.analytics.escalation import escalation_scores

KW = dict(halflife=7.0, prior_weight=20.0, threshold=3.0, min_events=3)

counts = st.lists(st.integers(0, 30), min_size=1, max_size=60)


def _series(draw_counts, draw_expo):
    n = min(len(draw_counts), len(draw_expo))
    return np.array(draw_counts[:n]), np.array(draw_expo[:n])


@settings(max_examples=60, deadline=None)
@given(counts, st.lists(st.integers(0, 200), min_size=1, max_size=60))
def test_scores_are_non_negative_and_alerts_need_min_events(c, x):
    c, x = _series(c, x)
    esc = escalation_scores(c, x, **KW)
    assert (esc.score >= 0).all()
    assert (esc.expected > 0).all()
    assert not (esc.alert & (c < KW["min_events"])).any()
    assert (esc.score[c == 0] == 0).all()


@settings(max_examples=60, deadline=None)
@given(counts, st.lists(st.integers(1, 200), min_size=1, max_size=60), st.integers(0, 59), st.integers(0, 30))
def test_a_period_never_depends_on_the_future(c, x, cut, new):
    c, x = _series(c, x)
    cut = cut % len(c)
    other = c.copy()
    other[cut + 1:] = new
    a = escalation_scores(c, x, prior_rate=0.05, **KW)
    b = escalation_scores(other, x, prior_rate=0.05, **KW)
    assert np.allclose(a.score[:cut + 1], b.score[:cut + 1])


@settings(max_examples=60, deadline=None)
@given(counts, st.lists(st.integers(1, 200), min_size=1, max_size=60), st.integers(1, 500))
def test_more_coverage_for_the_same_count_never_raises_the_score(c, x, extra):
    c, x = _series(c, x)
    more = x.copy()
    more[-1] += extra
    a = escalation_scores(c, x, prior_rate=0.05, **KW)
    b = escalation_scores(c, more, prior_rate=0.05, **KW)
    assert b.score[-1] <= a.score[-1] + 1e-9


@settings(max_examples=60, deadline=None)
@given(counts, st.lists(st.integers(1, 200), min_size=1, max_size=60), st.integers(1, 20))
def test_more_conflict_now_never_lowers_the_score(c, x, extra):
    c, x = _series(c, x)
    more = c.copy()
    more[-1] += extra
    a = escalation_scores(c, x, prior_rate=0.05, **KW)
    b = escalation_scores(more, x, prior_rate=0.05, **KW)
    assert b.score[-1] >= a.score[-1] - 1e-9


def test_spike_at_flat_coverage_alerts_but_proportional_spike_does_not():
    base = [1] * 30
    flat = np.array([3] * 31)
    esc = escalation_scores(np.array(base + [10]), flat, **KW)
    assert esc.alert[-1] and esc.score[-1] > 3
    proportional = escalation_scores(np.array(base + [10]), np.array([3] * 30 + [30]), **KW)
    assert not proportional.alert[-1]


def test_empty_series():
    esc = escalation_scores(np.array([]), np.array([]), **KW)
    assert len(esc.score) == 0
