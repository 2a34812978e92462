"""The preview's web server: one page, a few JSON answers and a stream of change events.

It listens on 127.0.0.1 only and answers only requests addressed to it by
that name or ``localhost`` (a web page elsewhere cannot reach it by making
its own domain name point at this machine). It serves nothing but its own
page and what the gallery holds: a request for any other path is refused,
as the access policy of :mod:`cxviz.access` refuses a spec's reference that
leaves its folder.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .. import api
from ..access import AccessError, FileAccess, resolve_reference
from ..fonts import font_file
from .gallery import Gallery, locate

__all__ = ["Preview", "DEFAULT_PORT", "HOST"]

HOST = "127.0.0.1"
DEFAULT_PORT = 8737
_STATIC = Path(__file__).resolve().parent / "static"
# Each answer names its type; the page runs only its own script and loads only its own files.
_FILES = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/static/preview.js": ("preview.js", "text/javascript; charset=utf-8"),
    "/static/preview.css": ("preview.css", "text/css; charset=utf-8"),
}
_FONTS = {"/static/font-regular.ttf": "regular", "/static/font-bold.ttf": "bold"}
# Diagrams are inline SVG: their photos are data, their font the page's; nothing else may load or run.
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; "
                           "frame-ancestors 'none'")
# How long a change stream stays quiet before it says it is still there.
_KEEP_ALIVE_SECONDS = 15.0


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Stopping does not wait for a browser's idle connection to time out.
    block_on_close = False

    def __init__(self, preview: Preview, port: int):
        self.preview = preview
        super().__init__((HOST, port), _Handler)

    def handle_error(self, request, client_address) -> None:
        """A browser closing a connection early is no error worth a traceback."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "cxviz"
    # An idle connection is closed after this long, so none lingers after the page is gone.
    timeout = 60

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args) -> None:
        """Requests are not logged: the terminal shows only the address and errors."""

    def handle(self) -> None:
        try:
            super().handle()
        except (ConnectionError, TimeoutError):
            pass

    # -- answers ------------------------------------------------------------------

    def _send(self, status: int, body: bytes, content_type: str, *, cache: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600" if cache else "no-store")
        self._security_headers()
        self.end_headers()
        self.wfile.write(body)

    def _security_headers(self) -> None:
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")

    def _json(self, value, status: int = HTTPStatus.OK) -> None:
        self._send(status, json.dumps(value, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _refuse(self, status: int, message: str) -> None:
        self._json({"error": message}, status)

    def _host_is_ours(self) -> bool:
        port = self.server.server_address[1]
        return self.headers.get("Host", "") in (f"{HOST}:{port}", f"localhost:{port}")

    def do_GET(self) -> None:
        if not self._host_is_ours():
            self._refuse(HTTPStatus.MISDIRECTED_REQUEST,
                         f"this preview answers only at {self.server.preview.url}")
            return
        url = urllib.parse.urlsplit(self.path)
        route = url.path
        gallery = self.server.preview.gallery
        if route in _FILES:
            name, content_type = _FILES[route]
            self._send(HTTPStatus.OK, (_STATIC / name).read_bytes(), content_type)
        elif route in _FONTS:
            self._send(HTTPStatus.OK, font_file(_FONTS[route]).read_bytes(), "font/ttf", cache=True)
        elif route == "/api/specs":
            self._json({"root": str(gallery.root), "version": gallery.version,
                        "specs": [entry.summary() for entry in gallery.entries()]})
        elif route == "/api/events":
            self._events()
        elif route.startswith("/api/spec/"):
            entry = self._entry(route.removeprefix("/api/spec/"))
            if entry is not None:
                self._json(entry.details())
        elif route.startswith("/api/where/"):
            entry = self._entry(route.removeprefix("/api/where/"))
            if entry is not None:
                ids = urllib.parse.parse_qs(url.query).get("id", [])[:64]
                found = locate(entry.spec, ids) if entry.spec is not None else None
                self._json({"found": found is not None, **(found or {})})
        else:
            self._refuse(HTTPStatus.NOT_FOUND, "no such page")

    def _entry(self, quoted: str):
        """The listed spec a request names, or None after refusing the request.

        Only specs the gallery found are served. A file the access policy
        refuses (absolute, ``..`` or a link leading out of the folder, in
        any encoding) is answered 403, any other name 404.
        """
        name = urllib.parse.unquote(quoted)
        gallery = self.server.preview.gallery
        entry = gallery.get(name)
        if entry is not None:
            return entry
        try:
            exists = os.path.lexists(os.path.join(gallery.root, name))
            if exists:
                resolve_reference(name, gallery.root, FileAccess(root=gallery.root))
        except (AccessError, ValueError) as exc:
            reason = str(exc).split(";")[0]  # what follows names command-line options of other commands
            self._refuse(HTTPStatus.FORBIDDEN, f"{name!r} is not served: it {reason}")
            return None
        self._refuse(HTTPStatus.NOT_FOUND, f"{name!r} is not a spec in this folder")
        return None

    def _events(self) -> None:
        """Server-sent events: the gallery's version each time it changes, until the page or the preview goes."""
        preview = self.server.preview
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self._security_headers()
        self.end_headers()
        version = None
        while not preview.stopping:
            gallery = preview.gallery
            current = gallery.version if version is None else gallery.wait(version, _KEEP_ALIVE_SECONDS)
            if preview.stopping:
                break
            # A short retry: after a restart of the preview the page reconnects at once.
            message = f"retry: 500\ndata: {current}\n\n" if current != version else ": still here\n\n"
            version = current
            self.wfile.write(message.encode("utf-8"))
            self.wfile.flush()


class Preview:
    """A live preview of the specs in a folder (or of one spec file), served on 127.0.0.1.

    The page lists the specs, shows each one drawn, redraws a spec when it
    or a file it reads is saved (checking every ``interval`` seconds) and
    reloads itself; a spec with errors shows them at their lines and keeps
    its last picture; clicking a part of a diagram shows the line it is
    written on. ``port`` 0 picks a free port. Use it as a context manager,
    or :meth:`start` and :meth:`stop`; :attr:`url` is where it answers.
    """

    def __init__(self, path: str | Path, *, port: int = DEFAULT_PORT, options: api.Options | None = None,
                 interval: float = 0.5):
        if not isinstance(port, int) or not 0 <= port <= 65535:
            raise api.OptionError(f"port must be a whole number from 0 to 65535, not {port!r}")
        if not 0.05 <= interval <= 60:
            raise api.OptionError(f"interval must be from 0.05 to 60 seconds, not {interval!r}")
        self.gallery = Gallery(path, options)
        self.interval = interval
        self.stopping = False
        self._port = port
        self._server: _Server | None = None
        self._threads: list[threading.Thread] = []
        self._stopped = threading.Event()

    @property
    def url(self) -> str:
        """The page's address, such as ``http://127.0.0.1:8737/``."""
        port = self._server.server_address[1] if self._server is not None else self._port
        return f"http://{HOST}:{port}/"

    def start(self) -> Preview:
        """Listen and start watching; returns at once. OptionError when the port cannot be had."""
        if self._server is not None:
            return self
        try:
            self._server = _Server(self, self._port)
        except OSError as exc:
            raise api.OptionError(f"cannot listen on {HOST}:{self._port}: {exc.strerror or exc}; "
                                  "choose another port (0 picks a free one)") from None
        self._threads = [threading.Thread(target=self._watch, name="cxviz-serve-watch", daemon=True),
                         threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.2},
                                          name="cxviz-serve-http", daemon=True)]
        for thread in self._threads:
            thread.start()
        return self

    def _watch(self) -> None:
        while not self.stopping:
            try:
                self.gallery.scan()
            except Exception as exc:  # noqa: BLE001 (a bug must not end the watching; the next scan tries again)
                print(f"cxviz serve: internal error while watching: {type(exc).__name__}: {exc}", file=sys.stderr)
            if self._stopped.wait(self.interval):
                break

    def wait_for_scan(self, timeout: float = 30.0) -> bool:
        """Block until the files as they are now have been read and drawn; False on timeout."""
        return self.gallery.wait_for_scan(timeout)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until :meth:`stop` is called (from another thread) or ``timeout`` passes; whether it stopped."""
        return self._stopped.wait(timeout)

    def stop(self) -> None:
        """Stop serving and watching; open pages lose their connection."""
        self.stopping = True
        self._stopped.set()
        self.gallery.close()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        for thread in self._threads:
            thread.join(timeout=10)

    def __enter__(self) -> Preview:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
