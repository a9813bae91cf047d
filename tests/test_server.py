"""The preview server over real HTTP: safe paths, content types, 404, errors, live state."""

from __future__ import annotations

import http.client
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.cli import main
from generator.engine.rebuild import Rebuilder
from generator.errors import DigestError
from generator.preview.server import Preview, inject, resolve, url_of
from tests.sitekit import write_article


@pytest.mark.parametrize(
    ("url", "rel"),
    [
        ("/", "index.html"),
        ("/topics/heritage/", "topics/heritage/index.html"),
        ("/feed.xml", "feed.xml"),
        ("/static/style.css", "static/style.css"),
        ("/topics/heritage", "topics/heritage"),
        ("/a%20b/", "a b/index.html"),
        ("/../site.yaml", None),
        ("/%2e%2e/site.yaml", None),
        ("/%2E%2E/%2E%2E/etc/passwd", None),
        ("/static/..%2fsite.yaml", None),
        ("/x/%00", None),
        ("/..\\site.yaml", None),
        ("/C:/Windows", None),
        ("relative", None),
    ],
)
def test_resolve_refuses_anything_that_could_escape(url: str, rel: str | None) -> None:
    assert resolve(url) == rel


def test_url_of_inverts_resolve() -> None:
    for rel in ("index.html", "topics/heritage/index.html", "feed.xml", "static/style.css"):
        assert resolve(url_of(rel)) == rel


def test_inject_puts_script_before_body_end() -> None:
    page = inject(b"<html><body><p>x</p></body></html>", "abc")
    assert page.endswith(b'<script src="/__digest/livereload.js" data-version="abc"></script></body></html>')


@pytest.fixture
def preview(site_dir: Path) -> Iterator[Preview]:
    write_article(site_dir, "heritage", "mosul-minaret", title="Minaret rebuilt", date="2024-11-14",
                  body="Workers placed the last brick.", tags=["mosul"])
    write_article(site_dir, "israel-lebanon", "truce", title="Truce proposal", date="2024-11-13",
                  body="A draft was handed over.", tags=["lebanon"])
    out = open(site_dir / "serve.log", "w", encoding="utf-8")  # noqa: SIM115 (closed below)
    p = Preview(site_dir, port=0, out=out, quiet=0.02)
    p.start()
    yield p
    p.stop()
    out.close()


def _get(preview: Preview, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(preview.host, preview.port, timeout=10)
    conn.putrequest(method, path, skip_accept_encoding=True)
    conn.endheaders()
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body


def test_serves_pages_with_types_and_live_script(preview: Preview) -> None:
    status, headers, body = _get(preview, "/")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert b"/__digest/livereload.js" in body
    status, headers, _ = _get(preview, "/feed.xml")
    assert status == 200 and headers["content-type"].startswith("application/xml")
    css = next(p for p in preview.state.rebuilder.files if p.endswith(".css"))
    status, headers, body = _get(preview, "/" + css)
    assert status == 200 and headers["content-type"] == "text/css; charset=utf-8"
    assert b"livereload" not in body
    status, headers, body = _get(preview, "/", method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 0


def test_build_output_never_carries_the_live_script(preview: Preview) -> None:
    assert all(b"__digest" not in data for data in preview.state.rebuilder.files.values())
    assert not (preview.root / "public").exists()  # serve never writes the published folder


@pytest.mark.parametrize(
    "path", ["/../site.yaml", "/%2e%2e/site.yaml", "/%2e%2e%2fsite.yaml", "//etc/passwd", "/content/heritage/",
             "/site.yaml", "/no-such-page/"])
def test_nothing_outside_the_site_is_served(preview: Preview, path: str) -> None:
    status, headers, body = _get(preview, path)
    assert status == 404
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert b"title:" not in body and b"root:" not in body


def test_directory_without_slash_redirects(preview: Preview) -> None:
    status, headers, _ = _get(preview, "/tags")
    assert status == 301 and headers["location"] == "/tags/"


def test_broken_article_shows_error_then_recovers(preview: Preview, site_dir: Path) -> None:
    article = site_dir / "content/heritage/mosul-minaret.md"
    good = article.read_text(encoding="utf-8")
    article.write_text(good.replace("date: '2024-11-14'", "date: 'yesterday'"), encoding="utf-8")
    _wait_for(lambda: preview.state.rebuilder.error is not None)
    status, _, body = _get(preview, "/")
    assert status == 500
    assert b"mosul-minaret.md:" in body and b"date" in body
    article.write_text(good, encoding="utf-8")
    _wait_for(lambda: preview.state.rebuilder.error is None)
    assert _get(preview, "/")[0] == 200


def test_port_in_use_is_a_clean_error(site_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(DigestError, match=f"port {port} on 127.0.0.1 is already in use \\(try --port"):
            Preview(site_dir, port=port)
        assert main(["serve", "--site", str(site_dir), "--port", str(port)]) == 1
    assert "already in use" in capsys.readouterr().err


def _wait_for(condition, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


def test_a_bug_in_a_rebuild_keeps_the_server_alive(preview: Preview, site_dir: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(Rebuilder, "apply", broken)
    article = site_dir / "content/heritage/mosul-minaret.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    _wait_for(lambda: preview.state.rebuilder.error is not None)
    status, _, body = _get(preview, "/")
    assert status == 500 and b"internal error in digest" in body and b"simulated bug" in body
    monkeypatch.undo()
    article.write_text(article.read_text(encoding="utf-8") + "\nEven more.\n", encoding="utf-8")
    _wait_for(lambda: preview.state.rebuilder.error is None)
    assert _get(preview, "/")[0] == 200


def test_impossible_date_is_shown_not_fatal(preview: Preview, site_dir: Path) -> None:
    article = site_dir / "content/heritage/mosul-minaret.md"
    good = article.read_text(encoding="utf-8")
    article.write_text(good.replace("date: '2024-11-14'", "date: 2024-02-30"), encoding="utf-8")
    _wait_for(lambda: preview.state.rebuilder.error is not None)
    assert "mosul-minaret.md:" in (preview.state.rebuilder.error or "")
    assert "'2024-02-30' is not a real date" in (preview.state.rebuilder.error or "")
    article.write_text(good, encoding="utf-8")
    _wait_for(lambda: preview.state.rebuilder.error is None)
