"""Sentry's "users affected" without telling Sentry who they are.

Sentry counts the users an issue affects by the user id its events carry. With
SENTRY_SEND_PERSONAL_DATA off (the default), every event, span and Sentry Log of a
signed-in caller, by session cookie or by session token, carries a pseudonym as that id:
an HMAC-SHA256 of the user's primary key under SENTRY_USER_ID_KEY. It is stable for a
user and different between users, and without the key nobody can tell whose it is;
`manage.py find_sentry_user` finds the user with it (docs/sentry.md). With personal data
on, the SDK's Django integration sends the user itself, and this middleware steps aside.

The queries that find out who the caller is (the session's row, and with a cookie the
user's) are the spans without it: the SDK sends a streamed span as it ends, before the
caller is known. The request's own span, which holds them, carries it.
"""

import hashlib
import hmac
from collections.abc import Callable

import sentry_sdk
from allauth.headless import app_settings as headless_settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse

from observability.config import read_config

# Where allauth's app client sends its session token (docs/auth.md).
SESSION_TOKEN_HEADER = "X-Session-Token"  # noqa: S105 (a header's name, not a secret)


def pseudonym(key: str, user_pk: object) -> str:
    """The user id Sentry gets for the user with this primary key: 32 hex characters."""
    return hmac.new(key.encode(), str(user_pk).encode(), hashlib.sha256).hexdigest()[:32]


class SentryUserMiddleware:
    """Sets the caller's pseudonym on the request's Sentry scope, after Django's and
    allauth's middleware, so every span and log line after it carries it too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        config = read_config("")
        if not sentry_sdk.get_client().is_active() or config.send_personal_data:
            raise MiddlewareNotUsed  # Django leaves it out of the chain: no cost at all
        self.get_response = get_response
        self.key = config.user_id_key
        self.token_strategy = headless_settings.TOKEN_STRATEGY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user_pk = self.caller_pk(request)
        if user_pk is not None:
            user_id = pseudonym(self.key, user_pk)
            sentry_sdk.set_user({"id": user_id})  # events
            sentry_sdk.set_attribute("user.id", user_id)  # spans and Sentry Logs
        return self.get_response(request)

    def caller_pk(self, request: HttpRequest) -> object | None:
        """The signed-in caller's primary key: the session cookie's user, else the user
        of the session the X-Session-Token header names."""
        if request.user.is_authenticated:
            return request.user.pk
        token = request.headers.get(SESSION_TOKEN_HEADER)
        session = self.token_strategy.lookup_session(token) if token else None
        return session.get(SESSION_KEY) if session is not None else None
