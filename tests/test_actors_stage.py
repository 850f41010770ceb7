"""The registered `actors` stage inside a pipeline."""
from __future__ import annotations

from faultline.pipeline import Pipeline, registered_stages
from faultline.records import Document
from faultline.stages.actors import ActorsStage, DocContext


def test_stage_is_registered_with_its_slots() -> None:
    stage = registered_stages()["actors"]
    assert stage is ActorsStage
    assert stage.requires == ("article", "doc")
    assert stage.provides == ("actors", "places", "context")


def test_pipeline_sets_actors_places_and_context(settings) -> None:
    text = ("Serbian President Aleksandar Vucic ordered troops to the border on Tuesday. "
            "Pristina said the move was a provocation.")
    pipe = Pipeline(["extract", "nlp", "actors"], settings=settings)
    item_doc = Document(id="t1", content=text, format="text", published="2021-09-29")
    (result,) = list(pipe.run([item_doc]))
    assert not result.errors, result.errors
    body = result.text
    vucic = [a for a in result.actors if "Vucic" in a.text][0]
    assert (vucic.country, vucic.sector) == ("SRB", "GOV")
    assert any(a.text == "Pristina" and a.country == "XKX" for a in result.actors)
    for a in result.actors:
        assert body[a.start:a.end] == a.text


def test_context_slot(settings, nlp) -> None:
    from faultline.pipeline import Item

    text = "Kosovo police entered Zvecan on Monday. Belgrade condemned it."
    stage = ActorsStage(settings)
    stage.setup(None)
    from faultline.records import Article

    item = Item(index=0, document=Document(id="x", content=text, format="text", published="2021-09-29"),
                slots={"article": Article(text=text, published="2021-09-29"), "doc": nlp(text)})
    (out,) = stage.process([item])
    ctx = out["context"]
    assert isinstance(ctx, DocContext) and ctx.published == "2021-09-29"
    assert ctx.date_for(0, 10) == "2021-09-27"
    assert ctx.date_for(text.index("Belgrade"), len(text)) == "2021-09-29"
    assert [a.country for a in ctx.actor_at(0, 13)] == ["XKX"]


def test_analyse_doc_loads_the_shipped_kb_once_per_process(nlp, monkeypatch) -> None:
    """The one-call helper is meant to be called per document: it must not reload the KB each time."""
    from faultline.stages.actors import stage as module

    loads: list[int] = []
    real = module.load_kb
    monkeypatch.setattr(module, "load_kb", lambda *a, **k: loads.append(1) or real(*a, **k))
    module._shared_defaults.cache_clear()
    doc = nlp("Serbian police closed two border crossings on Monday.")
    first = module.analyse_doc(doc, published="2021-09-20")
    second = module.analyse_doc(doc, published="2021-09-20")
    assert loads == [1]
    assert first[0] == second[0] and first[1] == second[1]
