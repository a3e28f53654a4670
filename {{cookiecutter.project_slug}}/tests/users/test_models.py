"""The user model: signing in by email, one account per address whatever its case, and
Django's commands and helpers working with it."""

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from tests.accounts_client import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_project_user_model_is_the_users_app_one():
    assert get_user_model()._meta.label == "users.User"


def test_a_user_is_made_with_an_email_and_a_hashed_password():
    user = get_user_model().objects.create_user(email="ada@EXAMPLE.com", password=PASSWORD)

    assert str(user) == "ada@example.com"  # the domain is case-insensitive: normalised
    assert user.password != PASSWORD
    assert user.check_password(PASSWORD)
    assert not user.is_staff
    assert not user.is_superuser


def test_a_superuser_is_staff():
    user = get_user_model().objects.create_superuser(email="root@example.com", password=PASSWORD)

    assert user.is_staff
    assert user.is_superuser


def test_a_superuser_that_is_not_staff_is_refused():
    with pytest.raises(ValueError, match="is_staff=True"):
        get_user_model().objects.create_superuser(email="root@example.com", is_staff=False)


def test_one_address_in_another_case_is_the_same_user():
    get_user_model().objects.create_user(email="ada@example.com")

    with pytest.raises(IntegrityError):
        get_user_model().objects.create_user(email="ADA@example.com")


def test_django_signs_in_by_the_address_in_any_case():
    user = get_user_model().objects.create_user(email="ada@example.com", password=PASSWORD)

    assert authenticate(username="ADA@Example.COM", password=PASSWORD) == user
    assert authenticate(username="ada@example.com", password="not the password") is None


def test_createsuperuser_without_prompts_takes_the_email_and_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "root@example.com")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)

    call_command("createsuperuser", interactive=False, verbosity=0)

    user = get_user_model().objects.get()
    assert (user.email, user.is_superuser) == ("root@example.com", True)
    assert user.check_password(PASSWORD)


def test_createsuperuser_refuses_an_address_taken_in_another_case(monkeypatch, make_user):
    make_user("root@example.com")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "ROOT@example.com")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)

    with pytest.raises(CommandError, match="already taken"):
        call_command("createsuperuser", interactive=False, verbosity=0)
