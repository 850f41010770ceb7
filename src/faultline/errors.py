"""One exception tree for the whole package.

Every error Faultline raises derives from :class:`FaultlineError`, and every
message tells the user what to do next (modelled on httpx's ``_exceptions``).
"""
from __future__ import annotations

__all__ = [
    "ConfigError",
    "DocumentError",
    "FaultlineError",
    "FetchError",
    "InputError",
    "ModelNotInstalled",
    "PipelineError",
    "StoreError",
    "UnsupportedInput",
]


class FaultlineError(Exception):
    """Root of every error Faultline raises on purpose."""


class ConfigError(FaultlineError):
    """A setting is missing or has a value Faultline cannot use."""


class PipelineError(FaultlineError):
    """The stages do not fit together (a stage needs what no earlier stage sets)."""


class InputError(FaultlineError):
    """An input path or stream cannot be read at all."""


class UnsupportedInput(InputError):
    """A file type Faultline does not know how to read."""


class DocumentError(FaultlineError):
    """One document failed; the batch goes on and the reason lands in ``errors``."""


class ModelNotInstalled(FaultlineError):
    """The spaCy English model is not installed."""


class StoreError(FaultlineError):
    """The store cannot be opened, migrated or written."""


class FetchError(FaultlineError):
    """A URL could not, or must not, be fetched."""
