"""What a client wrote (request headers, query strings, URLs, bodies), kept only under
the names the allowlists allow: every other value goes, here and wherever else in the
event it turns up (a view's variable holding request.POST, a message built from a field).
"""

import re
import urllib.parse
from typing import Any

from observability.privacy.allowlists import Allowlists
from observability.privacy.secrets import MAX_TEXT, SCRUBBED, Secrets, cut, looks_like_credential

# What a client writes (a header's value, a URL, a query string) is cut shorter: browsers
# send a few hundred characters, and a client filling every header and URL it may send
# must not multiply the rules' work.
_MAX_CLIENT_TEXT = 1024
# Span attributes and breadcrumb data that hold a query string, or a URL with one.
_QUERY_FIELDS = frozenset({"http.query", "url.query"})
_URL_FIELDS = frozenset({"url", "url.full", "http.url", "url.path"})
_HEADER_ATTRIBUTE_PREFIX = "http.request.header."
# Span attributes that copy a request header.
_HEADER_COPIES = {"user_agent.original": "user-agent"}
# At most this many values the allowlists withheld from a request are looked for, each
# from 6 to 1,024 characters long (shorter ones are ordinary words), in the rest of its
# event.
_WITHHELD_VALUES = 256
_MIN_WITHHELD_LENGTH = 6


def _without_disallowed_values(value: Any, allowed: frozenset[str]) -> Any:
    """A body's structure with its field names, and values only under allowed names."""
    if isinstance(value, dict):
        return {
            key: item
            if isinstance(key, str) and key.lower() in allowed
            else _without_disallowed_values(item, allowed)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_without_disallowed_values(item, allowed) for item in value]
    return value if value in (None, "") else SCRUBBED


def _filtered_query(query: str, allowed: frozenset[str]) -> str:
    """A query string with its names, and values only for allowed names. A name that looks
    like a credential is a value (a link's ?<token>, which the SDK writes <token>=)."""
    pairs = []
    for pair in cut(query, _MAX_CLIENT_TEXT).split("&"):
        raw_name, equals, _ = pair.partition("=")
        name = urllib.parse.unquote_plus(raw_name)
        if name.lower() in allowed:
            pairs.append(pair)
        elif looks_like_credential(name):
            pairs.append(SCRUBBED)
        else:
            pairs.append(f"{raw_name}={SCRUBBED}" if equals else pair)
    return "&".join(pairs)


def filtered_url(url: str, allowed: frozenset[str]) -> str:
    """A URL without its path's credential-like segments (/reset/<uid>/<token>/), its
    query's values but for allowed names, and its fragment."""
    base, question, rest = cut(url, _MAX_CLIENT_TEXT).partition("?")
    scheme, separator, location = base.rpartition("://")
    host, slash, path = location.partition("/")
    segments = (SCRUBBED if looks_like_credential(segment) else segment for segment in path.split("/"))
    base = f"{scheme}{separator}{host}{slash}{'/'.join(segments)}"
    query, hash_mark, fragment = rest.partition("#")
    if not hash_mark:
        base, hash_mark, fragment = base.partition("#")
    return (
        f"{base}{question}{_filtered_query(query, allowed) if question else ''}{hash_mark and '#' + SCRUBBED}"
    )


def _leaves(value: Any) -> set[str]:
    """The strings inside a request's headers, query and body, and its query's values."""
    if isinstance(value, str):
        found = {value}
        if "=" in value:
            pairs = urllib.parse.parse_qsl(value[:MAX_TEXT], max_num_fields=_WITHHELD_VALUES)
            found |= {item for _, item in pairs}
        return found
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return set().union(*map(_leaves, value)) if value else set()
    return set()


def without_values(value: Any, withheld: set[str], unread: frozenset[str]) -> Any:
    """`value` with the values the allowlists withheld from its request taken out wherever
    they are, raw and as a query string writes them; fields named in `unread` are kept."""
    lengths = range(_MIN_WITHHELD_LENGTH, _MAX_CLIENT_TEXT + 1)
    values = sorted((item for item in withheld if len(item) in lengths and item != SCRUBBED), key=len)
    values = values[::-1][:_WITHHELD_VALUES]
    if not values:
        return value
    forms = {form for item in values for form in (item, urllib.parse.quote_plus(item))}
    pattern = re.compile("|".join(map(re.escape, sorted(forms, key=len, reverse=True))))

    def replace(item: Any) -> Any:
        if isinstance(item, str):
            return pattern.sub(SCRUBBED, item) if item and item != SCRUBBED else item
        if isinstance(item, dict):
            return {replace(key): entry if key in unread else replace(entry) for key, entry in item.items()}
        if isinstance(item, list):
            return [replace(entry) for entry in item]
        return item

    return replace(value)


class ClientData:
    """The allowlists applied, with the project's secrets taken out of what they allow."""

    def __init__(self, allowlists: Allowlists, secrets: Secrets) -> None:
        self.allowlists = allowlists
        self._secrets = secrets

    def header_value(self, name: str, value: Any) -> Any:
        if name.lower() not in self.allowlists.request_headers:
            return SCRUBBED
        if isinstance(value, list):  # sentry-sdk 3 sends a header's values as a list
            return [self.header_value(name, item) for item in value]
        if not isinstance(value, str):
            return value
        value = self._secrets.cut(value, _MAX_CLIENT_TEXT)
        return filtered_url(value, self.allowlists.query_parameters) if name.lower() == "referer" else value

    def filter_request(self, request: dict[str, Any]) -> set[str]:
        """The request's headers, query and body filtered; returns the values withheld."""
        before = _leaves(request)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {name: self.header_value(name, value) for name, value in headers.items()}
        self.filter_queries(request, query_fields=frozenset({"query_string"}), url_fields=frozenset({"url"}))
        if "data" in request:
            request["data"] = _without_disallowed_values(request["data"], self.allowlists.body_fields)
        return before - _leaves(request)

    def span_attribute(self, name: str, value: Any) -> Any:
        """A span attribute's value as the allowlists leave it: a header's, a query's."""
        if name.startswith(_HEADER_ATTRIBUTE_PREFIX):
            return self.header_value(name[len(_HEADER_ATTRIBUTE_PREFIX) :], value)
        if name in _HEADER_COPIES:
            return self.header_value(_HEADER_COPIES[name], value)
        return self._query_value(name, value, _QUERY_FIELDS, _URL_FIELDS)

    def filter_queries(
        self,
        data: dict[str, Any],
        query_fields: frozenset[str] = _QUERY_FIELDS,
        url_fields: frozenset[str] = _URL_FIELDS,
    ) -> None:
        """Breadcrumb data or a request: a query's values only for allowed names."""
        for name, value in data.items():
            data[name] = self._query_value(name, value, query_fields, url_fields)

    def _query_value(
        self, name: str, value: Any, query_fields: frozenset[str], url_fields: frozenset[str]
    ) -> Any:
        if isinstance(value, str) and name in query_fields:
            return _filtered_query(self._secrets.cut(value), self.allowlists.query_parameters)
        if isinstance(value, str) and name in url_fields:
            return filtered_url(self._secrets.cut(value), self.allowlists.query_parameters)
        return value
