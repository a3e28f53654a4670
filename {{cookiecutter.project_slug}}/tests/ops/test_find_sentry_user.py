"""`manage.py find_sentry_user`: the user id of a Sentry event back to its user, with the
server's key only."""

import io

import pytest
from django.core.management import CommandError, call_command

from observability.user_id import pseudonym
from tests.conftest import TEST_USER_ID_KEY


@pytest.fixture
def user_id_key(monkeypatch):
    monkeypatch.setenv("SENTRY_USER_ID_KEY", TEST_USER_ID_KEY)


def find_sentry_user(user_id):
    output = io.StringIO()
    call_command("find_sentry_user", user_id, stdout=output)
    return output.getvalue().strip()


@pytest.mark.django_db
def test_the_user_of_a_pseudonym_is_found_among_many(user_id_key, make_user, monkeypatch):
    monkeypatch.setattr("ops.management.commands.find_sentry_user.CHUNK_SIZE", 2)  # several chunks
    users = [make_user(f"user{number}@example.com") for number in range(5)]
    wanted = users[3]

    found = find_sentry_user(pseudonym(TEST_USER_ID_KEY, wanted.pk))

    assert found == f"user {wanted.pk}: user3@example.com"
    assert find_sentry_user(pseudonym(TEST_USER_ID_KEY, users[0].pk).upper()).endswith(": user0@example.com")


@pytest.mark.django_db
def test_a_pseudonym_under_another_key_matches_nobody(user_id_key, make_user):
    user = make_user()

    with pytest.raises(CommandError, match="No user has the user id .* under this SENTRY_USER_ID_KEY"):
        find_sentry_user(pseudonym("another-key-of-at-least-32-characters", user.pk))


@pytest.mark.django_db
def test_without_the_key_nobody_is_found(monkeypatch, make_user):
    user = make_user()
    monkeypatch.setenv("SENTRY_DSN", "")
    monkeypatch.delenv("SENTRY_USER_ID_KEY", raising=False)

    with pytest.raises(CommandError, match="^SENTRY_USER_ID_KEY is not set"):
        find_sentry_user(pseudonym(TEST_USER_ID_KEY, user.pk))


@pytest.mark.parametrize("user_id", [str(7), "ada@example.com", "0" * 31, "g" * 32])
def test_what_is_not_a_pseudonym_is_refused_before_any_query(user_id_key, user_id):
    with pytest.raises(CommandError, match="is not a user id this project sends"):
        find_sentry_user(user_id)
