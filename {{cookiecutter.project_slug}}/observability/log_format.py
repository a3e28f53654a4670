"""Log lines for log collectors: one JSON object per line on stdout."""

import json
import logging

import sentry_sdk


def trace_ids() -> dict[str, str]:
    """The trace and span a line is written in, the ids Sentry shows for them, so a log
    search finds the trace and the trace finds its lines (none while Sentry is off)."""
    if not sentry_sdk.get_client().is_active():
        return {}
    # The sentry-trace header's value: trace id, span id and, once decided, sampled.
    traceparent = sentry_sdk.get_traceparent() or ""
    trace_id, _, rest = traceparent.partition("-")
    span_id = rest.partition("-")[0]
    return {"trace_id": trace_id, "span_id": span_id} if trace_id and span_id else {}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            **trace_ids(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        # default=str: an odd object in a message must never cost the log line.
        return json.dumps(entry, default=str)
