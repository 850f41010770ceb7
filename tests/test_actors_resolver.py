"""Resolver rule families, each on sentences written for these tests."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from faultline.stages.actors import load_kb, resolve_actors

PUB = "2021-09-29"


@pytest.fixture(scope="module")
def kb():
    return load_kb()


@pytest.fixture(scope="module")
def resolve(nlp, kb):
    def run(text: str, published: str | None = PUB):
        doc = nlp(text)
        mentions = resolve_actors(doc, published=published, kb=kb)
        for m in mentions:
            assert text[m.start:m.end] == m.text
        return mentions
    return run


def find(mentions, text):
    hits = [m for m in mentions if m.text == text]
    assert hits, f"no mention {text!r} in {[m.text for m in mentions]}"
    return hits[0]


# -- titles and nationality adjectives -----------------------------------------------------
def test_known_leader_with_title(resolve) -> None:
    m = find(resolve("Serbian President Aleksandar Vucic visited the border."), "Serbian President Aleksandar Vucic")
    assert (m.country, m.sector, m.role) == ("SRB", "GOV", "President")
    assert m.name == "Aleksandar Vučić"


def test_title_with_nationality_adjective(resolve) -> None:
    ms = resolve("The Kosovar Prime Minister refused, and a Russian military attaché visited the crossing.")
    assert (find(ms, "Kosovar Prime Minister").country, find(ms, "Kosovar Prime Minister").sector) == ("XKX", "GOV")
    attache = find(ms, "Russian military attaché")
    assert (attache.country, attache.sector) == ("RUS", "MIL")


def test_led_compounds_do_not_give_the_country(resolve) -> None:
    m = find(resolve("The Albanian-led Kosovo government rejected the offer."), "Albanian-led Kosovo government")
    assert (m.country, m.sector) == ("XKX", "GOV")


def test_conjoined_nationalities_each_get_a_mention(resolve) -> None:
    ms = resolve("Hungarian and Romanian ministers signed the treaty.")
    assert find(ms, "Hungarian").country == "HUN"
    assert {m.country for m in ms} >= {"HUN", "ROU"}


# -- capitals and countries as governments ----------------------------------------------------
def test_capital_as_subject_is_the_government(resolve) -> None:
    m = find(resolve("Pristina banned the plates, and Belgrade's army went on alert."), "Pristina")
    assert (m.country, m.sector, m.kind) == ("XKX", "GOV", "capital")


def test_capital_possessive_gives_the_country_to_the_head(resolve) -> None:
    m = find(resolve("Belgrade's army went on alert."), "Belgrade's army")
    assert (m.country, m.sector) == ("SRB", "MIL")


def test_country_as_place_is_not_an_actor(resolve) -> None:
    ms = resolve("Hundreds of people live in Kosovo.")
    assert not [m for m in ms if m.text == "Kosovo"]
    assert find(resolve("Russia warned Kosovo."), "Russia").sector == "GOV"


# -- generic agents ----------------------------------------------------------------------------
def test_generic_agents(resolve) -> None:
    ms = resolve("Policemen fired tear gas at protesters while troops watched.")
    assert find(ms, "Policemen").sector == "COP"
    assert find(ms, "protesters").sector == "CVL"
    assert find(ms, "troops").sector == "MIL"


def test_non_actor_heads_are_skipped(resolve) -> None:
    ms = resolve("Its leadership fell into the jihadist discourse of the old state-building project.")
    assert not [m for m in ms if m.text.endswith("project")]


# -- ethnic groups ---------------------------------------------------------------------------------
def test_ethnic_group_located_by_in(resolve) -> None:
    m = find(resolve("Ethnic Serbs in Kosovo blocked the roads."), "Ethnic Serbs")
    assert (m.country, m.sector, m.ethnicity) == ("XKX", "CVL", "Serb")


def test_ethnic_group_with_a_country_adjective(resolve) -> None:
    m = find(resolve("Bosnian Serbs rejected the plan."), "Bosnian Serbs")
    assert (m.country, m.ethnicity) == ("BIH", "Serb")


# -- IGOs and their officials -----------------------------------------------------------------------
def test_igo_official_named_with_organisation(resolve) -> None:
    ms = resolve("NATO Secretary General Jens Stoltenberg called Belgrade. "
                 "The European Union's chief diplomat Josep Borrell urged calm.")
    nato = find(ms, "NATO Secretary General Jens Stoltenberg")
    assert nato.country == "IGO" and "NATO" in nato.name and "Stoltenberg" in nato.name
    eu = [m for m in ms if "Borrell" in m.text][0]
    assert eu.country == "IGO" and eu.name.startswith("EU")


def test_igo_with_agent(resolve) -> None:
    m = find(resolve("KFOR troops patrolled the crossing."), "KFOR troops")
    assert (m.country, m.sector, m.name) == ("IGO", "MIL", "KFOR")


# -- roles as of the article date -------------------------------------------------------------------
def test_role_depends_on_the_article_date(resolve) -> None:
    text = "Albin Kurti addressed the assembly."
    now = find(resolve(text, "2022-03-01"), "Albin Kurti")
    before = find(resolve(text, "2019-03-01"), "Albin Kurti")
    assert (now.country, now.sector, now.role) == ("XKX", "GOV", "Prime Minister")
    assert (before.country, before.sector) == ("XKX", "OPP")


def test_expired_role_is_not_used(resolve) -> None:
    m = find(resolve("Jens Stoltenberg spoke in Oslo.", "2025-03-01"), "Jens Stoltenberg")
    assert m.role != "Secretary General" and m.how == "kb-former"


# -- coreference ----------------------------------------------------------------------------------------
def test_surname_refers_back(resolve) -> None:
    ms = resolve("Prime Minister Mahendra Dravid of Fiji spoke first. Later, Dravid left the hall.")
    later = [m for m in ms if m.text == "Dravid"]
    assert later and later[0].how == "coref-surname" and later[0].country == "FJI"


def test_subject_pronoun_takes_the_last_compatible_actor(resolve) -> None:
    ms = resolve("Serbian President Aleksandar Vucic met the envoy. He said the army was ready.")
    he = find(ms, "He")
    assert (he.country, he.kind, he.how) == ("SRB", "pronoun", "coref-pronoun")


def test_object_pronouns_are_left_alone(resolve) -> None:
    ms = resolve("Serbian President Aleksandar Vucic met the envoy and thanked him.")
    assert not [m for m in ms if m.text == "him"]


# -- invariant -------------------------------------------------------------------------------------------
_WORDS = ["Serbian", "President", "Vucic", "Pristina", "police", "ethnic", "Serbs", "in", "Kosovo", "NATO",
          "troops", "said", "he", "it", "the", "and", "Belgrade's", "army", "Russia", "warned", ".", ","]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=25))
def test_offsets_always_point_at_the_text(resolve, words) -> None:
    resolve(" ".join(words))  # `resolve` asserts text[start:end] == mention.text


def test_apposition_places_an_unknown_person(resolve) -> None:
    ms = resolve("Petar Ivanov, Serbia's chief negotiator, rejected the plan. Ivanov then left.")
    m = find(ms, "Petar Ivanov")
    assert (m.country, m.sector, m.how) == ("SRB", "GOV", "apposition")
    assert find(ms, "Ivanov").country == "SRB"


def test_owner_of_an_action_is_an_actor(resolve) -> None:
    ms = resolve("Portugal will back Turkey's efforts, and Finland will give Tanzania a grant.")
    assert find(ms, "Turkey").country == "TUR"
    assert find(ms, "Tanzania").sector == "GOV"
    assert not [m for m in resolve("Fighting resumed in Syria's Idlib.") if m.text == "Syria"]


def test_places_are_not_agents_and_names_can_modify_agents(resolve) -> None:
    ms = resolve("NATO peacekeepers guarded the town hall in the town.")
    assert (find(ms, "NATO peacekeepers").country, find(ms, "NATO peacekeepers").sector) == ("IGO", "MIL")
    assert not [m for m in ms if "town" in m.text]
