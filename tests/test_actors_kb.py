"""The shipped actor knowledge base: format, dated roles, and that it equals a rebuild."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from faultline.stages.actors.kb import KB_FORMAT, Role, load_kb, phrase_key, read_kb_data

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def test_format_and_valid_as_of() -> None:
    data = read_kb_data()
    assert data["format"] == KB_FORMAT
    assert date.fromisoformat(data["valid_as_of"])


def test_coverage_numbers(kb) -> None:
    stats = kb.stats()
    assert stats["countries"] >= 240
    assert stats["igos"] >= 50
    assert stats["leaders_current"] >= 40
    assert "XKX" in kb.countries and kb.countries["XKX"].name == "Kosovo"


def test_kosovo_codes_and_names(kb) -> None:
    assert kb.country_names[phrase_key("Kosovo")] == "XKX"
    assert kb.adjectives[phrase_key("Kosovar")] == "XKX"
    assert kb.capitals[phrase_key("Pristina")] == "XKX"


def test_phrase_key_folds_accents_and_splits_hyphens() -> None:
    assert phrase_key("Vučić") == ("vucic",)
    assert phrase_key("ALEKSANDAR_VUCIC_") == ("aleksandar", "vucic")
    assert phrase_key("al-Assad") == ("al", "-", "assad")


def test_roles_are_dated(kb) -> None:
    kurti = kb.best_entry(phrase_key("Albin Kurti"), date(2022, 1, 1))
    role, current = kurti.role_on(date(2022, 1, 1))
    assert current and role.country == "XKX" and role.title == "Prime Minister"
    role, current = kurti.role_on(date(2019, 1, 1))
    assert current and role.sector == "OPP"
    stoltenberg = kb.best_entry(phrase_key("Jens Stoltenberg"), date(2021, 9, 29))
    role, current = stoltenberg.role_on(date(2021, 9, 29))
    assert current and role.country == "IGO" and role.org == "NATO"
    role, current = stoltenberg.role_on(date(2025, 1, 1))
    assert not current  # his NATO role ended in 2024


def test_role_active_bounds() -> None:
    r = Role("SRB", "GOV", "2017-05-31", None, "President")
    assert r.active(date(2017, 5, 31)) and r.active(date(2030, 1, 1)) and not r.active(date(2017, 5, 30))
    closed = Role("SRB", "GOV", "2014-04-27", "2017-05-31")
    assert closed.active(date(2016, 1, 1)) and not closed.active(date(2018, 1, 1))


def _shared() -> Path:
    env = os.environ.get("FAULTLINE_SHARED")
    return Path(env) if env else ROOT.parent / "shared"


@pytest.mark.shared
def test_shipped_file_equals_a_rebuild() -> None:
    shared = _shared()
    if not (shared / "data" / "petrarch2").is_dir():
        pytest.skip(f"shared data not found at {shared} (set FAULTLINE_SHARED)")
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_actor_kb.py"), "--check",
                           "--shared", str(shared)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
