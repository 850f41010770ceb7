"""Each metadata signal on its own: dates, bylines, tag lines, wire credits, genre hints, provenance."""
from __future__ import annotations

import pytest

from faultline.stages.extract.metadata import (HeaderFacts, find_dates, read_header_footer, same_name,
                                               split_names, wire_credit)
from faultline.stages.extract.provenance import Signals, domain_of, resolve_provenance
from faultline.stages.extract.textual import genre_hint
from faultline.stages.extract.vocab import load_vocabulary

V = load_vocabulary()


@pytest.mark.parametrize("text,iso", [
    ("Global Echo, September 29, 2021", "2021-09-29"),
    ("Coastal Ledger 28 September 2021", "2021-09-28"),
    ("Posted 2020-02-03 at noon", "2020-02-03"),
    ("Updated: 4th Jan. 2019", "2019-01-04"),
    ("on 07/08/2018", "2018-08-07"),
])
def test_dates(text, iso):
    assert find_dates(text)[0][0] == iso


def test_no_date_in_plain_numbers():
    assert find_dates("He scored 2021 points in 13 games") == []


def test_byline_names():
    assert split_names("Mara Quell and Tobias Renn") == ["Mara Quell", "Tobias Renn"]
    assert split_names("Jo Ames, Reuters") == ["Jo Ames", "Reuters"]
    assert split_names("the editors of this page who write a lot") == []


def test_same_name_folds_case_and_punctuation():
    assert same_name("South Front", "SouthFront")
    assert same_name("The Civic Ledger", "civic ledger")
    assert not same_name("Reuters", "Global Echo")


def _facts(*lines: str) -> HeaderFacts:
    return read_header_footer([(i, "para", ln) for i, ln in enumerate(lines)], V)


def test_bylines_and_tag_lines():
    f = _facts("By Ana Ruiz and Ben Cole", "Tags: harbour, strikes | labour", "Filed under: Europe")
    assert f.authors == ["Ana Ruiz", "Ben Cole"]
    assert f.tags == {"tags": ["harbour", "strikes", "labour"], "filed under": ["Europe"]}


def test_unknown_key_is_not_a_tag_line():
    assert _facts("Disclaimer: views are the author's own").tags == {}


def test_dated_credits():
    f = _facts("Global Echo, March 3, 2021", "Published on 2 March 2021")
    assert f.dated_names == [("Global Echo", "2021-03-03"), (None, "2021-03-02")]


@pytest.mark.parametrize("body,wire", [
    ("(Reuters) - The central bank raised rates.", "Reuters"),
    ("LONDON (AFP) — Ministers met on Monday.", "AFP"),
    ("AP — Storms hit the coast overnight.", "AP"),
    ("The APR rose - analysts said.", None),
])
def test_wire_credit(body, wire):
    assert wire_credit(body, V) == wire


def test_copyright_line_supports_original():
    f = _facts("The original source of this article is Field Notes", "Copyright © Field Notes, 2020")
    prov = resolve_provenance(Signals(facts=f, fallback_publisher="Repost Hub"))
    assert prov.original_publisher == "Field Notes" and prov.publisher == "Repost Hub"
    assert any("copyright" in r for r in prov.reasons)


def test_canonical_foreign_only_across_registrable_domains():
    same = resolve_provenance(Signals(url="https://news.example.co.uk/a", canonical_url="https://www.example.co.uk/a"))
    other = resolve_provenance(Signals(url="https://mirror.example.net/a", canonical_url="https://origin.example.org/a"))
    assert not same.canonical_foreign and other.canonical_foreign
    assert other.original_publisher == "origin.example.org"
    assert domain_of("https://www.Example.org/x") == "example.org"


@pytest.mark.parametrize("kw,genre", [
    (dict(url="https://paper.example/opinion/2021/why-tolls-fail"), "opinion"),
    (dict(title="Analysis: what the vote means"), "opinion"),
    (dict(schema_types=("ReportageNewsArticle",)), "reporting"),
    (dict(url="https://paper.example/world/2021/vote"), None),
    (dict(title="Opinion polls close in the north"), None),
])
def test_genre_hints(kw, genre):
    assert genre_hint(V, **kw)[0] == genre


def test_crawler_header_lines():
    f = _facts("Title: Harbour Strike Ends", "URL Source: https://news.example.org/strike-ends",
               "Published Time: 2022-04-05T10:00:00Z")
    assert f.title == "Harbour Strike Ends"
    assert f.url == "https://news.example.org/strike-ends"
    assert f.dated_names == [(None, "2022-04-05")]


def test_iso_timestamp_date():
    assert find_dates("2022-05-14T09:30:00Z")[0][0] == "2022-05-14"
