"""What counts as secret or personal, and taking it out of what leaves the process.

Sentry calls `PrivacyFilter` once per event and once per transaction (before_send and
before_send_transaction in core.sentry), after the SDK has built and serialised it, so
it sees everything that will be sent: the request, frame variables, extra, contexts,
tags, breadcrumbs and span data. Nothing here runs per request.

Three rules, applied to every part of the event:

- A field whose name marks a credential (password, token, api_key, csrf...) keeps its
  name and loses its value, at any depth; so does one that marks personal data (email,
  phone, ip_address), unless personal data is turned on, as does any email address
  written in any string.
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
import json
import os
import re
import urllib.parse
from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from sentry_sdk.scrubber import DEFAULT_DENYLIST, DEFAULT_PII_DENYLIST

# An event as the SDK hands it to before_send, serialised to JSON types, and its hint.
Event = dict[str, Any]
Hint = dict[str, Any]

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
    "passcode",
    "hmac",
    "totp",
    "cardnumber",
    "iban",
)
CREDENTIAL_PARTS = frozenset(
    {"key", "keys", "pass", "pwd", "auth", "sid", "pin", "otp", "dsn", "sig", "cvv", "cvc"}
)
PERSONAL_WORDS = (
    "email",
    "phone",
    "ipaddress",
    "remoteaddr",
    "forwarded",
    "clientip",
    "socketip",
    "clientaddr",
)
# A client's address: X-Real-IP, True-Client-IP, HTTP_CF_CONNECTING_IP in a WSGI environ.
PERSONAL_PARTS = frozenset({"ip", "ssn"})


def name_parts(name: str) -> list[str]:
    """user_password, userPassword and X-User-Password all give ["user", "password"]."""
    return [part.lower() for part in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", name)]


def _normalised(name: str) -> str:
    return "".join(name_parts(name))


# The SDK's own denylists (sentry_sdk.scrubber), matched by their normalised names.
SDK_CREDENTIAL_NAMES = frozenset(_normalised(name) for name in DEFAULT_DENYLIST)
SDK_PERSONAL_NAMES = frozenset(_normalised(name) for name in DEFAULT_PII_DENYLIST)


# Field names repeat from event to event; the cache is bounded, as clients choose names.
@functools.lru_cache(maxsize=4096)
def name_kind(name: str) -> str | None:
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


def is_client_address_header(name: str) -> bool:
    """Forwarded, X-Forwarded-For, X-Real-IP, CF-Connecting-IP, X-Azure-ClientIP, Via,
    X-Envoy-External-Address...; not X-Forwarded-Host or -Proto, which name no client."""
    name = re.sub("[^a-z0-9]", "", name.lower())
    if "forwarded" in name:
        return not name.endswith(("host", "proto", "port", "server", "prefix"))
    return name.endswith(("ip", "addr", "address")) or "ipv" in name or name == "via"


# Every rule below is linear in the length of the text: an attacker chooses the strings.
URL_SCHEME_END = "://"
# Where a bare user:password@ can start when no scheme:// says so.
URL_PIECE_START = re.compile(r"[/?#=,;(]")
# A run of text that can hold a URL, from white space or a quote to the next, holding @.
URL_CANDIDATE = re.compile(r"(?<![^\s'\"])[^\s'\"]*@[^\s'\"]*")
PORT = re.compile(r"\d+(?:[/?#]|$)")


def _mask_url_password(match: re.Match[str]) -> str:
    text = match[0]
    at = text.rfind("@")
    head = text[:at]
    scheme_end = head.find(URL_SCHEME_END)
    if scheme_end >= 0:
        start = scheme_end + len(URL_SCHEME_END)
    else:
        starts = [found.end() for found in URL_PIECE_START.finditer(head)]
        start = starts[-1] if starts else 0
    colon = head.find(":", start)
    if colon < 0 or "/" in head[start:colon] or PORT.match(head, colon + 1):
        return text  # no user:password, or host:port
    return f"{text[: colon + 1]}{SCRUBBED}{text[at:]}"


def mask_url_passwords(text: str) -> str:
    """user:password@host, after scheme:// or not (a mistyped URL holds a password too),
    the password taken up to the URL's last @, so one holding "@", "/" or ":" goes whole."""
    return URL_CANDIDATE.sub(_mask_url_password, text) if "@" in text else text


# A value written out as a list, tuple, set or dict: up to the first bracket that closes
# it, with no bracket of its own kind inside, so values nest three deep at most.
BRACKETED = r"\[[^\[\]]{0,200}\]|\([^()]{0,200}\)|\{[^{}]{0,200}\}"
CLOSING = {"[": "]", "(": ")", "{": "}"}
# name=value, at the start of a string or after a separator: query strings, form bodies,
# a request line, log messages, a dataclass's repr (password='x'). Names and quoted
# values have bounded lengths, so no input makes the search quadratic.
NAME_VALUE = re.compile(
    r"(?P<start>(?:^|(?<=[?&;#,(\s'\"{\[]))(?P<name>[\w.%+\[\]-]{1,100})=)"
    r"(?P<value>'[^']{0,200}'|\"[^\"]{0,200}\"|" + BRACKETED + r"|[^&;#\s'\",)}\]]+)"
)
# 'name': value and "name": value, as in a dict's repr or JSON text. A bracketed value
# loses everything when its name marks a secret; otherwise the pairs inside it are
# judged by their own names ('kwargs': {'api_token': ...}).
QUOTED_PAIR = re.compile(
    r"(?P<start>(?P<quote>['\"])(?P<name>[\w.%+-]{1,100})(?P=quote)\s{0,10}:\s{0,10})"
    r"(?P<value>'[^']{0,200}'|\"[^\"]{0,200}\"|" + BRACKETED + r"|[^,{}\[\]\s]+)"
)
# How many times a value is percent-decoded to see what it hides (a link inside a link
# inside a redirect); each decoding is looked at once, without decoding further.
DECODINGS = 3

# An email address in any text, whatever holds it (a `recipient_list`, a message, a
# task's repr): personal data that no field name gives away.
EMAIL_ADDRESS = re.compile(r"[\w.+-]{1,64}(?:@|%40)[\w-]{1,63}(?:\.[\w-]{1,63})+")

# A value shorter than this is not searched for as a secret: it would replace common
# words and numbers all over the event.
MIN_SECRET_LENGTH = 6


def project_secrets(environ: Mapping[str, str]) -> list[str]:
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
    secrets = {value for value in found if len(value) >= MIN_SECRET_LENGTH and re.search("[A-Za-z]", value)}
    # As a URL, a repr or JSON would write them, too.
    encoded = {
        form(value)
        for value in secrets
        for form in (
            lambda v: urllib.parse.quote(v, safe=""),
            urllib.parse.quote_plus,
            lambda v: v.encode("unicode_escape").decode(),
            lambda v: json.dumps(v)[1:-1],
        )
    }
    # The longest first, so no secret is half-replaced by another.
    return sorted(secrets | encoded, key=len, reverse=True)


# Fields the SDK fills with what it knows of the code and the trace, never with data a
# request or a variable carried: left as they are, which halves the work per event.
STRUCTURAL_FIELDS = frozenset(
    {
        "abs_path",
        "filename",
        "module",
        "function",
        "lineno",
        "colno",
        "in_app",
        "event_id",
        "timestamp",
        "start_timestamp",
        "platform",
        "level",
        "trace_id",
        "span_id",
        "parent_span_id",
        "same_process_as_parent",
        "op",
        "origin",
        "sdk",
        "environment",
        "release",
    }
)


class PrivacyFilter:
    """before_send and before_send_transaction: scrubs an event in place, once."""

    def __init__(self, secrets: list[str], personal_data: bool = False) -> None:
        self.personal_data = personal_data
        self.secrets = re.compile("|".join(map(re.escape, secrets))) if secrets else None

    def __call__(self, event: Event, hint: Hint) -> Event:
        logentry: Any = event.get("logentry")
        if isinstance(logentry, dict):
            # The arguments of a log call are already in its formatted message, where the
            # rules below can see the name next to each value; alone they cannot.
            logentry.pop("params", None)
        request: Any = event.get("request")
        if isinstance(request, dict) and isinstance(request.get("headers"), dict) and not self.personal_data:
            request["headers"] = {
                name: value
                for name, value in request["headers"].items()
                if not is_client_address_header(name)
            }
        scrubbed: Event = self.scrub(event)
        return scrubbed

    def is_sensitive(self, name: str) -> bool:
        kind = name_kind(name)
        return kind == "credential" or (kind == "personal" and not self.personal_data)

    def scrub(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.scrub_string(value)
        if isinstance(value, dict):
            # A key can hold a secret too ({settings.SECRET_KEY: ...}).
            return {
                self.scrub_secrets(name) if isinstance(name, str) else name: self.scrub_item(name, item)
                for name, item in value.items()
            }
        if isinstance(value, list):
            return [self.scrub(item) for item in value]
        return value

    def scrub_item(self, name: Any, item: Any) -> Any:
        if not isinstance(name, str):
            return self.scrub(item)
        if name in STRUCTURAL_FIELDS:
            return item
        if item not in (None, "") and self.is_sensitive(name):
            return SCRUBBED
        return self.scrub(item)

    def scrub_secrets(self, text: str) -> str:
        # Most strings are shorter than any secret: no search needed.
        if self.secrets is None or len(text) < MIN_SECRET_LENGTH:
            return text
        return self.secrets.sub(SCRUBBED, text)

    def scrub_string(self, text: str, decode: bool = True) -> str:
        text = mask_url_passwords(self.scrub_secrets(text))
        if not self.personal_data and ("@" in text or "%40" in text):
            text = EMAIL_ADDRESS.sub(SCRUBBED, text)
        return self.scrub_pairs(text, decode)

    def scrub_pairs(self, text: str, decode: bool) -> str:
        def scrub_pair(match: re.Match[str]) -> str:
            return self._scrub_pair(match, decode)

        if "=" in text:
            text = NAME_VALUE.sub(scrub_pair, text)
        if ":" in text and ("'" in text or '"' in text):
            text = QUOTED_PAIR.sub(scrub_pair, text)
        return text

    def _scrub_pair(self, match: re.Match[str], decode: bool) -> str:
        start, value = match["start"], match["value"]
        if self.is_sensitive(urllib.parse.unquote_plus(match["name"])):
            quote = value[0] if value[0] in "'\"" and len(value) > 1 else ""
            return f"{start}{quote}{SCRUBBED}{quote}"
        if CLOSING.get(value[0]) == value[-1]:
            return f"{start}{value[0]}{self.scrub_pairs(value[1:-1], decode)}{value[-1]}"
        if decode and "%" in value and self.hides_something(value):
            return f"{start}{SCRUBBED}"
        return match[0]

    def hides_something(self, value: str) -> bool:
        """Whether a percent-encoded value, decoded, holds what the rules take out (a
        query's ?next=%3Ftoken%3Dx, ?to=ada%40example.com)."""
        decoded = value
        for _ in range(DECODINGS):
            decoded, previous = urllib.parse.unquote_plus(decoded), decoded
            if decoded == previous:
                break
        return self.scrub_string(decoded, decode=False) != decoded


def request_repr(value: object) -> str | None:
    """custom_repr for frame variables: a request without its query string, which may
    carry tokens (the SDK falls back to repr() for anything else)."""
    if isinstance(value, HttpRequest):
        return f"<{type(value).__name__}: {value.method} {value.path!r}>"
    return None
