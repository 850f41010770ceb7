"""The second level: paragraph scores revised from the article around the paragraph."""
from __future__ import annotations

import numpy as np
import pytest

from faultline.stages.framing.features import CONTEXT_FEATURES, NUMERIC_FEATURES, context_features, with_context
from faultline.stages.framing.model import FramingModel


def test_context_features_stay_inside_each_article():
    P = np.array([[0.2, 0.9], [0.4, 0.1], [0.6, 0.5],  # article 0
                  [0.8, 0.3]])  # article 1, a single paragraph
    F = context_features(P, np.array([0, 0, 0, 1]))
    n = P.shape[1]
    assert F.shape == (4, len(CONTEXT_FEATURES) * n)
    logit, mean, neighbour = F[:, :n], F[:, n:2 * n], F[:, 2 * n:]
    assert np.allclose(logit[0], np.log([0.2 / 0.8, 0.9 / 0.1]))
    assert np.allclose(mean[:3], [0.4, 0.5])
    assert np.allclose(mean[3], [0.8, 0.3])  # not pulled towards article 0
    assert np.allclose(neighbour[0], [0.4, 0.1])  # first paragraph: only the next one
    assert np.allclose(neighbour[1], [0.6, 0.9])  # the higher of both sides, per technique
    assert np.allclose(neighbour[2], [0.4, 0.1])
    assert np.allclose(neighbour[3], [0.0, 0.0])  # no neighbours across the article boundary


def test_with_context_blends_and_keeps_empty_input():
    P = np.array([[0.2], [0.8]])
    W = np.zeros((len(CONTEXT_FEATURES), 1))
    W[1, 0] = 10.0  # the article's mean pushes every paragraph up
    out = with_context(P, np.array([0, 0]), W, np.array([-4.0]), weight=0.5)
    second = 1 / (1 + np.exp(-(10 * 0.5 - 4)))
    assert np.allclose(out[:, 0], 0.5 * P[:, 0] + 0.5 * second)
    assert with_context(np.zeros((0, 1)), np.zeros(0), W, np.array([0.0]), 0.5).shape == (0, 1)


def _model(context: bool) -> FramingModel:
    """One technique cued by 'hysteria'; with ``context``, a second level that follows the article mean."""
    word_vocab = ["hysteria", "met"]
    W = np.zeros((len(word_vocab) + len(NUMERIC_FEATURES), 1), dtype=np.float32)
    W[0, 0] = 6.0
    state = {
        "techniques": ["Doubt"], "word_vocab": word_vocab, "word_idf": np.ones(2, np.float32),
        "W": W, "b": np.array([-2.0], np.float32), "thresholds": np.array([0.5], np.float32),
        "calibration": np.array([[1.0, 0.0]], np.float32),
        "genres": ["reporting", "opinion", "satire"], "genre_vocab": ["x"], "genre_idf": np.ones(1, np.float32),
        "genre_W": np.zeros((1, 3), np.float32), "genre_b": np.zeros(3, np.float32),
    }
    if context:
        cw = np.zeros((len(CONTEXT_FEATURES), 1), dtype=np.float32)
        cw[1, 0] = 12.0  # article mean
        state |= {"context_W": cw, "context_b": np.array([-4.0], np.float32), "context_weight": 0.5}
    return FramingModel.from_state(state)


HOT = "Hysteria, hysteria everywhere.\nMore hysteria today.\nThey met and said little."
COLD = "They met on Monday.\nThey met again on Tuesday.\nThey met and said little."


def test_the_article_context_can_lift_a_paragraph_over_its_threshold_and_says_so():
    last = HOT.rindex("They")
    plain = _model(context=False).detect(HOT)
    assert [s.start for s in plain if s.start >= last] == []  # its own text says nothing
    spans = _model(context=True).detect(HOT)
    lifted = [s for s in spans if s.start >= last]
    assert len(lifted) == 1
    assert "from its own text, raised by the article context" in lifted[0].why
    assert _model(context=True).detect(COLD) == ()  # a calm article lifts nothing


@pytest.mark.parametrize("context", [False, True])
def test_batched_articles_do_not_share_context(context):
    model = _model(context)
    one_by_one = [model.paragraph_scores(t)[1] for t in (HOT, COLD)]
    batched = [P for _, P in model.paragraph_scores_many([HOT, COLD])]
    for a, b in zip(one_by_one, batched):
        assert np.allclose(a, b)
    assert model.detect_many([HOT, COLD]) == [model.detect(HOT), model.detect(COLD)]
