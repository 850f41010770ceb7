"""The web dashboard and JSON API (``faultline serve``)."""
from __future__ import annotations

import os
from typing import Any

__all__ = ["create_app", "serve"]


def create_app(store: Any, **kwargs: Any):
    from .app import create_app as _create

    return _create(store, **kwargs)


def serve(db: str | os.PathLike[str], *, host: str = "127.0.0.1", port: int = 8000, settings: Any = None,
          log_level: str = "info") -> None:
    """Open ``db`` read-only and serve the dashboard and API until interrupted."""
    import uvicorn

    from ..analytics import AnalyticsOptions
    from ..settings import Settings
    from ..store import Store

    settings = settings or Settings.load()
    options = settings.options("analytics", AnalyticsOptions)
    store = Store(db, read_only=True)
    try:
        app = create_app(store, options=options)
        app.state.analytics.refresh()  # build the derived tables before the first request
        app.state.analytics.alerts()  # and the alert list the overview shows
        uvicorn.run(app, host=host, port=port, log_level=log_level)
    finally:
        store.close()
