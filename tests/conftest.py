"""Fixtures shared by the whole suite.  Everything here is self-contained."""
from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def nlp():
    """The spaCy model, loaded once for the whole test session."""
    from faultline.stages.nlp import load_model

    return load_model()


@pytest.fixture(scope="session")
def settings():
    from faultline.settings import Settings

    return Settings.load()


@pytest.fixture()
def fixtures_dir() -> Path:
    return FIXTURES
