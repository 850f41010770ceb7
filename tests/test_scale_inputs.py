"""Streaming inputs: JSONL(.gz), WARC(.gz), lazy directory walks, RSS/Atom feeds."""
from __future__ import annotations

import gzip
import io
import itertools
import json
import tracemalloc

import pytest

from faultline.readers import iter_documents


def _html(title: str, body: str) -> str:
    return f"<html><head><title>{title}</title></head><body><article><p>{body}</p></article></body></html>"


def test_jsonl_gz_streams_with_bounded_memory(tmp_path):
    path = tmp_path / "big.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for i in range(20_000):
            fh.write(json.dumps({"id": f"n{i}", "text": f"Item {i}: " + "word " * 60}) + "\n")
    tracemalloc.start()
    try:
        count = 0
        for doc in iter_documents([path]):
            count += 1
            assert doc.id == f"n{count - 1}"
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 20_000
    # the file holds ~7 MB of text; a streaming reader keeps a few lines at a time
    assert peak < 2_000_000, peak


def test_jsonl_gz_first_document_comes_before_the_rest_is_read(tmp_path):
    path = tmp_path / "lazy.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "first", "text": "hello"}) + "\n")
        fh.write("{broken\n")
    with open(path, "ab") as fh:
        fh.write(b"\x00garbage that is not gzip")  # a truncated/corrupt tail
    docs = iter_documents([path])
    assert next(docs).id == "first"
    rest = list(docs)
    assert rest and all(d.error for d in rest)


def _write_warc(path, *, gz: bool) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gz)
        pages = [
            ("https://news.example.org/a", "text/html; charset=utf-8", _html("A", "Troops crossed the border.")),
            ("https://news.example.org/logo.png", "image/png", "PNGDATA"),
            ("https://news.example.org/b", "text/html", _html("B", "Ministers met in Geneva.")),
        ]
        for url, ctype, body in pages:
            req = writer.create_warc_record(url, "request", payload=io.BytesIO(b""),
                                            http_headers=StatusAndHeaders("GET / HTTP/1.1", [], is_http_request=True))
            writer.write_record(req)
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            rec = writer.create_warc_record(url, "response", payload=io.BytesIO(body.encode()),
                                            http_headers=headers,
                                            warc_headers_dict={"WARC-Date": "2021-09-28T10:00:00Z"})
            writer.write_record(rec)


@pytest.mark.parametrize("gz", [False, True])
def test_warc_yields_one_document_per_html_response(tmp_path, gz):
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    _write_warc(path, gz=gz)
    docs = list(iter_documents([path]))
    assert [d.input.url for d in docs] == ["https://news.example.org/a", "https://news.example.org/b"]
    assert all(d.format == "html" and d.published == "2021-09-28" and not d.error for d in docs)
    assert "Troops crossed the border." in docs[0].content


def test_directory_walk_is_lazy(tmp_path, monkeypatch):
    import faultline.readers as readers

    for i in range(60):
        sub = tmp_path / f"d{i:03d}"
        sub.mkdir()
        (sub / "a.txt").write_text(f"Document {i}.", "utf-8")
    (tmp_path / "d000" / "list.urls").write_text("https://example.org/\n", "utf-8")
    calls = []
    real = readers.os.scandir

    def counting(path):
        calls.append(path)
        return real(path)

    monkeypatch.setattr(readers.os, "scandir", counting)
    docs = iter_documents([tmp_path])
    first = next(docs)
    assert first.content == "Document 0."
    assert len(calls) <= 2  # the root and the first subdirectory, not all 61 listings
    rest = list(docs)
    assert len(rest) == 59  # the .urls list is never fetched by a directory walk
    assert len(calls) == 61


RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Example Wire</title><link>https://wire.example.org/</link>
<item><title>Talks resume</title><link>https://wire.example.org/1</link><guid>wire-1</guid>
<pubDate>Tue, 28 Sep 2021 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Negotiators from both sides met again in Brussels.&lt;/p&gt;</description></item>
<item><title>Empty</title><link>https://wire.example.org/2</link></item>
<item><title>Plain</title><link>https://wire.example.org/3</link><description>Police closed the crossing.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title><id>urn:desk</id><updated>2021-09-29T00:00:00Z</updated>
<entry><title>Convoy stopped</title><id>urn:desk:1</id><link href="https://desk.example.org/1"/>
<updated>2021-09-29T08:00:00Z</updated>
<content type="html">&lt;p&gt;A convoy was stopped at the border on Wednesday.&lt;/p&gt;</content></entry>
</feed>"""


def test_rss_items_become_documents(tmp_path):
    path = tmp_path / "wire.rss"
    path.write_text(RSS, "utf-8")
    docs = list(iter_documents([path]))
    assert [d.title for d in docs] == ["Talks resume", "Empty", "Plain"]
    first, empty, plain = docs
    assert first.id == "wire-1" and first.source == "Example Wire" and first.published == "2021-09-28"
    assert first.input.url == "https://wire.example.org/1" and "Brussels" in first.content
    assert empty.error and "no content" in empty.error
    assert "Police closed the crossing." in plain.content and not plain.error


def test_atom_entries_become_documents_and_run_through_the_pipeline(tmp_path):
    from faultline.batch.jobs import analyze
    from faultline.settings import Settings

    path = tmp_path / "desk.atom"
    path.write_text(ATOM, "utf-8")
    docs = list(iter_documents([path]))
    assert len(docs) == 1 and docs[0].id == "urn:desk:1" and docs[0].published == "2021-09-29"
    settings = Settings.load(overrides={"pipeline": {"stages": ["extract"]}})
    (record,) = list(analyze([path], settings=settings))
    assert "convoy was stopped" in record.text and not record.errors


def test_not_a_feed_is_an_error_record(tmp_path):
    path = tmp_path / "broken.rss"
    path.write_text("this is not xml at all", "utf-8")
    (doc,) = list(iter_documents([path]))
    assert doc.error and "no feed items" in doc.error


def test_many_documents_stream_without_materialising(tmp_path):
    path = tmp_path / "many.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(5000):
            fh.write(json.dumps({"text": f"n{i}"}) + "\n")
    head = list(itertools.islice(iter_documents([path]), 3))
    assert [d.content for d in head] == ["n0", "n1", "n2"]
