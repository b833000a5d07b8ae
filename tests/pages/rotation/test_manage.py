"""The manager's overrides through the page: skip with a reason, reorder, undo, assign, the ledger."""

import re
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from nicegui import ui
from nicegui.testing import User

import db
from models import StaffState, TurnEntry, TurnKind, utcnow
from pages.rotation import manage
from services.core import i18n
from services.rotation import reception
from tests.helpers.login import log_in
from tests.helpers.rotation import arrive, visit
from tests.helpers.team import seed


async def as_manager(user: User) -> dict:
    people = seed()
    for key in ('a', 'b'):
        with db.session() as s:
            reception.check_in(s, actor=people[key])
    await log_in(user, 'wangjing')
    await user.should_see('王静，您好', retries=30)
    await user.open('/rotation/manage')
    await user.should_see('调整顺序与状态')
    return people


async def test_moving_someone_back_needs_a_reason_and_shows_in_the_ledger(user: User) -> None:
    people = await as_manager(user)
    user.find(marker=f'back-{people["a"].id}').click()
    user.find(kind=ui.input, content='原因').type('接听来电')
    user.find(marker='confirm-reason').click()
    await user.should_see('经理调整 · 接听来电', retries=30)
    assert arrive(people['site']).consultant == '张伟'


async def test_moving_up_reorders(user: User) -> None:
    people = await as_manager(user)
    user.find(marker=f'up-{people["b"].id}').click()
    await user.should_see('经理调整', retries=30)
    assert arrive(people['site']).consultant == '张伟'


async def test_undo_then_assign_a_waiting_visitor(user: User) -> None:
    people = await as_manager(user)
    first = arrive(people['site'])
    await user.should_see('轮到接待', retries=30)
    user.find(marker='undo').click()
    await user.should_see('等待接待', retries=30)
    assert visit(first.visit_id).assigned_id is None
    select = next(iter(user.find(marker=f'assign-{first.visit_id}').elements))
    select.value = people['b'].id  # what choosing 张伟 in the list does
    await user.should_not_see(marker=f'waiting-{first.visit_id}', retries=30)
    assert visit(first.visit_id).assigned_id == people['b'].id


async def test_a_salesperson_cannot_open_the_manager_page(user: User) -> None:
    seed()
    await log_in(user, 'lina')
    await user.should_see('李娜，您好', retries=30)
    await user.open('/rotation/manage')
    await user.should_see('您的角色无权打开此页面')


@pytest.mark.parametrize('language', ['zh-CN', 'en'])
def test_no_ledger_line_shows_a_code(language: str) -> None:
    """Every kind and reason the services write reads as words: `· break`, `· on_behalf` never reach a manager."""
    reasons = {str(s) for s in StaffState} | {'on_behalf', 'reorder', 'undo', 'manager', 'held_out', 'take_over'}
    codes = reasons | {str(k) for k in TurnKind}
    i18n.configure(default=language, resolver=lambda: None)
    try:
        for kind in TurnKind:
            for reason in [*sorted(reasons), '客户说明天再来']:
                entry = TurnEntry(site_id=1, day=date(2026, 12, 1), staff_id=1, kind=kind, reason=reason, at=utcnow())
                text = manage.ledger_text(entry, {1: '李娜'}, ZoneInfo('Asia/Shanghai'))
                words = set(re.findall(r'[A-Za-z_]+', text))
                assert not (words & codes if language == 'zh-CN' else {w for w in words if '_' in w}), text
    finally:
        i18n.configure(default='zh-CN', resolver=lambda: None)
