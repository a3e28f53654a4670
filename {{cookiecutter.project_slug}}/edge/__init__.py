"""What answers a request before Django's views do, in the order it runs.

1. `health`: the load balancers' probes (GET /api/health/), answered without Django's
   middleware or Sentry, so a probe costs one database question.
2. `charset`: a request body in a charset Python cannot decode as text is a 400, not a
   500 and a Sentry event.
3. `trace_headers`: a caller's sentry-trace and baggage headers are dropped unless
   every caller is the project's own (SENTRY_TRUST_INCOMING_TRACES).
4. Django itself, whose middleware list runs two of ours early (after the request id,
   security and CORS): `json_depth`, a body nested deeper than any real payload is a 400,
   not a RecursionError; `session_cookie`, a session cookie that cannot be a session key
   is no session.
5. `head`: a HEAD request gets Django's answer without its body.

`wsgi.wrap()` and `asgi.wrap()` put these around Django's application, once each, for
core/wsgi.py and core/asgi.py; `types` names the ASGI callables both sides share. The
template owns this package: a team rarely edits it, beyond an allowlist (charset).
"""
