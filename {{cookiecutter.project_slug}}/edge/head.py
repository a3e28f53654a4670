"""HEAD requests answered with the headers a GET would have, and no body (RFC 9110 9.3.2).

Django's handlers answer HEAD like GET, body included; gunicorn drops that body and logs
a warning for each such request, which any client can send to any path. edge/wsgi.py
and edge/asgi.py pass Django's answer through these, so no server has a body to drop.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from edge.types import Send


class HeadersOnly:
    """A WSGI response without its body, closed when the server closes it: closing is
    what ends Django's request (request_finished) and the SDK's scope of it."""

    def __init__(self, response: Iterable[bytes]) -> None:
        self.response = response

    def __iter__(self) -> Iterator[bytes]:
        return iter(())

    def close(self) -> None:
        close = getattr(self.response, "close", None)
        if close is not None:
            close()


def headers_only(send: Send) -> Send:
    """An ASGI `send` that passes on every message but the body's bytes."""

    async def send_without_body(message: Mapping[str, Any]) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return send_without_body
