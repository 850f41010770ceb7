"""Training end to end on a made-up corpus: fit, then cross-validation through the run-time scorer."""
from __future__ import annotations

import random

import numpy as np
import pytest

from faultline.stages.framing import training
from faultline.stages.framing.model import FramingModel, ModelMissing
from faultline.stages.framing.training import LabelledArticle

TECHNIQUES = ["Loaded_Language", "Doubt"]
PLAIN = ["The council met on {d} to discuss the budget.", "Officials said the road would reopen on {d}.",
         "The ministry published the figures on {d}.", "Delegates agreed to meet again on {d}.",
         "Trucks queued at the crossing on {d}.", "The mayor opened a new school on {d}."]
LOADED = ["The {w} regime unleashed its {w} thugs on {d}.", "It was a {w} and {w} betrayal, staged on {d}."]
CHARGED = ["monstrous", "vile", "disgraceful", "barbaric", "sickening", "despicable"]
DOUBT = ["The minister allegedly approved it on {d}, though nobody can say why.",
         "The so-called inquiry of {d} supposedly cleared everyone, which remains unclear."]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def _corpus(n: int = 24, seed: int = 5) -> list[LabelledArticle]:
    rng = random.Random(seed)
    articles = []
    for a in range(n):
        lines, labels, spans, at = [], {}, [], 0
        for i in range(8):
            kind = rng.choice(["plain", "plain", "loaded", "doubt"])
            pool = {"plain": PLAIN, "loaded": LOADED, "doubt": DOUBT}[kind]
            line = rng.choice(pool).format(d=rng.choice(DAYS), w="{w}")
            while "{w}" in line:
                line = line.replace("{w}", rng.choice(CHARGED), 1)
            techniques = set()
            if kind == "loaded":
                techniques.add("Loaded_Language")
                for word in CHARGED:
                    k = line.find(word)
                    if k >= 0:
                        spans.append(("Loaded_Language", at + k, at + k + len(word)))
            elif kind == "doubt":
                techniques.add("Doubt")
                spans.append(("Doubt", at, at + len(line)))
            labels[i] = frozenset(techniques)
            lines.append(line)
            at += len(line) + 1
        articles.append(LabelledArticle(f"a{a:03d}", "\n".join(lines) + "\n", labels, tuple(spans)))
    return articles


@pytest.fixture(scope="module")
def corpus():
    return _corpus()


def test_cross_validation_learns_a_clear_signal(corpus, monkeypatch):
    monkeypatch.setattr(training, "MIN_POSITIVES", 10)
    res = training.cross_validate(corpus, TECHNIQUES, folds=2, inner_folds=2)
    assert res["paragraphs"] == 8 * len(corpus)
    assert res["micro_f1"] > 0.9, res
    assert res["per_technique"]["Doubt"]["f1"] > 0.9


def test_scores_come_from_the_run_time_model(corpus, monkeypatch):
    monkeypatch.setattr(training, "MIN_POSITIVES", 10)
    state = training.fit(corpus[:16], TECHNIQUES, inner_folds=2)
    held = corpus[16:]
    P = training._score_articles(state, held)
    model = FramingModel.from_state(state)
    assert np.array_equal(P, np.vstack([s.P for s in model._scores([a.text for a in held])]))
    assert P.shape == (8 * len(held), len(TECHNIQUES))
    with pytest.raises(ModelMissing):  # a technique-only state has no genre classifier
        model.genre(held[0].text)
    unlabelled = LabelledArticle("x", held[0].text, {0: frozenset()}, ())
    with pytest.raises(ValueError, match="labelled lines differ"):
        training._score_articles(state, [unlabelled])
