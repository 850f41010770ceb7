"""The cluster stage: copies share an id, independent write-ups do not."""
from __future__ import annotations

import random

from hypothesis import given, settings as hsettings, strategies as st

from faultline.records import fingerprint_text
from faultline.settings import Settings
from faultline.stages.cluster import ClusterStage

A = " ".join([
    "The harbour authority confirmed on Tuesday that two cranes collapsed during the storm, injuring three workers.",
    "Officials said the port would stay closed for at least a week while engineers inspect the remaining cranes.",
    "Shipping firms have begun diverting cargo to a smaller terminal further along the coast, adding costs.",
    "A union representative said workers had warned managers about the state of the equipment last year.",
])
B = " ".join([  # the same news, written independently
    "Three dock workers were hurt when a pair of cranes fell over in high winds, port officials said.",
    "Engineers will check the other cranes, and the port is expected to remain shut for about seven days.",
    "Cargo is being sent to another terminal down the coast, which shipping companies say is more expensive.",
    "Union leaders say they raised concerns about the machinery with management twelve months ago.",
])


def stage():
    return ClusterStage(Settings.load())


def test_repost_with_wrapper_joins_original():
    s = stage()
    c1 = s.assign(A)
    c2 = s.assign("Share this story with your friends! " + A.replace("Tuesday", "Tuesday morning")
                  + " Donate to support independent news.")
    assert c1 == c2 == fingerprint_text(A)  # id = fingerprint of the earliest member


def test_independent_write_ups_stay_apart():
    s = stage()
    assert s.assign(A) != s.assign(B)


def test_preload_continues_clusters():
    s = stage()
    cid = s.assign(A)
    sigs = s.drain()
    s2 = stage()
    assert s2.preload(sigs) == 1
    assert s2.assign(A + " Editor's note: updated.") == cid
    assert s.drain() == []


@hsettings(max_examples=15, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_grouping_does_not_depend_on_order(seed):
    texts = [A, "Read more: " + A, B, B + " Follow us for updates."]
    order = list(range(4))
    random.Random(seed).shuffle(order)
    s = stage()
    ids = {}
    for i in order:
        ids[i] = s.assign(texts[i])
    assert ids[0] == ids[1] and ids[2] == ids[3] and ids[0] != ids[2]


def test_window_bounds_memory_and_keeps_recent_copies():
    s = ClusterStage(Settings.load(overrides={"cluster": {"window": 40}}))
    texts = [f"Story {i}: " + A.replace("two cranes", f"{i + 2} cranes").replace("three", f"number {i}")
             + f" Reported from dock {i} by desk {i * 7}." for i in range(200)]
    # each repost follows its original closely, so the window still holds the original
    for t in texts:
        c = s.assign(t)
        assert s.assign("Share this story! " + t) == c
        s.drain()
    assert len(s._fps) <= 40 + 40 // 8 + 1 and len(s._row) == len(s._fps)
    assert s.cluster_of(fingerprint_text(texts[0])) is None  # left memory
    assert s.cluster_of(fingerprint_text(texts[-1])) is not None
