"""Markdown/text extraction: body boundaries, boilerplate, metadata and provenance (own fixtures)."""
from __future__ import annotations

import pytest

from faultline.records import Document
from faultline.settings import Settings
from faultline.stages.extract import ExtractStage


@pytest.fixture(scope="module")
def stage():
    st = ExtractStage(Settings.load(overrides={"extract": {"learn_templates": False}}))
    st.setup()
    return st


@pytest.fixture(scope="module")
def repost(stage, request):
    from pathlib import Path

    text = (Path(__file__).parent / "fixtures" / "extract" / "repost.md").read_text("utf-8")
    return stage.extract(Document(id="r", content=text, format="markdown"))


def test_body_starts_and_ends_at_the_article(repost):
    assert repost.text.startswith("Hundreds of harbour workers walked off the job on Tuesday")
    assert repost.text.endswith("could handle only part of the extra traffic.")


def test_short_sentence_inside_body_is_kept(repost):
    assert "Police were deployed to the gates." in repost.text


@pytest.mark.parametrize("snippet", ["translate button", "follow us", "share buttons", "original source",
                                     "Copyright", "Become a Member", "Disclaimer"])
def test_boilerplate_removed_and_kept_verbatim(repost, snippet):
    assert snippet.lower() not in repost.text.lower()
    assert any(snippet.lower() in b.lower() for b in repost.boilerplate)


def test_separator_lines_are_boilerplate(repost):
    assert "\\*\\*\\*" in repost.boilerplate and "***" not in repost.text


def test_markdown_rendered_to_plain_text(repost):
    assert "*" not in repost.text and "](" not in repost.text and "\\" not in repost.text


def test_metadata(repost):
    assert repost.title == "Harbour Workers Strike Over Pay in Port Town"
    assert repost.authors == ("Coastal Ledger",)
    assert repost.publisher == "Riverside Digest"
    assert repost.original_publisher == "Coastal Ledger"
    assert repost.published == "2021-03-03"
    assert repost.original_published == "2021-03-02"
    assert repost.tags_dict == {"region": ["Europe", "Baltic"], "theme": ["Labour"], "in-depth report": ["PORTS"]}
    assert repost.media == ("https://video.example.net/clips/strike-day-one.mp4",)
    assert repost.language == "en"
    assert repost.genre_hint == "opinion"  # the "sole responsibility of the author" disclaimer


def test_provenance_reasons_are_readable(repost):
    reasons = " ".join(repost.provenance)
    assert "The original source of this article is Coastal Ledger" in reasons
    assert "byline" in reasons and "Riverside Digest" in reasons


def test_plain_text_with_wire_credit(stage, fixtures_dir):
    text = (fixtures_dir / "extract" / "plain.txt").read_text("utf-8")
    art = stage.extract(Document(id="p", content=text, format="text", source="Valley News"))
    assert art.text.startswith("(Reuters) - Flood waters began to recede")
    assert art.text.endswith("whose fields were flooded.")
    assert "Share this article" not in art.text and "Subscribe" not in art.text
    assert art.authors == ("Mara Quell", "Tobias Renn")
    assert art.original_publisher == "Reuters"
    assert art.publisher == "Valley News"  # Document.source is the fallback
    assert any("wire credit" in r for r in art.provenance)


def test_document_fields_are_fallbacks(stage):
    art = stage.extract(Document(id="t", content="Ministers met in the capital on Monday to discuss the budget.",
                                 format="text", title="Budget talks", source="Example Times",
                                 published="2020-01-02"))
    assert art.title == "Budget talks" and art.publisher == "Example Times" and art.published == "2020-01-02"
    assert art.text == "Ministers met in the capital on Monday to discuss the budget."


@pytest.mark.parametrize("line,who", [
    ("This article was originally published by Harbour Times and is republished with permission.", "Harbour Times"),
    ("This story first appeared on Field Notes Weekly.", "Field Notes Weekly"),
    ("Originally published at The Civic Post.", "The Civic Post"),
    ("The original source of this article is Northern Wire", "Northern Wire"),
])
def test_original_source_styles(stage, line, who):
    body = "\n\n".join(["The committee met on Monday and agreed to publish its findings on the harbour dispute."] * 5)
    md = f"# Committee publishes findings\n\nDaily Reposts, June 1, 2020\n\n{body}\n\n{line}\n"
    art = stage.extract(Document(id="o", content=md, format="markdown"))
    assert art.original_publisher == who
    assert line.split()[0] not in art.text.split("\n\n")[-1][:12] or line not in art.text
    assert any(line.rstrip(".") in b for b in art.boilerplate)


def test_original_equal_to_publisher_is_not_syndication(stage):
    body = "\n\n".join(["(Reuters) - Officials said on Monday that the harbour would reopen next week after repairs."] + [
        "Repairs to the harbour wall took longer than planned because of storms in the region last month."] * 3)
    art = stage.extract(Document(id="w", content=body, format="text", source="Reuters"))
    assert art.original_publisher is None and art.publisher == "Reuters"


def test_flattened_text_loses_its_appeal_sentences(stage):
    body = " ".join(f"Sentence {i} reports that the harbour board met again and the dispute over wages "
                    f"continued without any agreement between the two sides." for i in range(8))
    tail = (" • Read more letters – click here to visit our letters page • Want to share a photo? "
            "Click here to upload it and we will print the best.")
    art = stage.extract(Document(id="f", content=body + tail, format="text"))
    assert art.text == body
    assert any("click here" in b for b in art.boilerplate)
