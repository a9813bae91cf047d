"""`digest serve`: the preview server.

Serves the site from memory (never from, nor into, the published output
folder), injects the live-reload script into HTML pages, and pushes a
Server-Sent Event to every open page after each rebuild. The server is handed
the rebuild machinery (`Rebuilder`) and the watcher only records changes; one
debounced loop rebuilds. Requests that arrive during a rebuild wait for it, and
a failed rebuild keeps the last good site while pages show the error.

What a build leaves out is said, not just missing: the log names each future
article and draft once (as `digest build` does), a timer rebuilds when the next
future article comes due (its open 404 page then reloads into the article), and
the 404 page for the URL of a left-out article says why it is not there.
"""

from __future__ import annotations

import errno
import hashlib
import html
import json
import mimetypes
import posixpath
import sys
import threading
import traceback
import webbrowser
from collections.abc import Callable
from datetime import datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import TextIO
from urllib.parse import parse_qs, unquote, urlsplit

from generator.engine.changes import Change, ChangeSet, Kind
from generator.engine.rebuild import Outcome, Rebuilder
from generator.errors import DigestError, shown
from generator.pages.search import BUNDLES
from generator.preview.leftout import explained, left_out_lines, left_out_notes
from generator.preview.search import BackgroundIndex
from generator.preview.debounce import Debouncer, DueTimer
from generator.preview.watch import SiteWatch
from generator.site.language import strings_note

EVENTS_PATH = "/__digest/events"
SCRIPT_PATH = "/__digest/livereload.js"
_TYPES = {".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".xml": "application/xml",
          ".txt": "text/plain", ".json": "application/json", ".svg": "image/svg+xml", ".ico": "image/x-icon",
          ".webmanifest": "application/manifest+json", ".woff2": "font/woff2"}
_TEXT = ("text/", "application/xml", "application/json", "image/svg+xml", "application/manifest+json")


def content_type(path: str) -> str:
    ext = posixpath.splitext(path)[1].lower()
    kind = _TYPES.get(ext) or mimetypes.guess_type(path)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith(_TEXT) else kind


def resolve(url_path: str) -> str | None:
    """The output-relative file a URL path names, or None if it could name something outside the site.

    `/a/b/` -> `a/b/index.html`; `..` segments (plain or %-encoded), backslashes,
    NUL bytes and drive letters are refused rather than normalised away.
    """
    path = unquote(url_path)
    if not path.startswith("/") or "\x00" in path or "\\" in path:
        return None
    segments = path.split("/")[1:]
    if any(seg in ("..", ".") or ":" in seg for seg in segments):
        return None
    rel = "/".join(seg for seg in segments if seg)
    if path.endswith("/") or rel == "":
        rel = f"{rel}/index.html" if rel else "index.html"
    return rel


def url_of(rel: str) -> str:
    """The URL path a client uses for output file `rel` (inverse of `resolve`)."""
    if rel == "index.html":
        return "/"
    if rel.endswith("/index.html"):
        return "/" + rel[: -len("index.html")]
    return "/" + rel


def inject(page: bytes, version: str) -> bytes:
    tag = f'<script src="{SCRIPT_PATH}" data-version="{html.escape(version)}"></script>'.encode()
    at = page.rfind(b"</body>")
    return page[:at] + tag + page[at:] if at >= 0 else page + tag


def _version(data: bytes | None) -> str:
    return hashlib.sha1(data).hexdigest()[:16] if data is not None else "missing"


def error_page(message: str) -> bytes:
    items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in message.splitlines())
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Build error — digest preview</title><style>"
        "body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;"
        "color:#1a1a1a;background:#fff}h1{color:#9b1c1c}code{white-space:pre-wrap;font-size:.95rem}"
        "li{margin:.5rem 0}@media (prefers-color-scheme:dark){body{color:#eee;background:#161616}"
        "h1{color:#ff8a80}}</style></head><body><main><h1>The site could not be built</h1>"
        f'<ul id="digest-errors">{items}</ul><p>Fix the file and save: this page comes back by itself.</p>'
        "</main></body></html>"
    ).encode()


class PreviewState:
    """The site being served, guarded by one condition: readers wait while a build runs."""

    def __init__(self, rebuilder: Rebuilder, log: Callable[[str], None]) -> None:
        self.rebuilder = rebuilder
        self.log = log
        self.search = BackgroundIndex(log)
        self.cond = threading.Condition()
        self.building = False
        self.epoch = 0
        self.last_css: tuple[str, ...] = ()
        self.closed = False
        self.notes: dict[str, str] = {}  # output path of a left-out article -> why it is not there
        self._told: set[str] = set()  # the left-out lines already in the log

    def rebuild(self, changes: ChangeSet | None = None) -> Outcome:
        """Bring the site up to date with `changes` (None: build everything again from disk) and log it."""
        with self.cond:
            self.building = True
        try:
            outcome = self.rebuilder.full() if changes is None else self.rebuilder.apply(changes)
        except Exception as exc:  # a bug in digest: show it, keep serving, keep watching
            self.log("".join(traceback.format_exception(exc)).rstrip())
            self.rebuilder.error = f"internal error in digest (please report it): {type(exc).__name__}: {exc}"
            outcome = Outcome(error=self.rebuilder.error)
        finally:
            with self.cond:
                if not self.rebuilder.error:
                    self.notes = left_out_notes(self.rebuilder.loaded)
                self.building = False
                self.epoch += 1
                self.cond.notify_all()
        with self.cond:
            self.last_css = tuple(sorted(url_of(p) for p in outcome.changed if p.endswith(".css")))
        if not outcome.error:
            self._index()
        if outcome.error:
            self.log(f"build failed ({outcome.seconds * 1000:.0f} ms):")
            for line in outcome.error.splitlines():
                self.log(f"  {line}")
        else:
            lines = left_out_lines(self.rebuilder.loaded)
            for line in lines:
                if line not in self._told:  # once per change, not at every rebuild
                    self.log(line)
            self._told = set(lines)
            verb = "built" if changes is None else "rebuilt"
            self.log(f"{verb} in {outcome.seconds * 1000:.0f} ms: {outcome.rendered} pages rendered, "
                     f"{len(outcome.changed)} file{'' if len(outcome.changed) == 1 else 's'} changed")
        return outcome

    def _index(self) -> None:
        """Have the search index brought up to date in the background (never waited for)."""
        views, config = self.rebuilder.views, self.rebuilder.config
        if views is None or config is None or not config.search:
            self.search.schedule(None, {}, prefix="/", language="en")
        else:
            self.search.schedule(views.site, self.rebuilder.files, prefix=views.urls.prefix,
                                 language=config.language)

    def search_files(self) -> dict[str, bytes]:
        """The search index as last built (empty until the first index has been built)."""
        return self.search.files

    def snapshot(self) -> tuple[dict[str, bytes], str | None, int]:
        """The files, the error (if the last build failed) and the epoch, once no build runs."""
        with self.cond:
            while self.building and not self.closed:
                self.cond.wait(timeout=1)
            return self.rebuilder.files, self.rebuilder.error, self.epoch

    def page_version(self, rel: str | None, files: dict[str, bytes], error: str | None) -> str:
        if error is not None:
            return "error-" + hashlib.sha1(error.encode()).hexdigest()[:12]
        if rel is not None and rel not in files and rel in self.notes:
            return "left-out-" + hashlib.sha1(self.notes[rel].encode()).hexdigest()[:12]
        return _version(files.get(rel) if rel else None)

    def next_due(self) -> datetime | None:
        """The moment the next future article comes due, if any."""
        loaded = self.rebuilder.loaded
        return min((a.date for a in loaded.skipped), default=None) if loaded is not None else None

    def close(self) -> None:
        with self.cond:
            self.closed = True
            self.cond.notify_all()
        self.search.stop()


class Handler(BaseHTTPRequestHandler):
    server_version = "digest-preview"
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle's algorithm on, the
    # second waits for the client's delayed ACK (~40 ms per response).
    disable_nagle_algorithm = True
    state: PreviewState  # set on the subclass made by make_server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib name)
        pass  # quiet: the terminal is for build results

    def do_HEAD(self) -> None:  # noqa: N802 (stdlib name)
        self._serve(head=True)

    def do_GET(self) -> None:  # noqa: N802 (stdlib name)
        self._serve(head=False)

    def _send(self, status: int, ctype: str, body: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _serve(self, head: bool) -> None:
        split = urlsplit(self.path)
        if split.path == EVENTS_PATH:
            return self._events(parse_qs(split.query).get("path", ["/"])[0])
        if split.path == SCRIPT_PATH:
            script = resources.files("generator.preview").joinpath("livereload.js").read_bytes()
            return self._send(200, content_type(SCRIPT_PATH), script, head)
        rel = resolve(split.path)
        files, error, _epoch = self.state.snapshot()
        if rel is not None and rel.startswith(BUNDLES) and rel not in files:
            data = self.state.search.file(rel)  # the last run's, or the run before's
            if data is not None:
                return self._send(200, content_type(rel), data, head)
        if rel is not None and rel not in files and not rel.endswith("index.html") and f"{rel}/index.html" in files:
            # /topics/x -> /topics/x/, as static hosts do.
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", split.path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        is_page = rel is None or rel.endswith(".html") or rel not in files
        version = self.state.page_version(rel, files, error)
        if error is not None and is_page:
            return self._send(500, content_type("x.html"), inject(error_page(error), version), head)
        if rel is not None and rel in files:
            body = files[rel]
            if rel.endswith(".html"):
                body = inject(body, version)
            return self._send(200, content_type(rel), body, head)
        missing = files.get("404.html", b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>")
        note = self.state.notes.get(rel) if rel is not None else None
        if note is not None:
            missing = explained(missing, note)
        return self._send(404, content_type("404.html"), inject(missing, version), head)

    def _events(self, page_url: str) -> None:
        rel = resolve(page_url)
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "keep-alive")
        self.end_headers()
        self.close_connection = True
        state = self.state
        try:
            files, error, seen = state.snapshot()
            self._event("hello", {"version": state.page_version(rel, files, error)})
            while True:
                with state.cond:
                    while state.epoch == seen and not state.closed:
                        if not state.cond.wait(timeout=15):
                            break
                    if state.closed:
                        return
                    css = list(state.last_css)
                if state.epoch == seen:
                    self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
                    continue
                files, error, seen = state.snapshot()
                self._event("change", {"version": state.page_version(rel, files, error), "css": css})
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            return

    def _event(self, name: str, data: dict[str, object]) -> None:
        self.wfile.write(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode())
        self.wfile.flush()


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def make_server(state: PreviewState, host: str, port: int) -> PreviewServer:
    handler = type("BoundHandler", (Handler,), {"state": state})
    try:
        return PreviewServer((host, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise DigestError(f"port {port} on {host} is already in use (try --port {port + 1})") from None
        raise DigestError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None


class Preview:
    """Everything `digest serve` runs: state, server thread, watcher, debouncer and the timer for due articles."""

    def __init__(self, site_root: Path, *, host: str = "127.0.0.1", port: int = 8000,
                 base_url: str | None = None, drafts: bool = True, out: TextIO = sys.stdout,
                 quiet: float = 0.03, settle: float | None = None, max_wait: float = 0.5,
                 recheck: float = 1.0) -> None:
        self.out = out
        self.root = Path(site_root).resolve()
        self.state = PreviewState(Rebuilder(self.root, base_url=base_url, drafts=drafts), self.log)
        self.server = make_server(self.state, host, port)
        bound_host, bound_port = self.server.server_address[:2]
        self.host = bound_host.decode() if isinstance(bound_host, bytes | bytearray) else str(bound_host)
        self.port = int(bound_port)
        self.debouncer = Debouncer(self._rebuild, quiet=quiet, settle=settle, max_wait=max_wait)
        self.watch = SiteWatch(self.root, self.debouncer, self._output, recheck=recheck)
        # A due article is a change of content/ as a whole: the articles are selected again, at the new moment.
        self.due = DueTimer(lambda: self.debouncer.add([Change(Kind.CONTENT, "content")]))
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in str(self.host) else self.host
        return f"http://{host}:{self.port}/"

    def log(self, line: str) -> None:
        print(line, file=self.out, flush=True)

    def _output(self) -> Path | None:
        config = self.state.rebuilder.config
        return config.output_path if config is not None else None

    def _rebuild(self, changes: ChangeSet | None) -> Outcome:
        outcome = self.state.rebuild(changes)
        if outcome.error is None:
            self.due.set(self.state.next_due())
        return outcome

    def start(self) -> Outcome:
        """Watch, then build (so no edit falls in between), then rebuild what changed meanwhile, and serve."""
        self.watch.start()  # events from now on wait in the debouncer until its thread starts
        outcome = self._rebuild(None)
        config = self.state.rebuilder.config
        note = strings_note(config.language, config.strings) if config is not None else None
        if note:  # before the server answers: theme strings the site's language shows in English
            self.log(note)
        self.debouncer.start()
        self.due.start()
        self._thread = threading.Thread(target=self.server.serve_forever, name="digest-http", daemon=True)
        self._thread.start()
        return outcome

    def stop(self) -> None:
        self.state.close()
        self.watch.stop()
        self.due.stop()
        self.debouncer.stop()
        if self._thread is not None:  # shutdown() waits for serve_forever, which must have started
            self.server.shutdown()
        self.server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


def run_serve(site_root: Path, *, host: str, port: int, open_browser: bool, drafts: bool,
              out: TextIO = sys.stdout) -> int:
    preview = Preview(site_root, host=host, port=port, drafts=drafts, out=out)
    stop = threading.Event()
    # Everything after the port is bound runs inside the try: a Ctrl-C at any moment stops cleanly.
    try:
        if host not in ("127.0.0.1", "localhost", "::1"):
            preview.log(f"warning: the preview is exposed to the network on {host}; "
                        "anyone who can reach this machine can read it")
        preview.start()
        preview.log(f"serving {shown(preview.root)} at {preview.url} (Ctrl-C to stop)")
        if open_browser:
            webbrowser.open(preview.url)
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        preview.log("stopping")
    finally:
        preview.stop()
    return 0
