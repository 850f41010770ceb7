"""Built-in pipeline stages, one module or small package per stage.

Importing this package registers every built-in stage with the pipeline.
"""
from . import actors, cluster, events, extract, framing, nlp, rating  # noqa: F401
