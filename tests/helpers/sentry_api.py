"""A stand-in for the part of Sentry's web API that sentry-cli's release commands call,
on a free loopback port: it records each request and answers as Sentry does, so the
generated workflow's own release step can run against it (`SENTRY_URL`)."""

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ORGANIZATION = r"^/api/0/organizations/[^/]+"
RELEASES = re.compile(rf"{ORGANIZATION}/releases/$")
RELEASE = re.compile(rf"{ORGANIZATION}/releases/(?P<version>[^/]+)/$")
PREVIOUS = re.compile(rf"{ORGANIZATION}/releases/[^/]+/previous-with-commits/$")
DEPLOYS = re.compile(rf"{ORGANIZATION}/releases/[^/]+/deploys/$")
REPOS = re.compile(rf"{ORGANIZATION}/repos/$")


def release(version):
    """A release as Sentry's API returns it, with the fields sentry-cli reads."""
    return {
        "version": version,
        "shortVersion": version[:12],
        "ref": None,
        "url": None,
        "dateCreated": "2026-01-01T00:00:00Z",
        "dateReleased": None,
        "lastEvent": None,
        "newGroups": 0,
        "projects": [],
        "lastCommit": None,
        "commitCount": 0,
        "deployCount": 0,
        "authors": [],
    }


class Request:
    def __init__(self, method, path, authorization, body):
        self.method, self.path, self.authorization, self.body = method, path, authorization, body

    def __repr__(self):
        return f"{self.method} {self.path}"


class SentryApi:
    """Sentry's release API for an organization with no repository integration."""

    def __init__(self):
        self.requests = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                path = self.path.partition("?")[0]
                api.requests.append(Request(self.command, path, self.headers.get("Authorization"), body))
                status, payload = api.respond(self.command, path, body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def respond(self, method, path, body):
        if method == "GET" and REPOS.match(path):
            return 200, []  # no repository integration: sentry-cli reads the local git history
        if method == "GET" and PREVIOUS.match(path):
            return 200, {}  # the first release: no previous one
        if method == "POST" and RELEASES.match(path):
            return 201, release(body["version"])
        if method == "PUT" and (match := RELEASE.match(path)):
            return 200, release(match["version"])
        if method == "POST" and DEPLOYS.match(path):
            return 201, {"id": "1", "name": None, "url": None, "dateStarted": None, **body}
        return 404, {"detail": "The requested resource does not exist"}

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
