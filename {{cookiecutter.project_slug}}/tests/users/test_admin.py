"""Users in Django's admin: listed, searched, added and changed by email; and staff who
reach it signed in through the accounts API, never through its own password form."""

import pytest
from django.contrib.auth import get_user_model

from tests.accounts_client import PASSWORD, AccountsClient

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


def test_the_admins_own_password_form_signs_nobody_in(client, settings):
    get_user_model().objects.create_superuser(email="root@example.com", password=PASSWORD)

    response = client.post("/admin/login/", {"username": "root@example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"].startswith(settings.LOGIN_URL)
    assert "_auth_user_id" not in client.session


def test_a_superuser_signed_in_through_the_accounts_api_opens_the_admin():
    # createsuperuser's address counts as verified: the superuser signs in at once.
    get_user_model().objects.create_superuser(email="root@example.com", password=PASSWORD)
    browser = AccountsClient("browser")

    assert browser.log_in("root@example.com").status_code == 200
    assert browser.http.get("/admin/").status_code == 200


def test_a_signed_in_user_who_is_not_staff_is_refused_the_admin(make_user):
    make_user("ada@example.com")
    browser = AccountsClient("browser")
    browser.log_in("ada@example.com")

    assert browser.http.get("/admin/", follow=True).status_code == 403
