"""allauth's rate limits, made small here so a few requests reach them: a client past a
limit gets a 429, and an account locked by failed sign-ins refuses its right password."""

from django.core import mail

from tests.accounts_client import AccountsClient, error_codes


def test_sign_ins_past_the_limit_are_a_429(accounts, make_user, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "2/m/ip"}
    make_user("ada@example.com")

    statuses = [AccountsClient(accounts.kind).log_in("ada@example.com").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_failed_sign_ins_lock_the_account_even_for_its_right_password(accounts, make_user, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,2/m/key"}
    make_user("ada@example.com")
    make_user("grace@example.com")

    failed = [accounts.log_in("ada@example.com", "guessed password").status_code for _ in range(2)]
    locked = accounts.log_in("ada@example.com")

    assert failed == [400, 400]
    assert locked.status_code == 400
    assert error_codes(locked) == ["too_many_login_attempts"]
    assert not accounts.is_signed_in()
    # The lock is the account's: another one signs in from the same address.
    assert accounts.log_in("grace@example.com").status_code == 200


def test_sign_ups_past_the_limit_are_a_429(accounts, settings, db):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "2/m/ip"}

    statuses = [accounts.sign_up(f"user{number}@example.com").status_code for number in range(3)]

    assert statuses == [401, 401, 429]  # 401: signed up, the address still to verify
    assert len(mail.outbox) == 2


def test_password_reset_requests_past_the_limit_are_a_429(accounts, make_user, settings):
    settings.ACCOUNT_RATE_LIMITS = {"reset_password": "2/m/ip"}
    make_user("ada@example.com")

    statuses = [
        accounts.post("auth/password/request", {"email": "ada@example.com"}).status_code for _ in range(3)
    ]

    assert statuses == [200, 200, 429]
    assert len(mail.outbox) == 2
