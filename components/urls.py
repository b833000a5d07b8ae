"""The app's public address (what a visitor's phone reaches) and inline QR images."""

from __future__ import annotations

import base64
import re

from fastapi import Request

import config
from services.signin import qr

_HOST = re.compile(r'[A-Za-z0-9.-]{1,253}(:\d{1,5})?|\[[0-9A-Fa-f:.]{2,45}\](:\d{1,5})?')
_PREFIX = re.compile(r'(/[A-Za-z0-9._~-]+)*/?')


def public_base_url(request: Request) -> str:
    """This app's address as a visitor's phone reaches it: ANCHANG_PUBLIC_URL, else the proxy's X-Forwarded-*."""
    if config.current().public_url:
        return config.current().public_url
    headers = request.headers
    proto = headers.get('x-forwarded-proto', '').split(',')[0].strip().lower()
    scheme = proto if proto in {'http', 'https'} else request.url.scheme
    host = next(
        (h for h in (_first(headers.get('x-forwarded-host')), _first(headers.get('host'))) if _HOST.fullmatch(h)),
        request.url.netloc,
    )
    prefix = headers.get('x-forwarded-prefix', '').strip()
    prefix = prefix if _PREFIX.fullmatch(prefix) else ''
    return f'{scheme}://{host}{prefix.rstrip("/")}{request.scope.get("root_path", "").rstrip("/")}'


def png_data_url(data: str) -> str:
    """`data` as a QR code, inline: the image never needs a route or a login of its own."""
    return 'data:image/png;base64,' + base64.b64encode(qr.qr_png(data)).decode('ascii')


def _first(value: str | None) -> str:
    return (value or '').split(',')[0].strip()
