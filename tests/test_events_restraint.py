"""Restraint: no events from states, characterisations, vague or actor-less statements."""
from __future__ import annotations

import pytest

from events_helpers import code, new_coder


@pytest.fixture(scope="module")
def coder():
    return new_coder()


A = {"Hungary": ("HUN", "GOV"), "Austria": ("AUT", "GOV"), "The chancellor": ("AUT", "GOV")}


@pytest.mark.parametrize("text", [
    "Hungary has a strong influence over the government in Vienna.",          # a state
    "The chancellor revealed himself as a loyal servant of the banks.",       # characterisation
    "The crisis gives Hungary an opportunity to swoop in.",                    # speculation
    "The decision was taken after a long debate.",                            # nobody named
    "It is hard to imagine that Hungary would move against Austria.",          # hypothetical
])
def test_no_asserted_event(nlp, coder, text):
    evs = code(nlp, coder, text, A)
    assert [e for e in evs if e.modality == "asserted"] == []


def test_generic_verbs_need_their_objects(nlp, coder):
    # "provide" codes AID only with an aid-like object
    assert code(nlp, coder, "Hungary provided Austria with a convenient excuse.", A) == ()
    evs = code(nlp, coder, "Hungary provided Austria with humanitarian aid.", A)
    assert [e.type for e in evs] == ["AID"]


def test_reference_to_an_earlier_event_is_not_a_new_one(nlp, coder):
    # a nominal trigger inside a prepositional phrase only refers back
    evs = code(nlp, coder, "In response to the police deployment, Austria summoned the Hungarian ambassador.",
               {**A, "Hungarian ambassador": ("HUN", "GOV")})
    assert [e.type for e in evs] == ["ACCUSE"]


def test_claims_of_showing_are_not_demonstrations(nlp, coder):
    evs = code(nlp, coder, "Hungary wants to demonstrate that Austria has problems.", A)
    assert not [e for e in evs if e.type == "PROTEST"]
