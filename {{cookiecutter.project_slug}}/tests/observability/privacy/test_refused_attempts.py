"""A failed login, a wrong code or an expired key is an answer, never a Sentry event, and
no log line (the process's own nor a Sentry Log) holds what was submitted."""

import logging

import pyotp
import pytest

from core.urls import urlpatterns  # noqa: F401 (wsgi_client serves the project's routes)
from tests.observability.privacy.accounts import (
    RESET_PASSWORD,
    USER_PASSWORD,
    WRONG_PASSWORD,
    Accounts,
    Planted,
    app,
    appears,
    send,
    sent_text,
    start_traced,
)

MADE_UP_KEY = "MQ:1plantedKey:Qx7Yz0madeUpSignature9Ab"


def wrong_password(flow, user):
    body = {"email": user.email, "password": WRONG_PASSWORD}
    return Planted("POST", app("auth/login"), body, {}, [WRONG_PASSWORD])


def unknown_account(flow, user):
    body = {"email": "nobody.planted@example.com", "password": WRONG_PASSWORD}
    return Planted("POST", app("auth/login"), body, {}, [WRONG_PASSWORD, "nobody.planted"])


def wrong_current_password(flow, user):
    token = flow.sign_in(user.email, USER_PASSWORD)
    body = {"current_password": WRONG_PASSWORD, "new_password": RESET_PASSWORD}
    secrets = [token, WRONG_PASSWORD, RESET_PASSWORD]
    return Planted("POST", app("account/password/change"), body, {"X-Session-Token": token}, secrets)


def wrong_second_factor(code_kind):
    def planted(flow, user):
        secret = flow.enable_totp(flow.sign_in(user.email, USER_PASSWORD), USER_PASSWORD)
        pending = flow.sign_in(user.email, USER_PASSWORD)
        # A TOTP code of another secret, or a recovery code of another account.
        code = pyotp.TOTP(pyotp.random_base32()).now() if code_kind == "totp" else "pl4nt3dr"
        headers = {"X-Session-Token": pending}
        return Planted("POST", app("auth/2fa/authenticate"), {"code": code}, headers, [pending, secret, code])

    planted.__name__ = f"wrong_{code_kind}_code"
    return planted


def used_reset_key(flow, user):
    """A reset key of a password that has been changed since: no longer valid."""
    key = flow.reset_key(user.email)
    assert flow.call("POST", app("auth/password/reset"), {"key": key, "password": RESET_PASSWORD})[0] == 401
    body = {"key": key, "password": WRONG_PASSWORD}
    return Planted("POST", app("auth/password/reset"), body, {}, [key, WRONG_PASSWORD])


def made_up_reset_key_in_header(flow, user):
    headers = {"X-Password-Reset-Key": MADE_UP_KEY}
    return Planted("GET", app("auth/password/reset"), None, headers, [MADE_UP_KEY])


def made_up_verification_key(flow, user):
    return Planted("POST", app("auth/email/verify"), {"key": MADE_UP_KEY}, {}, [MADE_UP_KEY])


def made_up_verification_key_in_header(flow, user):
    headers = {"X-Email-Verification-Key": MADE_UP_KEY}
    return Planted("GET", app("auth/email/verify"), None, headers, [MADE_UP_KEY])


ATTEMPTS = [
    wrong_password,
    unknown_account,
    wrong_current_password,
    wrong_second_factor("totp"),
    wrong_second_factor("recovery"),
    used_reset_key,
    made_up_reset_key_in_header,
    made_up_verification_key,
    made_up_verification_key_in_header,
]


@pytest.mark.django_db
@pytest.mark.parametrize("attempt", ATTEMPTS, ids=[attempt.__name__ for attempt in ATTEMPTS])
def test_a_refused_attempt_is_an_answer_and_no_log_holds_what_was_submitted(
    client, make_user, start_sentry, wsgi_client, caplog, attempt
):
    caplog.set_level(logging.DEBUG)
    planted = attempt(Accounts(client), make_user("ada@example.com", password=USER_PASSWORD))
    transport = start_traced(start_sentry, SENTRY_LOG_EVENT_LEVEL="WARNING")
    control = f"control-{attempt.__name__}"

    status = send(wsgi_client, planted, control)

    assert 400 <= status < 500 and status != 404
    assert transport.events == []
    sent = sent_text(transport)
    assert [secret for secret in planted.secrets if appears(secret, sent)] == []
    assert [secret for secret in planted.secrets if appears(secret, caplog.text)] == []
    [segment] = transport.segments()
    assert segment["attributes"]["url.full"].endswith(f"page={control}")
