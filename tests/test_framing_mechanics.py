"""Localisation mechanics on a tiny hand-built model: overlap, phrases, thresholds."""
from __future__ import annotations

import numpy as np

from faultline.stages.framing.features import CUE_FEATURES, NUMERIC_FEATURES, VALENCE_FEATURES
from faultline.stages.framing.model import FramingModel


def tiny_model(thresholds=(0.5, 0.5)) -> FramingModel:
    """Two techniques that both fire on the word 'hysteria' (so their spans overlap)."""
    word_vocab = ["hysteria", "campaign", "anti", "met", "doubt"]
    n = len(word_vocab) + len(NUMERIC_FEATURES)
    W = np.zeros((n, 2), dtype=np.float32)
    W[0] = [8.0, 8.0]  # hysteria
    W[1] = [1.0, 0.5]  # campaign
    state = {
        "techniques": ["Loaded_Language", "Doubt"],
        "word_vocab": word_vocab, "word_idf": np.ones(len(word_vocab), np.float32) * 2,
        "W": W, "b": np.array([-2.0, -2.0], np.float32),
        "thresholds": np.array(thresholds, np.float32),
        "calibration": np.array([[1.0, 0.0], [1.0, 0.0]], np.float32),
        "lexicon": {"Loaded_Language": {"hysteria": 2.0, "campaign": 1.5, "they": 0.3}},
        "genres": ["reporting", "opinion", "satire"], "genre_vocab": ["x"], "genre_idf": np.ones(1, np.float32),
        "genre_W": np.zeros((1, 3), np.float32), "genre_b": np.array([0.0, 1.0, 0.0], np.float32),
    }
    return FramingModel.from_state(state)


TEXT = "Officials met in Brussels.\n\nThey staged an anti hysteria campaign. Nobody was hurt."


def test_overlapping_spans_from_two_techniques():
    spans = tiny_model().detect(TEXT)
    by = {s.technique: s for s in spans}
    assert set(by) == {"Loaded_Language", "Doubt"}
    ll, doubt = by["Loaded_Language"], by["Doubt"]
    assert ll.quote == "hysteria campaign"  # phrase technique: narrowed to span cues
    assert doubt.quote == "They staged an anti hysteria campaign."  # clause technique: the sentence
    assert ll.start < doubt.end and doubt.start < ll.end  # overlap is allowed
    for s in spans:
        assert TEXT[s.start:s.end] == s.quote
        assert "'hysteria'" in s.why


def test_threshold_switches_a_technique_off():
    spans = tiny_model(thresholds=(0.5, 9.0)).detect(TEXT)
    assert {s.technique for s in spans} == {"Loaded_Language"}


def test_paragraph_without_cues_is_silent():
    assert tiny_model().detect("Officials met in Brussels on Monday.") == ()


def test_genre_from_bias():
    assert tiny_model().genre("anything") == "opinion"


def test_lexicon_features_count_learned_cues_per_technique():
    import math

    from faultline.stages.framing.features import LEX_MIN, LEX_SCALE, lexicon_features

    lex = {"Doubt": {"allegedly": 2.0, "so called": 1.5, "the": LEX_MIN / 2}}
    f = lexicon_features(["The so-called experts allegedly agreed.", "The talks resume."], lex,
                         ["Loaded_Language", "Doubt"])
    assert f.shape == (2, 2)
    assert f[0, 0] == 0.0 and f[1, 1] == 0.0  # no lexicon / no cue (weak cues ignored)
    assert f[0, 1] == math.log1p(2.0 + 1.5) / LEX_SCALE  # the distinct cues' log-odds, summed


def test_reason_names_the_hedging_cues_that_pushed_the_score():
    # Doubt learns only from the curated distancing cues (weight 6 on that feature); the valence
    # columns come after the cue columns, so the reason must find the cue rows by name, not at the end
    word_vocab = ["met", "ban"]
    cue_at = len(word_vocab) + len(NUMERIC_FEATURES)
    n = cue_at + len(CUE_FEATURES) + len(VALENCE_FEATURES)
    W = np.zeros((n, 1), dtype=np.float32)
    W[cue_at + CUE_FEATURES.index("distancing"), 0] = 6.0
    state = {
        "valence_features": True, "techniques": ["Doubt"], "word_vocab": word_vocab, "word_idf": np.ones(2, np.float32),
        "W": W, "b": np.array([-1.0], np.float32), "thresholds": np.array([0.5], np.float32),
        "calibration": np.array([[1.0, 0.0]], np.float32), "cue_features": True,
        "genres": ["reporting", "opinion", "satire"], "genre_vocab": ["x"], "genre_idf": np.ones(1, np.float32),
        "genre_W": np.zeros((1, 3), np.float32), "genre_b": np.zeros(3, np.float32),
    }
    model = FramingModel.from_state(state)
    text = "The ban was supposedly temporary. Ministers met on Monday."
    (span,) = model.detect(text)
    assert span.quote == "The ban was supposedly temporary."
    assert "hedging cues 'supposedly'" in span.why
    assert model.detect("Ministers met on Monday.") == ()
