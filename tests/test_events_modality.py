"""Modality: negation, conditionals, future against the article date, hedging, attribution."""
from __future__ import annotations

import pytest

from events_helpers import code, countries, new_coder, one


@pytest.fixture(scope="module")
def coder():
    return new_coder()


A = {"Ghana": ("GHA", "GOV"), "Togo": ("TGO", "GOV"), "the Ghanaian army": ("GHA", "MIL"),
     "Togolese troops": ("TGO", "MIL"), "the opposition": ("GHA", "OPP"), "Ghanaian police": ("GHA", "COP"),
     "The minister": ("GHA", "GOV"), "Reuters": (None, "JRN"), "Ghana's president": ("GHA", "GOV")}


def modalities(events):
    return {e.modality for e in events}


def test_plain_past_is_asserted(nlp, coder):
    ev = one(code(nlp, coder, "Togolese troops shelled a village in Ghana on Sunday.", A), "ASSAULT")
    assert ev.modality == "asserted"


def test_negation(nlp, coder):
    evs = code(nlp, coder, "Ghana did not expel the Togolese ambassador.", A)
    assert evs and all(e.modality == "negated" for e in evs)


def test_negating_governor(nlp, coder):
    evs = code(nlp, coder, "Ghana is unwilling to provide military aid to Togo.", A)
    assert all(e.modality != "asserted" for e in evs)


@pytest.mark.parametrize("text", [
    "If talks fail, Togolese troops would attack Ghana.",
    "Togolese troops could attack Ghana in case of an escalation.",
    "Togolese troops might attack Ghana.",
])
def test_conditionals_and_hypotheticals_are_never_asserted(nlp, coder, text):
    evs = code(nlp, coder, text, A)
    assert evs, "the hypothetical attack should still be coded, as hypothetical"
    assert "asserted" not in modalities(evs)
    assert "hypothetical" in modalities(evs)


def test_could_be_seen_is_factual(nlp, coder):
    evs = code(nlp, coder, "Ghanaian fighter jets could be seen flying over the border.",
               {"Ghanaian fighter jets": ("GHA", "MIL")})
    assert one(evs, "MOBILIZE").modality == "asserted"


def test_will_is_future_and_a_cooperative_promise_is_agree(nlp, coder):
    evs = code(nlp, coder, "Ghana will provide food aid to Togo.", A)
    assert one(evs, "AID").modality == "future"
    assert one(evs, "AGREE").modality == "asserted"


def test_announced_force_is_a_threat(nlp, coder):
    evs = code(nlp, coder, "Ghana said it will impose sanctions on Togo.", A)
    assert one(evs, "THREATEN").modality == "asserted"
    assert "asserted" not in {e.modality for e in evs if e.type in ("SANCTION", "COERCE")}


def test_plans_to_is_future(nlp, coder):
    evs = code(nlp, coder, "Ghana's president plans to visit Togo next month.", A)
    assert one(evs, "CONSULT").modality == "future"


def test_present_tense_before_is_future(nlp, coder):
    text = "The vote comes two days before Ghana's president visits Togo."
    ev = one(code(nlp, coder, text, A), "CONSULT")
    assert ev.modality == "future"


@pytest.mark.parametrize("text", [
    "Togolese troops allegedly attacked a Ghanaian border post.",
    "Togolese troops reportedly attacked a Ghanaian border post.",
    "Togolese troops attacked a Ghanaian border post, according to Reuters.",
])
def test_hedged_claims_are_reported(nlp, coder, text):
    ev = one(code(nlp, coder, text, A), "ASSAULT")
    assert ev.modality == "reported"


def test_claimed_is_reported(nlp, coder):
    ev = one(code(nlp, coder, "The opposition claimed that Ghanaian police beat protesters.", A), "ASSAULT")
    assert ev.modality == "reported"


def test_attribution_keeps_the_speaker_as_source(nlp, coder):
    ev = one(code(nlp, coder, "The minister said that Togolese troops attacked Ghana.", A), "ASSAULT")
    assert countries(ev.actor) == {"TGO"} and countries(ev.recipient) == {"GHA"}
    assert ev.source_of_claim is not None and ev.source_of_claim.country == "GHA"
    assert ev.modality == "asserted"


def test_speaker_must_is_a_request(nlp, coder):
    ev = one(code(nlp, coder, "Ghana's president said Togo must withdraw its troops.", A), "REQUEST")
    assert countries(ev.actor) == {"GHA"} and countries(ev.recipient) == {"TGO"}
