"""Django's SessionMiddleware, for a session cookie that could be a session key.

Django looks up whatever the cookie holds: with the database engine, a cookie holding a
NUL character (`sessionid="\\000..."`, which cookie quoting allows) makes PostgreSQL
refuse the query, a 500 and a Sentry event from any client. Every engine Django ships
writes its keys in a few characters: 32 lowercase letters and digits (database, cache,
file), or URL-safe base64 with `:` and `.` (signed cookies). A cookie with any other
character is no session, as an unknown key is: nothing is looked up, the answer is the
anonymous one, and the response deletes the cookie.
"""

import logging
import re

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.http import HttpRequest

logger = logging.getLogger(__name__)

# Django itself treats a key under 8 characters as none (SessionBase._validate_session_key).
POSSIBLE_SESSION_KEY = re.compile(r"[A-Za-z0-9_.:-]{8,}")


class SessionMiddleware(DjangoSessionMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if session_key is not None and not POSSIBLE_SESSION_KEY.fullmatch(session_key):
            logger.info("Ignored a session cookie that cannot hold a session key (%d long)", len(session_key))
            session_key = None
        request.session = self.SessionStore(session_key)
