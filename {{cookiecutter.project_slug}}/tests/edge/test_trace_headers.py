"""edge/trace_headers.py: a caller's trace headers count only when every caller is the
project's own; by default no client can force a trace (served through core.wsgi)."""

import pytest

from tests.routes import urlpatterns  # noqa: F401 (served_client serves this module's routes)

TRACE_ID = "771a43a4192642f0b136d5159a501700"
PARENT_SPAN_ID = "b0e6f15b45c36b12"


@pytest.mark.django_db
def test_callers_trace_and_sampling_decision_are_kept_when_callers_are_trusted(
    start_sentry, served_client, settings
):
    settings.SENTRY_TRUST_INCOMING_TRACES = True
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="0")

    served_client.get("/query/", headers={"sentry-trace": f"{TRACE_ID}-{PARENT_SPAN_ID}-1"})
    served_client.get("/query/", headers={"sentry-trace": f"{TRACE_ID}-{PARENT_SPAN_ID}-0"})
    served_client.get("/broken/", headers={"sentry-trace": f"{TRACE_ID}-{PARENT_SPAN_ID}-0"})

    [trace] = transport.segments()
    assert (trace["trace_id"], trace["parent_span_id"]) == (TRACE_ID, PARENT_SPAN_ID)
    assert transport.events[0]["contexts"]["trace"]["trace_id"] == TRACE_ID


@pytest.mark.parametrize(
    "headers",
    [
        {"sentry-trace": f"{TRACE_ID}-{PARENT_SPAN_ID}-1"},
        {"sentry-trace": f"{TRACE_ID}-{PARENT_SPAN_ID}", "baggage": "sentry-sample_rand=0.000001"},
        {
            "sentry-trace": f"{TRACE_ID}-{PARENT_SPAN_ID}-1",
            "baggage": "sentry-sample_rate=1,sentry-sampled=true",
        },
    ],
)
@pytest.mark.django_db
def test_a_client_cannot_force_a_trace_by_default(start_sentry, served_client, headers):
    transport = start_sentry(SENTRY_TRACES_SAMPLE_RATE="0.01")

    for _ in range(20):
        served_client.get("/query/", headers=headers)
    served_client.get("/broken/", headers=headers)

    # At 1% a few may be traced by chance (4 or more: 1 run in 20,000); forced, all 20 are.
    assert len(transport.segments()) < 4
    assert transport.events[0]["contexts"]["trace"]["trace_id"] != TRACE_ID
