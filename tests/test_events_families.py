"""Lexicon families and rules added for the PLOVER gold push (2026-11-26), on our own sentences."""
from __future__ import annotations

import pytest

from faultline.stages.events import load_lexicon

from events_helpers import code, countries, new_coder, one

ACTORS = {
    "Peru": ("PER", "GOV"), "The junta": ("MMR", "GOV"), "Chile": ("CHL", "GOV"),
    "The dockers' union": ("FRA", "LAB"), "Kenyan": ("KEN", "CVL"), "Norway": ("NOR", "GOV"),
    "Ghana": ("GHA", "GOV"), "Iranian hackers": ("IRN", "UAF"), "Activists": (None, "SOC"),
    "The Arab League": (None, "IGO"), "Japan": ("JPN", "GOV"), "Sri Lanka": ("LKA", "GOV"),
    "Police": ("TUR", "COP"), "The Sudanese army": ("SDN", "MIL"), "The Sudanese army is": ("SDN", "MIL"),
    "Mali": ("MLI", "GOV"), "Guinea": ("GIN", "GOV"), "The teachers": ("NGA", "EDU"),
}


def _types(text):
    return {e.type for e in code(_nlp[0], new_coder(), text, ACTORS)}


_nlp: list = []


@pytest.fixture(autouse=True)
def _keep_nlp(nlp):
    _nlp[:] = [nlp]


@pytest.mark.parametrize("text, etype", [
    # easing a curfew or a state of emergency is a concession (CONCEDE), whatever the verb
    ("Peru lifted the state of emergency in three southern provinces on Monday.", "CONCEDE"),
    ("The junta eased the curfew in the capital after a week of calm.", "CONCEDE"),
    ("The junta lifted martial law in the border districts.", "CONCEDE"),
    ("Peru relaxed the curfew in Lima on Friday.", "CONCEDE"),
    ("The junta shortened the nightly curfew by two hours.", "CONCEDE"),
    # workers who stop work strike; crowds converging for a rally protest
    ("The dockers' union stopped work at all ports on Tuesday.", "PROTEST"),
    ("Thousands of Kenyan farmers were converging on Nairobi for a rally to protest the new tax.", "PROTEST"),
    ("Activists blocked transport into the city centre for six hours.", "PROTEST"),
    # defying a ban is a rejection; violating a truce is force
    ("Activists violated a ban on public gatherings in the capital.", "REJECT"),
    # diplomatic ties raised or restored; intelligence shared
    ("Chile and Peru upgraded their diplomatic ties to ambassadorial level.", "SUPPORT"),
    ("Japan has been sharing intelligence with Sri Lanka on piracy.", "COOPERATE"),
    # cyber intrusions
    ("Iranian hackers defaced hundreds of government websites.", "COERCE"),
    # withdrawing mediation, cutting supplies, stopping a protest
    ("The Arab League ended its mediation between the two factions.", "SANCTION"),
    ("Norway reduced food supplies to the camp after the looting.", "SANCTION"),
    ("Police prevented a demonstration outside the parliament.", "COERCE"),
])
def test_new_families_code(text, etype):
    assert etype in _types(text), text


def test_cyber_mode_and_strike_mode(nlp):
    ev = one(code(nlp, new_coder(), "Iranian hackers defaced hundreds of government websites.", ACTORS), "COERCE")
    assert ev.mode == "cyber"
    ev = one(code(nlp, new_coder(), "The dockers' union stopped work at all ports on Tuesday.", ACTORS), "PROTEST")
    assert ev.mode == "strike"


def test_curfew_codes_are_concessions_in_the_table():
    lex = load_lexicon()
    assert lex.codes["0813"].type == "CONCEDE" and lex.codes["0814"].type == "CONCEDE"


def test_stopping_alone_is_not_a_strike(nlp):
    # the strike reading needs workers as the subject and "work" as the object
    assert "PROTEST" not in {e.type for e in code(nlp, new_coder(), "Ghana stopped the shipment at the port.", ACTORS)}


def test_reported_past_act_is_asserted_not_an_intent(nlp):
    evs = code(nlp, new_coder(), "The teachers announced that they had called off the strike.", ACTORS)
    ev = one(evs, "CONCEDE")
    assert ev.modality == "asserted"
    assert "AGREE" not in {e.type for e in evs}
    # an announced future act still yields the commitment
    evs = code(nlp, new_coder(), "The teachers announced that they would call off the strike.", ACTORS)
    assert any(e.modality == "asserted" and e.type == "AGREE" for e in evs)
    assert any(e.modality == "future" and e.type == "CONCEDE" for e in evs)


def test_preparing_to_attack_is_mobilize_but_being_prepared_is_a_threat(nlp):
    evs = code(nlp, new_coder(), "The Sudanese army prepared to attack the rebel positions.", ACTORS)
    assert "MOBILIZE" in {e.type for e in evs} and "THREATEN" not in {e.type for e in evs}
    evs = code(nlp, new_coder(), "The Sudanese army is prepared to attack the rebel positions.", ACTORS)
    assert "THREATEN" in {e.type for e in evs} and "MOBILIZE" not in {e.type for e in evs}


def test_coordinated_country_modifiers_are_a_joint_actor(nlp):
    text = "Malian and Guinean warships launched five days of war games off the coast."
    evs = code(nlp, new_coder(), text, {"Malian and Guinean warships": ("GIN", "MIL"), "Malian": ("MLI", "MIL")})
    ev = one(evs, "COOPERATE")  # a joint exercise (ontology)
    assert countries(ev.actor) == {"MLI", "GIN"}


@pytest.mark.parametrize("text, etype", [
    ("The Sudanese army has sworn to fight until the rebels surrender, officials said.", "THREATEN"),
    ("Peru gave a warm welcome on Monday to the visiting Chilean president.", "CONSULT"),
    ("Ghana's supreme court opened a hearing into the conduct of the election.", "ACCUSE"),
    ("Two thousand rebel fighters have been demobilized since the peace accord.", "RETREAT"),
])
def test_pledges_welcomes_hearings_demobilisation(text, etype):
    assert etype in _types(text), text


def test_sworn_fight_is_one_threat_not_an_asserted_assault(nlp):
    evs = code(nlp, new_coder(), "The Sudanese army has sworn to fight until the rebels surrender.", ACTORS)
    assert not any(e.type == "ASSAULT" and e.modality == "asserted" for e in evs)


def test_give_alone_is_not_an_event(nlp):
    assert not code(nlp, new_coder(), "The minister gave a speech to students in Accra.", ACTORS)
