"""Framing detector: offsets, reasons, overlap, artefact loading (own sentences only)."""
from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faultline.records import FramingSpan
from faultline.stages.framing import FramingModel, detect
from faultline.stages.framing.features import (CUE_FEATURES, NUMERIC_FEATURES, VALENCE_FEATURES, cue_features,
                                               numeric_features, split_paragraphs)
from faultline.stages.framing.tagger import TAGGER_FEATURES

REQUIRED = ("Loaded_Language", "Name_Calling-Labeling", "Doubt", "Exaggeration-Minimisation",
            "Appeal_to_Fear-Prejudice", "Flag_Waving", "Causal_Oversimplification", "Whataboutism",
            "Slogans", "Repetition", "Appeal_to_Authority", "False_Dilemma-No_Choice")


@pytest.fixture(scope="module")
def model() -> FramingModel:
    return FramingModel.load()


def test_artefact_loads_and_is_small(model):
    from importlib import resources

    root = resources.files("faultline").joinpath("data/framing")
    size = sum(root.joinpath(n).stat().st_size if hasattr(root.joinpath(n), "stat") else 0
               for n in ("model.json", "weights.npz"))
    assert 0 < size < 20_000_000
    n_lex = len(model.techniques) if model.meta.get("lexicon_features") else 0
    n_cue = len(CUE_FEATURES) if model.meta.get("cue_features") else 0
    n_val = len(VALENCE_FEATURES) if model.meta.get("valence_features") else 0
    n_tag = len(TAGGER_FEATURES) * len(model.taggers)
    assert model.W.shape == (model.n_word + len(NUMERIC_FEATURES) + n_lex + n_cue + n_val + n_tag, len(model.techniques))
    assert set(model.taggers.techniques) <= set(model.techniques)
    assert all(0.5 <= f < 1 for f in model.taggers.floors)
    assert all(len(index) > 1000 for index in model.taggers.keys.values())
    for name in REQUIRED:
        assert name in model.techniques
    assert set(model.genres) == {"reporting", "opinion", "satire"}
    assert model.meta["provenance"]["articles"] == 446


def _check(text: str, spans) -> None:
    for s in spans:
        assert isinstance(s, FramingSpan)
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start:s.end] == s.quote
        assert s.why and s.technique in s.why
        assert 0.0 <= s.confidence <= 1.0


words = st.sampled_from(["the", "brutal", "regime", "lies", "Police", "said", "never", "!", "?", "\u201cfreedom\u201d",
                         "corrupt", "hysteria", "allegedly", "our", "nation", "will", "die", "\n", "\n\n", " ", "\u00e9t\u00e9"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(words, max_size=60).map(" ".join) | st.text(max_size=300))
def test_offsets_are_exact_for_any_text(model, text):
    _check(text, model.detect(text))


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=400))
def test_paragraph_offsets(text):
    for p in split_paragraphs(text):
        assert text[p.start:p.end] == p.text
        assert p.text == p.text.strip() and p.text


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["Short one.", "A longer sentence about the talks in the capital.", "3.5 million",
                                 "fled!", "\n", "  ", "Why?", "U.S. envoy"]), max_size=80),
       st.sampled_from([0, 40, 120]), st.sampled_from([20, 60]))
def test_units_cover_each_line_in_order(parts, long, size):
    from faultline.stages.framing.features import split_units

    text = " ".join(parts)
    units = split_units(text, long, size)
    lines = split_paragraphs(text)
    for u in units:
        assert text[u.start:u.end] == u.text and u.text == u.text.strip() and u.text
    # the pieces of a line tile it (up to the spaces between them), numbered 0, 1, ... within the line
    for line in lines:
        mine = [u for u in units if u.index == line.index]
        assert [u.part for u in mine] == list(range(len(mine)))
        assert mine[0].start == line.start and mine[-1].end == line.end
        assert all(not text[a.end:b.start].strip() for a, b in zip(mine, mine[1:]))
        if not long or len(line.text) <= long:
            assert mine == [line]
        else:
            assert all(len(u.text) >= size for u in mine[:-1])


def test_a_text_without_line_breaks_is_scored_in_pieces(model):
    # a CSV export puts a whole article on one line; the model was trained on paragraphs
    para = ("The ministry said the convoy crossed the border at dawn. Officials met the envoy in the capital. "
            "The talks covered trade, energy and the return of refugees. ")
    text = (para * 20).strip()
    assert len(text) > model.long_paragraph
    (line,), P = model.paragraph_scores(text)
    assert (line.index, line.start, line.end) == (0, 0, len(text)) and P.shape == (1, len(model.techniques))
    units = model._scores([text])[0]
    assert len(units.paragraphs) > 1 and units.P.shape[0] == len(units.paragraphs)
    assert np.allclose(P[0], units.P.max(axis=0))  # the line takes its best piece's score
    first = numeric_features(units.paragraphs)[:, NUMERIC_FEATURES.index("first_line")]
    assert first.tolist() == [1.0] + [0.0] * (len(units.paragraphs) - 1)


def test_loaded_language_found_with_reason(model):
    text = ("The corrupt, lying thugs of this brutal regime unleashed a shameful campaign of hysteria and terror "
            "against decent people, a disgusting betrayal of everything we hold dear.")
    spans = detect(text, model=model)
    _check(text, spans)
    emotive = [s for s in spans if s.technique in ("Loaded_Language", "Name_Calling-Labeling")]
    assert emotive, spans
    assert any("cues" in s.why or "phrase tagger" in s.why for s in emotive)
    assert any(s.start <= text.index("hysteria") < s.end for s in emotive)
    assert all(len(s.quote.split()) <= 6 for s in emotive)  # phrases, not the whole sentence
    tagged = [s for s in emotive if "phrase tagger" in s.why]
    assert len(tagged) >= 2
    # every phrase names the features of its own peak word (the second and third used to say "()")
    assert all("()" not in s.why and "+" in s.why.split("phrase tagger", 1)[1] for s in tagged), tagged



@pytest.mark.parametrize("text", [
    "The crackdown was utterly horrifying. She watched the thugs beat elderly protesters while the corrupt regime cheered.",
    "Their so-called reforms are a disgrace. Shameless lies pour out of the ministry every single day.",
    "The bombing was barbaric. Terrified families fled the burning city as the butchers advanced.",
])
def test_tagged_phrases_stay_inside_one_sentence(model, text):
    # the tagger rates words; a run of rated words across "." used to become one span ("barbaric. Terrified")
    spans = [s for s in detect(text, model=model) if "phrase tagger" in s.why]
    _check(text, spans)
    assert spans
    ends = [i + 1 for i, ch in enumerate(text) if ch == "."]
    for s in spans:
        assert not any(s.start < e <= s.end for e in ends), s.quote


@pytest.mark.parametrize("text", [
    "They keep pushing the anti-Serbian line while the pro-Western puppets in the capital applaud every word.",
    "No one believes the so-called experts any more, and no amount of spin will change what they did to us.",
    "The hysteria over the sanctions imposed on Russia shows how the Western media works.",
    "Let us never forget what they did. We must fight, we must win, and we will never surrender.",
    "The pro-Kremlin trolls and the anti-NATO crowd in the capital repeat every lie they are fed.",
])
def test_phrases_hold_a_content_word_and_whole_words(model, text):
    # the tagger once marked "on" (peak on the word before "Russia") and the span lexicon "we will"
    from faultline.stages.framing.features import stop_words

    spans = detect(text, model=model)
    _check(text, spans)
    assert spans
    for s in spans:
        words = [w for w in re.findall(r"\w\w+", s.quote.lower())]
        assert any(len(w) > 2 and w not in stop_words() for w in words), (s.technique, s.quote)
        assert not (s.start > 0 and text[s.start - 1] == "-") and not (s.end < len(text) and text[s.end] == "-"), s.quote


def test_whole_words_takes_compounds_and_contractions():
    from faultline.stages.framing.model import _whole_words

    t = "a pro-Western tool, they don't care; well-known - fact"
    assert t[slice(*_whole_words(t, t.index("Western"), t.index("Western") + 7))] == "pro-Western"
    assert t[slice(*_whole_words(t, t.index("pro"), t.index("pro") + 3))] == "pro-Western"
    assert t[slice(*_whole_words(t, t.index("don"), t.index("don") + 3))] == "don't"
    assert t[slice(*_whole_words(t, t.index("known"), t.index("known") + 5))] == "well-known"
    assert t[slice(*_whole_words(t, t.index("fact"), len(t)))] == "fact"  # a spaced dash is not a hyphen
    u = "I\u2019ve lost it"
    assert u[slice(*_whole_words(u, 2, 4))] == "I\u2019ve"


def test_sentence_fallback_does_not_split_numbers(model):
    # without parser sentences the scoring splitter's pieces are used; "3.5" is not a sentence end
    from faultline.stages.framing.features import split_paragraphs

    text = "The ruthless regime drove about 3.5 million terrified people from their homes. Officials met."
    para = split_paragraphs(text)[0]
    sents = model._sentences(text, para, [], [])
    assert [text[a:b] for a, b in sents] == [text[:text.index(" Officials")], "Officials met."]

def test_neutral_report_has_no_span(model):
    text = "The committee met on Tuesday to discuss the annual budget for the city's libraries."
    assert detect(text, model=model) == ()


def test_sentence_offsets_from_caller_are_respected(model):
    text = "Officials met on Monday.\nThis evil, corrupt and disgusting regime must be destroyed before it destroys us all!"
    second = text.index("This")
    spans = model.detect(text, [(0, 24), (second, len(text))])
    _check(text, spans)
    assert spans and all(s.start >= second for s in spans)


def test_genre_scores_are_a_distribution(model):
    scores = model.genre_scores("Stocks rose on Monday, the exchange said in a statement.")
    assert set(scores) == {"reporting", "opinion", "satire"}
    assert abs(sum(scores.values()) - 1.0) < 1e-5


def test_stage_sets_framing_and_genre(nlp):
    from faultline.pipeline import Item, registered_stages
    from faultline.records import Article, Document
    from faultline.settings import Settings

    stage_cls = registered_stages()["framing"]
    assert stage_cls.requires == ("article", "doc") and stage_cls.provides == ("framing", "genre")
    stage = stage_cls(Settings.load())
    stage.setup(None)
    text = ("Headline: a shameful betrayal\n\nThe corrupt elites and their lying puppets have sold out our great "
            "nation. Police said two people were detained on Friday.")
    item = Item(index=0, document=Document(id="t", content=text, format="text"),
                slots={"article": Article(text=text), "doc": nlp(text)})
    (out,) = stage.process([item])
    assert set(out) == {"framing", "genre"}
    assert out["genre"] in ("reporting", "opinion", "satire")
    _check(text, out["framing"])
    police = text.index("Police")
    assert out["framing"], "the emotive paragraph should fire"
    assert not any(s.start >= police for s in out["framing"]), "the neutral police sentence carries no span"


ARTICLES = [
    "The corrupt regime lies again! Our nation will never bow to these thugs.\n\nPolice said two people were hurt.",
    "",
    "Ministers met in Vienna on Tuesday to discuss the grain corridor.",
    "Allegedly a 'temporary step', the ban remains unexplained.\n\nWho really believes the official story?",
]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(ARTICLES) | st.lists(words, max_size=40).map(" ".join), min_size=1, max_size=6))
def test_batch_scoring_equals_one_by_one(model, texts):
    # the stage scores a whole batch in one vectorised call; each article must get what it gets alone
    assert model.detect_many(texts) == [model.detect(t) for t in texts]
    assert model.genre_scores_many(texts) == [model.genre_scores(t) for t in texts]


def test_cue_features_count_hedges_and_scare_quotes():
    X = cue_features([
        "The ministry reportedly called it a \u201ctechnical step\u201d; why it was needed remains unclear.",
        "Ministers met in Vienna on Tuesday to discuss the grain corridor.",
        "He said \"we will table the motion on Monday and expect it to pass easily\".",  # a quotation, not scare quotes
    ])
    assert list(CUE_FEATURES) == ["distancing", "uncertainty", "scare_quotes"]
    assert (X[0] > 0).all()
    assert (X[1] == 0).all() and (X[2] == 0).all()

