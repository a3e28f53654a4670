"""A second factor (allauth.mfa): a TOTP authenticator enrolled with a code the test
computes, then asked for at every sign-in, and recovery codes that work once each."""

from typing import NamedTuple

import pyotp
import pytest

from tests.accounts_client import PASSWORD, AccountsClient, error_codes, pending_flows


class Enrolment(NamedTuple):
    totp: pyotp.TOTP
    recovery_codes: list[str]


@pytest.fixture
def enrolled(accounts, make_user):
    """Ada, with TOTP enrolled as a frontend does it, then signed out: the TOTP and the
    recovery codes shown once enrolled."""
    make_user("ada@example.com")
    accounts.log_in("ada@example.com")
    offered = accounts.get("account/authenticators/totp")
    assert offered.status_code == 404  # none yet: the answer offers a secret
    secret = offered.json()["meta"]["secret"]
    # Adding a factor asks for the password again, however recent the sign-in.
    asked = accounts.post("account/authenticators/totp", {"code": pyotp.TOTP(secret).now()})
    assert asked.status_code == 401
    assert accounts.post("auth/reauthenticate", {"password": PASSWORD}).status_code == 200
    assert accounts.post("account/authenticators/totp", {"code": pyotp.TOTP(secret).now()}).status_code == 200
    recovery_codes = accounts.get("account/authenticators/recovery-codes").json()["data"]
    accounts.log_out()
    assert len(recovery_codes["unused_codes"]) == recovery_codes["total_code_count"] > 1
    return Enrolment(pyotp.TOTP(secret), recovery_codes["unused_codes"])


def wrong_code(totp):
    return f"{(int(totp.now()) + 1) % 1_000_000:06d}"


def test_a_wrong_code_does_not_enrol_the_authenticator(accounts, make_user):
    make_user("ada@example.com")
    accounts.log_in("ada@example.com")
    accounts.post("auth/reauthenticate", {"password": PASSWORD})
    secret = accounts.get("account/authenticators/totp").json()["meta"]["secret"]

    response = accounts.post("account/authenticators/totp", {"code": wrong_code(pyotp.TOTP(secret))})

    assert response.status_code == 400
    assert accounts.get("account/authenticators").json()["data"] == []


def test_once_enrolled_the_password_alone_does_not_sign_in(accounts, enrolled):
    response = accounts.log_in("ada@example.com")

    assert response.status_code == 401
    assert pending_flows(response) == ["mfa_authenticate"]
    assert not accounts.is_signed_in()


def test_the_code_completes_the_sign_in_and_is_not_taken_twice(accounts, enrolled):
    code = enrolled.totp.now()
    accounts.log_in("ada@example.com")

    assert accounts.post("auth/2fa/authenticate", {"code": code}).status_code == 200
    assert accounts.is_signed_in()

    # Replayed, as someone who saw it might: refused.
    replay = AccountsClient(accounts.kind)
    replay.log_in("ada@example.com")
    response = replay.post("auth/2fa/authenticate", {"code": code})
    assert response.status_code == 400
    assert not replay.is_signed_in()


def test_a_wrong_code_does_not_sign_in(accounts, enrolled):
    accounts.log_in("ada@example.com")

    response = accounts.post("auth/2fa/authenticate", {"code": wrong_code(enrolled.totp)})

    assert response.status_code == 400
    assert error_codes(response) == ["incorrect_code"]
    assert not accounts.is_signed_in()


def test_recovery_codes_each_sign_in_once(accounts, enrolled):
    recovery_code = enrolled.recovery_codes[0]

    accounts.log_in("ada@example.com")
    assert accounts.post("auth/2fa/authenticate", {"code": recovery_code}).status_code == 200
    accounts.log_out()

    accounts.log_in("ada@example.com")
    assert accounts.post("auth/2fa/authenticate", {"code": recovery_code}).status_code == 400
    assert not accounts.is_signed_in()


def test_wrong_codes_lock_the_second_factor_even_for_the_right_code(accounts, enrolled, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,2/m/key"}
    accounts.log_in("ada@example.com")

    failed = [accounts.post("auth/2fa/authenticate", {"code": wrong_code(enrolled.totp)}) for _ in range(2)]
    locked = accounts.post("auth/2fa/authenticate", {"code": enrolled.totp.now()})

    assert [error_codes(response) for response in failed] == [["incorrect_code"]] * 2
    assert locked.status_code == 400
    assert error_codes(locked) == ["too_many_login_attempts"]
    assert not accounts.is_signed_in()
