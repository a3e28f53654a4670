"""A client of the accounts API (django-allauth's headless API at /_allauth/), speaking it
as a frontend does: `browser` with the session cookie and the CSRF token, checked as a
server checks them; `app` with the session token in X-Session-Token."""

import json
import re
from urllib.parse import unquote

from django.conf import settings
from django.core import mail
from django.test import Client

CLIENTS = ("browser", "app")
# Every test user's password: long and uncommon enough for Django's validators.
PASSWORD = "correct horse battery staple 42"
# The password a user changes to, or resets to.
NEW_PASSWORD = "another horse battery staple 43"
# Where the mailed links open the frontend: the key is the last path segment.
VERIFY_EMAIL_PAGE = "/account/verify-email/"
RESET_PASSWORD_PAGE = "/account/password/reset/key/"


class AccountsClient:
    """Django's test client as one of allauth's two clients. A path without a leading
    slash is allauth's (`auth/login`: /_allauth/<client>/v1/auth/login); any other path,
    /api/notes/ say, is called with the same credentials."""

    def __init__(self, kind: str):
        self.kind = kind
        self.http = Client(enforce_csrf_checks=True)
        self.session_token = ""
        if kind == "browser":
            # A frontend's first call: every answer of allauth's sets the CSRF cookie.
            self.call("GET", "auth/session")

    def credentials(self) -> dict[str, str]:
        if self.kind == "app":
            return {"X-Session-Token": self.session_token} if self.session_token else {}
        csrf_cookie = self.http.cookies.get("csrftoken")
        return {"X-CSRFToken": csrf_cookie.value} if csrf_cookie else {}

    def call(self, method: str, path: str, data: object = None, **headers: str):
        url = path if path.startswith("/") else f"/_allauth/{self.kind}/v1/{path}"
        response = self.http.generic(
            method,
            url,
            "" if data is None else json.dumps(data),
            content_type="application/json",
            headers={**self.credentials(), **headers},
        )
        if response.get("Content-Type") == "application/json":
            # allauth hands the app a token when a flow starts and when it signs in.
            self.session_token = response.json().get("meta", {}).get("session_token", self.session_token)
        return response

    def get(self, path: str, **headers: str):
        return self.call("GET", path, **headers)

    def post(self, path: str, data: object = None, **headers: str):
        return self.call("POST", path, data, **headers)

    def sign_up(self, email: str, password: str = PASSWORD):
        return self.post("auth/signup", {"email": email, "password": password})

    def verify_email(self):
        return self.post("auth/email/verify", {"key": mailed_key(VERIFY_EMAIL_PAGE)})

    def log_in(self, email: str, password: str = PASSWORD):
        return self.post("auth/login", {"email": email, "password": password})

    def log_out(self):
        response = self.call("DELETE", "auth/session")
        self.session_token = ""  # an app forgets the token of an ended session
        return response

    def is_signed_in(self):
        return self.get("auth/session").status_code == 200


def signs_in(kind: str, email: str, password: str = PASSWORD) -> bool:
    """Whether a new client of this kind signs in with the password."""
    response = AccountsClient(kind).log_in(email, password)
    assert response.status_code in (200, 400), response.content
    return bool(response.status_code == 200)


def mailed_key(page: str) -> str:
    """The key in the last mail's link to the frontend's `page`: the link's last segment."""
    link = re.escape(f"{settings.FRONTEND_URL}{page}")
    [quoted] = re.findall(rf"{link}(\S+)", str(mail.outbox[-1].body))
    assert "/" not in quoted
    return unquote(quoted)


def error_codes(response) -> list[str]:
    """The codes of allauth's errors in an answer (`too_many_login_attempts`, ...)."""
    return [error["code"] for error in response.json().get("errors", [])]


def pending_flows(response) -> list[str]:
    """The flows an answer says the caller is in the middle of (`verify_email`, ...)."""
    return [flow["id"] for flow in response.json()["data"]["flows"] if flow.get("is_pending")]
