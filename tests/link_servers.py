"""A web server on 127.0.0.1 for the link checker's tests: each path answers
one way, and every request is recorded (when, method, path, User-Agent)."""

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Path: (status to HEAD, status to GET, Location header or "").
ROUTES = {
    "/ok": (200, 200, ""),
    "/other-ok": (200, 200, ""),
    "/moved": (301, 301, "/new-home"),
    "/new-home": (200, 200, ""),
    "/temporary": (302, 302, "/ok"),
    "/loop": (302, 302, "/loop"),
    "/missing": (404, 404, ""),
    "/gone": (410, 410, ""),
    "/broken": (500, 500, ""),
    "/no-head": (405, 200, ""),
    "/head-missing": (404, 200, ""),  # HEAD answered wrongly, GET rightly
    "/robots-away": (403, 403, ""),
}
SLOW = "/slow"  # answers after SLOW_SECONDS, past the tests' timeout
SLOW_SECONDS = 1.5
# Sends its status line, then a header byte at a time, each well within the
# timeout, for DRIP_SECONDS: only a limit on the whole request stops it.
DRIP = "/drip"
DRIP_SECONDS = 3.0


@dataclass(frozen=True)
class Request:
    at: float  # time.monotonic() when the request line arrived
    method: str
    path: str
    user_agent: str


class LinkServer:
    """Start with `with LinkServer() as server:`; server.url("/ok") is an address."""

    def __init__(self):
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        # The checker closes the connection to /slow before it answers.
        self.httpd.handle_error = lambda request, address: None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}{path}"

    def requested(self, path: str) -> list[str]:
        """The methods with which `path` was asked for, in order."""
        return [r.method for r in self.requests if r.path == path]

    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_HEAD(self):
                self._answer(body=False)

            def do_GET(self):
                self._answer(body=True)

            def _answer(self, body):
                with server._lock:
                    server.requests.append(
                        Request(
                            time.monotonic(),
                            self.command,
                            self.path,
                            self.headers.get("User-Agent", ""),
                        )
                    )
                if self.path == SLOW:
                    time.sleep(SLOW_SECONDS)
                if self.path == DRIP:
                    self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Drip: ")
                    ends = time.monotonic() + DRIP_SECONDS
                    while time.monotonic() < ends:
                        self.wfile.write(b"x")
                        self.wfile.flush()
                        time.sleep(0.05)
                    return
                head, get, location = ROUTES.get(self.path, (404, 404, ""))
                status = get if body else head
                content = b"<!doctype html><title>Page</title>" * 500
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                if body:
                    self.wfile.write(content)

            def log_message(self, *args):
                pass

        return Handler
