"""Faultline: offline news intelligence.

Raw pages become clean articles with provenance, PLOVER events with the quote
that supports each one, persuasion-technique spans, and dyad time series with
escalation alerts.

    >>> from faultline import analyze
    >>> for record in analyze(["examples/border-standoff.md"]):   # doctest: +SKIP
    ...     print(record.to_dict()["events"])
"""
from __future__ import annotations

__version__ = "0.1.0"

from .batch.jobs import RunSummary, analyze, analyze_documents, export_events, ingest
from .errors import FaultlineError
from .pipeline import Pipeline, Stage, register_stage
from .records import (
    ActorMention,
    ActorRef,
    Article,
    Cluster,
    Document,
    Event,
    FramingSpan,
    PlaceMention,
    Result,
)
from .settings import Settings

__all__ = [
    "ActorMention",
    "ActorRef",
    "Article",
    "Cluster",
    "Document",
    "Event",
    "FaultlineError",
    "FramingSpan",
    "Pipeline",
    "PlaceMention",
    "Result",
    "RunSummary",
    "Settings",
    "Stage",
    "analyze",
    "analyze_documents",
    "export_events",
    "ingest",
    "register_stage",
]
