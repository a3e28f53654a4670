"""An ASGI application's arguments, as Django's own ASGI handler takes them."""

from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[Mapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Coroutine[Any, Any, None]]
