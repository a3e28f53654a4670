"""core/asgi.py called as an ASGI server calls it: lifespan, the health probe and
undecodable charsets answered before Django, HEAD answered without a body, and a
caller's trace headers kept from Sentry unless callers are trusted.
(The template's own suite serves it under uvicorn over real HTTP.)"""

import asyncio
import json

from core.asgi import application

TRACE_ID = "771a43a4192642f0b136d5159a501700"


def call(scope, messages=({"type": "http.request", "body": b"", "more_body": False},)):
    """Run the application on one scope; the messages it sent back."""
    incoming, sent = list(messages), []

    async def receive():
        if incoming:
            return incoming.pop(0)
        await asyncio.Event().wait()  # a client that stays connected until the answer

    async def send(message):
        sent.append(message)

    asyncio.run(application(scope, receive, send))
    return sent


def http_scope(path, headers=(), method="GET"):
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"log=warning",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 50000),
    }


def test_server_start_up_and_shutdown_are_acknowledged():
    sent = call({"type": "lifespan"}, [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])

    assert [message["type"] for message in sent] == [
        "lifespan.startup.complete",
        "lifespan.shutdown.complete",
    ]


def test_health_probe_is_answered_before_django_and_sentry(start_sentry, transactional_db):
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="1")

    start, body = call(http_scope("/api/health/"))

    assert start["status"] == 200 and (b"cache-control", b"no-store") in start["headers"]
    assert json.loads(body["body"]) == {"status": "ok", "database": "ok"}
    assert transport.envelopes == []


def test_a_callers_trace_headers_count_only_when_callers_are_trusted(start_sentry, settings):
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="0")
    sampled = [(b"sentry-trace", f"{TRACE_ID}-b0e6f15b45c36b12-1".encode())]

    call(http_scope("/api/sentry-debug/", sampled))
    settings.SENTRY_TRUST_INCOMING_TRACES = True
    call(http_scope("/api/sentry-debug/", sampled))

    [untrusted, trusted] = transport.events
    assert untrusted["contexts"]["trace"]["trace_id"] != TRACE_ID
    assert trusted["contexts"]["trace"]["trace_id"] == TRACE_ID
    [trace] = transport.segments()
    assert trace["trace_id"] == TRACE_ID


def test_a_head_request_gets_the_headers_of_a_get_and_no_body(start_sentry):
    transport = start_sentry()

    head_start, *head_body = call(http_scope("/no-such-page/", method="HEAD"))
    get_start, *get_body = call(http_scope("/no-such-page/"))

    assert head_start["status"] == get_start["status"] == 404
    assert dict(head_start["headers"])[b"Content-Length"] == dict(get_start["headers"])[b"Content-Length"]
    assert [message["body"] for message in head_body] == [b""]
    assert b"Not Found" in b"".join(message["body"] for message in get_body)  # the control
    assert transport.events == []


def test_a_request_in_a_charset_django_cannot_decode_is_a_400_and_no_event(start_sentry):
    transport = start_sentry()

    refused, _ = call(http_scope("/no-such-page/", [(b"content-type", b"text/plain; charset=hex")]))
    read, _ = call(http_scope("/no-such-page/", [(b"content-type", b"text/plain; charset=utf-8")]))

    assert (refused["status"], read["status"]) == (400, 404)
    assert transport.events == []
