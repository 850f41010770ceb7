"""WARC / WARC.gz archives through warcio: one Document per HTML response."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from ..records import Document, InputInfo, stable_id

if TYPE_CHECKING:
    from ..readers import ReaderOptions

__all__ = ["read_warc"]


def read_warc(path: Path, options: "ReaderOptions") -> Iterator[Document]:
    from warcio.archiveiterator import ArchiveIterator

    from ..readers import _error_doc, decode

    try:
        with open(path, "rb") as fh:
            for n, record in enumerate(ArchiveIterator(fh), 1):
                if record.rec_type != "response":
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                ctype = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
                if "html" not in ctype.lower():
                    continue
                body = record.content_stream().read(options.max_bytes + 1)
                where = f"{path}#{n}"
                if len(body) > options.max_bytes:
                    yield _error_doc(where, f"{url}: response over the size limit", fmt="html")
                    continue
                text, problem = decode(body, url or where)
                if problem:
                    yield _error_doc(where, problem, fmt="html")
                    continue
                date = record.rec_headers.get_header("WARC-Date")
                yield Document(
                    id=stable_id(url or "", text),
                    content=text,
                    format="html",
                    input=InputInfo(path=str(path), url=url, format="html"),
                    published=date[:10] if date else None,
                )
    except Exception as exc:  # a truncated archive keeps what was read
        yield _error_doc(path, f"cannot read WARC {path.name}: {exc}", fmt="html")
