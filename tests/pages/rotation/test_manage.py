"""The manager's overrides through the page: skip with a reason, reorder, undo, assign, the ledger."""

import asyncio
import re
import threading
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from nicegui import ElementFilter, ui
from nicegui.testing import User

import db
from models import StaffState, TurnEntry, TurnKind, utcnow
from pages.rotation import manage
from services.core import i18n
from services.rotation import overrides as rotation_manage
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


async def test_a_burst_of_rotation_changes_makes_few_manager_redraws_read_off_the_loop(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = await as_manager(user)
    ledgers: list[bool] = []  # each ledger read: on the event loop's thread?
    real = rotation_manage.turn_ledger

    def counted(session: object, **kw: object) -> object:
        ledgers.append(threading.current_thread() is threading.main_thread())
        return real(session, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(rotation_manage, 'turn_ledger', counted)
    for n in range(20):  # an opening-day burst: twenty visitors faster than a phone redraws
        last = arrive(people['site'], phone=f'1391234{n:04d}')
    await user.should_see(marker=f'waiting-{last.visit_id}', retries=50)  # the last state shows
    await user.should_see('今日轮次记录（2 条）')
    await asyncio.sleep(2 * manage.live_board.COALESCE_S)
    assert 1 <= len(ledgers) <= 4, f'{len(ledgers)} redraws for 20 changes'
    assert not any(ledgers), 'the ledger was read on the event loop'


async def test_the_overrides_are_on_the_board_rows_themselves(user: User) -> None:
    people = await as_manager(user)
    for key in ('a', 'b'):
        staff_id = people[key].id
        with user:  # move up and 移到末位 on the person's row of the board, not in a second list below it
            assert list(ElementFilter(marker=f'up-{staff_id}').within(marker=f'board-row-{staff_id}'))
            assert list(ElementFilter(marker=f'back-{staff_id}').within(marker=f'board-row-{staff_id}'))
    assert len(user.find(content='李娜').elements) == 1  # the name shows once
