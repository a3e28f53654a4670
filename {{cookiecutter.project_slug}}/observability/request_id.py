"""A request id for every request: the proxy's X-Request-ID when it sent a sane one,
else a new one. It goes into each log line written during the request, onto the
response, and onto the request's Sentry events as the tag request_id, so one id finds
the access log line, the app's log lines and the Sentry event of a failed request."""

import contextvars
import logging
import re
import uuid
from collections.abc import Callable

import sentry_sdk
from django.http import HttpRequest
from django.http.response import HttpResponseBase

current_request_id = contextvars.ContextVar("request_id", default="-")

# A header goes into logs and Sentry tags only if it cannot forge a log line or a field.
ACCEPTABLE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if ACCEPTABLE_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = current_request_id.set(request_id)
        sentry_sdk.set_tag("request_id", request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    """Gives every log record a request_id attribute ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True
