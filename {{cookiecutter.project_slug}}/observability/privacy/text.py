"""Credentials written into text, taken out of any string: user:password@ in a URL;
name=value, name = value, name: value (YAML, headers), 'name': value (reprs, JSON),
('name', value) and {'name': 'token', 'value': ...} pairs, judged by their name;
<password>...</password>; an Authorization scheme's credentials (Basic, Bearer...); a
session's cache key; a path segment or a card number by its look; an email address
unless personal data is on; and the project's secrets (secrets.py) in all of them.

Every rule is linear in the length of its text, and a text is cut to MAX_TEXT first:
an attacker chooses the strings, and must not choose the cost.
"""

import functools
import re
import urllib.parse
from collections.abc import Callable

from core.env import mask_url_passwords
from observability.privacy.client_data import filtered_url
from observability.privacy.names import is_sensitive
from observability.privacy.secrets import MAX_TEXT, SCRUBBED, Secrets, looks_like_credential

# A value: quoted (to its closing quote, or to the end of the text when none closes it,
# so a value cut short goes whole), bracketed (a list, tuple, set or dict up to the first
# bracket that closes it, with none of its kind inside), or a bare word.
# A string prefix (b'', r'', u'') belongs to the value, and an escaped quote does not end it.
_QUOTED = r"[bBrRuUfF]{0,2}(?:'(?:[^'\\]|\\.)*'?|\"(?:[^\"\\]|\\.)*\"?)"
_BRACKETED = r"\[[^\[\]]{0,500}\]|\([^()]{0,500}\)|\{[^{}]{0,500}\}"
_BARE = r"[^\s&;#,)}\]'\"<>]+"
# A name, with the brackets of user[password] after its first characters only: a run of
# "[" is then no run of names to try.
_NAME = r"[\w.%+-]{1,100}(?:\[[\w.%+-]{0,100}\]){0,3}"
# name=value, name = value, name: value, name => value, 'name': value, "name" = value,
# name 'value' (SQL's PASSWORD 'x'): at the start of the text or after a separator, as
# query strings, form bodies, log messages, reprs, JSON, YAML and SQL write them.
_PAIR = re.compile(
    r"(?P<start>(?:^|(?<=[?&;#,(\s'\"{\[]))(?P<quote>['\"]?)(?P<name>" + _NAME + r")(?P=quote)"
    r"(?:[ \t]{0,10}(?:=>?|:)[ \t]{0,10}|[ \t]{1,10}(?=['\"])))"
    r"(?P<value>" + _QUOTED + "|" + _BRACKETED + "|" + _BARE + ")"
)
# What follows a bare value that names a pair of its own ("Error: password = 'x'").
_SEPARATOR_NEXT = re.compile(r"[ \t]{0,10}[=:'\"]")
# "Name: value" on a line of its own (an HTTP header, YAML): the value runs to the end.
_LINE_PAIR = re.compile(
    r"(?m)(?P<start>^[ \t]{0,20}(?P<name>[\w.-]{1,100})[ \t]{0,10}:[ \t]{0,10})(?P<value>.+)$"
)
# ('name', value) and ["name", value], as a list of pairs writes them.
_TUPLE_PAIR = re.compile(
    r"(?P<start>[(\[][ \t]{0,10}(?P<quote>['\"])(?P<name>" + _NAME + r")(?P=quote)[ \t]{0,10},[ \t]{0,10})"
    r"(?P<value>" + _QUOTED + "|" + _BARE + ")"
)
# {'name': 'token', 'value': x}, as a list of records writes a pair.
_RECORD_PAIR = re.compile(
    r"(?P<start>(?P<q1>['\"])(?:name|key|field|header)(?P=q1)[ \t]{0,10}:[ \t]{0,10}"
    r"(?P<q2>['\"])(?P<name>" + _NAME + r")(?P=q2)[ \t]{0,10},[ \t]{0,10}"
    r"(?P<q3>['\"])value(?P=q3)[ \t]{0,10}:[ \t]{0,10})(?P<value>" + _QUOTED + "|" + _BARE + ")"
)
# <password>value</password>, <api_key type="x">value<...
_XML_ELEMENT = re.compile(r"(?P<start><(?P<name>[\w.:-]{1,100})(?:\s[^<>]{0,200})?>)(?P<value>[^<]+)")
# An Authorization header's scheme and its credentials, anywhere in a text.
_AUTHORIZATION = re.compile(
    r"(?P<scheme>\b(?:Basic|Bearer|bearer|Negotiate|NTLM|HOBA|Mutual|DPoP|ApiKey|Token|AWS4-HMAC-SHA256)"
    r"[ \t]{1,10})[A-Za-z0-9+/=._~-]{6,}|(?P<digest>\bDigest[ \t]{1,10})[^\r\n]+"
)
# A session's key in a cache key (Django's cache and cached_db session engines), as
# cache and Redis spans and breadcrumbs write it.
_SESSION_CACHE_KEY = re.compile(r"(?P<prefix>django\.contrib\.sessions\.cache(?:d_db)?)[A-Za-z0-9]{8,}")
# An email address in any text, whatever holds it (a `recipient_list`, a message, a
# task's repr): personal data that no field name gives away.
# The last label holds a letter: react@18.2.0 is a package's version, not an address.
_EMAIL_ADDRESS = re.compile(
    r"[\w.+-]{1,64}(?:@|%40)[\w-]{1,63}(?:\.[\w-]{1,63})*\.[\w-]{0,62}[A-Za-z][\w-]{0,62}\b"
)
# A card number in any text: 13 to 19 digits, spaced or not, that pass the Luhn check,
# standing alone (not the digits inside a hex id: a trace or profiler id, a UUID).
_CARD_NUMBER = re.compile(r"(?<![A-Za-z0-9.])\d(?:[ -]?\d){12,18}(?![A-Za-z0-9.])")
# A segment of a path in any text ("Not Found: /reset/MjQ/<token>/"), judged by its look;
# a mailed link's key may be signed ("MQ:1xa...:7Nbg...") and percent-encoded ("MQ%3A1xa").
_PATH_SEGMENT = re.compile(r"(?<=/)[A-Za-z0-9._~+%:-]{8,200}(?=/|$|[\s?#'\",;)\]])")
# A request as Django and Django REST framework write it, with its full path and query
# string, in a message or a value that formatted one (f"{request}").
_REQUEST_IN_TEXT = re.compile(
    r"(?P<start><[\w.]{0,100}Request: [A-Z]{1,20} )(?P<path>'[^'\n]*'|\"[^\"\n]*\")>"
)
# How many times a value is percent-decoded to see what it hides (a link inside a link
# inside a redirect); each decoding is looked at once, without decoding further.
_DECODINGS = 3
# How deep pairs inside quoted and bracketed values are looked at.
_NESTING = 3
_CLOSING = {"'": "'", '"': '"', "[": "]", "(": ")", "{": "}"}
# At most this many scrubbed strings are remembered, each read to MAX_TEXT and a secret.
_SCRUBBED_STRINGS_CACHED = 512


def _scrub_card_number(match: re.Match[str]) -> str:
    numbers = [int(character) for character in match[0] if character.isdigit()]
    checksum = sum(numbers[-1::-2]) + sum(sum(divmod(2 * n, 10)) for n in numbers[-2::-2])
    return SCRUBBED if checksum % 10 == 0 else match[0]


def _scrub_path_segment(match: re.Match[str]) -> str:
    return SCRUBBED if looks_like_credential(match[0]) else match[0]


def _scrub_authorization(match: re.Match[str]) -> str:
    return f"{match['scheme'] or match['digest']}{SCRUBBED}"


def _names_a_pair(text: str, match: re.Match[str]) -> bool:
    """Whether a pair's bare value may name a pair of its own ("password" in "Error:
    password = 'x'", the value of "Error" and the name of 'x') or be one ("Error: password=x")."""
    if match["value"][0] in _CLOSING:
        return False
    end = match.end()
    return bool(_SEPARATOR_NEXT.match(text, end) or _PAIR.search(text, match.start("value"), end))


class TextRules:
    """The rules for one process: its secrets, allowed query names and personal-data switch."""

    def __init__(self, secrets: Secrets, query_parameters: frozenset[str], personal_data: bool) -> None:
        self.secrets = secrets
        self._query_parameters = query_parameters
        self._personal_data = personal_data
        # The same strings come back in an event (a path in the URL, the span name, a
        # breadcrumb) and from event to event (modules, messages, the same attribute
        # names and values on every span): each is scrubbed once, its secrets included.
        self._scrub_read = functools.lru_cache(maxsize=_SCRUBBED_STRINGS_CACHED)(self._scrub_read_uncached)

    def scrub(self, text: str, decode: bool = True) -> str:
        # Only the part cut() reads is remembered, so no long text fills the cache.
        return self._scrub_read(text[: MAX_TEXT + self.secrets.longest], decode)

    def _scrub_read_uncached(self, text: str, decode: bool) -> str:
        text = self.secrets.cut(text)
        if "Request: " in text:
            text = _REQUEST_IN_TEXT.sub(self._scrub_request_repr, text)
        text = mask_url_passwords(text)
        if "/" in text:
            text = _PATH_SEGMENT.sub(_scrub_path_segment, text)
        if sum(character.isdigit() for character in text[:MAX_TEXT]) >= 13:
            text = _CARD_NUMBER.sub(_scrub_card_number, text)
        if not self._personal_data and ("@" in text or "%40" in text):
            text = _EMAIL_ADDRESS.sub(SCRUBBED, text)
        if "django.contrib.sessions.cache" in text:
            text = _SESSION_CACHE_KEY.sub(rf"\g<prefix>{SCRUBBED}", text)
        text = _AUTHORIZATION.sub(_scrub_authorization, text)
        if "<" in text:
            text = _XML_ELEMENT.sub(self._scrubber(decode, _NESTING), text)
        return self._scrub_pairs(text, decode, _NESTING)

    def _scrub_request_repr(self, match: re.Match[str]) -> str:
        quote, path = match["path"][0], match["path"][1:-1]
        return f"{match['start']}{quote}{filtered_url(path, self._query_parameters)}{quote}>"

    def _scrubber(self, decode: bool, depth: int) -> Callable[[re.Match[str]], str]:
        def scrub_pair(match: re.Match[str]) -> str:
            return self._scrub_pair(match, decode, depth)

        return scrub_pair

    def _scrub_pairs(self, text: str, decode: bool, depth: int) -> str:
        scrub_pair = self._scrubber(decode, depth)
        if ":" in text:
            text = _LINE_PAIR.sub(scrub_pair, text)
        if "=" in text or ":" in text or "'" in text or '"' in text:
            text = self._scrub_spaced_pairs(text, decode, depth)
        if "," in text:
            text = _TUPLE_PAIR.sub(scrub_pair, text)
            if "value" in text:
                text = _RECORD_PAIR.sub(scrub_pair, text)
        return text

    def _scrub_spaced_pairs(self, text: str, decode: bool, depth: int) -> str:
        """_PAIR's matches replaced; where a harmless pair's bare value may name a pair
        (_names_a_pair), the text is read again, from each such value on."""
        reread = False

        def scrub_pair(match: re.Match[str]) -> str:
            nonlocal reread
            scrubbed = self._scrub_pair(match, decode, depth)
            reread = reread or (scrubbed == match[0] and _names_a_pair(text, match))
            return scrubbed

        scrubbed = _PAIR.sub(scrub_pair, text)
        if not reread:
            return scrubbed
        pieces, done = [], 0
        while (match := _PAIR.search(text, done)) is not None:
            scrubbed = scrub_pair(match)
            if scrubbed == match[0] and _names_a_pair(text, match):
                pieces.append(text[done : match.start("value")])
                done = match.start("value")
            else:
                pieces.append(text[done : match.start()] + scrubbed)
                done = match.end()
        return "".join(pieces) + text[done:]

    def _scrub_pair(self, match: re.Match[str], decode: bool, depth: int) -> str:
        start, value = match["start"], match["value"]
        prefix = len(value) - len(value.lstrip("bBrRuUfF"))
        if prefix > 2 or value[prefix : prefix + 1] not in ("'", '"'):
            prefix = 0  # letters of a bare word, not a string's prefix
        start, value = start + value[:prefix], value[prefix:]
        opening = value[0] if value[0] in _CLOSING else ""
        closing = value[-1] if opening and len(value) > 1 and value[-1] == _CLOSING[opening] else ""
        if is_sensitive(urllib.parse.unquote_plus(match["name"]), self._personal_data):
            quote = opening if opening in "'\"" else ""
            return f"{start}{quote}{SCRUBBED}{closing if quote else ''}"
        if depth > 0 and opening:
            # The pairs inside a harmless quoted or bracketed value are judged by their own
            # names ('kwargs': {'api_token': ...}, 'query': 'a=1&token=x').
            inner = self._scrub_pairs(value[1 : len(value) - len(closing)], decode, depth - 1)
            return f"{start}{opening}{inner}{closing}"
        if decode and "%" in value and self._hides_something(value):
            return f"{start}{SCRUBBED}"
        return match[0]

    def _hides_something(self, value: str) -> bool:
        """Whether a percent-encoded value, decoded, holds what the rules take out (a
        query's ?next=%3Ftoken%3Dx, ?to=ada%40example.com)."""
        decoded = value
        for _ in range(_DECODINGS):
            decoded, previous = urllib.parse.unquote_plus(decoded), decoded
            if decoded == previous:
                break
        return self.scrub(decoded, decode=False) != decoded
