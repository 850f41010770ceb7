"""The faster attribute ruler and lemmatizer give exactly the stock pipes' annotations."""
from __future__ import annotations

import pytest
from hypothesis import given, settings as hsettings, strategies as st

spacy = pytest.importorskip("spacy")

from spacy.pipeline import AttributeRuler  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

from faultline.stages.rule_pipes import (CachedLemmatizer, IndexedAttributeRuler, same_annotations,  # noqa: E402
                                         speed_up)

#: our own sentences, with the contractions and spacing that the model's multi-token and
#: whitespace rules are about
TEXTS = [
    "Y'all ain't gonna believe it, but let's see what the mayor says.",
    "There were nothin' left in the depot when the  convoy arrived.",
    "Which barricade did they remove first? Those that blocked the crossing.",
    "The ministers have been meeting since Monday and they've agreed on nothing.\n\nMore soon.",
    "C'mon, he said; we gotta go before the police close the road.",
]


@pytest.fixture(scope="module")
def fast_nlp():
    from faultline.stages.nlp import load_model

    nlp = load_model()
    assert speed_up(nlp) == ["attribute_ruler", "lemmatizer"]
    return nlp


def test_model_annotations_equal_the_stock_pipes(nlp, fast_nlp):
    for stock, fast in zip(nlp.pipe(TEXTS), fast_nlp.pipe(TEXTS)):
        assert same_annotations(stock, fast)
    first = fast_nlp(TEXTS[0])
    # the two-token rules ran: "ai" + "n't" -> "be", "gon" + "na" -> "go" "to", "let" + "'s" -> "us"
    lemmas = {t.text: t.lemma_ for t in first}
    assert [lemmas[w] for w in ("ai", "gon", "na", "'s")] == ["be", "go", "to", "us"]


def test_the_comparison_sees_one_changed_lemma_tag_or_entity(nlp):
    base = nlp(TEXTS[2])
    for change in ("lemma_", "tag_", "ent_type_"):
        other = nlp(TEXTS[2])
        assert same_annotations(base, other)
        setattr(other[3], change, "X" if change != "ent_type_" else "GPE")
        assert not same_annotations(base, other), change


def test_model_matches_equal_the_stock_matcher(nlp, fast_nlp):
    stock_ruler, fast_ruler = nlp.get_pipe("attribute_ruler"), fast_nlp.get_pipe("attribute_ruler")
    assert isinstance(fast_ruler, IndexedAttributeRuler) and type(stock_ruler) is AttributeRuler
    with nlp.select_pipes(disable=["attribute_ruler", "lemmatizer"]):
        docs = list(nlp.pipe(TEXTS))
    multi = 0
    for doc in docs:
        expected = sorted(set(stock_ruler.match(doc)))
        assert fast_ruler.match(doc) == expected
        multi += sum(end - start > 1 for _, _, start, end in expected)
    assert multi >= 4  # the gated fallback Matcher was exercised


def test_lemmatizer_keeps_its_lookups(nlp, fast_nlp):
    """Misses run spaCy's rules on a copy with set indexes; the pipe's own tables stay as loaded."""
    stock, fast = nlp.get_pipe("lemmatizer"), fast_nlp.get_pipe("lemmatizer")
    words = "The governments ran bigger convoys while the mice hid under newer bridges".split()
    doc = fast_nlp(" ".join(words))
    assert [t.lemma_ for t in doc] == [t.lemma_ for t in nlp(" ".join(words))]
    assert fast.lookups.to_bytes() == stock.lookups.to_bytes()  # (the pipes' vocabs differ: shared fixtures)
    assert all(isinstance(v, list) for v in fast.lookups.get_table("lemma_index").values())
    # a direct call takes the fast rules too (spaCy binds ``lemmatize`` when it builds the pipe)
    token = fast_nlp("The rebels were regrouping near the ridges")[3]
    assert fast.lemmatize(token) == stock.lemmatize(token) == ["regroup"]
    assert fast.lemmatize.__func__ is CachedLemmatizer.rule_lemmatize


def test_speed_up_twice_changes_nothing(fast_nlp):
    assert speed_up(fast_nlp) == []
    assert isinstance(fast_nlp.get_pipe("lemmatizer"), CachedLemmatizer)


def test_lemmatizer_cache_stays_bounded(nlp, fast_nlp):
    lemmatizer = fast_nlp.get_pipe("lemmatizer")
    lemmatizer.max_cache = 3
    try:
        for text in TEXTS:
            doc = fast_nlp(text)
            assert len(lemmatizer.cache) <= 3 + len(doc)
            assert [t.lemma_ for t in doc] == [t.lemma_ for t in nlp(text)]
    finally:
        del lemmatizer.max_cache


def test_nlp_stage_option_switches_the_upgrade(settings):
    from faultline.pipeline import Pipeline
    from faultline.settings import Settings
    from faultline.stages.nlp import NlpStage

    on = NlpStage(settings)
    on.setup(Pipeline(("extract", "nlp")))
    assert isinstance(on.nlp.get_pipe("attribute_ruler"), IndexedAttributeRuler)
    off = NlpStage(Settings.load(overrides={"nlp": {"fast_rule_pipes": False}}))
    off.setup(Pipeline(("extract", "nlp")))
    assert type(off.nlp.get_pipe("attribute_ruler")) is AttributeRuler


# A small ruler with every kind of condition the index handles and two it leaves to the Matcher
PATTERNS = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}},
    {"patterns": [[{"TAG": {"IN": ["VB", "VBZ"]}}]], "attrs": {"POS": "VERB"}},
    {"patterns": [[{"LOWER": "ok", "TAG": {"NOT_IN": ["UH"]}}]], "attrs": {"LEMMA": "okay"}},
    {"patterns": [[{"LOWER": {"REGEX": "^x+$"}}]], "attrs": {"LEMMA": "x"}},
    {"patterns": [[{"IS_SPACE": True}], [{"ORTH": "Z"}]], "attrs": {"POS": "X"}},
    {"patterns": [[{"LOWER": "a"}, {"LOWER": "b"}]], "attrs": {"LEMMA": "bee"}, "index": 1},
    {"patterns": [[{"LOWER": {"REGEX": "^z$"}}, {"TAG": "DT"}]], "attrs": {"POS": "DET"}, "index": -1},
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "PROPN"}},  # a later rule wins
]
WITH_OP = PATTERNS + [{"patterns": [[{"LOWER": "b", "OP": "+"}]], "attrs": {"POS": "SYM"}}]

words = st.lists(st.sampled_from(["a", "b", "B", "ok", "OK", "xx", "x", "Z", "z", " ", "the"]),
                 min_size=0, max_size=12)
tags = st.sampled_from(["NN", "VB", "VBZ", "UH", "DT", ""])


@pytest.mark.parametrize("patterns", [PATTERNS, WITH_OP], ids=["gated", "always"])
@hsettings(max_examples=60, deadline=None)
@given(data=st.data())
def test_random_docs_match_as_the_stock_ruler(patterns, data):
    vocab = spacy.blank("en").vocab
    ws = data.draw(words)
    ts = [data.draw(tags) for _ in ws]
    stock, fast = AttributeRuler(vocab), IndexedAttributeRuler(vocab)
    stock.add_patterns(patterns)
    fast.add_patterns(patterns)
    a, b = (Doc(vocab, words=ws, tags=ts or None) for _ in range(2))
    assert fast.match(b) == sorted(set(stock.match(a)))
    stock(a)
    fast(b)
    assert [(t.pos_, t.lemma_) for t in a] == [(t.pos_, t.lemma_) for t in b]
