"""Training: the gold spans of the rarer techniques as extra, down-weighted training rows."""
from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix

from faultline.stages.framing import training
from faultline.stages.framing.training import LabelledArticle

TECHNIQUES = ["Doubt", "Name_Calling-Labeling", "Slogans"]


def _article() -> LabelledArticle:
    text = ("The committee met on Tuesday.\n"
            "\n"
            "Its chair, a spineless puppet, allegedly signed it, to what purpose nobody says.\n"
            "Stand firm, stand proud!\n")
    para = text.index("Its chair")
    label = text.index("a spineless puppet")
    doubt = text.index("allegedly")
    slogan = text.index("Stand firm")
    spans = (
        ("Name_Calling-Labeling", label, label + len("a spineless puppet")),
        ("Doubt", doubt, text.index(" nobody says") + len(" nobody says")),
        ("Doubt", para, text.index("Stand firm") - 1),  # the whole line: holds the label
        ("Slogans", slogan, slogan + len("Stand firm, stand proud!")),
        ("Slogans", para, slogan + 10),  # crosses a paragraph break: no row
    )
    labels = {0: frozenset(), 2: frozenset({"Name_Calling-Labeling", "Doubt"}), 3: frozenset({"Slogans"})}
    return LabelledArticle("t1", text, labels, spans)


def test_span_rows_are_the_span_texts_with_their_paragraph_row():
    art = _article()
    texts, owner, Y = training._span_rows([art, art], TECHNIQUES)
    per_article = len(texts) // 2
    assert per_article == 4  # the span across the paragraph break is left out
    assert texts[:per_article] == texts[per_article:]
    para_texts, _, _, _ = training._rows([art, art], TECHNIQUES)
    for t, o in zip(texts, owner):
        assert t in para_texts[o]  # each row points at the paragraph row that holds it
    assert owner.tolist() == [1, 1, 1, 2, 4, 4, 4, 5]  # rows of the second article follow its paragraphs
    rows = dict(zip(texts[:per_article], Y[:per_article].tolist()))
    # the label lies inside the whole-line Doubt span, so its row carries Doubt too; the short
    # Doubt span covers too little of the line to give the line's row anything else
    assert rows["a spineless puppet"] == [1, 1, 0]
    assert rows["allegedly signed it, to what purpose nobody says"] == [1, 0, 0]
    assert rows["Stand firm, stand proud!"] == [0, 0, 1]
    line = next(t for t in texts if t.startswith("Its chair"))
    assert rows[line] == [1, 0, 0]  # the label covers a quarter of the line: not enough


def test_only_the_rarer_techniques_learn_from_span_rows(monkeypatch):
    rng = np.random.default_rng(0)
    X = csr_matrix((rng.random((120, 12)) < 0.3).astype(np.float32))
    Y = np.zeros((120, 2), dtype=np.int8)
    Y[:60, 0] = 1  # common technique: 60 labelled rows
    Y[:20, 1] = 1  # rare technique: 20
    Xa = csr_matrix((rng.random((15, 12)) < 0.3).astype(np.float32))
    Ya = np.ones((15, 2), dtype=np.int8)
    monkeypatch.setattr(training, "MIN_POSITIVES", 10)
    monkeypatch.setattr(training, "SPAN_ROWS_MAX_POSITIVES", 40)
    W0, b0 = training._fit_all(X, Y, n_jobs=1)
    W1, b1 = training._fit_all(X, Y, n_jobs=1, span_rows=(Xa, Ya))
    assert np.array_equal(W0[:, 0], W1[:, 0]) and b0[0] == b1[0]  # common: the span rows are not used
    assert not np.allclose(W0[:, 1], W1[:, 1])  # rare: they are
    monkeypatch.setattr(training, "SPAN_ROWS_WEIGHT", 0.0)
    W2, b2 = training._fit_all(X, Y, n_jobs=1, span_rows=(Xa, Ya))
    assert np.array_equal(W0, W2) and np.array_equal(b0, b2)  # weight 0 switches them off
