"""Finding 2 (bodies bounded as they stream in, the token checked first) and finding 6 (security headers)."""

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from nicegui import events, ui
from nicegui.testing import User
from sqlmodel import func, select

import config
import db
from components.http_guard import DEFAULT_BYTES, PUBLIC_POST_BYTES
from components.photo_capture import MAX_UPLOAD_BYTES
from models import Visit
from services.signin import display
from tests.helpers.factories import make_site
from tests.pages.hardening.helpers import log_in, seed_manager

CHUNK = 64 * 1024
JSON = {'accept': 'application/json'}


class Body:
    """A chunked request body (no Content-Length) that counts how much of it the server pulled."""

    def __init__(self, total: int, head: bytes = b'surname=') -> None:
        self.total, self.sent, self.head = total, 0, head

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.sent < self.total:
            self.sent += CHUNK
            yield self.head + b'A' * (CHUNK - len(self.head)) if self.sent == CHUNK else b'A' * CHUNK


def token() -> str:
    with db.session() as s:
        site = make_site(s, name='滨江·云庐售楼处')
    return display.tv_token(site, secret=config.current().secret)  # valid now, at any hour


def visits() -> int:
    with db.session() as s:
        return s.exec(select(func.count()).select_from(Visit)).one()


async def post(http: httpx.AsyncClient, path: str, body: Body, **headers: str) -> httpx.Response:
    return await http.post(path, content=body, headers={'content-type': 'application/x-www-form-urlencoded', **headers})


async def test_a_chunked_sign_in_body_is_cut_off_at_the_small_limit(user: User) -> None:
    body = Body(8 * 1024 * 1024)
    response = await post(user.http_client, f'/v/{token()}', body, accept='application/json')
    assert response.status_code == 413 and visits() == 0
    assert body.sent <= PUBLIC_POST_BYTES + 2 * CHUNK  # read no further than the limit


async def test_a_forged_token_is_refused_before_the_body_is_read(user: User) -> None:
    token()
    body = Body(1024 * 1024)
    response = await post(user.http_client, '/v/forged-token', body, accept='application/json')
    assert response.status_code == 422 and '二维码无效' in response.json()['message']
    assert body.sent <= CHUNK


async def test_a_declared_huge_body_is_refused_at_once(user: User) -> None:
    response = await user.http_client.post(
        f'/v/{token()}', content=b'x' * (PUBLIC_POST_BYTES + 1), headers={'accept': 'application/json'}
    )
    assert response.status_code == 413 and visits() == 0


async def upload_url(user: User, received: list[int]) -> str:
    """A page with a photo upload as the app builds it; the address its phone posts the file to."""

    async def got(e: events.UploadEventArguments) -> None:
        received.append(len(await e.file.read()))

    @ui.page('/test-upload')
    def page() -> None:
        ui.upload(auto_upload=True, max_file_size=MAX_UPLOAD_BYTES, on_upload=got)

    seed_manager()
    await log_in(user)
    await user.should_see('王静，您好', retries=30)
    await user.open('/test-upload')
    upload = next(iter(user.find(ui.upload).elements))
    return str(upload._props['url'])


def multipart() -> tuple[bytes, bytes]:
    head = b'--b\r\nContent-Disposition: form-data; name="f"; filename="p.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
    return head, b'\r\n--b--\r\n'


@pytest.mark.parametrize('size', [MAX_UPLOAD_BYTES + 1024 * 1024, 60 * 1024 * 1024])
async def test_an_upload_past_the_photo_limit_is_refused(user: User, size: int) -> None:
    received: list[int] = []
    url = await upload_url(user, received)
    body = Body(size, head=multipart()[0])
    response = await post(user.http_client, url, body, **{'content-type': 'multipart/form-data; boundary=b'})
    assert response.status_code == 413 and body.sent < MAX_UPLOAD_BYTES + 4 * CHUNK and received == []


async def test_an_upload_within_the_limit_is_taken(user: User) -> None:
    received: list[int] = []
    url = await upload_url(user, received)
    head, tail = multipart()
    data = head + b'\xff' * (MAX_UPLOAD_BYTES - 1024) + tail
    headers = {'content-type': 'multipart/form-data; boundary=b'}
    response = await user.http_client.post(url, content=data, headers=headers)
    for _ in range(100):  # the upload handler runs as a task of its own
        if received:
            break
        await asyncio.sleep(0.05)
    assert response.status_code == 200 and received == [MAX_UPLOAD_BYTES - 1024]


async def test_any_other_post_is_bounded_too(user: User) -> None:
    response = await user.http_client.post('/login', content=b'x' * (DEFAULT_BYTES + 1))
    assert response.status_code == 413


@pytest.mark.parametrize('path', ['/login', '/', '/sw.js', '/manifest.webmanifest', '/offline.html', '/v/forged'])
async def test_every_response_carries_the_security_headers(user: User, path: str) -> None:
    response = await user.http_client.get(path)
    csp = response.headers.get('content-security-policy', '')
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response.headers.get('x-content-type-options') == 'nosniff'
    assert response.headers.get('referrer-policy') == 'same-origin'


async def test_the_sign_in_post_carries_them_too(user: User) -> None:
    response = await user.http_client.post(f'/v/{token()}', data={'surname': '王'}, headers=JSON)
    assert "frame-ancestors 'none'" in response.headers.get('content-security-policy', '')
