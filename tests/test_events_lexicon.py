"""The shipped vocabulary, the stage wiring and span invariants."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from faultline.pipeline import Pipeline, registered_stages
from faultline.stages.events import EventsStage, load_lexicon

from events_helpers import code, new_coder


@pytest.fixture(scope="module")
def lex():
    return load_lexicon()


def test_codes_map_to_plover_types_with_valid_modes(lex):
    assert len(lex.codes) > 250
    for info in lex.codes.values():
        assert info.type in lex.types
        assert not info.mode or info.mode in lex.types[info.type]["modes"]
        assert info.quad == lex.types[info.type]["quad"]
        assert info.goldstein is None or -10 <= info.goldstein <= 10


def test_every_trigger_code_is_known(lex):
    for default, patterns, _, _ in lex.verbs.values():
        assert default is None or default in lex.codes
        for p in patterns:
            assert p.code in lex.codes
    for code_, _ in lex.nouns.values():
        assert code_ in lex.codes


@pytest.mark.parametrize("lemma", ["scramble", "shell", "blockade", "deploy", "urge", "summon", "protest"])
def test_modern_verbs_present(lex, lemma):
    assert lemma in lex.verbs


@pytest.mark.parametrize("noun", ["drone strike", "airstrike", "sortie", "sorties", "protests", "deployment",
                                  "blockade"])
def test_nominal_triggers_present(lex, noun):
    assert noun in lex.nouns


def test_mode_scores_refine_the_type_score(nlp):
    evs = code(nlp, new_coder(), "Angola ordered troops to the border.", {"Angola": ("AGO", "GOV")})
    ev = [e for e in evs if e.type == "MOBILIZE"][0]
    assert ev.mode == "troops" and ev.plover_score == -6.5 and ev.quad_class == 4


def test_ontology_rules_in_the_codes(lex):
    assert lex.codes[lex.verbs["summon"][0]].type == "ACCUSE"  # summoning an ambassador complains
    assert lex.codes["152"].type == "MOBILIZE"  # raising one's own alert
    assert lex.codes["062"].type == "COOPERATE"  # joint exercises


@pytest.mark.parametrize("text, etype", [
    ("Russia scrambled fighter jets over the Baltic Sea.", "MOBILIZE"),
    ("Israeli drone strikes killed five militants in Gaza.", "ASSAULT"),
    ("The navy raised the alert level along the coast.", "MOBILIZE"),
    ("Turkish forces shelled Kurdish positions overnight.", "ASSAULT"),
    ("The opposition called for a general strike.", "PROTEST"),
    ("Greece and France held joint exercises in the Aegean.", "COOPERATE"),
])
def test_modern_vocabulary_codes(nlp, text, etype):
    actors = {"Russia": ("RUS", "GOV"), "Israeli": ("ISR", "MIL"), "The navy": ("GRC", "MIL"),
              "Turkish forces": ("TUR", "MIL"), "Kurdish": ("IRQ", "REB"), "The opposition": ("GRC", "OPP"),
              "Greece": ("GRC", "GOV"), "France": ("FRA", "GOV"), "militants": (None, "REB")}
    evs = code(nlp, new_coder(), text, actors)
    assert etype in {e.type for e in evs}, [(e.type, e.trigger) for e in evs]


def test_stage_is_registered_and_validates(settings):
    assert registered_stages()["events"] is EventsStage
    assert "events" in settings.pipeline.stages
    Pipeline(["extract", "nlp", "actors", "events"], settings=settings)


SENTENCES = [
    "Kenyan police arrested twelve protesters in Nairobi.",
    "Ethiopia accused Eritrea of shelling the border town.",
    "Somalia will host talks with Kenya next week.",
    "Ethiopia did not withdraw its troops.",
]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4), st.sampled_from(["", "Update: ", "\n"]),
       st.sampled_from([" ", "\n\n", "\n"]))
def test_quote_offsets_always_match(nlp, parts, prefix, sep):
    text = prefix + sep.join(parts)
    actors = {"Kenyan police": ("KEN", "COP"), "Ethiopia": ("ETH", "GOV"), "Eritrea": ("ERI", "GOV"),
              "Somalia": ("SOM", "GOV"), "Kenya": ("KEN", "GOV")}
    evs = code(nlp, new_coder(), text, actors)
    for e in evs:
        assert text[e.start:e.end] == e.quote
        assert e.quote == e.quote.strip() and not e.quote.endswith((".", ","))
        assert 0.0 < e.confidence < 1.0
        assert e.modality in ("asserted", "negated", "hypothetical", "future", "reported")
    assert len({e.id for e in evs}) == len(evs)
