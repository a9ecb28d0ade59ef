"""A small HTTP server on 127.0.0.x for the fetch tests: scripted replies per path, and a log of every request.

Each path has a list of replies; each request takes the next one (the last one repeats). A reply can be slow
(`delay`), cut off mid-body (`cut`: bytes actually sent while Content-Length announces the whole body), or carry any
status and headers. `silent_server()` accepts connections and never answers (a read timeout).
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    cut: int | None = None  # send only this many bytes of the body, then close


@dataclass
class Seen:
    at: float  # time.monotonic() when the request arrived
    host: str  # the server address it arrived on
    path: str
    headers: dict[str, str]


class FeedServer:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.log: list[Seen] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                with server._lock:
                    server.log.append(Seen(time.monotonic(), host, self.path, dict(self.headers.items())))
                    replies = server.routes.get(self.path) or [Reply(404, b"no such feed")]
                    reply = replies.pop(0) if len(replies) > 1 else replies[0]
                if reply.delay:
                    time.sleep(reply.delay)
                self.send_response(reply.status)
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(reply.body)))
                if reply.cut is not None:
                    self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(reply.body if reply.cut is None else reply.body[: reply.cut])
                if reply.cut is not None:
                    self.close_connection = True

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address) -> None:  # a client that hung up (a test's timeout)
                pass

        self.httpd = Server((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.host, self.port = host, self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def route(self, path: str, *replies: Reply) -> str:
        with self._lock:
            self.routes[path] = list(replies)
        return self.url(path)

    def seen(self, path: str | None = None) -> list[Seen]:
        with self._lock:
            return [s for s in self.log if path is None or s.path == path]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class SilentServer:
    """Accepts TCP connections (the kernel does) and never reads or answers."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.sock.close()


def closed_port() -> int:
    """A port on 127.0.0.1 with nothing listening (connection refused)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def hf_day(day: str, papers: list[tuple[str, str]]) -> bytes:
    """A Hugging Face daily_papers JSON body for `day` listing invented papers [(arXiv id, title)]."""
    import json

    return json.dumps([
        {"paper": {"id": aid, "title": title, "summary": f"An invented abstract about {title.lower()}.",
                   "authors": [{"name": "Ada Invented"}], "submittedOnDailyAt": f"{day}T00:00:00.000Z"},
         "title": title, "publishedAt": f"{day}T00:00:00.000Z"}
        for aid, title in papers
    ]).encode()
