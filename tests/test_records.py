"""Records: JSON round-trips, the contract's shape, stable ids and the offsets invariant."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings as hsettings

from faultline.records import Document, Event, InputInfo, Result, fingerprint_text, stable_id
from strategies import results

CONTRACT_KEYS = {
    "id", "fingerprint", "input", "title", "authors", "publisher", "original_publisher", "published",
    "original_published", "language", "tags", "links", "media", "genre", "text", "boilerplate", "events",
    "actors", "places", "framing", "cluster", "errors",
}
EVENT_KEYS = {"id", "type", "mode", "contexts", "cameo", "quad_class", "goldstein", "plover_score", "actor",
              "recipient", "location", "date", "modality", "quote", "start", "end", "confidence"}


@given(results())
@hsettings(max_examples=60, deadline=None)
def test_result_round_trips_through_json(result: Result) -> None:
    again = Result.from_dict(json.loads(json.dumps(result.to_dict())))
    assert again == result


@given(results())
@hsettings(max_examples=40, deadline=None)
def test_offsets_invariant(result: Result) -> None:
    for span in (*result.events, *result.framing):
        assert result.text[span.start:span.end] == span.quote
    for mention in (*result.actors, *result.places):
        assert result.text[mention.start:mention.end] == mention.text


def test_result_has_every_contract_field() -> None:
    r = Result(id="x", fingerprint=fingerprint_text("t"), input=InputInfo(), text="t")
    d = r.to_dict()
    assert CONTRACT_KEYS <= set(d)
    assert d["tags"] == {} and d["events"] == [] and d["errors"] == []
    assert set(d["input"]) == {"path", "url", "format"}


def test_event_has_every_contract_field() -> None:
    e = Event(id="e", type="PROTEST", quote="q", start=0, end=1)
    assert EVENT_KEYS <= set(e.to_dict())


def test_records_are_frozen() -> None:
    r = Result(id="x", fingerprint="f", input=InputInfo())
    with pytest.raises(AttributeError):
        r.id = "y"  # type: ignore[misc]


def test_bad_modality_is_refused() -> None:
    with pytest.raises(ValueError):
        Event(id="e", type="PROTEST", quote="", start=0, end=0, modality="maybe")


def test_stable_ids_and_fingerprints() -> None:
    assert stable_id("a", "b") == stable_id("a", "b")
    assert stable_id("a", "b") != stable_id("ab")
    # the fingerprint ignores case, curly quotes and whitespace runs
    assert fingerprint_text("Serbia  said “no”.\n") == fingerprint_text("serbia said \"no\".")
    assert fingerprint_text("Serbia said yes.") != fingerprint_text("Serbia said no.")


def test_document_refuses_unknown_format() -> None:
    with pytest.raises(ValueError):
        Document(id="d", content="x", format="pdf")
