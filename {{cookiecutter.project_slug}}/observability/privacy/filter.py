"""What counts as secret or personal, and taking it out of what leaves the process.

Sentry hands `PrivacyFilter` every event (before_send), span (before_send_span) and log
(before_send_log) once the SDK has built it, so it sees everything that will be sent.
Nothing here runs for a request that sends nothing.

Two layers:

1. By allowlist (core.allowlists), where the data comes from a client: request headers,
   query strings (the request's, a Referer's, an outgoing request's) and body fields keep
   their names and lose their values unless the name is allowed; frames outside the
   project's own code lose their local variables.
2. By rule, on everything that remains, at any depth:
   - a field whose name marks a credential (password, token, api_key...) loses its
     value; so does one that marks personal data (email, phone, ip_address...) unless
     personal data is turned on, as does an email address in any string;
   - the project's own secrets go from any string, whatever they are called there: the
     value of every environment variable that looks like a credential (or is named like
     one), each item of a comma-separated one, a URL's password and the DSN's key, in
     their URL, JSON, repr, base64 and hex forms;
   - credentials written into text go too: user:password@ in any URL; name=value,
     name = value, name: value (YAML, headers), 'name': value (reprs, JSON),
     ('name', value) and {'name': 'token', 'value': ...} pairs; <password>...</password>;
     an Authorization scheme's credentials (Basic, Bearer...); a session's cache key.

Every rule is linear in the length of its text, and a text is cut to MAX_TEXT first:
an attacker chooses the strings, and must not choose the cost.

core/database.py masks passwords in its error messages with the same URL rule.
"""

import base64
import functools
import json
import os
import re
import urllib.parse
from collections.abc import Callable, Mapping
from typing import Any

from django.http import HttpRequest

from core.env import mask_url_passwords
from observability.privacy.allowlists import Allowlists

# An event, span or log as the SDK hands it over, in JSON types, and its hint.
Event = dict[str, Any]
Hint = dict[str, Any]

SCRUBBED = "[Filtered]"

# Longer strings are cut to this before any rule looks at them (and the SDK cuts what
# it serialises to it, core.sentry): the rules' cost per string stays bounded.
MAX_TEXT = 4096
CUT_MARK = "...[cut]"

# A field name is cut into lowercase parts (user_password, userPassword, X-User-Password
# all give user + password) and matched two ways. Words are found anywhere in the joined
# name (csrfmiddlewaretoken, refreshtoken, MASTERKEY); short parts must be a whole part,
# or "pin" would match "spinner" and "pass" would match "compass".
CREDENTIAL_WORDS = (
    "passw",  # password, passwort, passwd
    "passphrase",
    "passcode",
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
    "hmac",
    "totp",
    "nonce",
    "saml",
    "oidc",
    "dpop",
    "webhook",
    "codeverifier",
    "cardnumber",
    "cardno",
    "ccnum",
    "creditcard",
    "securitycode",
    "iban",
)
CREDENTIAL_PARTS = frozenset(
    {"key", "keys", "pass", "pwd", "pw", "auth", "sid", "pin", "otp", "mfa", "dsn", "sig", "cvv", "cvc"}
    | {"sk", "pat", "sso", "salt", "pem"}
)
# A name ending in "key" (masterkey, licensekey, sshkey) names one, whatever comes before.
CREDENTIAL_ENDINGS = ("key", "keys")
PERSONAL_WORDS = (
    "email",
    "phone",
    "mobile",
    "msisdn",
    "ipaddress",
    "remoteaddr",
    "remoteuser",
    "forwarded",
    "clientip",
    "clientaddr",
    "socketip",
    "birth",
    "passport",
    "nationalid",
    "taxid",
)
PERSONAL_PARTS = frozenset({"ip", "ssn", "dob"})


def name_parts(name: str) -> list[str]:
    """user_password, userPassword and X-User-Password all give ["user", "password"]."""
    return [part.lower() for part in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", name)]


# Field names repeat from event to event; the cache is bounded, as clients choose names.
@functools.lru_cache(maxsize=4096)
def name_kind(name: str) -> str | None:
    """ "credential", "personal" or None for a field name."""
    parts = name_parts(name[:100])
    joined = "".join(parts)
    if (
        CREDENTIAL_PARTS.intersection(parts)
        or joined.endswith(CREDENTIAL_ENDINGS)
        or any(word in joined for word in CREDENTIAL_WORDS)
    ):
        return "credential"
    if PERSONAL_PARTS.intersection(parts) or any(word in joined for word in PERSONAL_WORDS):
        return "personal"
    return None


# --- Secrets by value ------------------------------------------------------------------

# A value shorter than this is not searched for as a secret: it would replace common
# words and numbers all over the event.
MIN_SECRET_LENGTH = 6
# A value looks like a credential when one of its runs of letters and digits is random
# enough: long, or mixing letters and digits (or cases) the way generated keys do.
# "eu-west-1", "production", "worker1" and "words with spaces" do not; "sk_live_51Hx...",
# "ghp_AbC1...", "Tr0ub4dor&3" and "hunter22" do.
RUN = re.compile(r"[A-Za-z0-9]+")
LONG_RUN = 16
MIXED_RUN = 8


def looks_like_credential(value: str) -> bool:
    if any(character.isspace() for character in value):
        return False
    for run in RUN.findall(value):
        digits = sum(character.isdigit() for character in run)
        letters = len(run) - digits
        mixed_case = run.lower() != run and run.upper() != run
        if len(run) >= LONG_RUN and letters:
            return True
        if len(run) >= MIXED_RUN and ((digits >= 2 and letters >= 2) or (mixed_case and digits)):
            return True
    return False


def encoded_forms(secret: str) -> set[str]:
    """The secret as a URL, a repr, JSON, base64, base32 and hex would write it (the
    search ignores case, so upper-case hex and percent-escapes are found too)."""
    raw = secret.encode()
    standard = base64.b64encode(raw).decode()
    urlsafe = base64.urlsafe_b64encode(raw).decode()
    return {
        secret,
        urllib.parse.quote(secret, safe=""),
        urllib.parse.quote(secret),
        urllib.parse.quote_plus(secret),
        base64.b32encode(raw).decode().rstrip("="),
        secret.encode("unicode_escape").decode(),
        json.dumps(secret)[1:-1],
        standard,
        standard.rstrip("="),
        urlsafe.rstrip("="),
        raw.hex(),
    }


def project_secrets(environ: Mapping[str, str], not_secret: frozenset[str]) -> list[str]:
    """The secret values of this process's environment (which .env fills), in every form."""
    found: set[str] = set()
    for name, value in environ.items():
        # A path is not a secret, whatever its variable is called (the shell's PWD, an
        # agent's SSH_AUTH_SOCK), and it is in every stack frame's file name.
        if name in not_secret or not value or (os.path.isabs(value) and os.path.exists(value)):
            continue
        named_secret = name_kind(name) == "credential"
        items = [value, *(item.strip() for item in value.split(","))] if "," in value else [value]
        found.update(item for item in items if named_secret or looks_like_credential(item))
        if "://" in value:
            try:
                parts = urllib.parse.urlsplit(value)
                found.add(urllib.parse.unquote(parts.password or ""))
                if name == "SENTRY_DSN":
                    found.add(parts.username or "")
            except ValueError:  # a port that is not a number: not a URL after all
                pass
    secrets = {value for value in found if len(value) >= MIN_SECRET_LENGTH}
    forms = {form for secret in secrets for form in encoded_forms(secret) if len(form) >= MIN_SECRET_LENGTH}
    # The longest first, so no secret is half-replaced by another.
    return sorted(forms, key=len, reverse=True)


# --- Credentials in text ---------------------------------------------------------------

# A value: quoted (to its closing quote, or to the end of the text when none closes it,
# so a value cut short goes whole), bracketed (a list, tuple, set or dict up to the first
# bracket that closes it, with none of its kind inside), or a bare word.
# A string prefix (b'', r'', u'') belongs to the value, and an escaped quote does not end it.
QUOTED = r"[bBrRuUfF]{0,2}(?:'(?:[^'\\]|\\.)*'?|\"(?:[^\"\\]|\\.)*\"?)"
BRACKETED = r"\[[^\[\]]{0,500}\]|\([^()]{0,500}\)|\{[^{}]{0,500}\}"
BARE = r"[^\s&;#,)}\]'\"<>]+"
# A name, with the brackets of user[password] after its first characters only: a run of
# "[" is then no run of names to try.
PAIR_NAME = r"[\w.%+-]{1,100}(?:\[[\w.%+-]{0,100}\]){0,3}"
# name=value, name = value, name: value, name => value, 'name': value, "name" = value,
# name 'value' (SQL's PASSWORD 'x'): at the start of the text or after a separator, as
# query strings, form bodies, log messages, reprs, JSON, YAML and SQL write them.
PAIR = re.compile(
    r"(?P<start>(?:^|(?<=[?&;#,(\s'\"{\[]))(?P<quote>['\"]?)(?P<name>" + PAIR_NAME + r")(?P=quote)"
    r"(?:[ \t]{0,10}(?:=>?|:)[ \t]{0,10}|[ \t]{1,10}(?=['\"])))"
    r"(?P<value>" + QUOTED + "|" + BRACKETED + "|" + BARE + ")"
)
# "Name: value" on a line of its own (an HTTP header, YAML): the value runs to the end.
LINE_PAIR = re.compile(
    r"(?m)(?P<start>^[ \t]{0,20}(?P<name>[\w.-]{1,100})[ \t]{0,10}:[ \t]{0,10})(?P<value>.+)$"
)
# ('name', value) and ["name", value], as a list of pairs writes them.
TUPLE_PAIR = re.compile(
    r"(?P<start>[(\[][ \t]{0,10}(?P<quote>['\"])(?P<name>"
    + PAIR_NAME
    + r")(?P=quote)[ \t]{0,10},[ \t]{0,10})"
    r"(?P<value>" + QUOTED + "|" + BARE + ")"
)
# {'name': 'token', 'value': x}, as a list of records writes a pair.
RECORD_PAIR = re.compile(
    r"(?P<start>(?P<q1>['\"])(?:name|key|field|header)(?P=q1)[ \t]{0,10}:[ \t]{0,10}"
    r"(?P<q2>['\"])(?P<name>" + PAIR_NAME + r")(?P=q2)[ \t]{0,10},[ \t]{0,10}"
    r"(?P<q3>['\"])value(?P=q3)[ \t]{0,10}:[ \t]{0,10})(?P<value>" + QUOTED + "|" + BARE + ")"
)
# <password>value</password>, <api_key type="x">value<...
XML_ELEMENT = re.compile(r"(?P<start><(?P<name>[\w.:-]{1,100})(?:\s[^<>]{0,200})?>)(?P<value>[^<]+)")
# An Authorization header's scheme and its credentials, anywhere in a text.
AUTHORIZATION = re.compile(
    r"(?P<scheme>\b(?:Basic|Bearer|bearer|Negotiate|NTLM|HOBA|Mutual|DPoP|ApiKey|Token|AWS4-HMAC-SHA256)"
    r"[ \t]{1,10})[A-Za-z0-9+/=._~-]{6,}|(?P<digest>\bDigest[ \t]{1,10})[^\r\n]+"
)
# A session's key in a cache key (Django's cache and cached_db session engines), as
# cache and Redis spans and breadcrumbs write it.
SESSION_CACHE_KEY = re.compile(r"(?P<prefix>django\.contrib\.sessions\.cache(?:d_db)?)[A-Za-z0-9]{8,}")
# An email address in any text, whatever holds it (a `recipient_list`, a message, a
# task's repr): personal data that no field name gives away.
# The last label holds a letter: react@18.2.0 is a package's version, not an address.
EMAIL_ADDRESS = re.compile(
    r"[\w.+-]{1,64}(?:@|%40)[\w-]{1,63}(?:\.[\w-]{1,63})*\.[\w-]{0,62}[A-Za-z][\w-]{0,62}\b"
)
# A card number in any text: 13 to 19 digits, spaced or not, that pass the Luhn check,
# standing alone (not the digits inside a hex id: a trace or profiler id, a UUID).
CARD_NUMBER = re.compile(r"(?<![A-Za-z0-9.])\d(?:[ -]?\d){12,18}(?![A-Za-z0-9.])")
# How many times a value is percent-decoded to see what it hides (a link inside a link
# inside a redirect); each decoding is looked at once, without decoding further.
DECODINGS = 3
# How deep pairs inside quoted and bracketed values are looked at.
NESTING = 3
CLOSING = {"'": "'", '"': '"', "[": "]", "(": ")", "{": "}"}

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
        "end_timestamp",
        "platform",
        "level",
        "trace_id",
        "span_id",
        "parent_span_id",
        "segment_id",
        "is_segment",
        "same_process_as_parent",
        "op",
        "origin",
        "sdk",
        "environment",
        "release",
        "sentry.environment",
        "sentry.release",
        # The source lines around each frame's line: the project's code and its
        # libraries', as the repository holds them; secrets come from the environment.
        "pre_context",
        "context_line",
        "post_context",
    }
)
# Counters the SDK writes under names that would read as credentials.
STRUCTURAL_PREFIXES = ("gen_ai.usage.",)

# Span and log attributes that say what a process is, not what it handled, yet may hold
# a password: a command line (sentry-sdk 3 adds it to every root span).
DROPPED_ATTRIBUTES = frozenset({"process.command_args"})
# Log attributes repeating the arguments of a log call, already in its formatted body.
LOG_PARAMETER_PREFIX = "sentry.message.parameter."
HEADER_ATTRIBUTE_PREFIX = "http.request.header."
# Span attributes and breadcrumb data that hold a query string, or a URL with one, and
# the span attributes that copy a request header.
QUERY_FIELDS = frozenset({"http.query", "url.query"})
URL_FIELDS = frozenset({"url", "url.full", "http.url", "url.path"})
HEADER_COPIES = {"user_agent.original": "user-agent"}


# At most this many scrubbed strings are remembered, each read to MAX_TEXT and a secret.
SCRUBBED_STRINGS_CACHED = 512
# What a client writes (a header's value, a URL, a query string) is cut shorter: browsers
# send a few hundred characters, and a client filling every header and URL it may send
# must not multiply the rules' work.
MAX_CLIENT_TEXT = 1024


# Past this many characters of text in one event (a view holding a large parsed body in
# a variable), the rest of its strings are left out whole, so no request can make the
# filter's pass long: the SDK itself would send such an event of megabytes.
EVENT_TEXT_BUDGET = 24_000
# The parts of an event read first, so that a budget spent leaves out the least useful.
READ_FIRST = ("request", "logentry", "message", "exception", "tags", "contexts", "extra")
LEFT_OUT = "[cut: the event holds too much text]"
# At most this many values the allowlists withheld from a request are looked for, each
# from 6 to 1,024 characters long (shorter ones are ordinary words), in the rest of its
# event (a view holding request.POST).
WITHHELD_VALUES = 256
MIN_WITHHELD_LENGTH = 6


def is_card_number(digits: str) -> bool:
    numbers = [int(character) for character in digits if character.isdigit()]
    checksum = sum(numbers[-1::-2]) + sum(sum(divmod(2 * n, 10)) for n in numbers[-2::-2])
    return checksum % 10 == 0


def _scrub_card_number(match: re.Match[str]) -> str:
    return SCRUBBED if is_card_number(match[0]) else match[0]


def cut(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - len(CUT_MARK)] + CUT_MARK


def without_disallowed_values(value: Any, allowed: frozenset[str], name: str | None = None) -> Any:
    """A body's structure with its field names, and values only under allowed names."""
    if isinstance(value, dict):
        return {
            key: item
            if isinstance(key, str) and key.lower() in allowed
            else without_disallowed_values(item, allowed)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [without_disallowed_values(item, allowed) for item in value]
    return value if value in (None, "") else SCRUBBED


def filtered_query(query: str, allowed: frozenset[str]) -> str:
    """A query string with its names, and values only for allowed names. A name that looks
    like a credential is a value (a link's ?<token>, which the SDK writes <token>=)."""
    pairs = []
    for pair in cut(query, MAX_CLIENT_TEXT).split("&"):
        raw_name, equals, _ = pair.partition("=")
        name = urllib.parse.unquote_plus(raw_name)
        if name.lower() in allowed:
            pairs.append(pair)
        elif looks_like_credential(name):
            pairs.append(SCRUBBED)
        else:
            pairs.append(f"{raw_name}={SCRUBBED}" if equals else pair)
    return "&".join(pairs)


def filtered_path(path: str) -> str:
    """A path without the segments that look like a credential (/reset/<uid>/<token>/)."""
    return "/".join(SCRUBBED if looks_like_credential(segment) else segment for segment in path.split("/"))


def filtered_url(url: str, allowed: frozenset[str]) -> str:
    """A URL with its path's credential-like segments, and its query's values but for
    allowed names, taken out; and no fragment."""
    base, question, rest = cut(url, MAX_CLIENT_TEXT).partition("?")
    scheme, separator, location = base.rpartition("://")
    host, slash, path = location.partition("/")
    base = f"{scheme}{separator}{host}{slash}{filtered_path(path)}"
    query, hash_mark, fragment = rest.partition("#")
    if not hash_mark:
        base, hash_mark, fragment = base.partition("#")
    return (
        f"{base}{question}{filtered_query(query, allowed) if question else ''}{hash_mark and '#' + SCRUBBED}"
    )


# A segment of a path in any text ("Not Found: /reset/MjQ/<token>/"), judged by its look.
PATH_SEGMENT = re.compile(r"(?<=/)[A-Za-z0-9._~+-]{8,200}(?=/|$|[\s?#'\",;)\]])")


def _scrub_path_segment(match: re.Match[str]) -> str:
    return SCRUBBED if looks_like_credential(match[0]) else match[0]


# A URL inside a span's name (an outgoing request's "GET https://...").
URL_IN_TEXT = re.compile(r"[a-z][a-z0-9+.-]{0,20}://\S+")
# A request as Django and Django REST framework write it, with its full path and query
# string, in a message or a value that formatted one (f"{request}").
REQUEST_IN_TEXT = re.compile(
    r"(?P<start><[\w.]{0,100}Request: [A-Z]{1,20} )(?P<path>'[^'\n]*'|\"[^\"\n]*\")>"
)


def short_text(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= MAX_TEXT


def within_budget(attributes: dict[str, Any]) -> bool:
    """Whether every string of these attributes, as scrub() counts them, fits one span's
    text budget, so that none is left out for the others."""
    total = 0
    for name, value in attributes.items():
        total += min(len(name), MAX_TEXT)
        if isinstance(value, str):
            total += min(len(value), MAX_TEXT)
        elif not isinstance(value, (int, float, bool)) and value is not None:
            return False  # a list (sentry-sdk 3's header values): counted by scrub() itself
    return total <= EVENT_TEXT_BUDGET


def leaves(value: Any) -> set[str]:
    """The strings inside a request's headers, query and body, and its query's values."""
    if isinstance(value, str):
        found = {value}
        if "=" in value:
            found |= {
                item for _, item in urllib.parse.parse_qsl(value[:MAX_TEXT], max_num_fields=WITHHELD_VALUES)
            }
        return found
    if isinstance(value, dict):
        return set().union(*map(leaves, value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*map(leaves, value)) if value else set()
    return set()


def without_values(value: Any, withheld: set[str]) -> Any:
    """The event with the values the allowlists withheld from its request taken out
    wherever else they are (a view's variable holding request.POST, a message built
    from a field), raw and as a query string writes them."""
    values = sorted(
        (
            item
            for item in withheld
            if MIN_WITHHELD_LENGTH <= len(item) <= MAX_CLIENT_TEXT and item != SCRUBBED
        ),
        key=len,
        reverse=True,
    )[:WITHHELD_VALUES]
    if not values:
        return value
    forms = {form for item in values for form in (item, urllib.parse.quote_plus(item))}
    pattern = re.compile("|".join(map(re.escape, sorted(forms, key=len, reverse=True))))

    def replace(item: Any) -> Any:
        if isinstance(item, str):
            return pattern.sub(SCRUBBED, item) if item and item != SCRUBBED else item
        if isinstance(item, dict):
            return {
                replace(name): entry if name in STRUCTURAL_FIELDS else replace(entry)
                for name, entry in item.items()
            }
        if isinstance(item, list):
            return [replace(entry) for entry in item]
        return item

    return replace(value)


class PrivacyFilter:
    """before_send, before_send_span and before_send_log: scrubs in place, once."""

    def __init__(self, secrets: list[str], allowlists: Allowlists, personal_data: bool = False) -> None:
        self.allowlists = allowlists
        self.personal_data = personal_data
        # Case aside: hex and percent-escapes come in upper and lower case.
        self.secrets = re.compile("|".join(map(re.escape, secrets)), re.IGNORECASE) if secrets else None
        self.shortest_secret = min(map(len, secrets), default=0)
        # Text is searched for secrets this much past where it is cut, so that no secret
        # across the cut leaves its first half; the SDK cuts what it serialises there too.
        self.longest_secret = max(map(len, secrets), default=0)
        # The same strings come back in an event (a path in the URL, the span name, a
        # breadcrumb) and from event to event (modules, messages, the same attribute
        # names and values on every span): each is scrubbed once, its secrets included.
        self.scrub_read_string = functools.lru_cache(maxsize=SCRUBBED_STRINGS_CACHED)(self._scrub_read_string)
        # typed: True and 1 are different values to send.
        self.scrub_attribute = functools.lru_cache(maxsize=SCRUBBED_STRINGS_CACHED, typed=True)(
            self.scrub_attribute_uncached
        )

    @classmethod
    def from_environment(cls, allowlists: Allowlists, personal_data: bool) -> "PrivacyFilter":
        """A filter that knows this process's secrets: its environment's credentials."""
        return cls(project_secrets(os.environ, allowlists.not_secret_variables), allowlists, personal_data)

    @property
    def allowed_headers(self) -> list[str]:
        return sorted(self.allowlists.request_headers)

    @property
    def allowed_query_parameters(self) -> list[str]:
        return sorted(self.allowlists.query_parameters)

    @property
    def max_value_length(self) -> int:
        """Where the SDK cuts strings: far enough past MAX_TEXT that no secret across
        the filter's own cut arrives half."""
        return MAX_TEXT + self.longest_secret

    # --- The three kinds of telemetry -------------------------------------------------

    def __call__(self, event: Event, hint: Hint) -> Event:
        logentry: Any = event.get("logentry")
        if isinstance(logentry, dict):
            # The arguments of a log call are already in its formatted message, where the
            # rules below can see the name next to each value; alone they cannot.
            logentry.pop("params", None)
        request: Any = event.get("request")
        withheld: set[str] = set()
        if isinstance(request, dict):
            before = leaves(request)
            self.filter_request(request)
            withheld = before - leaves(request)
        for breadcrumb in (event.get("breadcrumbs") or {}).get("values") or []:
            if isinstance(breadcrumb.get("data"), dict):
                self.filter_queries(breadcrumb["data"])
        if not self.allowlists.library_frame_variables:
            self.drop_library_frame_variables(event)
        budget = [EVENT_TEXT_BUDGET]
        order = sorted(
            event, key=lambda name: READ_FIRST.index(name) if name in READ_FIRST else len(READ_FIRST)
        )
        scrubbed = {name: self.scrub_item(name, event[name], budget) for name in order}
        sent: Event = without_values({name: scrubbed[name] for name in event}, withheld)
        return sent

    def span(self, span: Event, hint: Hint) -> Event:
        try:
            attributes = span.get("attributes") or {}
            span["name"] = self.scrub_span_name(span.get("name") or "")
            if self.is_sensitive_record(attributes) or not within_budget(attributes):
                span["attributes"] = self.scrub_attributes_whole(attributes)
                return span
            # Each attribute's outcome depends on its name and value alone while the span's
            # text is within budget, and the same pairs come back on every span (release,
            # SDK, thread, route, the same SQL): each pair is read by the rules once.
            scrubbed = {}
            for name, value in attributes.items():
                if name in DROPPED_ATTRIBUTES:
                    continue
                # Only short pairs are remembered, so no client's long text fills the cache.
                if value is None or isinstance(value, (int, float, bool)) or short_text(value):
                    name, value = self.scrub_attribute(name, value)
                else:
                    name, value = self.scrub_attribute_uncached(name, value)
                scrubbed[name] = value
            span["attributes"] = scrubbed
        except Exception:  # noqa: BLE001 (the SDK would send the span as it was)
            span = {"name": SCRUBBED, "attributes": {}}
        return span

    def scrub_span_name(self, name: str) -> str:
        return self.scrub_string(
            URL_IN_TEXT.sub(lambda url: filtered_url(url[0], self.allowlists.query_parameters), name)
        )

    def scrub_attributes_whole(self, attributes: dict[str, Any]) -> dict[str, Any]:
        """The attributes as one record, under one text budget (a span holding more text
        than the budget, or shaped as a {"name": ..., "value": ...} record)."""
        for name in DROPPED_ATTRIBUTES.intersection(attributes):
            del attributes[name]
        for name, value in attributes.items():
            attributes[name] = self.filter_attribute(name, value)
        scrubbed: dict[str, Any] = self.scrub(attributes, [EVENT_TEXT_BUDGET])
        return scrubbed

    def filter_attribute(self, name: str, value: Any) -> Any:
        """The first layer on one attribute: a header's value, a query's values."""
        if name.startswith(HEADER_ATTRIBUTE_PREFIX):
            return self.header_value(name[len(HEADER_ATTRIBUTE_PREFIX) :], value)
        if name in HEADER_COPIES:
            return self.header_value(HEADER_COPIES[name], value)
        if isinstance(value, str) and name in QUERY_FIELDS:
            return filtered_query(self.cut(value), self.allowlists.query_parameters)
        if isinstance(value, str) and name in URL_FIELDS:
            return filtered_url(self.cut(value), self.allowlists.query_parameters)
        return value

    def scrub_attribute_uncached(self, name: str, value: Any) -> tuple[str, Any]:
        """One attribute through both layers, as scrub() reads it inside its span."""
        value = self.filter_attribute(name, value)
        return self.scrub_string(name), self.scrub_item(name, value, [EVENT_TEXT_BUDGET])

    def log(self, log: Event, hint: Hint) -> Event:
        attributes = log.get("attributes") or {}
        log["attributes"] = {
            name: as_sent(value)
            for name, value in attributes.items()
            if not name.startswith(LOG_PARAMETER_PREFIX) and name not in DROPPED_ATTRIBUTES
        }
        scrubbed: Event = self.scrub(log, [EVENT_TEXT_BUDGET])
        return scrubbed

    # --- The first layer: allowlists ---------------------------------------------------

    def header_allowed(self, name: str) -> bool:
        return name.lower() in self.allowlists.request_headers

    def header_value(self, name: str, value: Any) -> Any:
        if not self.header_allowed(name):
            return SCRUBBED
        if isinstance(value, list):  # sentry-sdk 3 sends a header's values as a list
            return [self.header_value(name, item) for item in value]
        if not isinstance(value, str):
            return value
        value = self.cut(value, MAX_CLIENT_TEXT)
        return filtered_url(value, self.allowlists.query_parameters) if name.lower() == "referer" else value

    def filter_request(self, request: dict[str, Any]) -> None:
        allowed_query = self.allowlists.query_parameters
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {name: self.header_value(name, value) for name, value in headers.items()}
        if isinstance(request.get("query_string"), str):
            request["query_string"] = filtered_query(self.cut(request["query_string"]), allowed_query)
        if isinstance(request.get("url"), str):
            request["url"] = filtered_url(self.cut(request["url"]), allowed_query)
        if "data" in request:
            request["data"] = without_disallowed_values(request["data"], self.allowlists.body_fields)

    def filter_queries(self, data: dict[str, Any]) -> None:
        """Span attributes or breadcrumb data: a query's values only for allowed names."""
        allowed = self.allowlists.query_parameters
        for name, value in data.items():
            if isinstance(value, str) and name in QUERY_FIELDS:
                data[name] = filtered_query(self.cut(value), allowed)
            elif isinstance(value, str) and name in URL_FIELDS:
                data[name] = filtered_url(self.cut(value), allowed)

    @staticmethod
    def drop_library_frame_variables(event: Event) -> None:
        """Only the project's own frames keep their variables: a library's frames hold
        what the library was given (a login's password in smtplib, a task's arguments in
        a task queue's tracer, a body in the JSON decoder), under names nobody can list."""
        holders = [
            *((event.get("exception") or {}).get("values") or []),
            *((event.get("threads") or {}).get("values") or []),
        ]
        for holder in holders:
            for frame in (holder.get("stacktrace") or {}).get("frames") or []:
                if not frame.get("in_app"):
                    frame.pop("vars", None)

    # --- The second layer: rules --------------------------------------------------------

    def is_sensitive(self, name: str) -> bool:
        kind = name_kind(name)
        return kind == "credential" or (kind == "personal" and not self.personal_data)

    def scrub(self, value: Any, budget: list[int]) -> Any:
        """`budget`: the characters of text this event may still have read; past it, the
        rest of its strings are left out."""
        if isinstance(value, str):
            if budget[0] <= 0:
                return LEFT_OUT
            budget[0] -= min(len(value), MAX_TEXT)
            return self.scrub_string(value)
        if isinstance(value, dict):
            if self.is_sensitive_record(value):
                value = {**value, "value": SCRUBBED}
            # A key can hold a secret too ({settings.SECRET_KEY: ...}, an address).
            return {
                self.scrub_string(name) if isinstance(name, str) else name: self.scrub_item(
                    name, item, budget
                )
                for name, item in value.items()
            }
        if isinstance(value, list):
            if self.is_sensitive_pair(value):
                value = [value[0], SCRUBBED]
            return [self.scrub(item, budget) for item in value]
        return value

    def is_sensitive_pair(self, items: list[Any]) -> bool:
        """["token", ...]: a pair written as a tuple (("password", x) in a variable or a
        log's extra, which the SDK sends as a list)."""
        return len(items) == 2 and isinstance(items[0], str) and self.hides(items[0], items[1])

    def hides(self, name: str, item: Any) -> bool:
        """Whether `item`, found under `name`, is taken out whole. A flag says nothing
        secret (mfa_required, email_verified)."""
        return item not in (None, "") and not isinstance(item, bool) and self.is_sensitive(name)

    def is_sensitive_record(self, record: dict[Any, Any]) -> bool:
        """{"name": "token", "value": ...}: a pair written as a record."""
        if "value" not in record:
            return False
        names = (record.get(key) for key in ("name", "key", "field", "header"))
        return any(isinstance(name, str) and self.is_sensitive(name) for name in names)

    def scrub_item(self, name: Any, item: Any, budget: list[int]) -> Any:
        if not isinstance(name, str):
            return self.scrub(item, budget)
        if name in STRUCTURAL_FIELDS or name.startswith(STRUCTURAL_PREFIXES):
            return item
        if self.hides(name, item):
            return SCRUBBED
        return self.scrub(item, budget)

    def scrub_secrets(self, text: str) -> str:
        # Most strings are shorter than any secret: no search needed.
        if self.secrets is None or len(text) < self.shortest_secret:
            return text
        return self.secrets.sub(SCRUBBED, text)

    def cut(self, text: str, limit: int = MAX_TEXT) -> str:
        """The text cut to `limit`, its secrets taken out first."""
        return cut(self.scrub_secrets(text[: limit + self.longest_secret]), limit)

    def scrub_string(self, text: str, decode: bool = True) -> str:
        # Only the part cut() reads is remembered, so no long text fills the cache.
        return self.scrub_read_string(text[: MAX_TEXT + self.longest_secret], decode)

    def _scrub_read_string(self, text: str, decode: bool) -> str:
        text = self.cut(text)
        if "Request: " in text:
            text = REQUEST_IN_TEXT.sub(self._scrub_request_repr, text)
        text = mask_url_passwords(text)
        if "/" in text:
            text = PATH_SEGMENT.sub(_scrub_path_segment, text)
        if sum(character.isdigit() for character in text[:MAX_TEXT]) >= 13:
            text = CARD_NUMBER.sub(_scrub_card_number, text)
        if not self.personal_data and ("@" in text or "%40" in text):
            text = EMAIL_ADDRESS.sub(SCRUBBED, text)
        if "django.contrib.sessions.cache" in text:
            text = SESSION_CACHE_KEY.sub(rf"\g<prefix>{SCRUBBED}", text)
        text = AUTHORIZATION.sub(self._scrub_authorization, text)
        if "<" in text:
            text = XML_ELEMENT.sub(self._scrubber(decode, NESTING), text)
        return self.scrub_pairs(text, decode, NESTING)

    def _scrub_request_repr(self, match: re.Match[str]) -> str:
        quote, path = match["path"][0], match["path"][1:-1]
        return f"{match['start']}{quote}{filtered_url(path, self.allowlists.query_parameters)}{quote}>"

    @staticmethod
    def _scrub_authorization(match: re.Match[str]) -> str:
        return f"{match['scheme'] or match['digest']}{SCRUBBED}"

    def _scrubber(self, decode: bool, depth: int) -> Callable[[re.Match[str]], str]:
        def scrub_pair(match: re.Match[str]) -> str:
            return self._scrub_pair(match, decode, depth)

        return scrub_pair

    def scrub_pairs(self, text: str, decode: bool, depth: int) -> str:
        scrub_pair = self._scrubber(decode, depth)
        if ":" in text:
            text = LINE_PAIR.sub(scrub_pair, text)
        if "=" in text or ":" in text or "'" in text or '"' in text:
            text = PAIR.sub(scrub_pair, text)
        if "," in text:
            text = TUPLE_PAIR.sub(scrub_pair, text)
            if "value" in text:
                text = RECORD_PAIR.sub(scrub_pair, text)
        return text

    def _scrub_pair(self, match: re.Match[str], decode: bool, depth: int) -> str:
        start, value = match["start"], match["value"]
        prefix = len(value) - len(value.lstrip("bBrRuUfF"))
        if prefix > 2 or value[prefix : prefix + 1] not in ("'", '"'):
            prefix = 0  # letters of a bare word, not a string's prefix
        start, value = start + value[:prefix], value[prefix:]
        opening = value[0] if value[0] in CLOSING else ""
        closing = value[-1] if opening and len(value) > 1 and value[-1] == CLOSING[opening] else ""
        if self.is_sensitive(urllib.parse.unquote_plus(match["name"])):
            quote = opening if opening in "'\"" else ""
            return f"{start}{quote}{SCRUBBED}{closing if quote else ''}"
        if depth > 0 and opening:
            # The pairs inside a harmless quoted or bracketed value are judged by their own
            # names ('kwargs': {'api_token': ...}, 'query': 'a=1&token=x').
            inner = self.scrub_pairs(value[1 : len(value) - len(closing)], decode, depth - 1)
            return f"{start}{opening}{inner}{closing}"
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


def as_sent(value: Any) -> Any:
    """A log attribute as the SDK will send it, for the rules to read: a log record's
    `extra` arrives as it was given (django.request's `request`, a project's objects), and
    the SDK writes the repr of any object after before_send_log."""
    if value is None or isinstance(value, (str, int, float, bool, dict, list)):
        return value
    if isinstance(value, tuple):
        return list(value)
    try:
        return request_repr(value) or repr(value)
    except Exception:  # noqa: BLE001 (an object whose repr fails says nothing)
        return SCRUBBED


def request_repr(value: object) -> str | None:
    """custom_repr for frame variables: a request without its query string, which may
    carry tokens (the SDK falls back to repr() for anything else)."""
    if isinstance(value, HttpRequest):
        return f"<{type(value).__name__}: {value.method} {value.path!r}>"
    return None
