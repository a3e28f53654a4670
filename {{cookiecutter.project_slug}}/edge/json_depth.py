"""A request body nested deeper than MAX_DEPTH is answered 400 before a view parses it.

Python's json decoder recurses once per `[` or `{`: fifty thousand of them raise
RecursionError in the view, a 500 and a Sentry event from anyone. No maintained package
guards a Django project from it, and the Content-Type cannot say which bodies to check:
django-allauth's headless views parse every body as JSON, whatever it is labelled (even
multipart/form-data), and REST framework decodes it in the charset the request names. So
each body is read as a parser may read it (UTF-8, the named charset, and UTF-16 or
UTF-32, which `json.loads(bytes)` detects), and only one that starts a JSON array or
object is scanned: the decoder reads anything else as a scalar and stops.

Cheap for the usual request: a body with at most MAX_DEPTH brackets cannot nest deeper,
and counting them runs at C speed; only a body with more is scanned, brackets inside
strings skipped, stopping at the first level past the limit. The body is read through
`request.body`, so past DATA_UPLOAD_MAX_MEMORY_SIZE Django answers its own 400. An upload
(multipart/form-data) is read only within that size, as no one can read a bigger one
through `request.body`; Django streams it to its upload handlers.
"""

import codecs
import logging
import operator
import re
from collections.abc import Callable, Iterator
from functools import partial
from itertools import accumulate, repeat

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.http.response import HttpResponseBase

logger = logging.getLogger(__name__)

# Far above any real payload (allauth's bodies and the notes' are one level deep, GeoJSON
# five), far below the decoder's recursion limit (1,000 frames, of which Django, its
# middleware and the SDK hold a hundred or more before a view parses its body).
MAX_DEPTH = 64

# Where a JSON document may nest: its first character past whitespace (and a byte order
# mark, which json.loads(bytes) skips) opens an array or an object.
OPENS_A_CONTAINER = re.compile(r"[\ufeff \t\n\r]*[\[{]")
# Inside a string a backslash escapes the character after it; outside one the decoder
# stops at it. Without these pairs, the quotes left open and close the strings.
ESCAPED = re.compile(r"\\[\s\S]")
# What JSON writes between strings besides brackets (numbers, true, false, null, commas,
# colons, whitespace): dropped at C speed before the brackets are counted.
SCALARS = str.maketrans("", "", " \t\n\r:,0123456789.+-eEtruefalsn")
DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}

TOO_DEEP = {"detail": f"The request body is nested deeper than {MAX_DEPTH} levels."}


class JsonDepthMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if is_read_here(request) and is_nested_too_deep(request.body, request.encoding):
            logger.info("Refused a request body nested deeper than %d levels", MAX_DEPTH)
            # The API frameworks' shape for a body they cannot parse (allauth's is empty).
            return JsonResponse(TOO_DEEP, status=400)
        return self.get_response(request)


def is_read_here(request: HttpRequest) -> bool:
    if request.content_type != "multipart/form-data":
        return True
    size_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        return size_limit is not None and int(request.META.get("CONTENT_LENGTH") or 0) <= size_limit
    except ValueError:
        return False  # Django reads no body then


def is_nested_too_deep(body: bytes, charset: str | None) -> bool:
    # Every encoding a parser may read writes a bracket with its ASCII byte (UTF-16 and
    # UTF-32 beside zero bytes), so the count bounds the depth in all of them.
    if body.count(b"[") + body.count(b"{") <= MAX_DEPTH:
        return False
    return any(depth_exceeds_limit(text) for text in texts_a_parser_may_read(body, charset))


def texts_a_parser_may_read(body: bytes, charset: str | None) -> Iterator[str]:
    encodings = {"utf-8", codecs.lookup(charset or "utf-8").name}
    if b"\x00" in body[:4]:  # a JSON text starts with an ASCII character (RFC 8259)
        encodings |= {"utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"}
    return (body.decode(encoding, "replace") for encoding in sorted(encodings))


def depth_exceeds_limit(text: str) -> bool:
    if not OPENS_A_CONTAINER.match(text):
        return False
    if "\\" in text:
        text = ESCAPED.sub("", text)
    # Every other part is a string's; an unterminated one runs to the end, as the decoder reads it.
    structure = "".join(text.split('"')[::2]).translate(SCALARS)
    depths = accumulate(map(DEPTH_STEP.get, structure, repeat(0)))
    return any(filter(partial(operator.lt, MAX_DEPTH), depths))  # at C speed, to the first past it
