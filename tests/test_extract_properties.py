"""Invariants of extraction on arbitrary inputs."""
from __future__ import annotations

from hypothesis import given, settings as hsettings, strategies as st

from faultline.records import Document
from faultline.settings import Settings
from faultline.stages.extract import ExtractStage

STAGE = ExtractStage(Settings.load(overrides={"extract": {"learn_templates": False}}))
STAGE.setup()

LINES = st.sampled_from([
    "# A Title For The Page", "By Jane Roe", "Region: [Europe](#)", "***", "---",
    "Share this article with your friends.", "[Home](/) [News](/n)",
    "The council met on Monday and agreed to publish the full report on the harbour next week.",
    "Officials said the decision would be reviewed after the summer, when new figures are due.",
    "*Emphasised lead paragraph about the harbour dispute and its consequences for workers.*",
    "Copyright © Example Media 2021", "https://cdn.example.org/v.mp4", "", "Plain words", "  indented text",
])


@hsettings(max_examples=60, deadline=None)
@given(st.lists(LINES, min_size=0, max_size=25), st.sampled_from(["markdown", "text"]))
def test_removed_blocks_are_verbatim_and_text_is_clean(lines, fmt):
    content = "\n\n".join(lines)
    art = STAGE.extract(Document(id="p", content=content, format=fmt))
    for b in art.boilerplate:
        assert b in content  # every removed block, verbatim
    if fmt == "markdown":
        assert "](" not in art.text


@hsettings(max_examples=40, deadline=None)
@given(st.text(max_size=400))
def test_never_raises_on_arbitrary_text(text):
    art = STAGE.extract(Document(id="q", content=text, format="markdown"))
    assert isinstance(art.text, str)
