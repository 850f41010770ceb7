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
