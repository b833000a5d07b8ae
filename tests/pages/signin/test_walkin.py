"""The visitor's sign-in page over HTTP, as a phone at the door uses it: good and hostile input."""

import re
import uuid
from datetime import timedelta

import httpx
import pytest
from nicegui.testing import User
from sqlmodel import func, select

import config
import db
from models import Site, Visit, utcnow
from services.signin import qr
from services.signin import register as signin
from tests.helpers.signin import JSON, fields, seed


def visits() -> int:
    with db.session() as s:
        return s.exec(select(func.count()).select_from(Visit)).one()


async def post(
    http: httpx.AsyncClient, token: str, data: dict[str, str], headers: dict | None = None
) -> httpx.Response:
    return await http.post(f'/v/{token}', data=data, headers=headers or JSON)


async def test_the_form_is_small_and_in_chinese(user: User) -> None:
    _, token = seed()
    page = await user.http_client.get(f'/v/{token}')
    assert page.status_code == 200 and '提交登记' in page.text and '个人信息使用说明' in page.text
    assert len(page.content) < 20_000 and 'no-store' in page.headers['cache-control']


async def test_a_visitor_signs_in_and_is_told_who_will_receive_them(user: User) -> None:
    _, token = seed()
    answer = (await post(user.http_client, token, fields())).json()
    assert answer['ok']
    result = await user.http_client.get(answer['result_url'])
    assert '王先生，登记成功' in result.text and '置业顾问 李娜 马上为您服务' in result.text


async def test_double_submit_and_reload_make_one_visit(user: User) -> None:
    _, token = seed()
    data = fields()
    first = (await post(user.http_client, token, data)).json()
    second = (await post(user.http_client, token, data)).json()
    again = await post(user.http_client, token, fields(phone='139 1234 5678'))  # back, new form, same phone
    assert first == second and again.json()['result_url'].split('?')[0] == first['result_url'].split('?')[0]
    await user.http_client.get(first['result_url'])
    await user.http_client.get(first['result_url'])
    assert visits() == 1


async def test_without_script_the_form_redirects_to_the_result(user: User) -> None:
    _, token = seed()
    response = await post(user.http_client, token, fields(), headers={'Accept': 'text/html'})
    assert response.status_code == 303 and '/done/' in response.headers['location']


@pytest.mark.parametrize(
    ('field', 'value', 'message'),
    [
        ('surname', '', '请填写您的姓氏'),
        ('surname', '<script>alert(1)</script>', '请填写您的姓氏'),
        ('surname', '<b>王</b>', '请填写您的姓氏'),
        ('surname', '欧阳王李赵钱孙周吴郑冯', '不能超过 10 个字'),
        ('surname', '王' * 5000, '不能超过 10 个字'),
        ('surname', '😀', '请填写您的姓氏'),
        ('surname', "王';DROP--", '请填写您的姓氏'),
        ('title', '大人', '请选择先生或女士'),
        ('phone', '12345', '11位手机号'),
        ('phone', '138abcd5678', '11位手机号'),
        ('phone', '', '11位手机号'),
        ('party_size', '0', '1–20'),
        ('party_size', '999', '1–20'),
        ('party_size', 'many', '1–20'),
        ('channel', '<b>spam</b>', '了解渠道'),
        ('consent', '', '个人信息使用说明'),
    ],
)
async def test_bad_fields_get_a_clear_message_and_store_nothing(
    user: User, field: str, value: str, message: str
) -> None:
    _, token = seed()
    response = await post(user.http_client, token, fields(**{field: value}))
    answer = response.json()
    assert response.status_code == 422 and not answer['ok']
    assert answer['field'] == field and message in answer['message']
    assert visits() == 0


async def test_without_script_a_refused_form_comes_back_filled_in_with_the_message(user: User) -> None:
    _, token = seed()
    response = await post(
        user.http_client, token, fields(phone='123', surname='<b>李</b>'), headers={'Accept': 'text/html'}
    )
    assert response.status_code == 422 and '请填写您的姓氏' in response.text
    assert '&lt;b&gt;李&lt;/b&gt;' in response.text and '<b>李</b>' not in response.text


@pytest.mark.parametrize('token', ['forged', 'abc', '<script>', 'x' * 500, '😀😀😀'])
async def test_bad_codes_ask_to_scan_the_entrance_code_and_show_no_form(user: User, token: str) -> None:
    seed()
    page = await user.http_client.get(f'/v/{token}')
    assert page.status_code in (403, 404) and '提交登记' not in page.text
    if page.status_code == 403:
        assert '请扫描售楼处入口的二维码' in page.text
    answer = await post(user.http_client, token, fields())
    assert answer.status_code in (403, 404, 422) and visits() == 0


async def test_a_site_closed_after_its_first_visitor_refuses_the_next(user: User) -> None:
    """The sign-in queue keeps the site's id after its first group; the next group checks the site it locks."""
    site, token = seed()
    assert (await post(user.http_client, token, fields())).json()['ok']
    with db.session() as s:
        found = s.get(Site, site.id)
        assert found is not None
        found.active = False
        s.commit()
    answer = await post(user.http_client, token, fields(phone='139 8765 4321'))
    assert not answer.json()['ok'] and '请扫描售楼处入口的二维码' in answer.text and visits() == 1


async def test_an_expired_code_is_refused(user: User) -> None:
    site, _ = seed()
    past = utcnow() - timedelta(days=2)
    token = qr.make_token(
        config.current().secret, site_code=site.code, valid_from=past, valid_until=past + timedelta(hours=1)
    )
    page = await user.http_client.get(f'/v/{token}')
    assert page.status_code == 403 and '已过期' in page.text
    assert not (await post(user.http_client, token, fields())).json()['ok']


async def test_a_flood_from_one_client_is_slowed_down(user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(signin, 'PER_CLIENT', 5)  # the real limit is 300; the rule is the same
    _, token = seed()
    answers = [
        (await post(user.http_client, token, fields(phone=f'1391234{n:04d}'))).json()
        for n in range(signin.PER_CLIENT + 1)
    ]
    assert all(a['ok'] for a in answers[:-1])
    assert not answers[-1]['ok'] and '提交太频繁' in answers[-1]['message']


async def test_a_huge_body_is_refused(user: User) -> None:
    _, token = seed()
    response = await post(user.http_client, token, fields(surname='王' * 30_000))
    assert response.status_code == 413 and visits() == 0


async def test_the_result_page_needs_the_forms_key(user: User) -> None:
    _, token = seed()
    url = (await post(user.http_client, token, fields())).json()['result_url']
    wrong = re.sub(r'k=\w+', 'k=' + uuid.uuid4().hex, url)
    page = await user.http_client.get(wrong)
    assert page.status_code == 404 and '李娜' not in page.text


async def test_english_on_request(user: User) -> None:
    _, token = seed()
    page = await user.http_client.get(f'/v/{token}?lang=en')
    assert 'Submit' in page.text and 'Mr' in page.text


async def test_the_sign_in_post_skips_the_staff_middleware_and_everything_else_keeps_it(user: User) -> None:
    """components/fast_lane: the crowd's POST answers without a session cookie or the login check's work; a staff
    page, the form itself and an English answer behave as before."""
    _, token = seed()
    answer = await post(user.http_client, token, fields())
    assert answer.json()['ok'] and 'set-cookie' not in answer.headers  # no session made for a visitor
    refused = await user.http_client.post(f'/v/{token}?lang=en', data=fields(phone='123'), headers=JSON)
    assert not refused.json()['ok'] and 'mobile' in refused.json()['message'].lower()
    user.http_client.cookies.clear()
    form = await user.http_client.get(f'/v/{token}')
    assert 'set-cookie' in form.headers  # the form page still goes through the full stack (NiceGUI's session)
    staff_page = await user.http_client.get('/customers', follow_redirects=False)
    assert staff_page.status_code in (302, 303, 307) and '/login' in staff_page.headers['location']
