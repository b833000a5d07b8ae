"""The call register, the daily analysis and the tour route on a phone (NiceGUI's simulated user)."""

from nicegui import ui
from nicegui.elements.mixins.value_element import ValueElement
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction
from sqlmodel import select

import db
from models import Customer, PhoneCall, Role, TourStop
from services.rotation import reception
from tests.helpers.customers import form, received
from tests.helpers.factories import make_site, make_staff
from tests.helpers.login import log_in
from tests.helpers.rotation import arrive


def site_with_team() -> dict:
    """云庐 with 李娜 and 张伟 on shift and 王静 their manager."""
    from services.rotation import reception

    with db.session() as s:
        site = make_site(s, name='云庐')
        lina = make_staff(s, site=site, name='李娜', username='lina')
        zhang = make_staff(s, site=site, name='张伟', username='zhangwei')
        make_staff(s, site=site, role=Role.MANAGER, name='王静', username='wangjing')
        for person in (lina, zhang):
            reception.check_in(s, actor=person)
    return {'site': site, 'lina': lina, 'zhang': zhang}


def set_value(user: User, kind: type[ValueElement], value: str, marker: str | None = None) -> None:
    """Pick an option on a toggle or select (the simulated user types, it does not pick)."""
    for element in user.find(kind=kind, marker=marker).elements:
        element.set_value(value)


def button_in(user: User, marker: str, icon: str) -> UserInteraction:
    """The icon button inside the card marked `marker`."""
    card = next(iter(user.find(marker=marker).elements))
    found = {e for e in card.descendants() if isinstance(e, ui.button) and e.props.get('icon') == icon}
    assert len(found) == 1
    return UserInteraction(user, found, None)


async def open_calls(user: User) -> None:
    await log_in(user, 'lina')
    await user.should_see('李娜，您好', retries=30)
    await user.open('/calls')
    await user.should_see('保存来电', retries=30)


async def test_an_answered_call_is_logged_and_the_caller_is_linked_when_they_come(user: User) -> None:
    data = site_with_team()
    await open_calls(user)
    user.find(marker='call-phone').type('137 1234 5678')
    user.find(marker='call-surname').type('赵')
    set_value(user, ui.toggle, '女士')
    set_value(user, ui.select, '户外广告')
    user.find(marker='call-asked').type('问三房的价格')
    user.find(marker='call-save').click()
    await user.should_see('赵女士 · ', retries=30)
    await user.should_see('户外广告 · 问三房的价格')
    await user.should_not_see('已到访，查看客户')
    with db.session() as s:
        call = s.exec(select(PhoneCall)).one()
        assert (call.phone, call.answered_by_id, call.customer_id) == ('13712345678', data['lina'].id, None)
    arrive(data['site'], phone='13712345678')
    await user.open('/calls')
    await user.should_see('已到访，查看客户', retries=30)
    with db.session() as s:
        customer = s.exec(select(Customer)).one()
        assert s.exec(select(PhoneCall)).one().customer_id == customer.id
        assert customer.channel == '户外广告'
    await user.open(f'/customers/{customer.id}')
    await user.should_see('问三房的价格', retries=30)


async def test_an_invalid_phone_or_an_overlong_note_is_refused_and_nothing_stored(user: User) -> None:
    site_with_team()
    await open_calls(user)
    user.find(marker='call-phone').type('12345')
    user.find(marker='call-save').click()
    await user.should_see('请输入正确的11位手机号', retries=30)
    user.find(marker='call-phone').clear().type('13712345678')
    user.find(marker='call-asked').type('问' * 10_000)
    user.find(marker='call-save').click()
    await user.should_see('不能超过 500 个字', retries=30)
    with db.session() as s:
        assert s.exec(select(PhoneCall)).all() == []


async def test_the_manager_goes_through_todays_receptions_and_changes_a_grade(user: User) -> None:
    data = site_with_team()
    first = received(data['site'], data['lina'])
    with db.session() as s:
        reception.save_and_finish(s, actor=data['lina'], visit_id=first.id or 0, form=form('B', objections=['价格高']))
    second = received(data['site'], data['zhang'])
    await log_in(user, 'wangjing')
    await user.should_see('王静，您好', retries=30)
    await user.open('/analysis')
    await user.should_see('李娜 · 1 组', retries=30)
    await user.should_see('张伟 · 1 组')
    await user.should_see('抗性：价格')
    await user.should_see('未填资料表')
    card = next(iter(user.find(marker=f'analysis-{first.customer_id}').elements))
    for toggle in (e for e in card.descendants() if isinstance(e, ui.toggle)):
        toggle.set_value('A')
    user.find(marker=f'confirm-{first.customer_id}').click()
    await user.should_see('已确认', retries=30)
    with db.session() as s:
        assert s.get(Customer, first.customer_id).grade == 'A'  # type: ignore[union-attr]
        assert s.get(Customer, second.customer_id).grade is None  # type: ignore[union-attr]


async def test_the_manager_adds_reorders_and_removes_a_stop(user: User) -> None:
    site_with_team()
    await log_in(user, 'wangjing')
    await user.should_see('王静，您好', retries=30)
    await user.open('/routes')
    await user.should_see('1. 沙盘区', retries=30)
    user.find(marker='add-stop').click()
    user.find(marker='stop-name').type('会所')
    user.find(marker='stop-save').click()
    await user.should_see('6. 会所', retries=30)
    with db.session() as s:
        stop = s.exec(select(TourStop).where(TourStop.name == '会所')).one()
    button_in(user, f'route-stop-{stop.id}', 'arrow_upward').click()
    await user.should_see('5. 会所', retries=30)
    await user.should_see('6. 洽谈区')
    button_in(user, f'route-stop-{stop.id}', 'edit').click()
    await user.should_see('删除', retries=30)
    user.find(kind=ui.button, content='删除').click()
    await user.should_not_see('会所', retries=30)
    await user.should_see('5. 洽谈区')
    with db.session() as s:
        assert s.get(TourStop, stop.id).active is False  # type: ignore[union-attr]


async def test_a_salesperson_gets_the_no_permission_page_on_manager_pages(user: User) -> None:
    site_with_team()
    await log_in(user, 'lina')
    await user.should_see('李娜，您好', retries=30)
    for path in ('/analysis', '/routes'):
        await user.open(path)
        await user.should_see('您的角色无权打开此页面', retries=30)
        await user.should_not_see('添加站点')


async def test_the_group_admin_is_told_to_open_a_sites_pages_as_its_manager(user: User) -> None:
    with db.session() as s:
        make_staff(s, site=None, role=Role.ADMIN, name='集团管理员', username='groupadmin')
    await log_in(user, 'groupadmin')
    await user.should_see('集团管理员，您好', retries=30)
    for path in ('/analysis', '/routes', '/entrance'):
        await user.open(path)
        await user.should_see('集团管理员没有所属项目，请用该项目销售经理的账号打开此页面', retries=30)
        await user.should_not_see('添加站点')
