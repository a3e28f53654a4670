"""A PostgreSQL bake served the production way: `make serve` (gunicorn, whitenoise, JSON
logs with request ids), and a bounded burst of real requests against two workers with
a capturing Sentry endpoint on loopback: nothing lost, a clean SIGTERM."""

import json
import os
import signal
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from tests.helpers.bake import DEPLOYED_ENVIRONMENT, envelope_server
from tests.helpers.processes import free_port, start_server, stop_server, wait_for
from tests.helpers.project_commands import project_environment

# Bounds of the burst: request count, parallel clients, and seconds for each request.
BURST_REQUESTS = 600
PARALLEL_CLIENTS = 8
REQUEST_TIMEOUT = 30
# The SDK queues at most this many envelopes per worker (transport_queue_size): a burst
# that outruns the Sentry endpoint by more than this in one worker drops the excess.
# Against a local endpoint the queue never fills, so nothing may be lost here.
SDK_QUEUE_SIZE = 100


def get(url, headers=None):
    """(status, headers, body) of a GET over real HTTP."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_make_serve_answers_with_static_files_and_json_logs(
    postgresql_project, project_python, postgres, tmp_path
):
    port = free_port()
    variables = {
        "DATABASE_URL": postgres.create_database("serve_db"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "SENTRY_DEBUG_ROUTE_ENABLED": "true",
    }
    # The Makefile installs into VENV only when its marker is older than pyproject.toml and uv.lock.
    (project_python.parent.parent / ".installed").touch()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    server = start_server(
        ["make", "serve", f"VENV={project_python.parent.parent}"],
        url + "/api/health/",
        log,
        cwd=postgresql_project,
        env=project_environment(**variables),
    )
    try:
        # Plain HTTP, as a load balancer probes: no redirect to HTTPS.
        status, _, body = get(url + "/api/health/")
        assert (status, json.loads(body)) == (200, {"status": "ok", "database": "ok"})

        manifest = json.loads((postgresql_project / "staticfiles" / "staticfiles.json").read_text())
        hashed = manifest["paths"]["admin/css/base.css"]
        static_files = postgresql_project / "staticfiles"
        assert hashed != "admin/css/base.css" and (static_files / f"{hashed}.gz").is_file()
        status, headers, _ = get(
            f"{url}/static/{hashed}", {"Accept-Encoding": "gzip", "X-Forwarded-Proto": "https"}
        )
        assert (status, headers["Content-Encoding"]) == (200, "gzip")
        assert "max-age=315360000" in headers["Cache-Control"]

        https = {"X-Forwarded-Proto": "https", "X-Request-ID": "probe-1234"}
        status, headers, _ = get(url + "/api/sentry-debug/?log=warning", https)
        assert (status, headers["X-Request-ID"]) == (200, "probe-1234")
        # gunicorn writes the access line after the response has gone out.
        wait_for(
            lambda: any(
                "request_id=probe-1234" in line and "status=200" in line
                for line in log.read_text().splitlines()
            ),
            what="the access log line of the request",
        )
    finally:
        stop_server(server)

    app_lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    [called] = [line for line in app_lines if line["message"].startswith("Sentry debug route called")]
    assert (called["level"], called["request_id"]) == ("INFO", "probe-1234")


def test_burst_against_two_workers_loses_no_event_and_stops_cleanly(
    postgresql_project, project_python, postgres, tmp_path
):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with envelope_server(postgresql_project).EnvelopeServer() as sentry:
        variables = {
            **DEPLOYED_ENVIRONMENT,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": postgres.create_database("burst_db"),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "2",
            "SENTRY_DSN": sentry.dsn(),
            "SENTRY_DEBUG_ROUTE_ENABLED": "true",
        }
        gunicorn = start_server(
            [project_python, "-m", "gunicorn", "--config", "gunicorn.conf.py", "core.wsgi"],
            url + "/api/health/",
            tmp_path / "gunicorn.log",
            cwd=postgresql_project,
            env=project_environment("production", **variables),
        )
        try:
            paths = ["/api/sentry-debug/" if n % 3 == 0 else "/api/health/" for n in range(BURST_REQUESTS)]
            https = {"X-Forwarded-Proto": "https"}
            with ThreadPoolExecutor(PARALLEL_CLIENTS) as clients:
                statuses = list(clients.map(lambda path: (path, get(url + path, https)[0]), paths))
            failed_debug = sum(
                1 for path, status in statuses if path == "/api/sentry-debug/" and status == 500
            )

            assert [s for path, s in statuses if path == "/api/health/" and s != 200] == []
            assert failed_debug == paths.count("/api/sentry-debug/")
            wait_for(
                lambda: len(sentry.events()) >= failed_debug, what=f"{failed_debug} events at the endpoint"
            )
            events = sentry.events()
            assert len({event["event_id"] for event in events}) == len(events) == failed_debug
            assert {event["exception"]["values"][0]["type"] for event in events} == {"ZeroDivisionError"}
            assert len({event["tags"]["gunicorn.worker_pid"] for event in events}) == 2

            # Errors still queued when SIGTERM arrives are sent before the workers exit.
            sentry.delay = 0.05
            with ThreadPoolExecutor(PARALLEL_CLIENTS) as clients:
                late = list(clients.map(lambda _: get(url + "/api/sentry-debug/", https)[0], range(40)))
            os.killpg(gunicorn.pid, signal.SIGTERM)
            assert gunicorn.wait(timeout=60) == 0
            assert late == [500] * 40
            assert len(sentry.events()) == failed_debug + 40
        finally:
            stop_server(gunicorn)
