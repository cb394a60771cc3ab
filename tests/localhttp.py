"""A real HTTP server on a loopback address for tests that fetch URLs (feed imports, Podping)."""

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class LocalServer:
    """Serves `routes` (path -> Answer, or a callable giving one); records each request."""

    host: str = "127.0.0.1"
    routes: dict[str, Answer | Callable[[], Answer]] = field(default_factory=dict)
    seen: list[tuple[str, str]] = field(default_factory=list)  # (path, Host header)
    headers: list[dict[str, str]] = field(default_factory=list)  # each request's headers

    def __post_init__(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.seen.append((self.path, self.headers.get("Host", "")))
                server.headers.append(dict(self.headers))
                # A route without a query answers every query of its path.
                bare = server.routes.get(self.path.split("?")[0], Answer(404, b"not here"))
                route = server.routes.get(self.path, bare)
                answer = route() if callable(route) else route
                self.send_response(answer.status)
                headers = {"Content-Length": str(len(answer.body)), **answer.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(answer.body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer((self.host, 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
