"""The package's public surface: a short, sorted __all__ and one exception tree."""
from __future__ import annotations

import inspect
import subprocess
import sys

import faultline
from faultline import errors


def test_all_is_sorted_and_importable() -> None:
    assert faultline.__all__ == sorted(faultline.__all__)
    for name in faultline.__all__:
        assert hasattr(faultline, name), name


def test_every_error_derives_from_the_root() -> None:
    classes = [c for _, c in inspect.getmembers(errors, inspect.isclass) if issubclass(c, Exception)]
    assert len(classes) > 3
    for cls in classes:
        assert issubclass(cls, errors.FaultlineError), cls


def test_library_options_are_keyword_only() -> None:
    for fn in (faultline.analyze, faultline.ingest, faultline.export_events):
        params = inspect.signature(fn).parameters.values()
        positional = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        assert len(positional) <= 1, (fn.__name__, positional)


def test_importing_the_cli_does_not_import_spacy_or_duckdb() -> None:
    code = ("import sys, faultline.cli; "
            "print(','.join(m for m in ('spacy', 'duckdb', 'trafilatura', 'pyarrow') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""
