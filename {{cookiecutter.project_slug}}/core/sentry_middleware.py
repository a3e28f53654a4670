"""Sentry's view of each request, in one middleware instead of the SDK's DjangoIntegration.

The integration wraps every middleware, the URL resolver, the view and each database
query, and runs all of it on every request, sampled or not: measured by `make bench`,
that cost an API view about half its throughput. This middleware does per request only
what every request needs, and the rest only when it is used:

- every request: its own isolation scope (breadcrumbs, tags and the user set during a
  request stay with it) and a transaction from the caller's `sentry-trace` header or
  the sample rate, both through the SDK's own API;
- only when an event is sent: the request's method, URL, headers and body
  (core.sentry_request_data);
- only when the transaction is sampled: a span per SQL query, through Django's own
  database instrumentation hook (connection.execute_wrapper);
- on an unhandled exception: the exception, as the SDK's integrations report it
  (unhandled, with its stack trace, local variables and source context).

Django answers an unhandled exception with a 500 and sends got_request_exception, which
is where it is captured; the signal is connected once, with the middleware.
"""

import sys
from contextlib import ExitStack

import sentry_sdk
from django.core.signals import got_request_exception
from django.db import connections
from sentry_sdk.consts import OP
from sentry_sdk.tracing import TransactionSource
from sentry_sdk.utils import event_from_exception

from core.sentry_request_data import request_data


class SentryMiddleware:
    """First in MIDDLEWARE, so everything after it runs inside the request's scope."""

    def __init__(self, get_response):
        self.get_response = get_response
        got_request_exception.connect(capture_request_exception, dispatch_uid="core.sentry_middleware")

    def __call__(self, request):
        client = sentry_sdk.get_client()
        if not client.is_active():  # SENTRY_DSN unset: Sentry costs one call per request
            return self.get_response(request)
        with sentry_sdk.isolation_scope() as scope:
            scope.clear_breadcrumbs()  # none from start-up or an earlier request
            max_body_size = client.options["max_request_body_size"]
            scope.add_event_processor(
                lambda event, hint: {**event, "request": request_data(request, max_body_size)}
            )
            transaction = sentry_sdk.continue_trace(
                trace_headers(request), op=OP.HTTP_SERVER, name=request.path, source=TransactionSource.URL
            )
            with sentry_sdk.start_transaction(transaction) as transaction, ExitStack() as sql_spans:
                if transaction.sampled:
                    for connection in connections.all():
                        sql_spans.enter_context(connection.execute_wrapper(record_sql_span))
                response = self.get_response(request)
                transaction.set_http_status(response.status_code)
            return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The URL pattern, not the path: /api/orders/<int:pk>/ groups every order's errors.
        if sentry_sdk.get_client().is_active():
            route = f"/{request.resolver_match.route}"
            sentry_sdk.set_transaction_name(route, source=TransactionSource.ROUTE)


def trace_headers(request):
    return {name: request.headers[name] for name in ("sentry-trace", "baggage") if name in request.headers}


def record_sql_span(execute, sql, params, many, context):
    with sentry_sdk.start_span(op=OP.DB, name=sql) as span:
        span.set_data("db.system", context["connection"].vendor)
        return execute(sql, params, many, context)


def capture_request_exception(sender, request=None, **kwargs):
    client = sentry_sdk.get_client()
    if client.is_active():
        event, hint = event_from_exception(
            sys.exc_info(), client_options=client.options, mechanism={"type": "django", "handled": False}
        )
        sentry_sdk.capture_event(event, hint=hint)
