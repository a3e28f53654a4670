"""observability/privacy/names.py: what a field name says."""

import pytest

from observability.privacy.names import name_kind


@pytest.mark.parametrize(
    "name, kind",
    [
        ("password", "credential"),
        ("userPassword", "credential"),
        ("passwort", "credential"),
        ("X-Auth-Token", "credential"),
        ("csrfmiddlewaretoken", "credential"),
        ("new_pass", "credential"),
        ("api_key", "credential"),
        ("MASTERKEY", "credential"),
        ("STRIPE_SK", "credential"),
        ("SMTP_PW", "credential"),
        ("SLACK_WEBHOOK", "credential"),
        ("PHPSESSID", "credential"),
        ("card_no", "credential"),
        ("SAMLResponse", "credential"),
        ("emailAddress", "personal"),
        ("ip_address", "personal"),
        ("msisdn", "personal"),
        ("date_of_birth", "personal"),
        ("passportNumber", "personal"),
        ("HTTP_CF_CONNECTING_IP", "personal"),
        # Controls: the short parts only count as whole parts.
        ("compass", None),
        ("spinner", None),
        ("author", None),
        ("page", None),
    ],
)
def test_field_names_are_matched_by_their_parts(name, kind):
    assert name_kind(name) == kind
