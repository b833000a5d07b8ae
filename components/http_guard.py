"""Two plain ASGI layers around the whole app: a body limit counted as the bytes arrive, and security headers.

The limit is applied while the body streams in, before anything parses it: a chunked request carries no
Content-Length, and Starlette's `request.form()` would otherwise hold up to about a gigabyte of it in memory. The
headers go on every response, NiceGUI's pages, its static files, the visitor's form and the TV alike.
"""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PUBLIC_POST_BYTES = 200_000  # the visitor's form: ten thousand Chinese characters, URL-encoded, still get a message
UPLOAD_OVERHEAD_BYTES = 64 * 1024  # multipart boundaries and headers around one photo
DEFAULT_BYTES = 2 * 1024 * 1024  # anything else (socket.io long-polling posts are at most 1 MB)
SIGN_IN_POST = re.compile(r'/v/[^/]+')
UPLOAD = re.compile(r'/_nicegui/client/[^/]+/upload/[^/]+')
HOST = re.compile(r'[A-Za-z0-9.\-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?')
TOO_LONG = '提交的内容过长'  # no language is known this early: both are shown
TOO_LARGE = f'<!doctype html><meta charset="utf-8"><p>{TOO_LONG} / Request too large</p>'.encode()


def body_limit(path: str, *, upload_bytes: int) -> int:
    """The most bytes a request to `path` may send."""
    if SIGN_IN_POST.fullmatch(path):
        return PUBLIC_POST_BYTES
    if UPLOAD.fullmatch(path):
        return upload_bytes + UPLOAD_OVERHEAD_BYTES
    return DEFAULT_BYTES


class BodyTooLarge(Exception):
    """The request's body went past its limit while it was read."""


class BodyLimit:
    """Answers 413 when a request's body is (or becomes, chunk by chunk) larger than its path allows."""

    def __init__(self, app: ASGIApp, *, upload_bytes: int) -> None:
        self.app, self.upload_bytes = app, upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http':
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope.get('path', ''), upload_bytes=self.upload_bytes)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _too_large(send)
            return
        state = {'read': 0, 'over': False, 'started': False}

        async def limited_receive() -> Message:
            message = await receive()
            if message['type'] == 'http.request':
                state['read'] += len(message.get('body', b''))
                if state['read'] > limit:
                    state['over'] = True
                    raise BodyTooLarge()
            return message

        async def guarded_send(message: Message) -> None:
            if state['over']:  # whatever the app answers to the exception, the visitor is told 413
                if message['type'] == 'http.response.start' and not state['started']:
                    state['started'] = True
                    await _too_large(send)
                return
            state['started'] = state['started'] or message['type'] == 'http.response.start'
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:  # BodyTooLarge itself, or wrapped in the task groups of the BaseHTTPMiddleware layers
            if not state['over']:
                raise  # an error of the app's own
            if not state['started']:
                state['started'] = True
                await _too_large(send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get('headers', []):
        if name == b'content-length':
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _too_large(send: Send) -> None:
    headers = [(b'content-type', b'text/html; charset=utf-8'), (b'content-length', str(len(TOO_LARGE)).encode())]
    await send({'type': 'http.response.start', 'status': 413, 'headers': [*headers, (b'connection', b'close')]})
    await send({'type': 'http.response.body', 'body': TOO_LARGE})


def content_security_policy(host: str) -> str:
    """What the pages may load: only this site. NiceGUI's pages need inline scripts and Vue's template compiler
    ('unsafe-eval'); socket.io connects to this same host (named too, for browsers older than CSP 3)."""
    sockets = f' ws://{host} wss://{host}' if host and HOST.fullmatch(host) else ''
    return '; '.join(
        [
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "media-src 'self' data: blob:",
            f"connect-src 'self'{sockets}",
            "worker-src 'self'",
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class SecurityHeaders:
    """CSP with frame-ancestors 'none', no MIME sniffing, no full URL in the Referer, on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http':
            await self.app(scope, receive, send)
            return
        host = next((v.decode('latin-1') for k, v in scope.get('headers', []) if k == b'host'), '')
        added = [
            (b'content-security-policy', content_security_policy(host).encode()),
            (b'x-content-type-options', b'nosniff'),
            (b'referrer-policy', b'same-origin'),
            (b'x-frame-options', b'DENY'),
        ]

        async def with_headers(message: Message) -> None:
            if message['type'] == 'http.response.start':
                present = {k.lower() for k, _ in message.get('headers', [])}
                extra = [(k, v) for k, v in added if k not in present]
                message = {**message, 'headers': list(message.get('headers', [])) + extra}
            await send(message)

        await self.app(scope, receive, with_headers)
