"""Finding 1 (open redirect after login) and finding 9 (the session cookie)."""

import pytest
from nicegui.testing import User

from components.session import safe_next
from tests.pages.hardening.helpers import log_in, seed_manager


@pytest.mark.parametrize(
    'target',
    [
        '/\t/evil.example/',
        '/\n/evil.example/',
        '/\r/evil.example',
        '\t//evil.example',
        '//evil.example',
        '/\\evil.example',
        'https://evil.example/',
        'javascript:alert(1)',
        '/ /evil.example',
        '/\u3000/evil.example',
        '/\x00/evil.example',
        'evil.example',
        '/login',
        '',
        None,
    ],
)
def test_next_is_only_a_path_on_this_site(target: str | None) -> None:
    assert safe_next(target) == '/'


@pytest.mark.parametrize('target', ['/staff', '/customer/12?tab=visits', '/duty/manage#today'])
def test_a_path_on_this_site_is_kept(target: str) -> None:
    assert safe_next(target) == target


async def test_a_tab_in_next_does_not_leave_the_site_after_login(user: User) -> None:
    seed_manager()
    response = await user.http_client.get('/login', params={'next': '/\t/evil.example/'})
    assert response.status_code == 200  # not logged in: the form, no redirect yet
    await log_in(user, next_='/\t/evil.example/')
    await user.should_see('王静，您好', retries=30)


async def test_the_cookie_lives_as_long_as_a_session(user: User) -> None:
    response = await user.http_client.get('/login')
    cookie = response.headers.get('set-cookie', '')
    assert 'max-age=43200' in cookie.lower() and 'secure' not in cookie.lower()  # default 12 h, plain HTTP


@pytest.fixture
def https_public_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('ANCHANG_PUBLIC_URL', 'https://anchang.example.com')
    monkeypatch.setenv('ANCHANG_SESSION_HOURS', '8')


async def test_the_cookie_is_secure_behind_https(https_public_url: None, user: User) -> None:
    response = await user.http_client.get('/login')
    cookie = response.headers.get('set-cookie', '').lower()
    assert 'secure' in cookie and 'max-age=28800' in cookie and 'httponly' in cookie
