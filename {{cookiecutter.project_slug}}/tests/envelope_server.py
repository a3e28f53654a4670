"""A minimal Sentry ingest endpoint on loopback: it answers every envelope with a
chosen HTTP status and keeps what it received, so tests can read what really went
over the wire."""

import gzip
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class EnvelopeServer(ThreadingHTTPServer):
    def __init__(self, status=200):
        super().__init__(("127.0.0.1", 0), EnvelopeHandler)
        self.status = status
        self.envelopes = []
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    def dsn(self, project_id=42):
        return f"http://public-key@127.0.0.1:{self.server_port}/{project_id}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.shutdown()
        self.server_close()


class EnvelopeHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.server.envelopes.append(body)
        self.send_response(self.server.status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format, *args):
        pass  # keep the test output to what the tests print
