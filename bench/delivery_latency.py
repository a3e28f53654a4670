"""Copied into the baked project by bench/run.py: from a raise to the event being
visible in Bugsink's API.

`python delivery_latency.py DSN API_TOKEN COUNT` starts Sentry as the project does
(core.sentry, from the environment), then per event: raise, capture, and poll Bugsink
until the project's digested count includes it. Prints the latencies (ms) as JSON."""

import json
import sys
import time
import urllib.request

import sentry_sdk
from core.sentry import init_sentry


def digested_events(api, token, project_id):
    request = urllib.request.Request(
        f"{api}projects/{project_id}/", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["digested_event_count"]


def main():
    dsn, token, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    host, project_id = dsn.split("@", 1)[1].rsplit("/", 1)
    api = f"http://{host}/api/canonical/0/"
    init_sentry("production")
    already = digested_events(api, token, project_id)
    latencies = []
    for index in range(count):
        started = time.perf_counter()
        try:
            raise ZeroDivisionError(f"delivery latency probe {index}")
        except ZeroDivisionError as error:
            sentry_sdk.capture_exception(error)
        deadline = started + 30
        while digested_events(api, token, project_id) < already + index + 1:
            if time.perf_counter() > deadline:
                sys.exit(f"event {index} not visible in Bugsink after 30 s")
            time.sleep(0.002)
        latencies.append((time.perf_counter() - started) * 1000)
    print(json.dumps(latencies))


if __name__ == "__main__":
    main()
