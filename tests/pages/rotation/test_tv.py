"""The office TV and the manager's sign-in set-up page, as the people using them would tell it."""

from collections.abc import Callable
from datetime import timedelta
from io import BytesIO
from urllib.parse import urlparse

import pytest
from nicegui import run, ui
from nicegui.testing import User
from PIL import Image
from starlette.requests import Request

import config
import db
from models import Role, Site, Staff, utcnow
from pages.rotation import tv
from services.rotation import reception
from services.signin import display, qr
from tests.helpers.factories import make_staff
from tests.helpers.login import log_in
from tests.helpers.rotation import arrive, staffed_site


def seed(names: tuple[str, ...] = ('李娜', '张伟')) -> tuple[Site, list[Staff], Staff, str]:
    """A site whose salespeople have checked in, its manager, and a TV link the manager made."""
    with db.session() as s:
        site, people = staffed_site(s, list(names))
        manager = make_staff(s, site=site, role=Role.MANAGER, name='王静', username='wangjing')
        token = display.create_display_token(s, actor=manager, label='前台大屏')
    return site, people, manager, token


def shown(user: User, marker: str) -> ui.element:
    return next(iter(user.find(marker=marker).elements))


def codes_now(site: Site) -> set[str]:
    """The QR images a TV may show now: this window's code, or the last one at a window's edge."""
    now, secret = utcnow(), config.current().secret
    tokens = {display.tv_token(site, secret=secret, now=moment) for moment in (now, now - timedelta(minutes=1))}
    return {tv.png_data_url(qr.signin_url('http://test', token)) for token in tokens}


async def test_the_tv_shows_the_board_the_counts_and_a_fresh_sign_in_code(user: User) -> None:
    site, _, _, token = seed()
    await user.open(f'/tv/{token}')
    await user.should_see('云庐')
    for text in ('李娜', '张伟', '空闲', '下一位', '今日到访', '扫码登记', '二维码每 5 分钟更新'):
        await user.should_see(text)
    assert shown(user, 'count-今日到访').text == '0'
    assert shown(user, 'tv-qr').source in codes_now(site)
    await user.should_not_see('首页')  # no staff navigation on the wall


@pytest.mark.parametrize('how', ['unknown', 'revoked'])
async def test_a_bad_link_says_why_and_shows_no_board(user: User, how: str) -> None:
    _, _, manager, token = seed()
    if how == 'revoked':
        with db.session() as s:
            [row] = display.list_display_tokens(s, actor=manager)
            display.revoke_display_token(s, actor=manager, token_id=row.id or 0)
    await user.open(f'/tv/{token if how == "revoked" else "not-a-real-token"}')
    await user.should_see('大屏链接无效或已停用')
    await user.should_not_see('李娜')
    await user.should_not_see(marker='tv-qr')


async def test_the_tv_follows_check_ins_and_visitors_live(user: User) -> None:
    site, [lina], _, token = seed(('李娜',))
    await user.open(f'/tv/{token}')
    await user.should_see(marker=f'state-{lina.id}', content='空闲')
    newcomer = _staff(site, '周杰')
    with db.session() as s:
        reception.check_in(s, actor=newcomer)
    await user.should_see('周杰', retries=30)
    await run.io_bound(arrive, site)  # as the visitor's page does: the event comes from a worker thread
    await user.should_see(marker=f'state-{lina.id}', content='接待中', retries=30)
    assert shown(user, 'count-今日到访').text == '1'


async def test_a_link_revoked_while_the_tv_is_on_goes_dark(user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tv, 'CODE_CHECK_SECONDS', 0.2)
    _, _, manager, token = seed()
    await user.open(f'/tv/{token}')
    await user.should_see('李娜')
    with db.session() as s:
        [row] = display.list_display_tokens(s, actor=manager)
        display.revoke_display_token(s, actor=manager, token_id=row.id or 0)
    await user.should_see('大屏链接无效或已停用', retries=50)
    await user.should_not_see('李娜')


async def test_a_manager_makes_a_tv_link_that_opens_the_board_and_can_revoke_it(
    user: User, create_user: Callable[[], User]
) -> None:
    _, _, manager, _ = seed()
    await log_in(user, 'wangjing')
    await user.should_see('王静，您好', retries=30)
    await user.open('/entrance')
    await user.should_see('前台大屏')
    user.find('大屏名称').type('洽谈区大屏')
    user.find('新建大屏链接').click()
    await user.should_see('大屏链接已生成', retries=30)
    url = shown(user, 'tv-link-url').text
    assert url.startswith('http://test/tv/')
    wall = create_user()
    await wall.open(urlparse(url).path)
    await wall.should_see('李娜')
    await wall.should_see('扫码登记')
    user.find(kind=ui.button, content='完成').click()
    await user.should_see('洽谈区大屏')
    with db.session() as s:
        row = next(r for r in display.list_display_tokens(s, actor=manager) if r.label == '洽谈区大屏')
    user.find(marker=f'revoke-{row.id}').click()
    user.find(kind=ui.button, content='确认停用').click()
    await user.should_not_see(marker=f'revoke-{row.id}', retries=30)
    await wall.open(urlparse(url).path)
    await wall.should_see('大屏链接无效或已停用')


async def test_the_entrance_code_signs_visitors_in_to_this_site(user: User) -> None:
    site, *_ = seed()
    await log_in(user, 'wangjing')
    await user.should_see('王静，您好', retries=30)
    await user.open('/entrance')
    await user.should_see('营业时间')
    url = shown(user, 'entrance-url').text
    assert url.startswith('http://test/v/')
    with db.session() as s:
        opening = display.poster_window(site, utcnow())[0]  # the poster's code works in the opening hours
        scanned = display.site_for_signin(s, url.rsplit('/', 1)[1], secret=config.current().secret, now=opening)
    assert scanned.id == site.id
    assert shown(user, 'entrance-qr').source == tv.png_data_url(url)


async def test_the_posters_download_as_png_and_pdf_in_a4_and_a3(user: User) -> None:
    seed()
    await log_in(user, 'wangjing')
    await user.should_see('王静，您好', retries=30)
    await user.open('/entrance')
    user.find('下载海报 PNG').click()
    png = (await user.download.next(timeout=15)).content
    assert png.startswith(b'\x89PNG\r\n\x1a\n')
    assert Image.open(BytesIO(png)).size == qr.PAGE_SIZES['A4']
    next(iter(user.find(kind=ui.toggle).elements)).value = 'A3'
    user.find('下载海报 PNG').click()
    assert Image.open(BytesIO((await user.download.next(timeout=15)).content)).size == qr.PAGE_SIZES['A3']
    user.find('下载海报 PDF').click()
    assert (await user.download.next(timeout=15)).content.startswith(b'%PDF')


async def test_a_salesperson_may_not_open_the_sign_in_set_up(user: User) -> None:
    _, people, _, _ = seed()
    await log_in(user, people[0].username or '')
    await user.should_see('李娜，您好', retries=30)
    await user.open('/entrance')
    await user.should_see('您的角色无权打开此页面')
    await user.should_not_see('大屏链接')


async def test_the_admin_is_asked_to_open_it_as_a_manager(user: User) -> None:
    seed()
    with db.session() as s:
        make_staff(s, site=None, role=Role.ADMIN, name='管理员', username='boss')
    await log_in(user, 'boss')
    await user.should_see('管理员，您好', retries=30)
    await user.open('/entrance')
    await user.should_see('请用该项目销售经理的账号打开此页面')
    await user.should_not_see('新建大屏链接')


@pytest.mark.parametrize(
    ('headers', 'expected'),
    [
        ({'host': 'anchang.local:8080'}, 'http://anchang.local:8080'),
        ({'host': '127.0.0.1:8080', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'ac.example.cn'}, 'https://ac.example.cn'),
        ({'host': 'ac.example.cn', 'x-forwarded-proto': 'https, http', 'x-forwarded-prefix': '/anchang/'}, 'https://ac.example.cn/anchang'),
        ({'host': 'ac.example.cn', 'x-forwarded-proto': 'javascript', 'x-forwarded-host': 'evil.cn/<x>'}, 'http://ac.example.cn'),
    ],
)  # fmt: skip
def test_the_code_points_where_phones_reach_the_app_behind_a_proxy(headers: dict[str, str], expected: str) -> None:
    scope = {
        'type': 'http',
        'scheme': 'http',
        'server': ('127.0.0.1', 8080),
        'path': '/tv/x',
        'query_string': b'',
        'headers': [(k.encode(), v.encode()) for k, v in headers.items()],
    }
    assert tv.public_base_url(Request(scope)) == expected


def _staff(site: Site, name: str) -> Staff:
    with db.session() as s:
        return make_staff(s, site=site, name=name)
