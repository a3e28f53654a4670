"""Accounts through allauth's headless API, as a browser (session cookie and CSRF token)
and as an app (X-Session-Token): sign-up, the mailed link, sign-in, sign-out and a new
password. Each test runs once per client."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail

from tests.accounts_client import (
    NEW_PASSWORD,
    PASSWORD,
    VERIFY_EMAIL_PAGE,
    AccountsClient,
    error_codes,
    pending_flows,
    signs_in,
)
{%- if cookiecutter.api_framework == "none" %}
from tests.conftest import DEPLOYED_ENVIRONMENT, run_django

ACCOUNTS_SCHEMA_STATUS = """
from django.test import Client
print(Client().get("/_allauth/openapi.json", secure=True).status_code)
"""
{%- endif %}


def test_sign_up_mails_a_link_to_the_frontend_and_its_key_verifies_the_address(accounts, settings):
    signed_up = accounts.sign_up("ada@example.com")

    # Nobody signs in before following the link.
    assert signed_up.status_code == 401
    assert pending_flows(signed_up) == ["verify_email"]
    [message] = mail.outbox
    assert message.to == ["ada@example.com"]
    assert settings.FRONTEND_URL + VERIFY_EMAIL_PAGE in message.body
    assert not EmailAddress.objects.get(email="ada@example.com").verified

    accounts.verify_email()

    assert EmailAddress.objects.get(email="ada@example.com").verified


def test_the_address_must_be_verified_before_signing_in(accounts):
    accounts.sign_up("ada@example.com")

    refused = accounts.log_in("ada@example.com")
    assert refused.status_code == 401
    assert pending_flows(refused) == ["verify_email"]
    assert not accounts.is_signed_in()

    accounts.verify_email()
    signed_in = accounts.log_in("ada@example.com")

    assert signed_in.status_code == 200
    assert signed_in.json()["data"]["user"]["email"] == "ada@example.com"


def test_a_key_that_was_tampered_with_verifies_nothing(accounts):
    accounts.sign_up("ada@example.com")

    response = accounts.post("auth/email/verify", {"key": "MQ:1forged:forged-signature"})

    assert response.status_code == 400
    assert not EmailAddress.objects.get(email="ada@example.com").verified


def test_a_signed_in_user_has_a_session_until_signing_out(accounts, make_user):
    make_user("ada@example.com")
    assert not accounts.is_signed_in()

    accounts.log_in("ada@example.com")
    session = accounts.get("auth/session")

    assert session.status_code == 200
    assert session.json()["data"]["user"]["email"] == "ada@example.com"

    assert accounts.log_out().status_code == 401  # allauth's answer: nobody is signed in
    assert not accounts.is_signed_in()


def test_the_app_token_ends_with_the_session(make_user):
    make_user("ada@example.com")
    app = AccountsClient("app")
    app.log_in("ada@example.com")
    token = app.session_token

    app.log_out()

    later = AccountsClient("app")
    later.session_token = token
    assert not later.is_signed_in()


def test_a_wrong_password_is_refused_with_a_reason(accounts, make_user):
    make_user("ada@example.com")

    response = accounts.log_in("ada@example.com", "not the password")

    assert response.status_code == 400
    assert error_codes(response) == ["email_password_mismatch"]
    assert not accounts.is_signed_in()


def test_a_signed_in_user_changes_the_password(accounts, make_user):
    make_user("ada@example.com")
    accounts.log_in("ada@example.com")

    response = accounts.post(
        "account/password/change", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 200
    assert not signs_in(accounts.kind, "ada@example.com")
    assert signs_in(accounts.kind, "ada@example.com", NEW_PASSWORD)


def test_the_password_change_needs_the_current_one(accounts, make_user):
    make_user("ada@example.com")
    accounts.log_in("ada@example.com")

    response = accounts.post(
        "account/password/change", {"current_password": "not the password", "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 400
    assert get_user_model().objects.get().check_password(PASSWORD)


def test_an_address_signs_up_once_whatever_its_case(accounts, make_user):
    make_user("ada@example.com")

    accounts.sign_up("ADA@example.com")

    # allauth answers as for a new address, so nobody learns who has an account; the
    # owner gets a mail saying so instead of a second account.
    assert list(get_user_model().objects.values_list("email", flat=True)) == ["ada@example.com"]
    assert [message.to for message in mail.outbox] == [["ada@example.com"]]
    assert "already exists" in mail.outbox[0].body
    assert VERIFY_EMAIL_PAGE not in mail.outbox[0].body


def test_signing_in_takes_the_address_in_any_case(accounts, make_user):
    make_user("ada@example.com")

    assert accounts.log_in("ADA@Example.COM").status_code == 200
    assert accounts.get("auth/session").json()["data"]["user"]["email"] == "ada@example.com"
{%- if cookiecutter.api_framework == "none" %}


# With an API framework, tests/api/test_docs.py checks this beside the API's schema.
def test_the_accounts_api_schema_is_served_outside_production_only(client):
    assert client.get("/_allauth/openapi.json").status_code == 200
    assert run_django(ACCOUNTS_SCHEMA_STATUS, "production", **DEPLOYED_ENVIRONMENT) == "404"
{%- endif %}
