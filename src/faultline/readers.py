"""Readers: turn PATH arguments into a stream of :class:`Document` records.

A PATH is a file (``.html``/``.htm``, ``.md``/``.markdown``/``.txt``,
``.json``, ``.jsonl``/``.jsonl.gz``, ``.warc``/``.warc.gz``), a directory
(searched recursively, in sorted order, lazily), or ``-`` for JSON Lines on
stdin.  Reading is streaming: memory stays bounded however many files there
are.

A reader never raises for one bad document.  An empty, binary, oversized or
undecodable file, or a malformed JSON line, becomes a Document whose
``error`` says what is wrong; the runner turns it into a record with that
reason in ``errors`` and the batch goes on.  Only a PATH that does not exist
at all raises :class:`~faultline.errors.InputError`.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Mapping

from .errors import InputError
from .records import Document, InputInfo, stable_id

__all__ = ["ReaderOptions", "SUFFIXES", "documents_from_records", "iter_documents", "record_to_document"]

#: suffix → how the file is read
SUFFIXES: dict[str, str] = {
    ".html": "html", ".htm": "html",
    ".md": "markdown", ".markdown": "markdown",
    ".txt": "text",
    ".json": "json",
    ".jsonl": "jsonl", ".jsonl.gz": "jsonl",
    ".warc": "warc", ".warc.gz": "warc",
    ".rss": "feed", ".atom": "feed",
    ".urls": "urls",  # one URL a line; fetched politely (never picked up by a directory walk)
}
_SUPPORTED = ", ".join(SUFFIXES)


@dataclass(frozen=True, slots=True)
class ReaderOptions:
    #: files larger than this become an error record instead of being read
    max_bytes: int = 20 * 1024 * 1024


def suffix_of(path: Path) -> str:
    name = path.name.lower()
    for suffix in (".jsonl.gz", ".warc.gz"):
        if name.endswith(suffix):
            return suffix
    return path.suffix.lower()


def iter_documents(paths: Iterable[str | os.PathLike[str]], *, options: ReaderOptions | None = None,
                   stdin: IO[str] | None = None, fetch: Any = None) -> Iterator[Document]:
    """Yield one Document per input document, in input order.

    ``fetch`` (a :class:`~faultline.sources.fetch.FetchOptions`) governs URL
    PATHs, ``.urls`` lists and feed links.
    """
    options = options or ReaderOptions()
    fetcher = None
    try:
        for raw in paths:
            if str(raw) == "-":
                yield from _read_jsonl_stream(stdin if stdin is not None else sys.stdin, "<stdin>")
                continue
            if str(raw).lower().startswith(("http://", "https://")):
                from .sources.fetch import Fetcher
                from .sources.urls import read_url

                fetcher = fetcher or Fetcher(fetch)
                yield from read_url(str(raw), fetcher)
                continue
            path = Path(raw)
            if path.is_dir():
                for file in _walk(path):
                    yield from _read_file(file, options)
            elif path.is_file():
                if SUFFIXES.get(suffix_of(path)) in ("urls", "feed"):
                    from .sources.fetch import Fetcher

                    fetcher = fetcher or Fetcher(fetch)
                    yield from _read_remote_list(path, options, fetcher)
                    continue
                yield from _read_file(path, options, explicit=True)
            else:
                raise InputError(f"{path} does not exist; give a file, a directory, a URL, "
                                 "or - for JSON Lines on stdin.")
    finally:
        if fetcher is not None:
            fetcher.close()


def _read_remote_list(path: Path, options: ReaderOptions, fetcher: Any) -> Iterator[Document]:
    """A ``.urls`` list or an RSS/Atom file given explicitly."""
    if SUFFIXES.get(suffix_of(path)) == "urls":
        from .sources.urls import read_url_list

        yield from read_url_list(path, fetcher=fetcher)
        return
    from .sources.feeds import read_feed_file

    yield from read_feed_file(path, fetcher=fetcher, follow_links=fetcher.options.follow_feed_links,
                              max_bytes=options.max_bytes)


def _walk(root: Path) -> Iterator[Path]:
    """Recursive, sorted, lazy: one directory listing in memory at a time."""
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        p = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(p)
        elif entry.is_file() and SUFFIXES.get(suffix_of(p), "urls") != "urls":
            yield p


def _error_doc(path: Path | str, message: str, *, fmt: str = "text", key: str = "") -> Document:
    return Document(
        id=stable_id(str(path), key, prefix="err-"),
        content="",
        format=fmt,
        input=InputInfo(path=str(path), format=fmt),
        error=message,
    )


def _read_file(path: Path, options: ReaderOptions, *, explicit: bool = False) -> Iterator[Document]:
    kind = SUFFIXES.get(suffix_of(path))
    if kind is None:
        yield _error_doc(path, f"unsupported file type {path.suffix or '(none)'!r} for {path.name}; "
                               f"Faultline reads {_SUPPORTED}. Convert it or rename it if it is one of these.")
        return
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield _error_doc(path, f"cannot read {path}: {exc}")
        return
    fmt = kind if kind in ("html", "markdown", "text") else "text"
    if size == 0:
        yield _error_doc(path, f"{path.name} is empty", fmt=fmt)
        return
    if kind == "jsonl":
        yield from _read_jsonl_file(path, options)
        return
    if kind == "feed":  # found by a directory walk: the items' own content, nothing fetched
        from .sources.feeds import read_feed_file

        yield from read_feed_file(path, max_bytes=options.max_bytes)
        return
    if kind == "warc":
        from .sources.warc import read_warc

        yield from read_warc(path, options)
        return
    if size > options.max_bytes:
        yield _error_doc(path, f"{path.name} is {size / 1e6:.1f} MB, over the {options.max_bytes / 1e6:.0f} MB "
                               "limit per document; split it or raise [reader] max_bytes.", fmt=fmt)
        return
    data = path.read_bytes()
    text, problem = decode(data, path.name)
    if problem:
        yield _error_doc(path, problem, fmt=fmt)
        return
    if kind == "json":
        yield from _read_json_text(text, path)
        return
    header, body = split_front_matter(text) if fmt != "html" else ({}, text)
    yield Document(
        id=stable_id(text), content=body, format=fmt,
        input=InputInfo(path=str(path), url=header.get("url"), format=fmt),
        published=_date10(header.get("published") or header.get("date")),
        source=header.get("publisher") or header.get("source"),
        title=header.get("title"),
        authors=_split_list(header.get("authors") or header.get("author")),
        tags=(("tags", _split_list(header["tags"])),) if header.get("tags") else (),
    )


_FRONT = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_FRONT_LINE = re.compile(r"^([A-Za-z][\w -]{0,40}):[ \t]*(.*?)[ \t]*$")


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """A leading ``---`` header of ``key: value`` lines (YAML-style front matter).

    Returns the header as a dict with lower-cased keys, and the rest of the
    text.  Text without such a header comes back unchanged.
    """
    m = _FRONT.match(text)
    if not m:
        return {}, text
    header: dict[str, str] = {}
    for line in m.group(1).splitlines():
        lm = _FRONT_LINE.match(line.strip())
        if not lm:
            return {}, text  # not a simple key: value header; leave the text alone
        header[lm.group(1).strip().lower()] = lm.group(2).strip().strip('"\'')
    return header, text[m.end():]


def _split_list(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    parts = re.split(r"\s*[;,]\s*|\s+and\s+", value.strip("[]"))
    return tuple(p.strip().strip('"\'') for p in parts if p.strip())


def _date10(value: str | None) -> str | None:
    return value[:10] if value else None


def decode(data: bytes, name: str) -> tuple[str, str | None]:
    """Decode UTF-8 strictly; say precisely what is wrong otherwise."""
    head = data[:8192]
    if b"\x00" in head:
        return "", f"{name} looks binary (it contains NUL bytes); Faultline reads text, HTML and JSON."
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return "", (f"{name} is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                    "re-encode it as UTF-8.")
    if not text.strip():
        return "", f"{name} contains only whitespace"
    return text, None


def record_to_document(record: Mapping[str, Any], where: str, *, key: str = "") -> Document:
    """A JSON input record (``text``/``html``/``markdown`` + metadata) → Document."""
    if not isinstance(record, Mapping):
        return _error_doc(where, f"{where}: expected a JSON object, got {type(record).__name__}", key=key)
    for field, fmt in (("html", "html"), ("markdown", "markdown"), ("text", "text")):
        value = record.get(field)
        if isinstance(value, str) and value.strip():
            break
    else:
        return _error_doc(where, f"{where}: the record has none of text, html or markdown (or they are empty)",
                          key=key)
    own_id = record.get("id")
    doc_id = str(own_id) if own_id not in (None, "") else stable_id(value)
    published = record.get("published") or record.get("date")
    return Document(
        id=doc_id,
        content=value,
        format=fmt,
        input=InputInfo(path=where, url=record.get("url"), format=fmt),
        published=str(published)[:10] if published else None,
        source=record.get("source"),
        title=record.get("title"),
    )


def documents_from_records(records: Iterable[Mapping[str, Any]], where: str = "<records>") -> Iterator[Document]:
    for i, rec in enumerate(records, 1):
        yield record_to_document(rec, f"{where}:{i}", key=str(i))


def _read_json_text(text: str, path: Path) -> Iterator[Document]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield _error_doc(path, f"{path.name} is not valid JSON: {exc}")
        return
    if isinstance(data, list):
        for i, rec in enumerate(data, 1):
            yield record_to_document(rec, f"{path}:{i}", key=str(i))
    else:
        yield record_to_document(data, str(path))


def _read_jsonl_file(path: Path, options: ReaderOptions) -> Iterator[Document]:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:  # type: ignore[operator]
            stream = io.TextIOWrapper(fh, encoding="utf-8", errors="strict", newline="")
            yield from _read_jsonl_stream(stream, str(path), max_bytes=options.max_bytes)
    except (OSError, EOFError) as exc:
        yield _error_doc(path, f"cannot read {path.name}: {exc}")


def _read_jsonl_stream(stream: IO[str], where: str, *, max_bytes: int = 20 * 1024 * 1024) -> Iterator[Document]:
    lineno = 0
    while True:
        lineno += 1
        try:
            line = stream.readline()
        except UnicodeDecodeError as exc:
            yield _error_doc(where, f"{where}:{lineno}: not valid UTF-8 ({exc.reason}); the rest of the "
                                    "stream cannot be decoded", key=str(lineno))
            return
        if not line:
            return
        if not line.strip():
            continue
        if len(line) > max_bytes:
            yield _error_doc(where, f"{where}:{lineno}: line is over the {max_bytes / 1e6:.0f} MB limit",
                             key=str(lineno))
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _error_doc(where, f"{where}:{lineno}: malformed JSON ({exc.msg} at column {exc.colno})",
                             key=str(lineno))
            continue
        yield record_to_document(rec, f"{where}:{lineno}", key=str(lineno))
