"""Each feature of the block classifier, on blocks we write ourselves."""
from __future__ import annotations

import pytest

from faultline.stages.extract.blocks import markdown_blocks, text_blocks
from faultline.stages.extract.classify import block_features, classify_blocks, select_body
from faultline.stages.extract.vocab import load_vocabulary, stopwords_for

V = load_vocabulary()
SW = stopwords_for("en")
PROSE = ("The regional council said on Monday that it would review the decision after residents "
         "complained about the noise and the traffic that the new depot had brought to their street.")


def feats(md: str, **kw):
    b = markdown_blocks(md)[0]
    return b, block_features(b, vocab=V, stopwords=SW, position=0.5, **kw)


def test_link_density():
    _, f = feats("[Home](/) [World](/w) [Sport](/s)")
    assert f.link_density > 0.8
    _, f = feats(PROSE)
    assert f.link_density == 0


def test_sentence_likeness_and_stopwords():
    _, f = feats(PROSE)
    assert f.sentence_like and f.stop_ratio > 0.3 and f.words > 25
    _, f = feats("Latest Headlines Today")
    assert not f.sentence_like and f.stop_ratio == 0


def test_cue_phrases_are_data():
    _, f = feats("Please share this article and follow us for more.")
    assert f.cue_hits >= 2
    _, f = feats("Officials shared the plan with reporters.")
    assert f.cue_hits == 0


def test_ui_vocabulary():
    _, f = feats("Use the drop down menu on the home page banner to translate this website.")
    assert f.ui_hits >= 3


def test_markdown_emphasis_and_separator():
    b, f = feats("*SUPPORT OUR NEWSROOM:*")
    assert f.emphasis > 0.9
    b = markdown_blocks("\\*\\*\\*")[0]
    assert b.is_separator
    assert markdown_blocks("---")[0].is_separator


def test_url_only_block():
    b, f = feats("[https://cdn.example.org/a.mp4](https://cdn.example.org/a.mp4)")
    assert f.url_only


def test_template_flag_makes_block_boilerplate():
    blocks = markdown_blocks(PROSE)
    classify_blocks(blocks, vocab=V, stopwords=SW, templates={0})
    assert blocks[0].label == "bad" and "repeats" in blocks[0].why


def test_position_feature():
    blocks = markdown_blocks("a b c\n\nd e f\n\ng h i")
    fs = classify_blocks(blocks, vocab=V, stopwords=SW)
    assert [f.position for f in fs] == [0.0, 0.5, 1.0]


def test_body_region_survives_inline_ad_but_not_footer():
    md = "\n\n".join([
        "[Home](/) [World](/w) [Sport](/s) [Culture](/c)",
        PROSE, PROSE.replace("Monday", "Tuesday"),
        "Advertisement",
        PROSE.replace("Monday", "Friday"),
        "Share this article on social media and subscribe to our newsletter.",
        "Copyright 2021 Example Media. All rights reserved.",
    ])
    blocks = markdown_blocks(md)
    classify_blocks(blocks, vocab=V, stopwords=SW)
    a, z = select_body(blocks)
    assert (a, z) == (1, 5)


def test_plain_text_blocks_per_line_when_no_blank_lines():
    assert len(text_blocks("one line\nanother line\nthird line")) == 3
    assert len(text_blocks("para one\nstill one\n\npara two")) == 2


@pytest.mark.parametrize("lang,word", [("en", "the"), ("de", "und"), ("fr", "les")])
def test_stopword_lists_per_language(lang, word):
    assert word in stopwords_for(lang)


def test_comments_heading_ends_the_article():
    md = "\n\n".join([PROSE, "## 3 Comments", PROSE.replace("council", "reader"), PROSE.replace("Monday", "Sunday")])
    blocks = markdown_blocks(md)
    classify_blocks(blocks, vocab=V, stopwords=SW)
    assert [b.label for b in blocks[1:]] == ["separator", "bad", "bad"]
    assert select_body(blocks) == (0, 1)


def test_related_heading_is_a_hard_break():
    blocks = markdown_blocks("\n\n".join([PROSE, "### Related stories", PROSE]))
    classify_blocks(blocks, vocab=V, stopwords=SW)
    assert blocks[1].label == "separator" and blocks[1].score <= -50


def test_page_without_prose_keeps_its_fragments():
    teams = ["Northside", "Southend", "Lakeview", "Hilltop", "Riverside", "Westfield", "Eastport", "Kingsbury"]
    results = [f"{teams[i % 8]} {i % 5}, {teams[(i + 3) % 8]} {(i * 2) % 5}" for i in range(14)]
    md = "\n\n".join(["[Home](/) [Scores](/s) [Teams](/t)", "## RESULTS", *results, "Terms of Service"])
    blocks = markdown_blocks(md)
    classify_blocks(blocks, vocab=V, stopwords=SW)
    a, z = select_body(blocks)
    assert [b.text for b in blocks[a:z]] == results


def test_comment_thread_by_author_lines():
    md = "\n\n".join([PROSE, PROSE.replace("Monday", "Friday"), "* alpha99 says:", "Great piece, thanks.",
                      "* bravo_k says:", PROSE.replace("council", "club"), "* charlie says:", "Disagree."])
    blocks = markdown_blocks(md)
    classify_blocks(blocks, vocab=V, stopwords=SW)
    assert all(b.label == "bad" for b in blocks[2:])
    assert select_body(blocks) == (0, 2)


def test_responses_heading_with_title():
    assert V.comment_break.match("34 responses to \u201cThe Harbour Vote\u201d")
    assert not V.comment_break.match("Comments from the minister on the harbour vote were sharp")


@pytest.mark.parametrize("text,code", [
    ("The harbour authority closed two piers on Friday after a crane collapsed during the storm.", "en"),
    ("Die Stadtverwaltung hat am Freitag zwei Brücken gesperrt, nachdem der Sturm Schäden verursacht hatte.", "de"),
    ("La mairie a fermé deux ponts vendredi après que la tempête a endommagé les piliers du quai.", "fr"),
    ("Городские власти в пятницу закрыли два моста после того, как шторм повредил набережную.", "ru"),
    ("12 34 56 -- ok", None),  # too few letters to judge
])
def test_language_detector(text, code):
    from faultline.stages.extract.lang import LanguageDetector

    assert LanguageDetector().detect(text) == code
