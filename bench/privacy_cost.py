"""Copied into a baked project by bench/run.py: what the privacy filter costs per event
and per span, for a typical error and for the worst request an anonymous client can
send.

`python privacy_cost.py typical|worst [REPEATS]` serves the request below through
core.wsgi in this process, with Sentry started through observability.sentry and its
privacy filter letting everything through, so the transport receives the events and
spans as the SDK hands them to the filter. It then times a new filter, as
observability.sentry builds it, on copies of them (before_send on the events,
before_send_span on the spans) beside the SDK's own EventScrubber on the same events
(what a project without ours would run; the SDK has none for streamed spans), and prints
the medians in ms as JSON.

- typical: the debug route's ZeroDivisionError, with a browser's headers.
- worst: gunicorn's largest request head (a 4 kB request line, 100 headers of 8,190
  bytes: its limit_request_line, limit_request_fields and limit_request_field_size),
  every header the allowlists let through filled with what costs the rules most per
  character, and a body near Django's largest (2.5 MB, DATA_UPLOAD_MAX_MEMORY_SIZE) of
  600 distinct strings, to a view that parses it into a variable and fails.
"""

import copy
import functools
import json
import os
import statistics
import sys
import time

os.environ["SENTRY_DSN"] = "http://bench@127.0.0.1:9/1"  # never contacted
os.environ["SENTRY_TRACES_SAMPLE_RATE"] = "1"

import observability.sentry  # noqa: E402
import sentry_sdk  # noqa: E402
from observability.client_faults import drop_client_caused  # noqa: E402
from observability.config import read_config  # noqa: E402
from observability.privacy import PrivacyFilter  # noqa: E402
from observability.privacy.allowlists import REQUEST_HEADERS  # noqa: E402
from sentry_sdk.scrubber import EventScrubber  # noqa: E402
from sentry_sdk.transport import Transport  # noqa: E402

BROWSER_HEADERS = {
    "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126 Safari/537.36",
    "HTTP_ACCEPT": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9",
    "HTTP_COOKIE": "sessionid=abcdefghijklmnopqrstuvwxyz012345; csrftoken=" + "c" * 32,
}
# Pieces of text that cost the rules most per character: many matches, each a call into
# the rules, or ("[") many starts of a pair that never ends.
COSTLY = ["[", "a: ", "('a', ", "a@b.", '"a" ', "{'name': 'a', 'value': "]
# The headers the project lets through, but for Host and the content headers, which the
# request needs.
ALLOWED_HEADERS = sorted(REQUEST_HEADERS - {"host", "content-length", "content-type"})
HEADERS_PER_REQUEST = 100 - 3  # gunicorn's limit_request_fields, less Host and the content headers


def filled(size, index):
    piece = COSTLY[index % len(COSTLY)]
    return (piece * (size // len(piece) + 1))[:size]


def worst_headers():
    fillers = [f"x-filler-{n}" for n in range(HEADERS_PER_REQUEST - len(ALLOWED_HEADERS))]
    return {
        f"HTTP_{name.upper().replace('-', '_')}": filled(8190, n)
        for n, name in enumerate(ALLOWED_HEADERS + fillers)
    }


# Distinct strings, nested as deep and wide as the SDK sends a variable (10 a level), in
# a body without the "items" the view looks for: its variable holds all of it.
WORST_BODY = json.dumps(
    {
        f"k{a}": {f"k{b}": [f"{a}{b}{c}" + filled(3700, a + b + c) for c in range(10)] for b in range(10)}
        for a in range(6)
    }
)
WORST_QUERY = "?" + filled(4000, 0).replace(" ", "%20")


class KeepingTransport(Transport):
    """Keeps every envelope item the SDK hands over."""

    def __init__(self):
        super().__init__()
        self.items = []

    def capture_envelope(self, envelope):
        self.items.extend(envelope.items)

    def payloads(self, item_type):
        return [item.payload.json for item in self.items if item.type == item_type]


class LettingThrough(PrivacyFilter):
    """The filter observability.sentry builds, out of the way of what the SDK sends."""

    def __call__(self, event, hint):
        return event

    def span(self, span, hint):
        return span


TRANSPORT = KeepingTransport()


def capture(request):
    """The events and spans one request makes, as the filter gets them."""
    from core.wsgi import application

    response = application(request.environ, lambda status, headers: None)
    b"".join(response)
    response.close()
    sentry_sdk.flush()
    spans = [
        {**span, "attributes": {name: typed["value"] for name, typed in span.get("attributes", {}).items()}}
        for batch in TRANSPORT.payloads("span")
        for span in batch["items"]
    ]
    return TRANSPORT.payloads("event"), spans


def new_filter():
    """A filter as observability.sentry builds it, with nothing remembered yet."""
    config = read_config("production")
    return PrivacyFilter.from_environment(config.allowlists, personal_data=config.send_personal_data)


def timed(make_function, items, repeats):
    """Median ms of CPU in this thread, over `repeats`, of a new function on a fresh copy
    of every item: a neighbour on this shared machine takes time, not this thread's CPU."""
    times = []
    for _ in range(repeats):
        function = make_function()
        copies = copy.deepcopy(items)
        started = time.thread_time()
        for item in copies:
            function(item, {})
        times.append((time.thread_time() - started) * 1000)
    return statistics.median(times)


def sdk_scrubber():
    scrubber = EventScrubber()
    return lambda event, hint: scrubber.scrub_event(event)


def main():
    which, repeats = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 7
    # Replaced before the settings module starts Sentry through observability.sentry.
    observability.sentry.PrivacyFilter = LettingThrough
    start = observability.sentry.init_sentry
    observability.sentry.init_sentry = functools.partial(start, transport=TRANSPORT)
    from django.test import RequestFactory

    factory = RequestFactory(HTTP_HOST="127.0.0.1")
    if which == "typical":
        request = factory.get("/api/sentry-debug/?page=2", **BROWSER_HEADERS)
    else:
        request = factory.post(
            "/bench/json/" + WORST_QUERY, WORST_BODY, content_type="application/json", **worst_headers()
        )
    events, spans = capture(request)
    print(
        json.dumps(
            {
                "events": len(events),
                "event_kb": len(json.dumps(events)) / 1000,
                "event_ms": timed(lambda: drop_client_caused(new_filter()), events, repeats),
                "sdk_scrubber_ms": timed(sdk_scrubber, events, repeats),
                "spans": len(spans),
                "span_ms": timed(lambda: new_filter().span, spans, repeats),
            }
        )
    )


if __name__ == "__main__":
    main()
