"""The account flows' secrets never reach Sentry: each request to allauth's headless API
that holds a password, a session or CSRF token, a mailed key, a TOTP code or secret, or a
recovery code fails for real (a hook on allauth's signal, the mail server, the project's
code after the answer) with Sentry tracing, logging and breadcrumbs on. None of the
secrets is in what the SDK sent, nor in a log line; the harmless values beside them are."""

import pyotp
import pytest
from allauth.account import signals as account_signals  # type: ignore[import-untyped,unused-ignore]
from django.conf import settings
from django.db.models.signals import pre_save

from core.urls import urlpatterns  # noqa: F401 (wsgi_client serves the project's routes)
from tests.observability.privacy import failures
from tests.observability.privacy.accounts import (
    NEW_EMAIL,
    NEW_PASSWORD,
    RESET_PASSWORD,
    SIGN_UP_PASSWORD,
    USER_PASSWORD,
    Accounts,
    Planted,
    app,
    appears,
    browser,
    send,
    sent_text,
    start_traced,
)

# Django takes a CSRF secret of 32 letters and digits from the client's cookie.
CSRF_TOKEN = "plantedCsrfSecret0123456789abcde"
# How each request fails: the mail server, the project's code after allauth answered,
# or a hook on a signal (allauth's, or a model's save).
MAIL = "mail"
AFTER = "after the answer"


def sign_up(flow, user):
    body = {"email": NEW_EMAIL, "password": SIGN_UP_PASSWORD}
    return Planted("POST", app("auth/signup"), body, {}, [SIGN_UP_PASSWORD], MAIL)


def log_in(flow, user):
    body = {"email": user.email, "password": USER_PASSWORD}
    return Planted("POST", app("auth/login"), body, {}, [USER_PASSWORD], account_signals.user_logged_in)


def log_in_answered(flow, user):
    """The answer holds the new session token."""
    body = {"email": user.email, "password": USER_PASSWORD}
    return Planted("POST", app("auth/login"), body, {}, [USER_PASSWORD], AFTER)


def change_password_by_token(flow, user):
    token = flow.sign_in(user.email, USER_PASSWORD)
    body = {"current_password": USER_PASSWORD, "new_password": NEW_PASSWORD}
    secrets = [token, USER_PASSWORD, NEW_PASSWORD]
    return Planted(
        "POST", app("account/password/change"), body, {"X-Session-Token": token}, secrets,
        account_signals.password_changed,
    )  # fmt: skip


def change_password_by_session_cookie(flow, user):
    session = flow.browser_session(user)
    cookies = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={CSRF_TOKEN}"
    headers = {"Cookie": cookies, "X-CSRFToken": CSRF_TOKEN}
    body = {"current_password": USER_PASSWORD, "new_password": NEW_PASSWORD}
    secrets = [session, CSRF_TOKEN, USER_PASSWORD, NEW_PASSWORD]
    return Planted(
        "POST", browser("account/password/change"), body, headers, secrets, account_signals.password_changed
    )


def request_reset(flow, user):
    """The mail holds the reset key."""
    return Planted("POST", app("auth/password/request"), {"email": user.email}, {}, [], MAIL)


def reset_by_key(flow, user):
    key = flow.reset_key(user.email)
    body = {"key": key, "password": RESET_PASSWORD}
    return Planted(
        "POST", app("auth/password/reset"), body, {}, [key, RESET_PASSWORD], account_signals.password_reset
    )


def reset_key_in_header(flow, user):
    key = flow.reset_key(user.email)
    return Planted("GET", app("auth/password/reset"), None, {"X-Password-Reset-Key": key}, [key], AFTER)


def verify_by_key(flow, user):
    key = flow.sign_up(NEW_EMAIL, SIGN_UP_PASSWORD)
    return Planted("POST", app("auth/email/verify"), {"key": key}, {}, [key], account_signals.email_confirmed)


def verification_key_in_header(flow, user):
    key = flow.sign_up(NEW_EMAIL, SIGN_UP_PASSWORD)
    return Planted("GET", app("auth/email/verify"), None, {"X-Email-Verification-Key": key}, [key], AFTER)


def offered_totp_secret(flow, user):
    """The answer holds the secret of the TOTP to set up."""
    token = flow.sign_in(user.email, USER_PASSWORD)
    flow.offered_totp_secret(token, USER_PASSWORD)
    headers = {"X-Session-Token": token}
    return Planted("GET", app("account/authenticators/totp"), None, headers, [token], AFTER)


def activate_totp(flow, user):
    token = flow.sign_in(user.email, USER_PASSWORD)
    secret = flow.offered_totp_secret(token, USER_PASSWORD)
    code = pyotp.TOTP(secret).now()
    return Planted(
        "POST", app("account/authenticators/totp"), {"code": code}, {"X-Session-Token": token},
        # allauth's authenticator_added is sent once the transaction commits: the write
        # itself fails instead, with the activation's frames below it.
        [token, secret, code], pre_save,
    )  # fmt: skip


def listed_recovery_codes(flow, user):
    """The answer holds the recovery codes."""
    token = flow.sign_in(user.email, USER_PASSWORD)
    secret = flow.enable_totp(token, USER_PASSWORD)
    path = app("account/authenticators/recovery-codes")
    return Planted("GET", path, None, {"X-Session-Token": token}, [token, secret], AFTER)


def second_factor(code_kind):
    def planted(flow, user):
        token = flow.sign_in(user.email, USER_PASSWORD)
        secret = flow.enable_totp(token, USER_PASSWORD)
        codes = flow.recovery_codes(token)
        code = codes[0] if code_kind == "recovery" else pyotp.TOTP(secret).now()
        pending = flow.sign_in(user.email, USER_PASSWORD)
        return Planted(
            "POST", app("auth/2fa/authenticate"), {"code": code}, {"X-Session-Token": pending},
            [token, pending, secret, code, *codes], account_signals.user_logged_in,
        )  # fmt: skip

    planted.__name__ = f"second_factor_by_{code_kind}_code"
    return planted


FLOWS = [
    sign_up,
    log_in,
    log_in_answered,
    change_password_by_token,
    change_password_by_session_cookie,
    request_reset,
    reset_by_key,
    reset_key_in_header,
    verify_by_key,
    verification_key_in_header,
    offered_totp_secret,
    activate_totp,
    listed_recovery_codes,
    second_factor("totp"),
    second_factor("recovery"),
]


@pytest.fixture(autouse=True)
def nothing_kept():
    failures.kept_answers.clear()
    failures.kept_mail.clear()


@pytest.fixture
def fail_by(settings):
    """fail_by(failure): the next request fails that way."""
    connected = []

    def fail(failure):
        if failure == MAIL:
            settings.EMAIL_BACKEND = f"{failures.__name__}.FailingMailBackend"
        elif failure == AFTER:
            failing = f"{failures.__name__}.FailingAfterResponseMiddleware"
            settings.MIDDLEWARE = [*settings.MIDDLEWARE, failing]
        else:
            failure.connect(failures.failing_receiver)
            connected.append(failure)

    yield fail
    for signal in connected:
        signal.disconnect(failures.failing_receiver)


@pytest.fixture
def user(make_user):
    return make_user("ada@example.com", password=USER_PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize("library_frame_variables", ["false", "true"])
@pytest.mark.parametrize("flow", FLOWS, ids=[flow.__name__ for flow in FLOWS])
def test_no_account_secret_reaches_sentry_and_the_controls_do(
    client, user, start_sentry, wsgi_client, fail_by, caplog, flow, library_frame_variables
):
    planted = flow(Accounts(client), user)
    fail_by(planted.failure)
    transport = start_traced(start_sentry, SENTRY_LIBRARY_FRAME_VARIABLES=library_frame_variables)
    control = f"control-{flow.__name__}"

    assert send(wsgi_client, planted, control) == 500

    secrets = [*planted.secrets, *failures.kept_secrets()]
    assert secrets and all(secrets)
    sent = sent_text(transport)
    assert [secret for secret in secrets if appears(secret, sent)] == []
    assert [secret for secret in secrets if appears(secret, caplog.text)] == []
    [event] = transport.events
    assert "control-" in event["exception"]["values"][-1]["value"]
    assert f"page={control}" in event["request"]["query_string"]
    assert sorted(event["request"].get("data") or {}) == sorted(planted.body or {})
    breadcrumbs = [crumb.get("message") or "" for crumb in event["breadcrumbs"]["values"]]
    if planted.failure != MAIL:
        assert any("control-" in message and "-log" in message for message in breadcrumbs)
        assert any("-log" in log["body"] for log in transport.logs)
    assert any(span["attributes"].get("url.full", "").endswith(control) for span in transport.segments())
