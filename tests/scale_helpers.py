"""Synthetic news items for the scale tests (written for these tests; no third-party text)."""
from __future__ import annotations

import random

ACTORS = ["Serbian police", "The Kosovo government", "French troops", "Russian diplomats", "Protesters",
          "The United Nations", "Turkish officials", "Syrian rebels", "The European Union", "Iraqi forces"]
ACTIONS = ["arrested dozens of people in", "sent reinforcements to", "met ministers from", "condemned attacks on",
           "signed an agreement with", "imposed sanctions on", "accused the leaders of", "withdrew from",
           "promised aid to", "blocked the border with"]
PLACES = ["Belgrade", "Pristina", "Paris", "Moscow", "Damascus", "Ankara", "Baghdad", "Brussels", "Kyiv", "Raqqa"]
EXTRA = ["Officials said more talks would follow next week.", "The move was criticised by opposition parties.",
         "Witnesses described long queues at the crossing.", "No casualties were reported.",
         "Analysts warned that tensions could rise further."]


def synthetic_records(n: int, *, seed: int = 7) -> list[dict]:
    """``n`` JSONL-style records with an id, a date and two to four sentences."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        sentences = [f"{rng.choice(ACTORS)} {rng.choice(ACTIONS)} {rng.choice(PLACES)} on Tuesday."
                     for _ in range(rng.randint(1, 2))]
        sentences += rng.sample(EXTRA, rng.randint(1, 2))
        text = " ".join(sentences)
        if i % 6 == 5:  # a syndicated copy of an earlier item, lightly edited: same cluster
            text = out[i - 3]["text"] + " This report was syndicated by a partner outlet."
        out.append({"id": f"syn-{i:05d}", "text": text,
                    "published": f"2021-09-{1 + i % 28:02d}", "source": "Synthetic Wire",
                    "title": f"Item {i}"})
    return out
