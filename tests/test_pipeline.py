"""The staged pipeline: validation, failure isolation, input order."""
from __future__ import annotations

from typing import Any

import pytest

from faultline.errors import PipelineError
from faultline.pipeline import Item, Pipeline, Stage, registered_stages
from faultline.records import Article, Document


class Upper(Stage):
    name = "upper-test"
    requires = ("article",)
    provides = ("genre",)

    def process_one(self, item: Item) -> dict[str, Any]:
        if "boom" in item.slots["article"].text:
            raise RuntimeError("exploded on purpose")
        return {"genre": item.slots["article"].text.upper()[:5]}


class NeedsEvents(Stage):
    name = "needs-events-test"
    requires = ("events",)
    provides = ()


def _docs(texts):
    return [Document(id=f"d{i}", content=t, format="text") for i, t in enumerate(texts)]


def test_builtin_stages_are_registered() -> None:
    names = registered_stages()
    assert {"extract", "nlp"} <= set(names)
    for cls in names.values():
        assert cls.provides, f"{cls.name} provides nothing"


def test_pipeline_is_validated_when_built() -> None:
    with pytest.raises(PipelineError, match="needs events"):
        Pipeline(["extract"], extra=[NeedsEvents(None)])  # type: ignore[arg-type]
    with pytest.raises(PipelineError, match="unknown stage"):
        Pipeline(["extract", "no-such-stage"])


def test_a_failing_document_is_isolated_and_order_is_kept() -> None:
    pipe = Pipeline(["extract"], extra=[Upper(None)])  # type: ignore[arg-type]
    texts = ["alpha one", "boom two", "gamma three", "", "delta four"]
    out = list(pipe.run(_docs(texts), batch_size=2))
    assert [r.id for r in out] == [f"d{i}" for i in range(5)]
    assert out[0].genre == "ALPHA" and out[2].genre == "GAMMA" and out[4].genre == "DELTA"
    assert out[1].errors and "exploded on purpose" in out[1].errors[0]
    assert out[3].errors and "no article text" in out[3].errors[0]


def test_stage_may_not_set_undeclared_slots() -> None:
    class Liar(Stage):
        name = "liar-test"
        requires = ("article",)
        provides = ("genre",)

        def process_one(self, item):
            return {"genre": "x", "events": ()}

    out = list(Pipeline(["extract"], extra=[Liar(None)]).run(_docs(["text"])))  # type: ignore[arg-type]
    assert "does not declare" in out[0].errors[0]


def test_reader_errors_become_records() -> None:
    bad = Document(id="bad", content="", format="text", error="file is empty")
    out = list(Pipeline(["extract"]).run([bad, *_docs(["fine"])]))
    assert out[0].errors == ("file is empty",) and out[1].errors == ()
    assert isinstance(Article(text="x"), Article)


def test_a_batch_scope_spans_every_stage_and_the_doc_does_not_outlive_it() -> None:
    """A stage's batch scope opens before the first stage and closes after the last, once per
    batch; the ``doc`` slot is gone before it closes (spaCy's memory zone frees its strings)."""
    log: list[str] = []

    class Scoped(Stage):
        name = "scoped-test"
        requires = ("article",)
        provides = ("doc",)

        def batch_scope(self):
            from contextlib import contextmanager

            @contextmanager
            def scope():
                log.append("open")
                yield
                log.append("close")
            return scope()

        def process(self, items):
            log.append("scoped")
            return [{"doc": object()} for _ in items]

    class Reads(Stage):
        name = "reads-doc-test"
        requires = ("doc",)
        provides = ("genre",)

        def process(self, items):
            log.append("reads")
            assert all("doc" in it.slots for it in items)  # still there while the scope is open
            return [{"genre": "opinion"} for _ in items]

    from faultline.pipeline import run_stages

    items = [Item(index=i, document=d) for i, d in enumerate(_docs(["one", "two", "three"]))]
    for it in items:
        it.slots["article"] = Article(text=it.document.content)
    run_stages([Scoped(None), Reads(None)], items)  # type: ignore[arg-type]
    assert log == ["open", "scoped", "reads", "close"]
    assert all("doc" not in it.slots and it.slots["genre"] == "opinion" for it in items)


def test_setup_from_a_stage_leaves_the_leading_stages_unloaded() -> None:
    """A worker that gets its documents already extracted sets up only the stages it runs."""
    calls: list[str] = []

    class First(Stage):
        name = "first-test"
        requires = ()
        provides = ("genre",)

        def setup(self, pipeline):
            calls.append(self.name)

    class Second(First):
        name = "second-test"
        requires = ("genre",)
        provides = ("cluster",)

    pipe = Pipeline([], extra=[First(None), Second(None)])  # type: ignore[arg-type]
    pipe.setup(1)
    assert calls == ["second-test"]
    pipe.setup(1)
    pipe.setup()
    assert calls == ["second-test", "first-test"]  # each stage once, the skipped one when asked for


def test_char_batches_keep_order_and_respect_the_budget() -> None:
    from hypothesis import given, strategies as st

    from faultline.stages.nlp import char_batches

    @given(st.lists(st.text(max_size=40), max_size=30), st.integers(min_value=0, max_value=100))
    def check(texts, budget):
        runs = char_batches(texts, budget)
        assert [t for run in runs for t in run] == texts
        assert all(run for run in runs)
        if budget == 0:
            assert len(runs) == (1 if texts else 0)
        else:
            # a run over budget is a single long text; a run never could have taken the next run's first text
            assert all(len(run) == 1 or sum(map(len, run)) <= budget for run in runs)
            assert all(sum(map(len, a)) + len(b[0]) > budget for a, b in zip(runs, runs[1:]))

    check()


def test_the_nlp_stage_parses_a_batch_in_runs_of_batch_chars_with_the_same_result() -> None:
    from faultline.pipeline import Item, run_stages
    from faultline.readers import documents_from_records
    from faultline.settings import Settings
    from faultline.stages.nlp import NlpStage

    texts = ["Farmers blocked the ring road outside the capital on Monday.",
             "The ministry said it would meet the union leaders. Talks are set for Friday.",
             "Riot police fired tear gas at students near the parliament building."]
    docs = list(documents_from_records([{"id": str(i), "text": t} for i, t in enumerate(texts)], "t"))
    parsed = {}
    for budget in (0, 140):  # 140 characters: the first two articles (137) together, the third alone
        stage = NlpStage(Settings.load(overrides={"nlp": {"batch_chars": budget, "disable_unneeded": False}}))
        stage.setup(Pipeline(("extract", "nlp")))
        calls = []
        pipe = stage.nlp.pipe
        stage.nlp.pipe = lambda group, **kw: calls.append(len(group)) or pipe(group, **kw)
        items = [Item(index=i, document=d) for i, d in enumerate(docs)]
        extract = Pipeline(("extract",))
        extract.setup()
        run_stages(extract.stages, items)
        out = stage.process(items)
        parsed[budget] = [[(t.text, t.tag_, t.dep_, t.head.i, t.ent_type_) for t in o["doc"]] for o in out]
        assert calls == ([3] if budget == 0 else [2, 1])
    assert parsed[0] == parsed[140]


def test_a_run_hides_the_loaded_models_from_the_collector_until_it_ends() -> None:
    import gc

    from faultline.settings import Settings

    assert gc.get_freeze_count() == 0
    pipe = Pipeline(["extract"])
    run = pipe.run(_docs(["alpha one", "beta two", "gamma three"]), batch_size=1)
    next(run)
    assert gc.get_freeze_count() > 0  # the set-up stages (and all else alive) are out of its sight
    assert len(list(run)) == 2
    assert gc.get_freeze_count() == 0  # handed back when the run ends

    early = pipe.run(_docs(["alpha one", "beta two"]), batch_size=1)
    next(early)
    early.close()  # a consumer that stops early unfreezes too
    assert gc.get_freeze_count() == 0

    off = Pipeline(["extract"], settings=Settings.load(overrides={"pipeline": {"freeze_heap": False}}))
    off_run = off.run(_docs(["alpha one", "beta two"]), batch_size=1)
    next(off_run)
    assert gc.get_freeze_count() == 0
    list(off_run)


def test_a_run_inside_a_frozen_block_leaves_the_outer_freeze_alone() -> None:
    import gc

    gc.freeze()
    try:
        before = gc.get_freeze_count()
        assert len(list(Pipeline(["extract"]).run(_docs(["alpha one"])))) == 1
        assert gc.get_freeze_count() >= before  # not unfrozen by the inner run
    finally:
        gc.unfreeze()
