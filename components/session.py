"""The browser session: who is logged in, the auth middleware, and the page guard."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from nicegui import app, run, storage, ui
from starlette.middleware.base import BaseHTTPMiddleware

import db
from models import Role, Staff
from services.accounts import auth
from services.core import authz, events

PUBLIC_PATHS = {'/healthz', '/login', '/logout', '/sw.js', '/offline.html', '/manifest.webmanifest', '/favicon.ico'}
# visitor sign-in, the TV board and the demo's test receiver (a stand-in for a WeCom group): no staff login
PUBLIC_PREFIXES = ('/_nicegui', '/pwa/', '/v/', '/tv/', '/_notify/receiver/')
PASSWORD_PAGE = '/me'  # noqa: S105 - a path, not a password
_session_hours = 12.0
CHECKED_FOR_S = 60.0
MAX_CHECKED = 10_000
_checked: dict[tuple[object, object, object], tuple[float, Staff]] = {}  # session data → (when checked, staff)


def configure(*, session_hours: float) -> None:
    global _session_hours
    _session_hours = session_hours
    forget_checked()
    events.staff_changed.subscribe(forget_checked)
    events.site_changed.subscribe(forget_checked)


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def user_storage() -> dict[str, Any]:
    """This phone's user storage, read through its own page request.

    Not `app.storage.user` alone: in a handler of an element that was rebuilt while another phone's event
    was being handled, NiceGUI's current request is that other phone's.
    """
    client = ui.context.client
    if client.request is None:
        return app.storage.user
    token = storage.request_contextvar.set(client.request)
    try:
        return app.storage.user
    finally:
        storage.request_contextvar.reset(token)


def language() -> str | None:
    """The language this phone chose, if any."""
    return user_storage().get('lang')


def current_staff() -> Staff | None:
    """The logged-in staff member, checked against the database (active, session not ended or expired)."""
    return staff_of(dict(user_storage()))


def staff_of(data: dict) -> Staff | None:
    """The staff member a browser session's stored data belongs to, if still valid (safe in a thread).

    A valid session is checked against the database again after CHECKED_FOR_S, and at once after any account or
    site of this process changes (deactivated, password changed or reset, role changed: staff_changed/site_changed
    clear what was checked), so a phone's every tap does not cost two reads."""
    key = (data.get('staff_id'), data.get('epoch'), data.get('logged_in_at'))
    checked = _checked.get(key)
    fresh = checked is not None and time.monotonic() - checked[0] < CHECKED_FOR_S
    if checked is not None and fresh and time.time() - float(data.get('logged_in_at') or 0) <= _session_hours * 3600:
        return checked[1]
    with db.session() as s:
        staff = auth.session_staff(
            s,
            staff_id=data.get('staff_id'),
            epoch=data.get('epoch'),
            logged_in_at=data.get('logged_in_at'),
            max_hours=_session_hours,
        )
    if staff is not None:
        if len(_checked) > MAX_CHECKED:
            _checked.clear()
        _checked[key] = (time.monotonic(), staff)
    return staff


def forget_checked(*_: object) -> None:
    """Every session is checked against the database at its next request (an account or a site changed)."""
    _checked.clear()


def log_in(staff: Staff) -> None:
    data = user_storage()
    data.update(staff_id=staff.id, epoch=staff.session_epoch, logged_in_at=time.time())
    if staff.language:
        data['lang'] = staff.language


def log_out() -> None:
    data = user_storage() if _in_ui() else app.storage.user
    for key in ('staff_id', 'epoch', 'logged_in_at'):
        data.pop(key, None)


def set_language(value: str) -> None:
    user_storage()['lang'] = value


def _in_ui() -> bool:
    try:
        ui.context.client  # noqa: B018 - raises outside a UI context
    except RuntimeError:
        return False
    return True


def safe_next(target: str | None) -> str:
    """Only a path on this site is a place to go after login (no open redirect).

    Checked after parsing, and no control or blank character anywhere: browsers drop a tab or newline from a URL,
    so '/', a tab and '/host' would land on '//host'."""
    if not target or len(target) > 2000 or any(c.isspace() or not c.isprintable() for c in target):
        return '/'
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith('/') or parts.path.startswith('//'):
        return '/'
    if '\\' in target or is_public(parts.path):
        return '/'
    return target


def cookie_options(*, session_hours: float, public_url: str) -> dict[str, Any]:
    """The session cookie: Secure behind HTTPS, and it lives as long as a staff session, no longer."""
    return {'max_age': int(session_hours * 3600), 'https_only': public_url.startswith('https://'), 'same_site': 'lax'}


class AuthMiddleware(BaseHTTPMiddleware):
    """Staff pages need a valid session; first-time passwords must be changed before anything else.

    A BaseHTTPMiddleware on purpose: as plain ASGI (tried, to save its per-request task) some phones' pages stopped
    receiving their updates under the sign-in benchmark — NiceGUI's request tracking expects this shape.
    """

    async def dispatch(self, request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        path = request.url.path
        if is_public(path):
            return await call_next(request)
        staff = await run.io_bound(staff_of, dict(app.storage.user))
        if staff is None:
            log_out()
            return RedirectResponse(f'/login?next={quote(path)}')
        if staff.must_change_password and path != PASSWORD_PAGE:
            return RedirectResponse(PASSWORD_PAGE)
        request.state.staff = staff  # checked: a route need not read the session again
        return await call_next(request)


def guard(roles: frozenset[Role] = authz.ALL_ROLES) -> Staff | None:
    """The current staff member if their role may open this page; otherwise shows why and returns None."""
    staff = current_staff()
    if staff is None:
        ui.navigate.to('/login')
        return None
    if not authz.allowed(staff, roles):
        from .frame import denied

        denied(staff)
        return None
    return staff
