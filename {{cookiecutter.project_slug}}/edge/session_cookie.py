"""A session cookie that cannot be a session key is no session cookie.

Django looks up whatever the cookie holds: with the database engine, a cookie holding a
NUL character (`sessionid="\\000..."`, which cookie quoting allows) makes PostgreSQL
refuse the query, a 500 and a Sentry event from any client. Every engine Django ships
writes its keys in a few characters: 32 lowercase letters and digits (database, cache,
file), or URL-safe base64 with `:` and `.` (signed cookies). This middleware, just before
Django's own SessionMiddleware (which stays in MIDDLEWARE by its name, so that
`check --deploy` still checks the session cookie's settings), takes any other cookie
out of the request: nothing is looked up, and the answer is the anonymous one.
"""

import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

logger = logging.getLogger(__name__)

# Django itself treats a key under 8 characters as none (SessionBase._validate_session_key).
POSSIBLE_SESSION_KEY = re.compile(r"[A-Za-z0-9_.:-]{8,}")


class SessionCookieMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if session_key is not None and not POSSIBLE_SESSION_KEY.fullmatch(session_key):
            logger.info("Ignored a session cookie that cannot hold a session key (%d long)", len(session_key))
            del request.COOKIES[settings.SESSION_COOKIE_NAME]
        return self.get_response(request)
