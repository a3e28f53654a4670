"""The account flows of the privacy tests: an account driven through allauth's headless
API (app client) to the point where a request holds a secret, and that request sent with
a control value beside its secrets."""

import json
import re
import urllib.parse
from typing import NamedTuple

import pyotp
import sentry_sdk
from django.conf import settings
from django.core import mail

from tests.observability.privacy.failures import MAILED_KEY

USER_PASSWORD = "planted-user-password-Qx7"
SIGN_UP_PASSWORD = "planted-sign-up-password-Rw4"
NEW_PASSWORD = "planted-new-password-Tz9"
RESET_PASSWORD = "planted-reset-password-Vb2"
WRONG_PASSWORD = "planted-wrong-password-Kp5"
NEW_EMAIL = "new.user@example.com"


def app(path):
    return f"/_allauth/app/v1/{path}"


def browser(path):
    return f"/_allauth/browser/v1/{path}"


class Planted(NamedTuple):
    """A request that holds `secrets`, and how it fails (failures.py), if it must."""

    method: str
    path: str
    body: dict[str, str] | None
    headers: dict[str, str]
    secrets: list[str]
    failure: object = None


def start_traced(start_sentry, **variables):
    """Sentry with every request traced and INFO records sent as Sentry Logs."""
    return start_sentry(SENTRY_TRACES_SAMPLE_RATE="1", SENTRY_LOGS_LEVEL="INFO", **variables)


def send(wsgi_client, planted, control):
    """Sends the planted request with `control` as its ?page=: its status code."""
    path = f"{planted.path}?{urllib.parse.urlencode({'page': control})}"
    if planted.body is None:
        return wsgi_client.generic(planted.method, path, headers=planted.headers)[0]
    body = json.dumps(planted.body)
    return wsgi_client.generic(
        planted.method, path, data=body, content_type="application/json", headers=planted.headers
    )[0]


def appears(secret, text):
    """Whether `secret`, or a URL's way of writing it, is in `text`; a code of digits
    only as a number of its own, not within a longer one (a timestamp's)."""
    if secret.isdigit():
        return re.search(rf"(?<!\d){secret}(?!\d)", text) is not None
    return secret in text or urllib.parse.quote_plus(secret) in text


def sent_text(transport):
    sentry_sdk.flush()  # spans and logs are sent in batches
    return transport.sent_bytes.decode()


class Accounts:
    """Steps through allauth's headless API, as the app client, before Sentry is started:
    each gives what the next request needs."""

    def __init__(self, client):
        self.client = client

    def call(self, method, path, body=None, token=None):
        headers = {"X-Session-Token": token} if token else {}
        data = json.dumps(body) if body is not None else ""
        response = self.client.generic(method, path, data, content_type="application/json", headers=headers)
        return response.status_code, response.json()

    def mailed_key(self):
        [key] = MAILED_KEY.findall(str(mail.outbox[-1].body))
        return urllib.parse.unquote(key)

    def sign_up(self, email, password):
        """The key of the mailed verification link of a new account."""
        status, _ = self.call("POST", app("auth/signup"), {"email": email, "password": password})
        assert status == 401  # signed up, its address not verified yet
        return self.mailed_key()

    def sign_in(self, email, password):
        status, answer = self.call("POST", app("auth/login"), {"email": email, "password": password})
        assert status in (200, 401), answer  # 401: a second factor to give
        return answer["meta"]["session_token"]

    def reset_key(self, email):
        assert self.call("POST", app("auth/password/request"), {"email": email})[0] == 200
        return self.mailed_key()

    def browser_session(self, user):
        """The session cookie's value of a browser client signed in as `user`."""
        self.client.force_login(user)
        return self.client.cookies[settings.SESSION_COOKIE_NAME].value

    def offered_totp_secret(self, token, password):
        """The TOTP secret allauth offers to a user who has just given their password again."""
        assert self.call("POST", app("auth/reauthenticate"), {"password": password}, token)[0] == 200
        _, answer = self.call("GET", app("account/authenticators/totp"), token=token)
        return answer["meta"]["secret"]

    def enable_totp(self, token, password):
        """Sets up a second factor; gives its TOTP secret."""
        secret = self.offered_totp_secret(token, password)
        code = pyotp.TOTP(secret).now()
        assert self.call("POST", app("account/authenticators/totp"), {"code": code}, token)[0] == 200
        return secret

    def recovery_codes(self, token):
        status, answer = self.call("GET", app("account/authenticators/recovery-codes"), token=token)
        assert status == 200, answer
        return answer["data"]["unused_codes"]
