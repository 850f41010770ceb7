"""HTML extraction: trafilatura body plus our links, media, canonical and JSON-LD reading."""
from __future__ import annotations

import pytest

from faultline.records import Document, InputInfo
from faultline.settings import Settings
from faultline.stages.extract import ExtractStage


@pytest.fixture(scope="module")
def article():
    from pathlib import Path

    html = (Path(__file__).parent / "fixtures" / "extract" / "page.html").read_text("utf-8")
    st = ExtractStage(Settings.load())
    st.setup()
    url = "https://metrocourier.example/city/council-tram"
    return st.extract(Document(id="h", content=html, format="html", input=InputInfo(url=url, format="html")))


def test_body(article):
    assert article.text.startswith("The city council voted on Thursday")
    assert article.text.endswith("approval from the finance ministry.")
    assert "Sport" not in article.text and "All rights reserved" not in article.text


def test_metadata(article):
    assert article.title == "Council Approves New Tram Line"
    assert article.authors == ("Ilse Varga",)
    assert article.publisher == "Metro Courier"
    assert article.published == "2022-05-14"
    assert article.language == "en"
    assert article.genre_hint == "opinion"  # schema.org OpinionNewsArticle
    assert article.tags_dict.get("keywords") == ["transport", "city council"]


def test_links_and_media(article):
    assert "https://www.example.org/budget-report" in article.links
    assert "https://media.example.org/tram-vote.mp4" in article.media
    assert "https://www.youtube.com/embed/abc123XYZ" in article.media
    assert not any(link.endswith("/sport") for link in article.links)


def test_canonical_on_other_domain_is_flagged(article):
    assert article.canonical_url == "https://www.citywirepress.org/2022/05/13/council-tram-line"
    assert article.canonical_foreign is True
    assert article.original_publisher == "citywirepress.org"
    assert any("canonical URL" in r for r in article.provenance)


def test_title_suffix_date_in_url_and_author_list():
    html = ("<html><head><title>x</title><meta property='og:title' content='Bridge Reopens After Repairs | River Post'>"
            "<meta property='og:site_name' content='River Post'>"
            "<meta name='author' content='Nia Bell, River Post'></head><body><article>"
            + "".join(f"<p>Paragraph {i}: the bridge over the river reopened to traffic on Sunday after months of "
                      f"repairs that had forced commuters to take long detours through the valley.</p>" for i in range(4))
            + "</article></body></html>")
    st = ExtractStage(Settings.load())
    st.setup()
    art = st.extract(Document(id="b", content=html, format="html",
                              input=InputInfo(url="https://riverpost.example/2020/feb/09/bridge", format="html")))
    assert art.title == "Bridge Reopens After Repairs"
    assert art.published == "2020-02-09"
    assert art.authors == ("Nia Bell",)
    assert art.canonical_url is None and art.canonical_foreign is False


def test_repost_lines_inside_the_article_container():
    paras = "".join(f"<p>Paragraph {i}: the ministers met in the capital on Monday and agreed to extend the ceasefire "
                    f"for another month while negotiators work on a longer settlement.</p>" for i in range(4))
    html = ("<html><head><title>Ceasefire extended</title></head><body><article><h1>Ceasefire extended</h1>"
            "<p>By Field Report Weekly</p>" + paras +
            "<p>This article was originally published by Field Report Weekly.</p>"
            "<p>Please share this article and follow us on social media.</p></article></body></html>")
    st = ExtractStage(Settings.load())
    st.setup()
    art = st.extract(Document(id="r", content=html, format="html",
                              input=InputInfo(url="https://reposts.example/ceasefire", format="html")))
    assert art.text.startswith("Paragraph 0:") and art.text.endswith("longer settlement.")
    assert art.authors == ("Field Report Weekly",)
    assert art.original_publisher == "Field Report Weekly"
    assert any("originally published" in b for b in art.boilerplate)
