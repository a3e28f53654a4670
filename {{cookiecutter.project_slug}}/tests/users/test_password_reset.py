"""A forgotten password, reset through the key of the mailed link, for both clients."""

from django.core import mail

from tests.accounts_client import NEW_PASSWORD, RESET_PASSWORD_PAGE, error_codes, mailed_key, signs_in


def test_the_mailed_key_resets_the_password_once(accounts, make_user, settings):
    make_user("ada@example.com")

    assert accounts.post("auth/password/request", {"email": "ada@example.com"}).status_code == 200
    [message] = mail.outbox
    assert message.to == ["ada@example.com"]
    assert settings.FRONTEND_URL + RESET_PASSWORD_PAGE in message.body
    key = mailed_key(RESET_PASSWORD_PAGE)

    # The frontend's page checks the key first, then sends it with the new password.
    checked = accounts.get("auth/password/reset", X_Password_Reset_Key=key)
    assert checked.status_code == 200
    assert checked.json()["data"]["user"]["email"] == "ada@example.com"
    reset = accounts.post("auth/password/reset", {"key": key, "password": NEW_PASSWORD})
    assert reset.status_code == 401  # reset, and nobody signed in: that takes the new password
    assert error_codes(reset) == []
    again = accounts.post("auth/password/reset", {"key": key, "password": "a third horse battery staple"})
    assert again.status_code == 400

    assert not signs_in(accounts.kind, "ada@example.com")
    assert signs_in(accounts.kind, "ada@example.com", NEW_PASSWORD)


def test_a_made_up_key_resets_nothing(accounts, make_user):
    make_user("ada@example.com")

    response = accounts.post("auth/password/reset", {"key": "1-made-up-key", "password": NEW_PASSWORD})

    assert response.status_code == 400
    assert accounts.log_in("ada@example.com").status_code == 200


def test_an_unknown_address_gets_the_same_answer_and_no_reset_link(accounts, db):
    response = accounts.post("auth/password/request", {"email": "nobody@example.com"})

    assert response.status_code == 200
    assert [message for message in mail.outbox if RESET_PASSWORD_PAGE in str(message.body)] == []
