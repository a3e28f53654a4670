"""The walk over an event, a span or a log: the allowlists first where a client wrote
the data (headers, query strings, bodies; library frames lose their variables), then the
text rules on every string that remains, at any depth, and the name rules on every field:
a credential's value goes, and personal data's unless personal data is on.

One event reads at most EVENT_TEXT_BUDGET characters of text, so no request can make the
walk long.
"""

import functools
import re
from typing import Any

from observability.privacy.client_data import ClientData, filtered_url, without_values
from observability.privacy.names import is_sensitive
from observability.privacy.secrets import MAX_TEXT, SCRUBBED
from observability.privacy.text import TextRules

# Fields the SDK fills with what it knows of the code and the trace, never with data a
# request or a variable carried: left as they are, which halves the work per event. The
# source lines around each frame's line are the project's code and its libraries', as
# the repository holds them; secrets come from the environment.
_STRUCTURAL_FIELDS = frozenset(
    """abs_path filename module function lineno colno in_app event_id timestamp
    start_timestamp end_timestamp platform level trace_id span_id parent_span_id segment_id
    is_segment same_process_as_parent op origin sdk environment release sentry.environment
    sentry.release pre_context context_line post_context""".split()
)
# Counters the SDK writes under names that would read as credentials.
_STRUCTURAL_PREFIXES = ("gen_ai.usage.",)
# Span and log attributes that say what a process is, not what it handled, yet may hold
# a password: a command line (sentry-sdk 3 adds it to every root span).
_DROPPED_ATTRIBUTES = frozenset({"process.command_args"})
# Log attributes repeating the arguments of a log call, already in its formatted body.
_LOG_PARAMETER_PREFIX = "sentry.message.parameter."
# A URL inside a span's name (an outgoing request's "GET https://...").
_URL_IN_TEXT = re.compile(r"[a-z][a-z0-9+.-]{0,20}://\S+")

# Past this many characters of text in one event (a view holding a large parsed body in
# a variable), the rest of its strings are left out whole: the SDK itself would send
# such an event of megabytes.
EVENT_TEXT_BUDGET = 24_000
# The parts of an event read first, so that a budget spent leaves out the least useful.
_READ_FIRST = ("request", "logentry", "message", "exception", "tags", "contexts", "extra")
_LEFT_OUT = "[cut: the event holds too much text]"
# Span attributes remembered with their outcome: the same pairs come back on every span.
_REMEMBERED_ATTRIBUTES = 512


def custom_repr(value: object) -> str | None:
    """The SDK's custom_repr for frame variables: a request without its query string,
    which may carry tokens. Django's HttpRequest, and what wraps one (REST framework's),
    known by its method, path and META."""
    method, path = getattr(value, "method", None), getattr(value, "path", None)
    if isinstance(method, str) and isinstance(path, str) and hasattr(value, "META"):
        return f"<{type(value).__name__}: {method} {path!r}>"
    return None


def _as_sent(value: Any) -> Any:
    """A log attribute as the SDK will send it, for the rules to read: a log record's
    `extra` arrives as it was given (django.request's `request`, a project's objects), and
    the SDK writes the repr of any object after before_send_log."""
    if value is None or isinstance(value, (str, int, float, bool, dict, list)):
        return value
    if isinstance(value, tuple):
        return list(value)
    try:
        return custom_repr(value) or repr(value)
    except Exception:  # noqa: BLE001 (an object whose repr fails says nothing)
        return SCRUBBED


def _drop_library_frame_variables(event: dict[str, Any]) -> None:
    """Only the project's own frames keep their variables: a library's frames hold what
    the library was given (a login's password in smtplib, a task's arguments in a task
    queue's tracer, a body in the JSON decoder), under names nobody can list."""
    holders = [
        *((event.get("exception") or {}).get("values") or []),
        *((event.get("threads") or {}).get("values") or []),
    ]
    for holder in holders:
        for frame in (holder.get("stacktrace") or {}).get("frames") or []:
            if not frame.get("in_app"):
                frame.pop("vars", None)


def _is_short_text(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= MAX_TEXT


def _within_budget(attributes: dict[str, Any]) -> bool:
    """Whether a span's attributes, names included, fit one event's text budget, so that
    reading them one by one leaves none out; a list (sentry-sdk 3's header values) is
    read as part of the whole."""
    total = 0
    for name, value in attributes.items():
        if not (value is None or isinstance(value, (str, int, float, bool))):
            return False
        total += min(len(name), MAX_TEXT) + (min(len(value), MAX_TEXT) if isinstance(value, str) else 0)
    return total <= EVENT_TEXT_BUDGET


class Walk:
    """Scrubs an event, a span or a log in place, once."""

    def __init__(self, client: ClientData, text: TextRules, personal_data: bool) -> None:
        self._client = client
        self._text = text
        self._personal_data = personal_data
        # typed: True and 1 are different values to send.
        self._remembered_attribute = functools.lru_cache(maxsize=_REMEMBERED_ATTRIBUTES, typed=True)(
            self._read_attribute
        )

    def event(self, event: dict[str, Any]) -> dict[str, Any]:
        logentry = event.get("logentry")
        if isinstance(logentry, dict):
            # The arguments of a log call are already in its formatted message, where the
            # rules can see the name next to each value; alone they cannot.
            logentry.pop("params", None)
        request = event.get("request")
        withheld = self._client.filter_request(request) if isinstance(request, dict) else set()
        for breadcrumb in (event.get("breadcrumbs") or {}).get("values") or []:
            if isinstance(breadcrumb.get("data"), dict):
                self._client.filter_queries(breadcrumb["data"])
        if not self._client.allowlists.library_frame_variables:
            _drop_library_frame_variables(event)
        budget = [EVENT_TEXT_BUDGET]
        order = sorted(event, key=lambda name: _READ_FIRST.index(name) if name in _READ_FIRST else 99)
        scrubbed = {name: self._scrub_item(name, event[name], budget) for name in order}
        in_order = {name: scrubbed[name] for name in event}
        sent: dict[str, Any] = without_values(in_order, withheld, _STRUCTURAL_FIELDS)
        return sent

    def span(self, span: dict[str, Any]) -> dict[str, Any]:
        allowed = self._client.allowlists.query_parameters
        name = _URL_IN_TEXT.sub(lambda url: filtered_url(url[0], allowed), span.get("name") or "")
        span["name"] = self._text.scrub(name)
        attributes = {
            name: value
            for name, value in (span.get("attributes") or {}).items()
            if name not in _DROPPED_ATTRIBUTES
        }
        as_a_record = "value" in attributes and self._is_sensitive_record(attributes)
        if as_a_record or not _within_budget(attributes):
            read = {name: self._client.span_attribute(name, value) for name, value in attributes.items()}
            span["attributes"] = self._scrub(read, [EVENT_TEXT_BUDGET])
        else:
            # Within the budget, an attribute's outcome depends on its name and value
            # alone, and the same pairs come back on every span (release, thread, route,
            # the same SQL): each short pair is read by the rules once.
            span["attributes"] = dict(self._attribute(name, value) for name, value in attributes.items())
        return span

    def _attribute(self, name: str, value: Any) -> tuple[str, Any]:
        if value is None or isinstance(value, (int, float, bool)) or _is_short_text(value):
            return self._remembered_attribute(name, value)
        return self._read_attribute(name, value)

    def _read_attribute(self, name: str, value: Any) -> tuple[str, Any]:
        value = self._client.span_attribute(name, value)
        return self._text.scrub(name), self._scrub_item(name, value, [EVENT_TEXT_BUDGET])

    def log(self, log: dict[str, Any]) -> dict[str, Any]:
        attributes = log.get("attributes") or {}
        log["attributes"] = {
            name: _as_sent(value)
            for name, value in attributes.items()
            if not name.startswith(_LOG_PARAMETER_PREFIX) and name not in _DROPPED_ATTRIBUTES
        }
        scrubbed: dict[str, Any] = self._scrub(log, [EVENT_TEXT_BUDGET])
        return scrubbed

    # The second layer: rules.

    def _scrub(self, value: Any, budget: list[int]) -> Any:
        """`budget`: the characters of text this event may still have read; past it, the
        rest of its strings are left out."""
        if isinstance(value, str):
            if budget[0] <= 0:
                return _LEFT_OUT
            budget[0] -= min(len(value), MAX_TEXT)
            return self._text.scrub(value)
        if isinstance(value, dict):
            if "value" in value and self._is_sensitive_record(value):
                value = {**value, "value": SCRUBBED}
            # A key can hold a secret too ({settings.SECRET_KEY: ...}, an address).
            scrub = self._text.scrub
            return {
                scrub(name) if isinstance(name, str) else name: self._scrub_item(name, item, budget)
                for name, item in value.items()
            }
        if isinstance(value, list):
            # ["token", ...]: a pair written as a tuple (("password", x) in a variable or a
            # log's extra, which the SDK sends as a list).
            if len(value) == 2 and isinstance(value[0], str) and self._hides(value[0], value[1]):
                value = [value[0], SCRUBBED]
            return [self._scrub(item, budget) for item in value]
        return value

    def _scrub_item(self, name: Any, item: Any, budget: list[int]) -> Any:
        if not isinstance(name, str):
            return self._scrub(item, budget)
        if name in _STRUCTURAL_FIELDS or name.startswith(_STRUCTURAL_PREFIXES):
            return item
        if self._hides(name, item):
            return SCRUBBED
        return self._scrub(item, budget)

    def _is_sensitive_record(self, record: dict[Any, Any]) -> bool:
        """{"name": "token", "value": ...}: a pair written as a record."""
        names = (record.get(key) for key in ("name", "key", "field", "header"))
        return any(isinstance(name, str) and is_sensitive(name, self._personal_data) for name in names)

    def _hides(self, name: str, item: Any) -> bool:
        """Whether `item`, found under `name`, is taken out whole. A flag says nothing
        secret (mfa_required, email_verified)."""
        if item in (None, "") or isinstance(item, bool):
            return False
        return is_sensitive(name, self._personal_data)
