"""A local HTTP server on 127.0.0.1 that replays recorded OAI-PMH responses and serves test routes."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit


def _key(query: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(parse_qsl(query)))


class ReplayServer:
    """Serves ``/oai2d?…`` from an INDEX.json of recorded bodies, plus ``routes`` by exact path."""

    def __init__(self, folder: Path | None = None) -> None:
        self.responses: dict[tuple[tuple[str, str], ...], tuple[int, bytes]] = {}
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.requests: list[str] = []
        if folder is not None:
            for entry in json.loads((folder / "INDEX.json").read_text()):
                if "zenodo.org" not in entry["request_uri"]:
                    continue
                body = (folder / entry["file"]).read_bytes()
                self.responses[_key(urlsplit(entry["request_uri"]).query)] = (entry["status"], body)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                parts = urlsplit(self.path)
                if parts.path in server.routes:
                    status, headers, body = server.routes[parts.path]
                elif parts.path == "/oai2d" and _key(parts.query) in server.responses:
                    status, body = server.responses[_key(parts.query)]
                    headers = {"Content-Type": "text/xml; charset=utf-8"}
                else:
                    status, headers, body = 404, {"Content-Type": "text/plain"}, b"not recorded"
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> ReplayServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
