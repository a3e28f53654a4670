"""The project's account adapter (users/adapter.py): answers that do not depend on what a
client is trying to learn, and no address longer than the database holds."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import MD5PasswordHasher

from tests.accounts_client import error_codes


class CountingHasher(MD5PasswordHasher):
    """The test settings' fast hasher, counting the passwords it hashes."""

    algorithm = "counting_md5"
    hashed = 0

    def encode(self, password, salt):
        CountingHasher.hashed += 1
        return super().encode(password, salt)


def passwords_hashed_by(call):
    before = CountingHasher.hashed
    call()
    return CountingHasher.hashed - before


def test_signing_up_a_known_address_hashes_a_password_like_a_new_one(accounts, make_user, settings):
    settings.PASSWORD_HASHERS = ["tests.users.test_adapter.CountingHasher"]
    make_user("ada@example.com")

    answers = []
    hashed_for_known = passwords_hashed_by(lambda: answers.append(accounts.sign_up("ada@example.com")))
    hashed_for_new = passwords_hashed_by(lambda: answers.append(accounts.sign_up("grace@example.com")))

    # The same answer, and the same costly work behind it, so its time tells nothing.
    assert [answer.status_code for answer in answers] == [401, 401]
    assert hashed_for_known == hashed_for_new >= 1


def test_an_address_longer_than_the_database_holds_is_refused(accounts):
    too_long = "a" * 250 + "@example.com"

    response = accounts.sign_up(too_long)

    assert response.status_code == 400
    assert [error["param"] for error in response.json()["errors"]] == ["email"]
    assert not get_user_model().objects.exists()
    assert "too_many_login_attempts" not in error_codes(response)
