"""What an event says about the request it happened in: the `request` field Sentry shows.

Built only when an event is sent, from the Django request: method, URL, query string,
headers without credentials, and the body (form fields or JSON) up to the SDK's
max_request_body_size. Cookies, the client's IP address and the user are personal data
and are never read here. Field names are then masked by the event scrubber
(core.sentry), so a `password` field is sent as "[Filtered]".
"""

import json

from django.core.exceptions import DisallowedHost
from django.http.request import RawPostDataException
from sentry_sdk.utils import AnnotatedValue

# Headers that carry credentials or identify the client; dropped, not masked.
PRIVATE_HEADERS = frozenset(
    {
        "authorization",
        "cookie",
        "proxy-authorization",
        "set-cookie",
        "x-api-key",
        "x-csrftoken",
        "x-forwarded-for",
        "x-real-ip",
    }
)

# The SDK's max_request_body_size values, as the largest body each one attaches.
BODY_SIZE_LIMITS = {"never": 0, "small": 1_000, "medium": 10_000, "always": None}


def request_data(request, max_request_body_size):
    data = {
        "method": request.method,
        "url": request_url(request),
        "query_string": request.META.get("QUERY_STRING", ""),
        "headers": {
            name: value for name, value in request.headers.items() if name.lower() not in PRIVATE_HEADERS
        },
    }
    body = request_body(request, BODY_SIZE_LIMITS[max_request_body_size])
    if body is not None:
        data["data"] = body
    return data


def request_url(request):
    try:
        return request.build_absolute_uri(request.path)
    except DisallowedHost:  # the event may be about that very Host header
        return f"{request.scheme}://{request.META.get('SERVER_NAME', '')}{request.path}"


def request_body(request, limit):
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length == 0:
        return None
    if limit is not None and length > limit:
        return AnnotatedValue.removed_because_over_size_limit()
    try:
        if request.content_type == "application/json":
            return json.loads(request.body)
        if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            # Uploaded files are left out: their size is known, their bytes are not wanted.
            return {name: values[0] if len(values) == 1 else values for name, values in request.POST.lists()}
    except (RawPostDataException, ValueError):
        pass  # the view read the stream itself, or the body does not parse
    return AnnotatedValue.removed_because_raw_data()
