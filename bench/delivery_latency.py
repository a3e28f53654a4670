"""Copied into the baked project by bench/run.py: from a raise to the event being
stored and visible in Bugsink.

`python delivery_latency.py DSN API_TOKEN COUNT` starts Sentry as the project does
(observability.sentry, from the environment), then per event: raise, capture, and wait until
Bugsink has answered the SDK's request and its API counts the event. The local Bugsink
digests each event inside the request that delivers it (TASK_ALWAYS_EAGER), so the
event is stored and visible when that answer arrives: that moment is the latency, seen
through the transport `manage.py sentry_check` uses, which sends each envelope as it
is captured and keeps the answer. A poll of
the API then confirms the event is there; a poll costs Bugsink about as much as an
event, so polling alone would mostly measure the polls. An event not yet counted by
then is timed by the poll that finds it.
Prints the latencies (ms) and how many events were visible at the answer, as JSON.
"""

import json
import sys
import time
import urllib.request

import sentry_sdk
from observability.sentry import init_sentry
from ops.management.commands.sentry_check import AnswerRecordingTransport


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
    transport = AnswerRecordingTransport(dsn, timeout=30)
    init_sentry("production", transport=transport)
    answers = transport.answers
    already = digested_events(api, token, project_id)
    latencies, visible_at_answer = [], 0
    for index in range(count):
        started = time.perf_counter()
        try:
            raise ZeroDivisionError(f"delivery latency probe {index}")
        except ZeroDivisionError as error:
            sentry_sdk.capture_exception(error)
        # The transport sent the event and read Bugsink's answer before capture returned.
        visible = time.perf_counter()
        deadline = started + 30
        if answers[index] != 200:
            sys.exit(f"Bugsink refused event {index} (HTTP {answers[index]})")
        while digested_events(api, token, project_id) < already + index + 1:
            if time.perf_counter() > deadline:
                sys.exit(f"event {index} not visible in Bugsink after 30 s")
            time.sleep(0.002)
            visible = None
        latencies.append(((visible or time.perf_counter()) - started) * 1000)
        visible_at_answer += visible is not None
    print(json.dumps({"latencies": latencies, "visible_at_answer": visible_at_answer}))


if __name__ == "__main__":
    main()
