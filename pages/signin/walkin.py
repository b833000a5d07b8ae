"""The visitor's sign-in at /v/{token}: plain HTML and one POST, fast on a phone at the door (no websocket)."""

from __future__ import annotations

import hmac
import re
import uuid
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import TypeVar
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from nicegui import APIRouter, run
from sqlalchemy.exc import OperationalError

import config
import db
from models import Site, Staff, Visit, utcnow
from pages.signin.walkin_html import form_page, notice_body, page, result_body
from services.accounts import sites
from services.core import i18n
from services.core.errors import DomainError, ValidationError
from services.core.i18n import t
from services.signin import display, qr
from services.signin import queue as signin_queue
from services.signin import register as signin

router = APIRouter()
T = TypeVar('T')
GRACE = timedelta(minutes=15)  # a form opened with a valid code may be sent a little after the code expires
KEY = re.compile(r'[0-9a-f]{32}')
NO_STORE = {'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex'}


@router.get('/v/{token}', include_in_schema=False)
async def signin_form(token: str, lang: str | None = None) -> HTMLResponse:
    """The form, or a page asking to scan the entrance code when the code is forged or expired."""
    with i18n.language(lang):
        try:
            site = await _io(partial(_site, token, grace=False))
        except DomainError as e:
            return _notice(e.translated(), status=403)
        body = form_page(
            site=site.name,
            action=_action(token, lang),
            channels=sites.setting(site, 'channels'),
            request_key=uuid.uuid4().hex,
            values={'title': '', 'party_size': '1', 'first_visit': '1'},
        )
        return _html(site.name, body, hint=t('登记约需 30 秒'))


@router.post('/v/{token}', include_in_schema=False)
async def signin_submit(token: str, request: Request, lang: str | None = None) -> Response:
    """One sign-in: JSON for the page's script, a redirect (or the form again) without script."""
    wants_json = 'application/json' in request.headers.get('accept', '')
    with i18n.language(lang):
        try:
            code = _site_code(token)  # first, before the body is read: an HMAC on the loop, no database, no thread
        except DomainError as e:
            return _refused('form', e.translated(), wants_json, token, lang, {})
        # the body is bounded as it streams in (components/http_guard.py) before it is parsed here
        values = {k: str(v) for k, v in (await request.form()).items() if isinstance(v, str)}
        client = request.client.host if request.client else 'unknown'
        try:
            result = await signin_queue.sign_in(code, _request(values, client))
        except DomainError as e:
            field = e.field if isinstance(e, ValidationError) else 'form'
            return _refused(field, e.translated(), wants_json, token, lang, values)
        except OperationalError:  # the database stayed busy (an opening-day crowd): the same form may be sent again
            return _refused(
                'form', t('登记的人较多，请再点一次提交（不会重复登记）'), wants_json, token, lang, values, status=503
            )
        typed = _typed_name(values)  # the result page echoes what this visitor typed, never what we had stored
        url = f'/v/{token}/done/{result.visit_id}?' + urlencode(
            {'n': typed, 'k': result_key(result.visit_id, typed)} | ({'lang': lang} if lang else {})
        )
        if wants_json:
            return JSONResponse({'ok': True, 'result_url': url}, headers=NO_STORE)
        return RedirectResponse(url, status_code=303)


@router.get('/v/{token}/done/{visit_id}', include_in_schema=False)
async def signin_result(token: str, visit_id: int, k: str = '', n: str = '', lang: str | None = None) -> HTMLResponse:
    """Who will receive the visitor, greeted by the name they typed (`n`, signed into `k`: a phone number alone
    never shows the stored customer's name); reloading it never signs in again. Refreshes itself while they wait."""
    with i18n.language(lang):
        found = await run.io_bound(_outcome, visit_id, k, n)
        if found is None:
            return _notice(t('找不到这次登记'), status=404)
        site, consultant = found  # translated here: worker threads don't see the chosen language
        surname, title = n[:-2], n[-2:]
        body = result_body(
            consultant=consultant.name if consultant else None,
            photo=consultant.photo if consultant else None,
            customer=t('{surname}{title}', surname=surname, title=t(title)) if title in signin.TITLES else '',
        )
        refresh = '' if consultant else '<meta http-equiv="refresh" content="10">'
        return _html(site, body.replace('<div class="done">', refresh + '<div class="done">', 1))


async def _io(work: Callable[[], T]) -> T:
    """`work` in a thread; None only comes back while the server shuts down."""
    result = await run.io_bound(work)
    if result is None:
        raise DomainError('服务器正在重启，请稍后再试')
    return result


def _site(token: str, *, grace: bool) -> Site:
    secret, now = config.current().secret, utcnow()
    with db.session() as s:
        try:
            return display.site_for_signin(s, token[:200], secret=secret, now=now)
        except qr.ExpiredToken:
            if not grace:
                raise
            return display.site_for_signin(s, token[:200], secret=secret, now=now - GRACE)


def result_key(visit_id: int, typed: str = '') -> str:
    """The result page's key: whoever signed in (or re-sent the same phone) may see their result, nobody else, and
    greeted only by the name they typed themselves."""
    secret = config.current().secret.encode()
    return hmac.new(secret, f'anchang/visit-result/{visit_id}/{typed}'.encode(), 'sha256').hexdigest()[:32]


def _typed_name(values: dict[str, str]) -> str:
    """王先生: the surname and title as this visitor typed them (the sign-in accepted them), or ''."""
    title = values.get('title', '')
    return values.get('surname', '').strip()[:10] + title if title in signin.TITLES else ''


def _site_code(token: str) -> str:
    """The site a sign-in token was made for, a little past its window too; InvalidToken / ExpiredToken otherwise."""
    secret, now = config.current().secret, utcnow()
    try:
        return qr.verify_token(secret, token[:200], now=now).site_code
    except qr.ExpiredToken:
        return qr.verify_token(secret, token[:200], now=now - GRACE).site_code


def _request(values: dict[str, str], client: str) -> signin.SignInRequest:
    key = values.get('request_key', '')
    form = signin.SignInForm(
        surname=values.get('surname', ''),
        title=values.get('title', ''),
        phone=values.get('phone', ''),
        party_size=values.get('party_size') or 1,
        first_visit=values.get('first_visit', '1') != '0',
        channel=values.get('channel', ''),
        consent=bool(values.get('consent')),
        interests={k: values[k] for k in ('unit_type', 'budget') if values.get(k)},
    )
    return signin.SignInRequest(form, 'qr', client, key if KEY.fullmatch(key) else uuid.uuid4().hex)


def _outcome(visit_id: int, key: str, typed: str) -> tuple[str, Staff | None] | None:
    if not hmac.compare_digest(result_key(visit_id, typed[:12]), key[:64]):
        return None
    with db.session() as s:
        visit = s.get(Visit, visit_id)
        if visit is None:
            return None
        site = s.get(Site, visit.site_id)
        consultant = s.get(Staff, visit.assigned_id) if visit.assigned_id else None
        return site.name if site else '', consultant


def _refused(
    field: str, message: str, wants_json: bool, token: str, lang: str | None, values: dict[str, str], status: int = 422
) -> Response:
    if wants_json:
        return JSONResponse({'ok': False, 'field': field, 'message': message}, status_code=status, headers=NO_STORE)
    try:
        site = _site(token, grace=True)
    except DomainError as e:
        return _notice(e.translated(), status=403)
    kept = {k: v[:200] for k, v in values.items() if k != 'request_key'}
    body = form_page(
        site=site.name,
        action=_action(token, lang),
        channels=sites.setting(site, 'channels'),
        request_key=values.get('request_key', '') if KEY.fullmatch(values.get('request_key', '')) else uuid.uuid4().hex,
        values=kept,
        error=(field, message),
    )
    return _html(site.name, body, status=status)


def _action(token: str, lang: str | None) -> str:
    return f'/v/{token}' + (f'?lang={lang}' if lang else '')


def _html(site: str, body: str, *, hint: str = '', status: int = 200) -> HTMLResponse:
    html = page(title=t('到访登记'), site=site, body=body, welcome=t('欢迎莅临'), hint=hint)
    return HTMLResponse(html, status_code=status, headers=NO_STORE)


def _notice(message: str, *, status: int) -> HTMLResponse:
    return _html(t('案场'), notice_body(message), status=status)
