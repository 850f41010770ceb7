"""Site-template learning: blocks repeated across a site's pages become boilerplate."""
from __future__ import annotations

from faultline.records import Document, InputInfo
from faultline.settings import Settings
from faultline.stages.extract import ExtractStage, TemplateMemory, TemplateRow

PROMO = ("Our reporters work across the region every day to bring readers careful, fact-checked coverage "
         "of politics, business and culture in the valley and beyond.")


TOPICS = ["bridge", "school", "library", "market", "harbour", "stadium"]
ACTIONS = ["debated", "rejected", "approved", "postponed", "reviewed", "amended"]


def page(i: int) -> str:
    body = "\n\n".join(
        f"Story {i}: the local council {ACTIONS[(i + k) % 6]} the {TOPICS[(i * 2 + k) % 6]} plan on its agenda "
        f"after members of the {TOPICS[(i + k + 3) % 6]} committee asked for {ACTIONS[(i * 3 + k) % 6]} figures "
        f"on the {TOPICS[(k + 5 * i) % 6]} budget and the {ACTIONS[(k + i + 2) % 6]} timetable."
        for k in range(4))
    return f"{body}\n\n{PROMO}\n"


def test_memory_counts_other_documents_only():
    m = TemplateMemory(min_docs=2)
    for d in ("a", "b"):
        m.observe("example.org", d, [PROMO])
    assert m.template_indices("example.org", "a", [PROMO]) == set()  # only one *other* page
    m.observe("example.org", "c", [PROMO])
    assert m.template_indices("example.org", "a", [PROMO]) == {0}
    assert m.template_indices("other.org", "a", [PROMO]) == set()


def test_drain_and_load_round_trip():
    m = TemplateMemory(min_docs=2)
    for d in ("a", "b", "c"):
        m.observe("example.org", d, [PROMO])
    rows = m.drain()
    assert [r.doc_id for r in rows] == ["a", "b", "c"] and m.drain() == []
    assert isinstance(rows[0], TemplateRow)
    fresh = TemplateMemory(min_docs=2)
    fresh.load([(r.site, r.block_hash, r.doc_id, r.sample) for r in rows])
    assert fresh.template_indices("example.org", "new", [PROMO]) == {0}


def test_a_page_seen_again_is_not_counted_twice():
    m = TemplateMemory(min_docs=2)
    m.load([("example.org", "k", "a", None)])
    for d in ("a", "b"):
        m.observe("example.org", d, [PROMO])
    rows = m.drain()
    fresh = TemplateMemory(min_docs=2)
    fresh.load([(r.site, r.block_hash, r.doc_id, r.sample) for r in rows] * 2)  # stored twice = still 2 pages
    assert fresh.template_indices("example.org", "a", [PROMO]) == set()  # one *other* page only
    fresh.observe("example.org", "a", [PROMO])  # re-ingesting page a adds nothing
    assert fresh.drain() == []


def test_stage_learns_site_templates_as_corpus_grows():
    st = ExtractStage(Settings.load(overrides={"extract": {"template_min_docs": 2}}))
    st.setup()
    texts = []
    for i in range(4):
        doc = Document(id=f"d{i}", content=page(i), format="markdown",
                       input=InputInfo(url=f"https://valley.example/news/{i}", format="markdown"))
        texts.append(st.extract(doc).text)
    assert PROMO in texts[0]  # first page: nothing learnt yet
    assert PROMO not in texts[3]  # by the fourth page the promo is known furniture
    assert texts[3].startswith("Story 3:")
