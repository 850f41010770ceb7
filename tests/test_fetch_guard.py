"""The polite, guarded fetcher, against a local HTTP server started by the test (127.0.0.1 only)."""
from __future__ import annotations

import http.server
import threading
import time

import pytest

from faultline.errors import FetchError
from faultline.sources.fetch import FetchOptions, Fetcher, check_address, check_url

PAGE = "<html><head><title>Local page</title></head><body><article><p>Ministers met in Geneva on Monday " \
       "to discuss the border dispute.</p></article></body></html>"
FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Local Wire</title>
<item><title>One</title><link>{base}/page</link><guid>local-1</guid><description>First item text.</description></item>
<item><title>Two</title><link>{base}/page2</link><guid>local-2</guid><description>Second item text.</description></item>
</channel></rss>"""


class Handler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def log_message(self, *args):  # keep test output quiet
        pass

    def _send(self, code: int, body: bytes, ctype: str = "text/html; charset=utf-8", extra=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.hits.append(self.path)
        base = f"http://{self.headers['Host']}"
        if self.path == "/robots.txt":
            self._send(200, b"User-agent: *\nDisallow: /private\n", "text/plain")
        elif self.path in ("/page", "/page2"):
            self._send(200, PAGE.encode())
        elif self.path == "/private/page":
            self._send(200, PAGE.encode())
        elif self.path == "/redirect":
            self._send(302, b"", extra=[("Location", "/page")])
        elif self.path == "/big":
            self._send(200, b"<p>" + b"x" * 300_000 + b"</p>")
        elif self.path == "/chunked-big":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()  # no Content-Length: the cap must hold while streaming
            for _ in range(40):
                self.wfile.write(b"y" * 10_000)
        elif self.path == "/slow":
            time.sleep(2.0)
            self._send(200, PAGE.encode())
        elif self.path == "/image":
            self._send(200, b"\x89PNG....", "image/png")
        elif self.path == "/feed":
            self._send(200, FEED.format(base=base).encode(), "application/rss+xml")
        else:
            self._send(404, b"not found")


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _fetcher(**kw) -> Fetcher:
    opts = dict(allow_private=True, per_host_delay=0.0, timeout=1.0, max_bytes=100_000)
    opts.update(kw)
    return Fetcher(FetchOptions(**opts))


# -- the guard ---------------------------------------------------------------------
@pytest.mark.parametrize("ip", ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254",
                                "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "0.0.0.0", "224.0.0.1",
                                "100.64.0.1"])
def test_non_public_addresses_are_refused(ip):
    assert check_address(ip)


@pytest.mark.parametrize("ip", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_pass(ip):
    assert check_address(ip) is None


def test_every_resolved_address_is_checked():
    def mixed(host, port):
        return ["93.184.216.34", "10.0.0.5"]  # one public, one private: refused

    with pytest.raises(FetchError, match="10.0.0.5 is a private address"):
        check_url("https://news.example.org/a", resolve=mixed)
    check_url("https://news.example.org/a", resolve=lambda h, p: ["93.184.216.34"])
    with pytest.raises(FetchError, match="only http and https"):
        check_url("file:///etc/passwd", allow_private=True)
    with pytest.raises(FetchError, match="only http and https"):
        check_url("ftp://example.org/x")


def test_localhost_is_refused_without_allow_private(server):
    with Fetcher(FetchOptions(per_host_delay=0.0)) as f:
        with pytest.raises(FetchError, match="loopback.*--allow-private"):
            f.fetch(server + "/page")
        doc = f.fetch_document(server + "/page")
    assert doc.error and "--allow-private" in doc.error


def test_refused_request_never_reaches_the_server(server):
    Handler.hits.clear()
    with Fetcher(FetchOptions(per_host_delay=0.0)) as f:
        f.fetch_document(server + "/page")
    assert Handler.hits == []


def test_redirect_to_private_address_is_refused():
    import httpx

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "public.example.org":
            if request.url.path == "/robots.txt":
                return httpx.Response(404)
            return httpx.Response(302, headers={"Location": "http://internal.example.org/admin"})
        raise AssertionError("the private host must never be contacted")

    addresses = {"public.example.org": ["93.184.216.34"], "internal.example.org": ["10.0.0.7"]}
    with Fetcher(FetchOptions(per_host_delay=0.0), transport=httpx.MockTransport(handler),
                 resolve=lambda h, p: addresses[h]) as f:
        with pytest.raises(FetchError, match="10.0.0.7 is a private address"):
            f.fetch("http://public.example.org/story")


# -- fetching with allow_private (the local server) -----------------------------------
def test_fetch_page_with_allow_private(server):
    with _fetcher() as f:
        doc = f.fetch_document(server + "/page")
    assert not doc.error and doc.format == "html" and "Geneva" in doc.content
    assert doc.input.url == server + "/page"


def test_robots_txt_is_obeyed(server):
    with _fetcher() as f:
        with pytest.raises(FetchError, match="robots.txt"):
            f.fetch(server + "/private/page")
    with _fetcher(robots=False) as f:
        assert f.fetch(server + "/private/page").status == 200


def test_redirects_are_followed_through_the_guard(server):
    with _fetcher() as f:
        page = f.fetch(server + "/redirect")
    assert page.url == server + "/page" and b"Geneva" in page.body


def test_size_cap_with_and_without_content_length(server):
    with _fetcher() as f:
        with pytest.raises(FetchError, match="cap"):
            f.fetch(server + "/big")
        with pytest.raises(FetchError, match="cap"):
            f.fetch(server + "/chunked-big")


def test_timeout(server):
    with _fetcher(timeout=0.3) as f:
        doc = f.fetch_document(server + "/slow")
    assert doc.error and "timed out" in doc.error


def test_non_html_and_http_errors_become_error_documents(server):
    with _fetcher() as f:
        assert "not HTML" in f.fetch_document(server + "/image").error
        assert "HTTP 404" in f.fetch_document(server + "/missing").error


def test_rate_limit_per_host(server):
    clock = [100.0]
    slept: list[float] = []

    def sleep(s):
        slept.append(s)
        clock[0] += s

    with Fetcher(FetchOptions(allow_private=True, per_host_delay=2.0, timeout=2.0),
                 clock=lambda: clock[0], sleep=sleep) as f:
        f.fetch(server + "/page")   # robots.txt, then the page: one wait of 2 s
        f.fetch(server + "/page2")  # another 2 s
    assert slept == [pytest.approx(2.0), pytest.approx(2.0)]


def test_feed_url_and_url_list_through_iter_documents(server, tmp_path):
    from faultline.readers import iter_documents

    urls = tmp_path / "list.urls"
    urls.write_text(f"# today's reading\n{server}/page\n\nnot-a-url\n{server}/feed\n", "utf-8")
    opts = FetchOptions(allow_private=True, per_host_delay=0.0, timeout=2.0)
    docs = list(iter_documents([urls], fetch=opts))
    assert [d.id for d in docs[2:]] == ["local-1", "local-2"]
    assert "Geneva" in docs[0].content and not docs[0].error
    assert "not an http(s) URL" in docs[1].error
    assert docs[2].source == "Local Wire"
    # following the items' links fetches the pages themselves
    follow = FetchOptions(allow_private=True, per_host_delay=0.0, timeout=2.0, follow_feed_links=True)
    items = list(iter_documents([server + "/feed"], fetch=follow))
    assert all("Geneva" in d.content and d.title in ("One", "Two") for d in items)
    # without allow_private every URL is refused, one error record each
    refused = list(iter_documents([urls]))
    assert len(refused) == 3 and all(d.error for d in refused)


def test_cli_refuses_then_allows_private(server):
    import json

    from typer.testing import CliRunner

    from faultline.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["analyze", server + "/page", "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    rec = json.loads(res.stdout.splitlines()[0])
    assert rec["errors"] and "--allow-private" in rec["errors"][0]
    res = runner.invoke(app, ["analyze", server + "/page", "--format", "jsonl", "--allow-private"])
    assert res.exit_code == 0, res.output
    rec = json.loads(res.stdout.splitlines()[0])
    assert not rec["errors"] and "Geneva" in rec["text"]
