"""A polite, guarded HTTP fetcher for URL lists and feeds (httpx).

Polite: one request per host at most every ``per_host_delay`` seconds (or the
site's robots.txt ``Crawl-delay`` when longer), robots.txt obeyed for our
user agent, timeouts on connect and read, and a cap on the bytes read.

Guarded: only ``http``/``https``; the host is resolved and *every* address
is checked with :mod:`ipaddress`; private, loopback, link-local, multicast,
reserved and unspecified addresses are refused unless ``allow_private`` is set
(``--allow-private``).  Redirects are followed by hand, so every hop goes
through the same guard.  (A DNS answer that changes between the check and the
connection is not caught; run untrusted lists behind an egress firewall.)

The fetcher never raises for one URL: a refused, failed or oversized fetch
becomes a Document whose ``error`` says why, and the batch goes on.
"""
from __future__ import annotations

import ipaddress
import socket
import time
import urllib.robotparser
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import urljoin, urlsplit

from ..errors import FetchError
from ..records import Document, InputInfo, stable_id

__all__ = ["FetchOptions", "Fetcher", "FetchedPage", "check_address", "check_url"]


@dataclass(frozen=True, slots=True)
class FetchOptions:
    user_agent: str = "Faultline/0.1 (+offline news analysis; polite fetcher)"
    #: seconds between two requests to the same host
    per_host_delay: float = 1.0
    #: connect/read timeout in seconds
    timeout: float = 15.0
    #: bytes read from one response at most
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    robots: bool = True
    #: allow private, loopback and link-local addresses (``--allow-private``)
    allow_private: bool = False
    #: for feed items, fetch the linked page instead of using the feed's summary
    follow_feed_links: bool = False


@dataclass(frozen=True, slots=True)
class FetchedPage:
    url: str
    status: int
    content_type: str
    body: bytes


def check_address(ip: str) -> str | None:
    """Why ``ip`` must not be fetched, or None when it is a public address."""
    addr = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    for attr, label in (("is_loopback", "loopback"), ("is_link_local", "link-local"),
                        ("is_private", "private"), ("is_multicast", "multicast"),
                        ("is_reserved", "reserved"), ("is_unspecified", "unspecified")):
        if getattr(addr, attr):
            return f"{addr} is a {label} address"
    if not addr.is_global:
        return f"{addr} is not a public address"
    return None


def check_url(url: str, *, allow_private: bool = False,
              resolve: Callable[[str, int], list[str]] | None = None) -> None:
    """Raise :class:`FetchError` unless ``url`` is http(s) to public addresses only."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"{url}: only http and https URLs are fetched.")
    host = parts.hostname
    if not host:
        raise FetchError(f"{url}: the URL has no host.")
    if allow_private:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        ips = (resolve or _resolve)(host, port)
    except OSError as exc:
        raise FetchError(f"{url}: cannot resolve {host}: {exc}") from exc
    if not ips:
        raise FetchError(f"{url}: {host} has no address.")
    for ip in ips:
        why = check_address(ip)
        if why:
            raise FetchError(f"{url}: refused, {host} resolves to {why}; "
                             "pass --allow-private to fetch from private networks.")


def _resolve(host: str, port: int) -> list[str]:
    return sorted({info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)})


class Fetcher:
    """Fetch pages politely; one instance per run (it holds per-host state)."""

    def __init__(self, options: FetchOptions | None = None, *, transport: Any = None,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
                 resolve: Callable[[str, int], list[str]] | None = None) -> None:
        import httpx

        self.options = options or FetchOptions()
        self._clock = clock
        self._sleep = sleep
        self._resolve = resolve
        self._last: dict[str, float] = {}
        self._robots: dict[str, tuple[urllib.robotparser.RobotFileParser | None, float]] = {}
        self._client = httpx.Client(
            timeout=httpx.Timeout(self.options.timeout),
            follow_redirects=False,
            headers={"User-Agent": self.options.user_agent},
            transport=transport,
            trust_env=False,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- politeness ---------------------------------------------------------
    def _wait_turn(self, origin: str, delay: float) -> None:
        last = self._last.get(origin)
        if last is not None:
            wait = last + delay - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last[origin] = self._clock()

    def _robots_for(self, origin: str) -> tuple[urllib.robotparser.RobotFileParser | None, float]:
        if origin in self._robots:
            return self._robots[origin]
        parser: urllib.robotparser.RobotFileParser | None = urllib.robotparser.RobotFileParser()
        delay = self.options.per_host_delay
        try:
            page = self._get(origin + "/robots.txt", max_bytes=512 * 1024, check_robots=False)
        except FetchError:
            page = None
        assert parser is not None
        if page is None or page.status >= 500:
            parser.disallow_all = True  # unreachable robots.txt: stay away, as crawlers do
        elif page.status in (401, 403):
            parser.disallow_all = True
        elif page.status >= 400:
            parser.allow_all = True
        else:
            parser.parse(page.body.decode("utf-8", "replace").splitlines())
            crawl = parser.crawl_delay(self.options.user_agent)
            if crawl:
                delay = max(delay, float(crawl))
        self._robots[origin] = (parser, delay)
        return parser, delay

    # -- fetching -------------------------------------------------------------
    def _get(self, url: str, *, max_bytes: int | None = None, check_robots: bool = True) -> FetchedPage:
        import httpx

        limit = max_bytes or self.options.max_bytes
        for _hop in range(self.options.max_redirects + 1):
            check_url(url, allow_private=self.options.allow_private, resolve=self._resolve)
            parts = urlsplit(url)
            origin = f"{parts.scheme}://{parts.netloc}"
            delay = self.options.per_host_delay
            if check_robots and self.options.robots:
                robots, delay = self._robots_for(origin)
                if robots is not None and not robots.can_fetch(self.options.user_agent, url):
                    raise FetchError(f"{url}: robots.txt of {parts.netloc} disallows it.")
            self._wait_turn(origin, delay)
            try:
                with self._client.stream("GET", url) as resp:
                    if resp.status_code in (301, 302, 303, 307, 308) and "location" in resp.headers:
                        url = urljoin(url, resp.headers["location"])
                        continue
                    length = resp.headers.get("content-length")
                    if length and length.isdigit() and int(length) > limit:
                        raise FetchError(f"{url}: {int(length)} bytes, over the {limit}-byte cap.")
                    chunks, size = [], 0
                    for chunk in resp.iter_bytes():
                        size += len(chunk)
                        if size > limit:
                            raise FetchError(f"{url}: over the {limit}-byte cap.")
                        chunks.append(chunk)
                    return FetchedPage(url=str(resp.url), status=resp.status_code,
                                       content_type=resp.headers.get("content-type", ""), body=b"".join(chunks))
            except httpx.TimeoutException as exc:
                raise FetchError(f"{url}: timed out after {self.options.timeout:g} s ({type(exc).__name__}).") from exc
            except httpx.HTTPError as exc:
                raise FetchError(f"{url}: {type(exc).__name__}: {exc}") from exc
        raise FetchError(f"{url}: more than {self.options.max_redirects} redirects.")

    def fetch(self, url: str) -> FetchedPage:
        """The page at ``url`` (raises :class:`FetchError` when refused or failed)."""
        page = self._get(url)
        if page.status >= 400:
            raise FetchError(f"{url}: HTTP {page.status}.")
        return page

    def fetch_document(self, url: str, *, where: str | None = None, **meta: Any) -> Document:
        """``url`` as a Document; never raises (the reason goes into ``error``)."""
        where = where or url
        try:
            page = self.fetch(url)
        except FetchError as exc:
            return _error(url, where, str(exc))
        return page_to_document(page, where=where, **meta)


def _error(url: str, where: str, message: str) -> Document:
    return Document(id=stable_id(url, prefix="err-"), content="", format="html",
                    input=InputInfo(path=where, url=url, format="html"), error=message)


def page_to_document(page: FetchedPage, *, where: str, **meta: Any) -> Document:
    """Decode a fetched page into a Document (HTML or plain text)."""
    from ..readers import decode

    ctype = page.content_type.lower()
    if "html" in ctype or "xml" in ctype:
        fmt = "html"
    elif ctype.startswith("text/"):
        fmt = "text"
    else:
        return _error(page.url, where, f"{page.url}: content type {page.content_type or '(none)'} is not HTML or text.")
    charset = None
    for part in ctype.split(";")[1:]:
        if part.strip().startswith("charset="):
            charset = part.split("=", 1)[1].strip().strip('"')
    body = page.body
    if charset and charset not in ("utf-8", "utf8"):
        try:
            body = body.decode(charset).encode("utf-8")
        except (LookupError, UnicodeDecodeError):
            pass
    text, problem = decode(body, page.url)
    if problem:
        return _error(page.url, where, problem)
    return Document(id=stable_id(page.url, text), content=text, format=fmt,
                    input=InputInfo(path=where, url=page.url, format=fmt),
                    published=meta.get("published"), source=meta.get("source"), title=meta.get("title"))
