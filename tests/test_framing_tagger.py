"""The word-level phrase tagger: features, scoring, spans, training on a made-up corpus."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faultline.stages.framing.features import NUMERIC_FEATURES
from faultline.stages.framing.model import FramingModel
from faultline.stages.framing.tagger import (TAGGER_FEATURES, PhraseTagger, TaggerBank, best_run, describe, paragraph_features,
                                            token_features, tokens)


def feats_of(text: str) -> dict[str, list[str]]:
    toks = tokens(text)
    return {w: f for (_, _, w), f in zip(toks, token_features(text, toks))}


def test_token_features_see_hyphens_capitals_quotes_and_charge():
    f = feats_of("A pro-Kremlin \u201cfarce\u201d of hysteria, said Ana.")
    assert "hyphen_after" in f["pro"] and "hyphen_before" in f["kremlin"]
    assert "title" in f["kremlin"] and "title" not in f["pro"]
    assert "quote_before" in f["farce"]
    assert "strong_negative" in f["hysteria"]  # VADER rates it about -1.9
    assert "next_to_strong" in f["of"]
    assert {"w=hysteria", "p=of", "n=said", "pw=of|hysteria", "wn=hysteria|said", "s3=ria"} <= set(f["hysteria"])


def test_describe_reads_feature_names():
    assert describe("w=anti") == "word 'anti'"
    assert describe("pw=of|hysteria") == "bigram 'of hysteria'"
    assert describe("hyphen_after") == "joined by a hyphen to the next word"


def tagger() -> PhraseTagger:
    return PhraseTagger("Loaded_Language", -4.0, {"w=hysteria": 5.0, "hyphen_after": 2.5, "w=anti": 1.0,
                                                  "w=campaign": 2.0, "w=the": -1.0}, floor=0.6)


def test_probabilities_add_the_weights_of_the_features_present():
    text = "an anti-war hysteria campaign"
    p = tagger().token_probs(text)
    assert p.shape == (5,)  # an, anti, war, hysteria, campaign
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    assert p[0] == pytest.approx(sig(-4.0))  # "an": no weighted feature
    assert p[1] == pytest.approx(sig(-4.0 + 1.0 + 2.5))  # "anti", joined to "war"
    assert p[3] == pytest.approx(sig(-4.0 + 5.0))
    assert p[4] == pytest.approx(sig(-4.0 + 2.0))


def test_reasons_name_the_strongest_positive_features():
    toks = tokens("anti-war")
    reasons = TaggerBank([tagger()]).reasons(0, token_features("anti-war", toks)[0])
    assert reasons[0].startswith("joined by a hyphen to the next word +2.50")
    assert reasons[1] == "word 'anti' +1.00"


def test_best_run_grows_around_the_peak_and_respects_the_floor():
    assert best_run(np.array([0.1, 0.9, 0.5, 0.2, 0.95, 0.1]), 0.5) == (4, 4)
    assert best_run(np.array([0.1, 0.8, 0.9, 0.6, 0.1]), 0.5) == (1, 3)
    assert best_run(np.array([0.1, 0.4]), 0.5) is None
    assert best_run(np.array([0.9] * 10), 0.5) == (0, 5)  # at most six words
    assert best_run(np.array([]), 0.5) is None


def test_state_round_trip():
    second = PhraseTagger("Name_Calling-Labeling", 0.5, {"w=tool": 2.0, "pw=a|tool": 0.25, "title": -0.5}, floor=0.7)
    bank = TaggerBank([tagger(), second])
    meta, arrays = bank.to_state()
    assert all(isinstance(v, np.ndarray) and v.dtype != object for v in arrays.values())  # weights.npz, no pickle
    back = TaggerBank.from_state(meta, arrays)
    assert back.techniques == bank.techniques and back.floors == (0.6, 0.7)
    text = "A pro-war Tool of \u201chysteria\u201d, a tool."
    np.testing.assert_allclose(back.probs(text, tokens(text)), bank.probs(text, tokens(text)), rtol=1e-6)
    assert back.weight("w=tool", 1) == 2.0 and back.weight("title", 1) == -0.5 and back.weight("w=zzz", 0) == 0.0
    assert len(TaggerBank.from_state([], {})) == 0


def test_paragraph_features_are_best_probability_and_count():
    out = paragraph_features([tagger()], ["a calm day", "a hysteria campaign"])
    assert out.shape == (2, len(TAGGER_FEATURES))
    assert out[0, 0] < 0.1 and out[0, 1] == 0.0
    assert out[1, 0] > 0.7 and out[1, 1] > 0.0
    assert paragraph_features([tagger()], [""]).tolist() == [[0.0, 0.0]]


def model_with_tagger() -> FramingModel:
    word_vocab = ["hysteria", "met"]
    n = len(word_vocab) + len(NUMERIC_FEATURES) + len(TAGGER_FEATURES)
    W = np.zeros((n, 1), dtype=np.float32)
    W[-2] = 10.0  # the tagger's best word probability drives the paragraph score
    state = {
        "techniques": ["Loaded_Language"], "word_vocab": word_vocab,
        "word_idf": np.ones(2, np.float32), "W": W, "b": np.array([-6.0], np.float32),
        "thresholds": np.array([0.5], np.float32), "calibration": np.array([[1.0, 0.0]], np.float32),
        "genres": ["reporting", "opinion", "satire"], "genre_vocab": ["x"], "genre_idf": np.ones(1, np.float32),
        "genre_W": np.zeros((1, 3), np.float32), "genre_b": np.array([0.0, 1.0, 0.0], np.float32),
    }
    meta, arrays = TaggerBank([tagger()]).to_state()
    state.update(arrays, taggers=meta)
    return FramingModel.from_state(state)


def test_a_fired_tagged_technique_is_placed_on_the_tagged_words():
    text = "Ministers met on Monday.\nThe press ran an anti-war hysteria campaign against them."
    spans = model_with_tagger().detect(text)
    # hysteria 0.73; campaign 0.12 and anti 0.38 stay under half of it, so the phrase is one word
    assert [s.quote for s in spans] == ["hysteria"]
    (span,) = spans
    assert text[span.start:span.end] == span.quote
    assert "phrase tagger" in span.why and "'hysteria'" in span.why and "strongly" not in span.why


def test_no_span_where_the_tagger_is_quiet():
    assert model_with_tagger().detect("Ministers met on Monday.\nThey agreed a date.") == ()


def test_fit_tagger_learns_the_marked_words():
    pytest.importorskip("sklearn")
    from faultline.stages.framing.training import LabelledArticle, fit_tagger

    arts = []
    for i in range(12):
        text = (f"Talks {i} went on in the capital.\n"
                f"Critics called it a shameful sellout again and again.\n"
                f"The delegation left at noon {i}.")
        s = text.index("shameful sellout")
        arts.append(LabelledArticle(str(i), text, {0: frozenset(), 1: frozenset({"Loaded_Language"}), 2: frozenset()},
                                    (("Loaded_Language", s, s + len("shameful sellout")),)))
    t = fit_tagger(arts, "Loaded_Language", c=1.0)
    probe = "Observers called the plan a shameful sellout."
    p = dict(zip([w for _, _, w in tokens(probe)], t.token_probs(probe)))
    assert p["sellout"] > 0.5 and p["shameful"] > 0.5
    assert p["observers"] < 0.5 and p["plan"] < 0.5


WORDS = ["anti", "war", "hysteria", "campaign", "the", "Kremlin", "tragic", "good", "plan", "x", "AB", "talks"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from([" ", "-", " \u201c", "\u201d ", ", ", "'"])),
                max_size=25))
def test_bank_scores_equal_the_reference_scorer(parts):
    """The vectorised bank computes exactly what the feature-list scorer computes."""
    text = "".join(w + sep for w, sep in parts)
    second = PhraseTagger("Name_Calling-Labeling", -1.0, {"pw=anti|war": 1.5, "wn=the|kremlin": 0.7, "n=</s>": 0.3,
                                                         "p=<s>": -0.2, "s3=ria": 0.4, "title": 0.9,
                                                         "quote_before": 1.1, "strong_positive": 0.6,
                                                         "mild_negative": -0.3, "next_to_strong": 0.25,
                                                         "hyphen_before": 0.5})
    pair = [tagger(), second]
    toks = tokens(text)
    got = TaggerBank(pair).probs(text, toks)
    assert got.shape == (len(toks), 2)
    for k, t in enumerate(pair):
        np.testing.assert_allclose(got[:, k], t.token_probs(text), rtol=1e-9, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet="ab hysteria-Tragic\u201c'good ", max_size=40), max_size=6))
def test_scoring_many_texts_at_once_equals_one_by_one(texts):
    """No feature leaks across text boundaries when a batch is gathered in one pass."""
    bank = TaggerBank([tagger()])
    docs = [(t, tokens(t)) for t in texts]
    together = bank.probs_many(docs)
    assert len(together) == len(texts)
    for (text, toks), got in zip(docs, together):
        np.testing.assert_allclose(got, bank.probs(text, toks), rtol=1e-12)
        np.testing.assert_allclose(got[:, 0], tagger().token_probs(text), rtol=1e-9)
