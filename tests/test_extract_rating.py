"""Optional domain ratings from a user CSV."""
from __future__ import annotations

import pytest

from faultline.errors import ConfigError
from faultline.pipeline import Pipeline
from faultline.records import Document, InputInfo
from faultline.settings import Settings
from faultline.stages.rating import load_ratings, lookup_rating


def test_lookup_walks_parent_domains(tmp_path):
    csv = tmp_path / "r.csv"
    csv.write_text("domain,score\nexample.co.uk,0.9\nnews.test,0.2\n", "utf-8")
    table = load_ratings(csv)
    assert lookup_rating(table, "https://www.example.co.uk/a") == 0.9
    assert lookup_rating(table, "https://live.news.test/b") == 0.2
    assert lookup_rating(table, "https://unknown.org/") is None


def test_missing_csv_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError):
        load_ratings(tmp_path / "nope.csv")


def test_rating_reaches_the_result(tmp_path):
    csv = tmp_path / "r.csv"
    csv.write_text("valley.example,0.75\n", "utf-8")
    settings = Settings.load(overrides={"rating": {"csv": str(csv)}})
    p = Pipeline(["extract", "rating"], settings=settings)
    doc = Document(id="x", content="The council met on Monday to approve the new budget for schools.",
                   format="text", input=InputInfo(url="https://www.valley.example/n/1", format="text"))
    (res,) = list(p.run([doc]))
    assert res.source_rating == 0.75
