"""Technique counts per article, outlet and time window (Result objects and plain dicts)."""
from __future__ import annotations

from collections import Counter

import pytest

from faultline.records import FramingSpan, InputInfo, Result
from faultline.stages.framing.aggregate import (counts_by_article, counts_by_outlet, counts_by_window, summarise,
                                                 technique_counts, window_key)


def _span(t, conf=0.9):
    return FramingSpan(technique=t, quote="x", start=0, end=1, confidence=conf, why=f"{t}: test")


def _results():
    a = Result(id="a", fingerprint="f1", input=InputInfo(), text="x", publisher="Mirror Site",
               original_publisher="Origin Press", published="2021-09-28",
               framing=(_span("Loaded_Language"), _span("Loaded_Language"), _span("Doubt", 0.2)))
    b = Result(id="b", fingerprint="f2", input=InputInfo(), text="x", publisher="Daily Facts",
               published="2021-10-04T08:00:00Z", framing=(_span("Flag_Waving"),))
    c = Result(id="c", fingerprint="f3", input=InputInfo(), text="x", publisher="Daily Facts", published=None)
    return [a, b, c]


def test_counts_per_article_objects_and_dicts_agree():
    rs = _results()
    assert counts_by_article(rs) == counts_by_article([r.to_dict() for r in rs])
    assert counts_by_article(rs)["a"] == Counter({"Loaded_Language": 2, "Doubt": 1})
    assert technique_counts(rs[0], min_confidence=0.5) == Counter({"Loaded_Language": 2})
    assert counts_by_article(rs)["c"] == Counter()


def test_counts_per_outlet_credit_original_publisher():
    out = counts_by_outlet(_results())
    assert out["Origin Press"]["articles"] == 1 and out["Origin Press"]["spans"] == 3
    assert out["Daily Facts"]["articles"] == 2
    assert out["Daily Facts"]["per_article"]["Flag_Waving"] == pytest.approx(0.5)
    assert "Mirror Site" in counts_by_outlet(_results(), original=False)


def test_counts_per_window():
    by_week = counts_by_window(_results(), window="week")
    assert by_week["2021-W39"]["Loaded_Language"] == 2
    assert by_week["2021-W40"]["Flag_Waving"] == 1
    assert "undated" in by_week
    by_month = counts_by_window([r.to_dict() for r in _results()], window="month", by_outlet=True)
    assert by_month[("Origin Press", "2021-09")]["Doubt"] == 1
    with pytest.raises(ValueError):
        counts_by_window(_results(), window="fortnight")


def test_window_key_formats():
    from datetime import date

    assert window_key(date(2021, 1, 3), "week") == "2020-W53"
    assert window_key(date(2021, 1, 3), "day") == "2021-01-03"
    assert window_key(date(2021, 1, 3), "month") == "2021-01"


def test_summarise_rows_per_window_outlet_and_article():
    from datetime import date

    weeks = summarise(_results(), by="window")
    assert [w["window"] for w in weeks] == ["2021-W39", "2021-W40", "undated"]  # undated last
    assert weeks[0] == {"window": "2021-W39", "articles": 1, "spans": 3,
                        "techniques": {"Loaded_Language": 2, "Doubt": 1},
                        "per_article": {"Loaded_Language": 2.0, "Doubt": 1.0}}
    dated = summarise(_results(), by="window", since=date(2021, 10, 1))
    assert [w["window"] for w in dated] == ["2021-W40"]  # a date range drops the undated result
    outlets = summarise([r.to_dict() for r in _results()], by="outlet", min_confidence=0.5)
    assert [(o["outlet"], o["spans"]) for o in outlets] == [("Origin Press", 2), ("Daily Facts", 1)]
    assert summarise(_results(), by="outlet", outlet="Daily Facts")[0]["articles"] == 2
    articles = summarise(_results(), by="article", limit=1)
    assert articles == [{"article": "a", "title": None, "outlet": "Origin Press", "published": "2021-09-28",
                         "spans": 3, "techniques": {"Loaded_Language": 2, "Doubt": 1}}]
    with pytest.raises(ValueError):
        summarise(_results(), by="planet")
