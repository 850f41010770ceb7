"""Streaming input sources beyond plain files: WARC archives, feeds, URL lists."""
