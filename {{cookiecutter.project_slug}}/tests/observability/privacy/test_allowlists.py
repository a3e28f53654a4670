"""observability/privacy/allowlists.py: what is known safe, and how a project allows more."""

import pytest

from tests.observability.privacy.planted import (
    fail_with_everything_planted,
    urlpatterns,  # noqa: F401 (wsgi_client serves them)
)


@pytest.mark.django_db
@pytest.mark.parametrize("allowed", [False, True])
def test_a_project_allows_more_names_in_one_variable_each(
    start_sentry, plant_environment, wsgi_client, allowed
):
    variables = {
        "SENTRY_ALLOWED_HEADERS": "X-Client-Version",
        "SENTRY_ALLOWED_QUERY_PARAMETERS": "status",
        "SENTRY_ALLOWED_BODY_FIELDS": "note",
    }
    transport = start_sentry(**(variables if allowed else {}))

    fail_with_everything_planted(wsgi_client, "json")

    request = transport.events[0]["request"]
    sent = (
        request["headers"]["X-Client-Version"],
        "status=control-status" in request["query_string"],
        request["data"]["note"],
    )
    if allowed:
        assert sent == ("planted-header-unlisted-custom", True, "planted-body-free-text")
    else:
        assert sent == ("[Filtered]", False, "[Filtered]")
    # An allowed name is still judged by the rules: a credential's name never lets it through.
    assert request["data"]["passwort"] == "[Filtered]"
