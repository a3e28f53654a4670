"""A local Sentry envelope sink for the benchmark, run in its own process: it answers
every envelope at once, counts them and the events in them, and reports both on GET.
`python sink.py PORT [--black-hole]`, run in a baked project (it reads envelopes with
the SDK's own envelope parser): with --black-hole it accepts connections and never
answers, as a Sentry host whose network has gone silent."""

import gzip
import json
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sentry_sdk.envelope import Envelope


class Sink(ThreadingHTTPServer):
    daemon_threads = True
    events = 0
    envelopes = 0
    lock = threading.Lock()


class SinkHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes on a kept-alive connection: with Nagle's
    # algorithm the body waits for the client's delayed ACK, 40 ms per envelope.
    disable_nagle_algorithm = True

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        events = sum(1 for item in Envelope.deserialize(body).items if item.type == "event")
        with self.server.lock:
            self.server.events += events
            self.server.envelopes += 1
        self.reply(b"{}")

    def do_GET(self):
        self.reply(json.dumps({"events": self.server.events, "envelopes": self.server.envelopes}).encode())

    def reply(self, body):
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


def black_hole(port):
    listener = socket.create_server(("127.0.0.1", port))
    held = []
    while True:
        connection, _ = listener.accept()
        held.append(connection)  # never read, never answered, never closed


if __name__ == "__main__":
    port = int(sys.argv[1])
    if "--black-hole" in sys.argv:
        black_hole(port)
    else:
        Sink(("127.0.0.1", port), SinkHandler).serve_forever()
