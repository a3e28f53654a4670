"""What counts as secret or personal, and taking it out of what leaves the process.

Sentry calls `PrivacyFilter` once per event and once per transaction (before_send and
before_send_transaction in core.sentry), after the SDK has built and serialised it, so
it sees everything that will be sent: the request, frame variables, extra, contexts,
tags, breadcrumbs and span data. Nothing here runs per request.

Three rules, applied to every part of the event:

- A field whose name marks a credential (password, token, api_key, csrf...) keeps its
  name and loses its value, at any depth; so does one that marks personal data (email,
  phone, ip_address), unless personal data is turned on.
- The project's own secrets are replaced inside any string, whatever it is called
  there: SECRET_KEY's value, the password of any URL in the environment (DATABASE_URL),
  the key of SENTRY_DSN, and the value of every environment variable whose name marks a
  credential. So are a password written into any URL (scheme://user:password@host) and
  `name=value` pairs (query strings, log messages) whose name marks a credential.
- Client-address headers (Forwarded, X-Forwarded-For, X-Real-IP, True-Client-IP...) are
  dropped, unless personal data is turned on.

core/database.py masks passwords in its error messages with the same URL rule.
"""

import functools
import os
import re
import urllib.parse

from django.http import HttpRequest
from sentry_sdk.scrubber import DEFAULT_DENYLIST, DEFAULT_PII_DENYLIST

SCRUBBED = "[Filtered]"

# A field name is cut into lowercase parts (user_password, userPassword, X-User-Password
# all give user + password) and matched two ways. Words are found anywhere in the joined
# name (csrfmiddlewaretoken, refreshtoken); short parts must be a whole part, or "key"
# would match "monkey" and "pass" would match "compass".
CREDENTIAL_WORDS = (
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "credential",
    "csrf",
    "xsrf",
    "session",
    "sessid",
    "cookie",
    "authorization",
    "apikey",
    "privatekey",
    "signature",
    "bearer",
    "jwt",
)
CREDENTIAL_PARTS = frozenset({"key", "pass", "pwd", "auth", "sid", "pin", "otp", "dsn"})
PERSONAL_WORDS = ("email", "phone", "ipaddress", "remoteaddr", "forwarded")
# A client's address: X-Real-IP, True-Client-IP, HTTP_CF_CONNECTING_IP in a WSGI environ.
PERSONAL_PARTS = frozenset({"ip"})


def name_parts(name):
    """user_password, userPassword and X-User-Password all give ["user", "password"]."""
    return [part.lower() for part in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", name)]


def _normalised(name):
    return "".join(name_parts(name))


# The SDK's own denylists (sentry_sdk.scrubber), matched by their normalised names.
SDK_CREDENTIAL_NAMES = frozenset(_normalised(name) for name in DEFAULT_DENYLIST)
SDK_PERSONAL_NAMES = frozenset(_normalised(name) for name in DEFAULT_PII_DENYLIST)


# Field names repeat from event to event; the cache is bounded, as clients choose names.
@functools.lru_cache(maxsize=4096)
def name_kind(name):
    """ "credential", "personal" or None for a field name."""
    parts = name_parts(name)
    joined = "".join(parts)
    if (
        joined in SDK_CREDENTIAL_NAMES
        or CREDENTIAL_PARTS.intersection(parts)
        or any(word in joined for word in CREDENTIAL_WORDS)
    ):
        return "credential"
    if (
        joined in SDK_PERSONAL_NAMES
        or PERSONAL_PARTS.intersection(parts)
        or any(word in joined for word in PERSONAL_WORDS)
    ):
        return "personal"
    return None


def is_client_address_header(name):
    name = name.lower()
    return "forwarded" in name or name.endswith("-ip") or name == "via"


# user:password@host, after scheme:// or not (a mistyped URL holds a password too), the
# password greedy up to the last @ of the URL, so that one holding "@", "/" or ":" is
# masked whole.
URL_PASSWORD = re.compile(r"(?P<start>(?:\b[a-zA-Z][a-zA-Z0-9+.-]*://)?[^\s:/?#@'\"]*):[^\s'\"]*@")


def mask_url_passwords(text):
    return URL_PASSWORD.sub(rf"\g<start>:{SCRUBBED}@", text)


# name=value at the start of a string or after ?, &, ; or a space: query strings, form
# bodies, the request line inside a request's repr, and log messages alike.
NAME_VALUE = re.compile(r"(?P<start>(?:^|[?&;\s])(?P<name>[^=&;#\s'\"]+)=)(?P<value>[^&;#\s'\"]*)")

# A value shorter than this is not searched for as a secret: it would replace common
# words and numbers all over the event.
MIN_SECRET_LENGTH = 6


def project_secrets(environ):
    """The values in this process's environment (which .env fills) that are secret."""
    found = set()
    for name, value in environ.items():
        # A path is not a secret, whatever its variable is called (the shell's PWD, an
        # agent's SSH_AUTH_SOCK), and it is in every stack frame's file name.
        if name_kind(name) == "credential" and not (os.path.isabs(value) and os.path.exists(value)):
            found.add(value)
        parts = urllib.parse.urlsplit(value) if "://" in value else None
        if parts is not None:
            try:
                found.add(urllib.parse.unquote(parts.password or ""))
                if name == "SENTRY_DSN":
                    found.add(parts.username or "")
            except ValueError:  # a port that is not a number: not a URL after all
                pass
    return sorted(
        (value for value in found if len(value) >= MIN_SECRET_LENGTH and re.search("[A-Za-z]", value)),
        key=len,
        reverse=True,  # the longest first, so no secret is half-replaced by another
    )


class PrivacyFilter:
    """before_send and before_send_transaction: scrubs an event in place, once."""

    def __init__(self, secrets, personal_data=False):
        self.personal_data = personal_data
        self.secrets = re.compile("|".join(map(re.escape, secrets))) if secrets else None

    def __call__(self, event, hint):
        request = event.get("request")
        if isinstance(request, dict) and isinstance(request.get("headers"), dict) and not self.personal_data:
            request["headers"] = {
                name: value
                for name, value in request["headers"].items()
                if not is_client_address_header(name)
            }
        return self.scrub(event)

    def is_sensitive(self, name):
        kind = name_kind(name)
        return kind == "credential" or (kind == "personal" and not self.personal_data)

    def scrub(self, value):
        if isinstance(value, str):
            return self.scrub_string(value)
        if isinstance(value, dict):
            return {
                name: SCRUBBED
                if isinstance(name, str) and item not in (None, "") and self.is_sensitive(name)
                else self.scrub(item)
                for name, item in value.items()
            }
        if isinstance(value, list):
            return [self.scrub(item) for item in value]
        return value

    def scrub_string(self, text):
        if self.secrets is not None:
            text = self.secrets.sub(SCRUBBED, text)
        if "@" in text:
            text = mask_url_passwords(text)
        if "=" in text:
            text = NAME_VALUE.sub(self._scrub_name_value, text)
        return text

    def _scrub_name_value(self, match):
        name = urllib.parse.unquote_plus(match["name"])
        return match["start"] + SCRUBBED if match["value"] and self.is_sensitive(name) else match[0]


def request_repr(value):
    """custom_repr for frame variables: a request without its query string, which may
    carry tokens (the SDK falls back to repr() for anything else)."""
    if isinstance(value, HttpRequest):
        return f"<{type(value).__name__}: {value.method} {value.path!r}>"
    return None
