"""Who may call the API: a signed-in user, by allauth's session token or by Django's session.

An app (mobile, desktop, a server) signs in at /_allauth/app/v1/auth/login and sends the
token it gets in the X-Session-Token header; a browser signs in at /_allauth/browser/...
and sends its session cookie with the CSRF token (docs/auth.md). Both schemes appear in
the OpenAPI schema. A caller who is neither is a 401, whether or not it sent a CSRF token.
"""
{%- if cookiecutter.api_framework == "ninja" %}

from typing import Any

from allauth.headless.contrib.ninja.security import XSessionTokenAuth
from django.http import HttpRequest
from ninja.security import SessionAuth


class SessionToken(XSessionTokenAuth):
    """allauth's X-Session-Token, described in the schema as the header it is."""

    openapi_in = "header"
    openapi_name = "X-Session-Token"


class SignedInSession(SessionAuth):
    """Django's session, its CSRF token checked once someone is signed in: an anonymous
    caller is a 401, not the 403 of a missing CSRF token."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


# An operation's auth=: the first that knows the caller wins; request.auth is the user.
signed_in = [SessionToken(), SignedInSession()]
{%- else %}

from typing import TYPE_CHECKING

from allauth.headless.contrib.rest_framework.authentication import XSessionTokenAuthentication
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.request import Request

if TYPE_CHECKING:  # drf_spectacular.openapi imports REST framework's views, which import this module
    from drf_spectacular.openapi import AutoSchema


class SessionTokenAuthentication(XSessionTokenAuthentication):
    """allauth's X-Session-Token. Listed first in REST_FRAMEWORK, its header is what an
    anonymous caller is told to send, which makes REST framework answer 401, not 403."""

    def authenticate_header(self, request: Request) -> str:
        return 'Session-Token header="X-Session-Token"'


class SessionTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """The token in the OpenAPI schema (drf-spectacular finds this class by its target)."""

    target_class = SessionTokenAuthentication
    name = "sessionToken"

    def get_security_definition(self, auto_schema: "AutoSchema") -> dict[str, str]:
        return {"type": "apiKey", "in": "header", "name": "X-Session-Token"}
{%- endif %}
