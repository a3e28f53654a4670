"""What counts as secret or personal, and taking it out of what leaves the process.

Sentry hands `PrivacyFilter` every event (before_send), span (before_send_span) and log
(before_send_log) once the SDK has built it, so it sees everything that will be sent;
`custom_repr` writes a request among a frame's variables without its query string.
The modules, each with one job: allowlists (what is known safe) and client_data
(applying them to what a client wrote), names (what a field name says), secrets (the
project's own, by value), text (credentials written into text), walk (the event, span
or log, field by field). core/env.py masks passwords in URLs with the rule text uses.
"""

import os
from typing import Any, cast

from sentry_sdk.types import Event, Hint, Log, SpanJSON

from observability.privacy.allowlists import Allowlists
from observability.privacy.client_data import ClientData
from observability.privacy.secrets import MAX_TEXT, SCRUBBED, Secrets, project_secrets
from observability.privacy.text import TextRules
from observability.privacy.walk import Walk, custom_repr

__all__ = ["PrivacyFilter", "custom_repr"]


class PrivacyFilter:
    """before_send (the filter itself), before_send_span and before_send_log: each scrubs
    what it is given in place, once."""

    def __init__(self, secrets: list[str], allowlists: Allowlists, personal_data: bool = False) -> None:
        self._allowlists = allowlists
        self._secrets = Secrets(secrets)
        text = TextRules(self._secrets, allowlists.query_parameters, personal_data)
        self._walk = Walk(ClientData(allowlists, self._secrets), text, personal_data)

    @classmethod
    def from_environment(cls, allowlists: Allowlists, personal_data: bool) -> "PrivacyFilter":
        """A filter that knows this process's secrets: its environment's credentials."""
        return cls(project_secrets(os.environ, allowlists.not_secret_variables), allowlists, personal_data)

    @property
    def allowed_headers(self) -> list[str]:
        return sorted(self._allowlists.request_headers)

    @property
    def allowed_query_parameters(self) -> list[str]:
        return sorted(self._allowlists.query_parameters)

    @property
    def max_value_length(self) -> int:
        """Where the SDK cuts strings: far enough past where the rules cut text that no
        secret across their cut arrives half."""
        return MAX_TEXT + self._secrets.longest

    def __call__(self, event: Event, hint: Hint) -> Event | None:
        return cast(Event, self._walk.event(cast("dict[str, Any]", event)))

    def span(self, span: SpanJSON, hint: Hint) -> SpanJSON | None:
        try:
            return cast(SpanJSON, self._walk.span(cast("dict[str, Any]", span)))
        except Exception:  # noqa: BLE001 (the SDK would send the span as it was)
            return cast(SpanJSON, {"name": SCRUBBED, "attributes": {}})

    def log(self, log: Log, hint: Hint) -> Log | None:
        return cast(Log, self._walk.log(cast("dict[str, Any]", log)))
