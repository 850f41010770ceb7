"""The fast paths of the event coder give what the plain definitions give.

Pattern slots are matched through a split (single words: a set test; multi-word
alternatives: a padded substring test), patterns are tried heaviest first, and a
paragraph's context cues are scanned only when their first word is present.
Each is checked here against the plain rule written out in the test.
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from faultline.stages.events import load_lexicon
from faultline.stages.events.coder import EventCoder, _slot_hit
from faultline.stages.events.lexicon import Pattern

WORDS = ["troops", "border", "talks", "crossing", "police", "human", "rights", "al", "qaeda", "fake", "news", "gas"]


@pytest.fixture(scope="module")
def coder():
    return EventCoder(load_lexicon())


def plain_slot(slot: frozenset[str], bag: set[str], phrase: str) -> bool:
    """The definition: a single word in the bag, or a multi-word alternative in the phrase."""
    return any((f" {alt} " in phrase) if " " in alt else (alt in bag) for alt in slot)


slots = st.frozensets(st.one_of(st.sampled_from(WORDS),
                                st.lists(st.sampled_from(WORDS), min_size=2, max_size=3).map(" ".join)),
                      min_size=1, max_size=4)


@settings(max_examples=200, deadline=None)
@given(slot=slots, words=st.lists(st.sampled_from(WORDS), max_size=8))
def test_split_slot_matches_like_the_plain_rule(coder, slot, words) -> None:
    bag, phrase = set(words), " " + " ".join(words) + " "
    [(_, (split,), _)] = coder._compiled((Pattern(code="010", after=(slot,)),))
    assert _slot_hit(split, bag, phrase) == plain_slot(slot, bag, phrase)


def test_patterns_are_tried_heaviest_first_and_ties_keep_their_order(coder) -> None:
    a = Pattern(code="010", after=(frozenset({"x"}),))
    b = Pattern(code="020", after=(frozenset({"x"}), frozenset({"y"})))
    c = Pattern(code="030", before=(frozenset({"z"}),))
    ordered = [p for p, _, _ in coder._compiled((a, b, c))]
    assert ordered == [b, a, c]  # b weighs 2; a and c weigh 1 and keep their order


@settings(max_examples=150, deadline=None)
@given(words=st.lists(st.sampled_from(WORDS + ["al-qaeda", "pipelines", "gas.", "Talks,", "women's"]), max_size=12))
def test_context_prefilter_finds_what_a_full_scan_finds(coder, words) -> None:
    text = " ".join(words)
    got = coder._paragraph_contexts(text)
    low = text.lower()
    full = frozenset(name for name, rx in coder.context_res.items() if rx.search(low))
    assert [c for _, _, c in got] == ([full] if text.strip() else [])


def test_context_cues_with_hyphens_and_apostrophes(coder) -> None:
    [(_, _, found)] = coder._paragraph_contexts("Officials blamed al-Qaeda and spoke of women's rights.")
    assert {"terrorism", "gender"} <= found
    [(_, _, found)] = coder._paragraph_contexts("New pipelines were laid.")  # "pipeline" is a cue; "pipelines" is not
    assert "natural_resource" not in found
