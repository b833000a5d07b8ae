"""The visitor's sign-in POST skips the staff middleware: the opening-day crowd's one request stays cheap.

Every other request goes through the app's full middleware stack: the session cookie, NiceGUI's request tracking
(its user storage), our staff login check, gzip, NiceGUI's prefix and cache headers. Four of those are Starlette
`BaseHTTPMiddleware`s, which run each request in an extra task and leave a cancelled task group behind it; under a
burst of sign-ins that was a third of the server's CPU and most of its cyclic garbage, whose garbage collections
stopped the event loop for 200–400 ms (bench.signin). The sign-in POST (`pages/walkin.py`) needs none of it: it is
public, keeps no session, answers a few hundred bytes of JSON, and its language comes from `?lang=`.
"""

from __future__ import annotations

import re

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from components.http_guard import BodyLimit, SecurityHeaders
from components.photo_capture import MAX_UPLOAD_BYTES

SIGN_IN_POST = re.compile(r'/v/[^/]+')


def install(app: FastAPI) -> None:
    """Build the app's middleware stack with a lane beside it for the visitor's sign-in POST; both lanes behind
    the body limit and the security headers."""
    build_full = getattr(app, '_build_without_lane', None) or app.build_middleware_stack  # main.py runs per test
    app._build_without_lane = build_full  # type: ignore[attr-defined]

    def build() -> ASGIApp:
        saved = app.user_middleware
        app.user_middleware = []  # the framework's own layers only: errors, body limit, exceptions, routing
        try:
            bare = build_full()
        finally:
            app.user_middleware = saved
        return SecurityHeaders(BodyLimit(FastLane(full=build_full(), bare=bare), upload_bytes=MAX_UPLOAD_BYTES))

    app.build_middleware_stack = build  # type: ignore[method-assign]


class FastLane:
    """Plain ASGI: picks the stack for a request, adds nothing to it."""

    def __init__(self, *, full: ASGIApp, bare: ASGIApp) -> None:
        self.full, self.bare = full, bare

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if is_sign_in_post(scope):
            await self.bare(scope, receive, send)
        else:
            await self.full(scope, receive, send)


def is_sign_in_post(scope: Scope) -> bool:
    if scope['type'] != 'http' or scope.get('method') != 'POST':
        return False
    return SIGN_IN_POST.fullmatch(scope.get('path', '')) is not None
