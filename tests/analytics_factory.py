"""A fixture factory for analytics, web and interop tests: synthetic stored records.

``build_scenario(store)`` writes a small, fully known world (all text is our
own) and returns what it planted, so tests can check the counts:

* coverage: 3 background stories a day from 2024-03-01 to 2024-04-30, and a
  news spike of 30 stories on 2024-04-05;
* SRB–XKX: one conflict event every third day, then an escalation on
  2024-04-20 (6 conflict events in 3 stories, the first story syndicated
  twice: its copies must count once);
* USA–CHN: conflict in proportion to coverage (one event per 3 stories),
  including the news-spike day: never an escalation;
* SRB–RUS cooperation; an IGO actor; a ``future`` SRB–XKX assault (never
  counted by default);
* a planted article whose every scraped string carries ``<script>`` and
  ``onerror=`` payloads.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from faultline.analytics.synthetic import make_result
from faultline.records import FramingSpan

START = dt.date(2024, 3, 1)
END = dt.date(2024, 4, 30)
SPIKE_NEWS = dt.date(2024, 4, 5)
ESCALATION = dt.date(2024, 4, 20)

PAYLOAD = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
XSS_ID = "planted-xss"


@dataclass
class Scenario:
    srb_xkx_conflict: int = 0  # unique asserted conflict events SRB-XKX
    srb_xkx_future: int = 0
    srb_rus_coop: int = 0
    usa_chn_conflict: int = 0
    escalation_event_ids: list[str] = field(default_factory=list)
    copies: list[str] = field(default_factory=list)
    documents: int = 0


def _days():
    d = START
    while d <= END:
        yield d
        d += dt.timedelta(days=1)


def build_scenario(store) -> Scenario:
    sc = Scenario()
    results = []
    for i, day in enumerate(_days()):
        iso = day.isoformat()
        n_stories = 30 if day == SPIKE_NEWS else 3
        for s in range(n_stories):
            specs = []
            if s % 3 == 0:  # USA-CHN conflict in proportion to coverage
                specs.append({"type": "ACCUSE", "actor": [("USA", "GOV", "Washington")],
                              "recipient": [("CHN", "GOV", "Beijing")], "date": iso})
                sc.usa_chn_conflict += 1
            if s == 1 and i % 3 == 0 and day != ESCALATION:  # SRB-XKX baseline
                specs.append({"type": "THREATEN", "actor": [("SRB", "GOV", "Belgrade")],
                              "recipient": [("XKX", "GOV", "Pristina")], "date": iso})
                sc.srb_xkx_conflict += 1
            if s == 2 and i % 4 == 0:
                specs.append({"type": "COOPERATE", "actor": [("SRB", "GOV", "Belgrade")],
                              "recipient": [("RUS", "GOV", "Moscow")], "date": iso})
                sc.srb_rus_coop += 1
            if s == 2 and i % 10 == 0:
                specs.append({"type": "CONSULT", "actor": [("IGO", "GOV", "European Union")],
                              "recipient": [("SRB", "GOV", "Belgrade"), ("XKX", "GOV", "Pristina")], "date": iso})
            if not specs:
                specs.append({"type": "SUPPORT", "actor": [("FRA", "GOV", "Paris")], "recipient": [("DEU", "GOV", "Berlin")],
                              "date": iso})
            results.append(make_result(f"bg-{iso}-{s}", specs, published=iso, title=f"Background story {s} of {iso}"))
    # the escalation: 3 stories, 6 unique conflict events, the first story syndicated twice
    iso = ESCALATION.isoformat()
    esc_specs = [
        [{"type": "MOBILIZE", "actor": [("SRB", "MIL", "Serbian army")], "recipient": [("XKX", "GOV", "Pristina")],
          "date": iso, "quote": "The Serbian army moved armoured units towards the boundary line."},
         {"type": "THREATEN", "actor": [("SRB", "PRM", "The president")], "recipient": [("XKX", "GOV", "Pristina")],
          "date": iso, "quote": "The president warned Pristina of consequences."}],
        [{"type": "ASSAULT", "actor": [("SRB", "CVL", "Protesters")], "recipient": [("XKX", "COP", "Kosovo police")],
          "date": iso, "quote": "Protesters threw stones at Kosovo police officers."},
         {"type": "COERCE", "actor": [("XKX", "COP", "Kosovo police")], "recipient": [("SRB", "CVL", "Protesters")],
          "date": iso, "quote": "Kosovo police detained two protesters."}],
        [{"type": "ACCUSE", "actor": [("SRB", "GOV", "Belgrade")], "recipient": [("XKX", "GOV", "Pristina")],
          "date": iso, "quote": "Belgrade accused Pristina of provocations."},
         {"type": "PROTEST", "actor": [("SRB", "CVL", "Residents")], "recipient": [("XKX", "GOV", "Pristina")],
          "date": iso, "quote": "Residents blocked roads near the crossing."}],
    ]
    for j, specs in enumerate(esc_specs):
        r = make_result(f"esc-{j}", specs, published=iso, title=f"Border tension report {j}",
                        text_prefix="Report from the boundary line.")
        if j == 0:  # a framing span next to the events, for the article page
            phrase = "warned Pristina of consequences"
            at = r.text.index(phrase)
            r = r.replace(framing=(FramingSpan(technique="Appeal_to_Fear", quote=phrase, start=at,
                                               end=at + len(phrase), confidence=0.6,
                                               why="a warning of unspecified consequences"),))
        results.append(r)
        sc.escalation_event_ids.extend(e.id for e in r.events)
        sc.srb_xkx_conflict += len(specs)
    for k in range(2):  # syndicated copies of esc-0: same cluster, other ids
        copy = make_result(f"esc-0-copy{k}", esc_specs[0], published=iso, cluster="esc-0",
                           title="Border tension report 0 (republished)", source="Copy Daily",
                           text_prefix="Report from the boundary line.")
        results.append(copy)
        sc.copies.append(copy.id)
    # a future event is not an event that happened
    results.append(make_result("future-1", [{"type": "ASSAULT", "actor": [("SRB", "MIL", "Serbian army")],
                                             "recipient": [("XKX", "GOV", "Pristina")], "date": "2024-04-22",
                                             "modality": "future",
                                             "quote": "The army would strike if attacked."}], published="2024-04-21"))
    sc.srb_xkx_future = 1
    results.append(planted_xss_result())
    sc.srb_xkx_conflict += 1  # the planted article's ACCUSE
    store.write(results)
    sc.documents = len(results)
    return sc


def planted_xss_result():
    """An article whose every scraped string carries script and onerror payloads."""
    prefix = f"Hostile text {PAYLOAD} follows."
    quote = f"Belgrade {PAYLOAD} accused Pristina."
    framing_quote = "Hostile text"
    r = make_result(
        XSS_ID,
        [{"type": "ACCUSE", "actor": [("SRB", "GOV", f"Belgrade {PAYLOAD}")], "recipient": [("XKX", "GOV", "Pristina")],
          "date": "2024-04-02", "quote": quote}],
        published="2024-04-02", title=f"Planted {PAYLOAD}", source="Evil <b onmouseover=\"window.__pwned=3\">Press</b>",
        text_prefix=prefix, boilerplate=[f"Subscribe {PAYLOAD}"], source_rating=0.2,
        url="javascript:window.__pwned=4",
        framing=[FramingSpan(technique=f"Doubt {PAYLOAD}", quote=framing_quote, start=0, end=len(framing_quote),
                             confidence=0.5, why=f"because {PAYLOAD}")])
    assert r.text.startswith(framing_quote)
    return r
