"""Users in Django's admin: listed, searched, added and changed by email."""

import pytest
from django.contrib.auth import get_user_model

from tests.accounts_client import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    root = get_user_model().objects.create_superuser(email="root@example.com", password=PASSWORD)
    client.force_login(root)
    return client


def test_the_changelist_lists_users_by_email_and_searches_them(admin_client, make_user):
    make_user("ada@example.com")
    make_user("grace@example.com")

    everyone = admin_client.get("/admin/users/user/")
    found = admin_client.get("/admin/users/user/", {"q": "grace"})

    assert everyone.status_code == 200
    assert b"ada@example.com" in everyone.content
    assert b"grace@example.com" in found.content
    assert b"ada@example.com" not in found.content


def test_the_add_page_makes_a_user_who_can_sign_in(admin_client):
    assert admin_client.get("/admin/users/user/add/").status_code == 200

    response = admin_client.post(
        "/admin/users/user/add/",
        {"email": "ada@example.com", "usable_password": "true", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 302
    assert get_user_model().objects.get(email="ada@example.com").check_password(PASSWORD)


def test_the_change_page_shows_the_user(admin_client, make_user):
    user = make_user("ada@example.com")

    response = admin_client.get(f"/admin/users/user/{user.pk}/change/")

    assert response.status_code == 200
    assert b'value="ada@example.com"' in response.content
