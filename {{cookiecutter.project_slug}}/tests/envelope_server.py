"""A minimal Sentry ingest endpoint on loopback: it answers every envelope with a
chosen HTTP status (after an optional delay) and keeps what it received, so tests
can read what really went over the wire."""

import gzip
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def envelope_items(body):
    """(item header, payload) pairs of one envelope, as the envelope format lays them
    out: a header line, then per item a header line and its payload."""
    rest = body.split(b"\n", 1)[1]
    while rest.strip():
        header_line, rest = rest.split(b"\n", 1)
        header = json.loads(header_line)
        if "length" in header:
            payload, rest = rest[: header["length"]], rest[header["length"] + 1 :]
        else:
            payload, _, rest = rest.partition(b"\n")
        yield header, payload


class EnvelopeServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, status=200, delay=0.0):
        super().__init__(("127.0.0.1", 0), EnvelopeHandler)
        self.status = status
        self.delay = delay
        self.envelopes = []
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    def dsn(self, project_id=42):
        return f"http://public-key@127.0.0.1:{self.server_port}/{project_id}"

    def items(self, item_type):
        return [
            json.loads(payload)
            for envelope in list(self.envelopes)
            for header, payload in envelope_items(envelope)
            if header.get("type") == item_type
        ]

    def events(self):
        return self.items("event")

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.shutdown()
        self.server_close()


class EnvelopeHandler(BaseHTTPRequestHandler):
    server: EnvelopeServer

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        time.sleep(self.server.delay)
        self.server.envelopes.append(body)
        self.send_response(self.server.status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format, *args):
        pass  # keep the test output to what the tests print
