"""Requests whose Content-Type names a charset outside ACCEPTED_CHARSETS are answered
400 before Django (edge/wsgi.py, edge/asgi.py).

Django decodes the query string and form fields with whatever codec a client's
Content-Type names (`charset=`, or a parameter encoded as RFC 2231 `name*=charset''...`),
and Python knows codecs that are not text at all: `hex`, `base64`, `rot13` or `zlib`
raise LookupError, `undefined` and `idna` raise UnicodeError, each a 500 and a Sentry
event from a request anyone can send. So charsets are collected by allowlist: the
encodings the WHATWG Encoding Standard lets browsers send, which all decode any bytes
(with replacement characters) without raising. Add a codec to ACCEPTED_CHARSETS if a
client of yours needs another one.
"""

from __future__ import annotations

import codecs
import logging
from email.message import Message
from email.utils import collapse_rfc2231_value
from typing import TYPE_CHECKING

import sentry_sdk

from edge.types import Receive, Scope, Send

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

logger = logging.getLogger(__name__)

# https://encoding.spec.whatwg.org/#names-and-labels, by the names Python gives them,
# so that every alias a client may write (utf8, latin1, cp1252...) is accepted too.
ACCEPTED_CHARSETS = frozenset(
    codecs.lookup(name).name
    for name in (
        "utf-8", "utf-16", "utf-16-le", "utf-16-be", "ascii",
        "iso-8859-1", "iso-8859-2", "iso-8859-3", "iso-8859-4", "iso-8859-5", "iso-8859-6",
        "iso-8859-7", "iso-8859-8", "iso-8859-10", "iso-8859-13", "iso-8859-14",
        "iso-8859-15", "iso-8859-16",
        "windows-1250", "windows-1251", "windows-1252", "windows-1253", "windows-1254",
        "windows-1255", "windows-1256", "windows-1257", "windows-1258", "cp866", "cp874",
        "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic",
        "gbk", "gb18030", "big5", "euc-jp", "iso-2022-jp", "shift_jis", "euc-kr",
    )
)  # fmt: skip

BAD_REQUEST = b"Bad Request: the Content-Type names a charset this server does not decode.\n"


def is_accepted_charset(charset: str) -> bool:
    try:
        return codecs.lookup(charset).name in ACCEPTED_CHARSETS
    except LookupError:
        return False


def names_only_accepted_charsets(content_type: str) -> bool:
    """Whether every charset `content_type` names is accepted; parsed as Django parses it
    (django.utils.http.parse_header_parameters reads the same email.message parameters),
    so nothing Django would decode with goes unchecked."""
    if ";" not in content_type:
        return True  # no parameters, so no charset: Django decodes as DEFAULT_CHARSET
    header = Message()
    header["content-type"] = content_type
    try:
        params = header.get_params(failobj=[])
    except Exception:  # e.g. TypeError, from RFC 2231 continuations mixed with a plain value
        return False  # what the parser cannot read, Django cannot either: it would raise the same
    for name, value in params[1:]:
        if isinstance(value, tuple):  # RFC 2231: (charset, language, text)
            if value[0] and not is_accepted_charset(value[0]):
                return False
            value = collapse_rfc2231_value(value)  # as Django reads it: `charset*=''hex` is hex
        if name.lower() == "charset" and value and not is_accepted_charset(value):
            return False
    return True


def log_refusal(content_type: str) -> None:
    # Outside Django the SDK has no scope for this request yet: without one of its own,
    # the breadcrumb would join every later event of this process.
    with sentry_sdk.isolation_scope():
        logger.info("Refused a request in a charset it cannot decode: Content-Type %r", content_type[:200])


def refuse_wsgi(environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
    log_refusal(environ.get("CONTENT_TYPE", ""))
    start_response(
        "400 Bad Request",
        [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(BAD_REQUEST)))],
    )
    return [BAD_REQUEST]


async def refuse_asgi(scope: Scope, receive: Receive, send: Send) -> None:
    log_refusal(content_type_of(scope))
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", b"%d" % len(BAD_REQUEST))]
    await send({"type": "http.response.start", "status": 400, "headers": headers})
    await send({"type": "http.response.body", "body": BAD_REQUEST})


def content_type_of(scope: Scope) -> str:
    """The Content-Type as Django's ASGIRequest puts it in META: repeated headers joined
    with commas, decoded as Latin-1."""
    values = [value.decode("latin1") for name, value in scope["headers"] if name == b"content-type"]
    return ",".join(values)
