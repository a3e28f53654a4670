"""edge/head.py: a HEAD request gets a GET's headers and no body, and ends its request
as a server ends it."""

import pytest
from django.core.signals import request_finished

from tests.routes import urlpatterns  # noqa: F401 (served_client serves this module's routes)


@pytest.mark.django_db
def test_a_head_request_is_answered_without_a_body(start_sentry, served_client):
    transport = start_sentry()
    finished = []

    def record_finished(**kwargs):
        finished.append(kwargs)

    request_finished.connect(record_finished)
    try:
        head = served_client.serve(served_client.factory.head("/query/", {"q": "x"}).environ)
    finally:
        request_finished.disconnect(record_finished)

    assert head == (200, b"")
    assert len(finished) == 1  # closed as a server closes it, so Django ended the request
    assert served_client.get("/query/", {"q": "x"}) == (200, b"x")  # the control: GET has the body
    assert transport.events == []
