"""The rotation on several phones at once: check-in, live board, the alert, acknowledging, finishing."""

import asyncio
import gc
import json
from collections.abc import Callable
from datetime import datetime

import pytest
from nicegui import ElementFilter, core, ui
from nicegui.events import GenericEventArguments
from nicegui.testing import User
from sqlmodel import Session, select

import db
from components import frame, live_board
from components.live_board import BoardRows
from components.record_form import ChipGroup
from models import ReceptionRecord, Role, Visit, VisitStatus
from pages.rotation import board as rotation_page
from services.core import events
from services.rotation import overrides
from tests.helpers.factories import make_staff
from tests.helpers.login import log_in
from tests.helpers.pages import pick_grade, until
from tests.helpers.rotation import arrive
from tests.helpers.team import on_rotation, seed


async def test_check_in_shows_on_every_phone_live(user: User, create_user: Callable[[], User]) -> None:
    seed()
    other = create_user()
    await on_rotation(user, 'lina', '李娜，您好')
    await on_rotation(other, 'zhangwei', '张伟，您好')
    await user.should_see('您今天还没有签到上岗')
    user.find(marker='check-in').click()
    await user.should_see('下一位就是您', retries=30)
    await other.should_see('李娜', retries=30)  # the other phone's board, without a reload


async def test_the_one_who_is_up_gets_the_alert_and_acknowledges(user: User, create_user: Callable[[], User]) -> None:
    people = seed()
    other = create_user()
    await both_checked_in(user, other)
    result = arrive(people['site'], phone='13912345678')
    await user.should_see('请接待客户', retries=30)
    await user.should_see('王先生（1 人）')
    await other.should_not_see('请接待客户')
    await other.should_see('下一位就是您', retries=30)
    user.find('我来接待').click()
    await user.should_see('正在接待：王先生', retries=30)
    await user.should_not_see('请接待客户', retries=30)
    with db.session() as s:
        visit = s.get(Visit, result.visit_id)
    assert visit and visit.status == VisitStatus.RECEIVING and visit.acknowledged_at is not None


async def test_an_alerted_visit_is_drawn_from_the_alert_and_greeted_without_a_read(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = await up_next(user)
    reads: list[int] = []
    read = rotation_page._my_visits
    monkeypatch.setattr(rotation_page, '_my_visits', lambda me: reads.append(1) or read(me))
    arrive(people['site'])
    await user.should_see(marker='greet-first', retries=30)  # the visit card, its row explained by the alert
    assert reads == []
    user.find('我来接待').click()
    await user.should_see('开始带看', retries=30)
    assert reads == []


async def test_a_visit_passed_on_elsewhere_is_read_again(user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    people = await up_next(user)
    first = arrive(people['site'])
    await user.should_see(marker='greet-first', retries=30)
    reads: list[int] = []
    read = rotation_page._my_visits
    monkeypatch.setattr(rotation_page, '_my_visits', lambda me: reads.append(1) or read(me))
    with db.session() as s:  # the manager undoes the assignment: nothing this phone knows explains its row now
        assert overrides.undo_last(s, actor=people['manager']).id == first.visit_id
    await user.should_not_see(marker='greet-first', retries=30)
    await user.should_see('下一位就是您', retries=30)
    assert reads


async def test_a_colleagues_visitor_moves_my_place_without_redrawing_my_day(
    user: User, create_user: Callable[[], User]
) -> None:
    """张伟's row changes as 李娜 takes the visitor (he is next now): his place is the phone's to draw, his card of the
    day is what it was and is not built again — on an opening day that was every phone, for every visitor."""
    people = seed()
    other = create_user()
    await both_checked_in(user, other)
    (card,) = other.find(marker='my-day').elements
    arrive(people['site'])
    await other.should_see('下一位就是您', retries=30)
    assert await until(lambda: board_states(other)[people['a'].id] == '接待中')
    await asyncio.sleep(live_board.COALESCE_S * 2)  # the delta that moved his row has been applied
    assert other.find(marker='my-day').elements == {card}
    assert card.client is other.client and not card.is_deleted


async def test_the_record_form_opens_though_the_card_tapped_is_redrawn_at_once(user: User) -> None:
    people = await up_next(user)
    visit = arrive(people['site'])
    user.find('我来接待').click()
    await user.should_see(marker='finish', retries=30)
    user.find(marker='finish').click()  # the handler starts a moment later: a live redraw gets there first
    for card in user.find(marker=f'visit-{visit.visit_id}').elements:
        card.delete()
    gc.collect()
    await user.should_see('客户信息资料表', retries=30)


async def test_a_state_tapped_holds_though_my_day_is_redrawn_at_once(user: User) -> None:
    seed()
    await on_rotation(user, 'lina', '李娜，您好')
    user.find(marker='check-in').click()
    for card in user.find(marker='my-day').elements:
        card.delete()
    gc.collect()
    await user.should_see('下一位就是您', retries=30)


async def test_an_unacknowledged_alert_survives_a_reload(user: User) -> None:
    people = await up_next(user)
    arrive(people['site'])
    await user.open('/')
    await user.should_see('请接待客户', retries=30)


async def test_finishing_and_invalid_receptions_free_the_salesperson(user: User) -> None:
    people = await up_next(user)
    first = arrive(people['site'])
    await user.should_see('正在接待：王先生', retries=30)
    await user.should_see(marker='greet-first')  # 结束接待 and 无效接待 only once the visitor is greeted
    await user.should_not_see(marker='finish')
    user.find('我来接待').click()
    await user.should_see(marker='finish', retries=30)
    user.find(marker='finish').click()
    await user.should_see('客户信息资料表', retries=30)
    user.find(marker='record-save').click()  # no grade yet: refused
    await user.should_see('请选择意向等级 A/B/C/D', retries=30)
    pick_grade(user, 'B')
    user.find(marker='record-save').click()
    await user.should_see('下一位就是您', retries=30)
    arrive(people['site'])
    await user.should_see('正在接待：王先生', retries=30)
    user.find('我来接待').click()
    await user.should_see(marker='invalid', retries=30)
    user.find(marker='invalid').click()
    user.find('问路').click()
    user.find(marker='confirm-invalid').click()
    await user.should_see('下一位就是您', retries=30)
    with db.session() as s:
        visits = list(s.exec(select(Visit).order_by(Visit.id)))  # type: ignore[arg-type]
    assert [v.status for v in visits] == [VisitStatus.ENDED, VisitStatus.INVALID]
    assert visits[0].id == first.visit_id and visits[1].invalid_reason == '问路'


async def test_a_salesperson_ends_one_reception_after_another_with_visitors_waiting(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An opening day: each end hands the salesperson the next waiting visitor in the same commit, and my day shows
    only that one open — never the visit just ended, whose 结束接待 would end it again."""
    monkeypatch.setattr(frame, 'DIALOG_LINGER_S', 0.1)  # the simulation would tap a closed dialog's buttons too
    people = await up_next(user)
    for phone in ('13900000001', '13900000002', '13900000003'):
        arrive(people['site'], phone=phone)
    for ended in (1, 2, 3):
        await greet_and_open_record(user)
        pick_grade(user, 'C')
        user.find(marker='record-save').click()
        assert await until(lambda ended=ended: len(visits_ended()) == ended)
    await user.should_see('下一位就是您', retries=50)


async def test_the_record_chips_take_only_what_they_offer(user: User) -> None:
    """The chips are drawn by the phone (chip_group.js), so what it sends back is checked: an option not offered is
    dropped, a one-choice row keeps one."""
    people = await up_next(user)
    arrive(people['site'])
    await greet_and_open_record(user)
    open_more(user)
    objections = user.find(marker='record-objections').elements.pop()
    purpose = user.find(marker='record-purpose').elements.pop()
    assert isinstance(objections, ChipGroup) and isinstance(purpose, ChipGroup)
    with user:
        objections._changed(
            GenericEventArguments(sender=objections, client=user.client, args=['价格高', '<b>x</b>', '交通'])
        )
        purpose._changed(GenericEventArguments(sender=purpose, client=user.client, args=['自住', '投资']))
    pick_grade(user, 'C')
    user.find(marker='record-save').click()
    record = await until(first_record)
    assert record is not None
    assert record.objections == ['价格高', '交通'] and record.purpose == '自住'


async def greet_and_open_record(user: User) -> None:
    """我来接待 on the alert, then 结束接待 on the one open visit's card: the record dialog is open.

    The simulation sees a closed dialog until it is deleted: the last reception's form must be gone first, or its
    客户信息资料表 is taken for the new one's and its 保存 tapped (该客户资料已被他人修改, one run in about ten)."""
    await user.should_not_see('客户信息资料表', retries=50)
    await user.should_see('请接待客户', retries=50)
    user.find('我来接待').click()
    await user.should_see(marker='finish', retries=50)
    assert len(user.find(marker='finish').elements) == 1  # one visit open: never the one just ended beside it
    user.find(marker='finish').click()
    await user.should_see('客户信息资料表', retries=50)


def open_more(user: User) -> None:
    """更多资料（选填）, as a tap opens it."""
    more = user.find(marker='record-more').elements.pop()
    assert isinstance(more, ui.expansion)
    with user:
        more.set_value(True)


async def test_the_records_optional_details_are_drawn_when_opened_and_saved(user: User) -> None:
    """Half the form is the optional details, which most ends never open: they are drawn when 更多资料 is."""
    people = await up_next(user)
    arrive(people['site'])
    await greet_and_open_record(user)
    with user:
        assert not list(ElementFilter(marker='record-purpose'))  # not drawn, not just folded
    pick_grade(user, 'C')
    open_more(user)
    await user.should_see(marker='record-purpose')
    open_more(user)  # closed and opened again: drawn once
    assert len(user.find(marker='record-purpose').elements) == 1
    user.find('家庭结构').type('三口之家')
    user.find(marker='record-save').click()
    record = await until(first_record)
    assert record is not None and record.family == '三口之家' and record.grade == 'C'


def visits_ended() -> list[Visit]:
    with db.session() as s:
        return list(s.exec(select(Visit).where(Visit.status == VisitStatus.ENDED)))


def first_record() -> ReceptionRecord | None:
    with db.session() as s:
        return s.exec(select(ReceptionRecord)).first()


async def test_an_admin_without_a_site_cannot_open_the_rotation(user: User) -> None:
    with db.session() as s:
        make_staff(s, site=None, role=Role.ADMIN, name='管理员', username='boss')
    await log_in(user, 'boss')
    await user.should_see('管理员，您好', retries=30)
    await user.open('/rotation')
    await user.should_see('您的角色无权打开此页面')


async def test_a_button_redrawn_by_anothers_action_still_acts_for_its_own_phone(
    user: User, create_user: Callable[[], User]
) -> None:
    people = seed()
    other = create_user()
    await on_rotation(user, 'lina', '李娜，您好')
    user.find(marker='check-in').click()
    await user.should_see('下一位就是您', retries=30)
    await on_rotation(other, 'zhangwei', '张伟，您好')
    other.find(marker='check-in').click()  # redraws 李娜's buttons while handling 张伟's tap
    await user.should_see('张伟', retries=30)
    user.find(marker='set-break').click()
    await user.should_see(marker='my-state', content='午餐轮休', retries=30)
    with db.session() as s:
        from services.rotation.board import board as read_board

        rows = {r.staff_id: r.state for r in read_board(s, actor=people['manager']).rows}
    assert rows == {people['a'].id: 'break', people['b'].id: 'available'}


async def test_a_salesperson_registers_a_visitor_who_does_not_scan(user: User, create_user: Callable[[], User]) -> None:
    seed()
    other = create_user()
    await on_rotation(other, 'zhangwei', '张伟，您好')
    other.find(marker='check-in').click()
    await other.should_see('下一位就是您', retries=30)
    await on_rotation(user, 'lina', '李娜，您好')
    user.find(marker='desk').click()
    user.find(kind=ui.input, content='姓氏').type('赵')
    user.find('女士').click()
    user.find(kind=ui.input, content='手机号').type('13700001111')
    user.find('客户已口头同意个人信息使用说明').click()
    user.find(marker='desk-save').click()
    await other.should_see('请接待客户', retries=30)
    await user.should_see('已登记，张伟 接待', retries=30)
    await other.should_see('赵女士（1 人）')
    with db.session() as s:
        visit = s.exec(select(Visit)).one()
    assert visit.source == 'desk' and visit.registered_by_id is not None


async def test_an_open_dialog_survives_a_colleagues_change(user: User, create_user: Callable[[], User]) -> None:
    people = seed()
    other = create_user()
    await on_rotation(user, 'lina', '李娜，您好')
    user.find(marker='check-in').click()
    await user.should_see('下一位就是您', retries=30)
    await on_rotation(other, 'zhangwei', '张伟，您好')
    arrive(people['site'])
    await user.should_see('正在接待：王先生', retries=30)
    user.find('我来接待').click()
    await user.should_see(marker='invalid', retries=30)
    user.find(marker='invalid').click()
    user.find(kind=ui.input, content='原因').type('问路的')
    other.find(marker='check-in').click()  # redraws 李娜's day while her dialog is open
    await user.should_see('张伟', retries=30)
    await user.should_see('无效接待的原因')
    user.find(marker='confirm-invalid').click()
    await user.should_see('下一位就是您', retries=30)


async def test_a_burst_of_changes_ends_with_the_final_board_on_every_phone(
    user: User, create_user: Callable[[], User]
) -> None:
    people = seed()
    other = create_user()
    await both_checked_in(user, other)
    for n in range(5):  # faster than a phone redraws: the changes coalesce, the last state still shows
        arrive(people['site'], phone=f'1391234560{n}')
    for phone in (user, other):
        for _ in range(50):
            if board_of(phone)['head']['counts'][0] == '5':  # 今日到访
                break
            await asyncio.sleep(0.1)
        assert board_of(phone)['head']['counts'][0] == '5'
        await phone.should_see('等待接待 3 组', retries=50)
        states = board_states(phone)  # what the phone's board draws (components/board_rows.js)
        assert states[people['a'].id] == states[people['b'].id] == '接待中'


async def both_checked_in(user: User, other: User) -> None:
    """李娜 on the first phone checks in, then 张伟 on the second: she is up next, he is second."""
    await on_rotation(user, 'lina', '李娜，您好')
    user.find(marker='check-in').click()
    await user.should_see('下一位就是您', retries=30)
    await on_rotation(other, 'zhangwei', '张伟，您好')
    other.find(marker='check-in').click()
    await other.should_see('您排第 2 位', retries=30)


def board_of(phone: User) -> dict:
    """The board this phone draws now (components/live_board.py sends it, then its deltas)."""
    (rows,) = phone.find(kind=BoardRows).elements
    return rows.live.full(rows.language)


async def up_next(user: User) -> dict:
    """The seeded site, 李娜's phone on 轮序, checked in and up next."""
    people = seed()
    await on_rotation(user, 'lina', '李娜，您好')
    user.find(marker='check-in').click()
    await user.should_see('下一位就是您', retries=30)
    return people


def board_states(phone: User) -> dict[int, str]:
    """Each salesperson's state on this phone's board, from the rows it was sent."""
    return {row['id']: row['state'] for row in board_of(phone)['rows']}


async def test_a_crowd_waiting_is_counted_and_only_the_longest_waiting_are_named(user: User) -> None:
    people = await up_next(user)
    for n in range(8):  # 李娜 takes the first; seven wait
        arrive(people['site'], phone=f'1391234561{n}')
    await user.should_see('等待接待 7 组', retries=50)
    await user.should_see('等得最久的 5 组，另有 2 组')
    assert len(board_of(user)['head']['waiting']['lines']) == 5


async def test_a_change_reaches_every_phone_as_one_delta_of_the_rows_that_changed(
    user: User, create_user: Callable[[], User], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fan-out that does not grow with the phones: one message per site and change, to the site's room, carrying the
    rows that changed — not one update per phone, not the whole board (components/live_board.py)."""
    people = seed()
    other = create_user()
    await both_checked_in(user, other)
    await asyncio.sleep(3 * live_board.COALESCE_S)  # the check-ins' deltas are out
    sent: list[tuple[dict, str]] = []
    emit = core.sio.emit

    async def spy(event: str, data: object = None, *args: object, room: str = '', **kwargs: object) -> None:
        if event == live_board.EVENT:
            sent.append((data, room))  # type: ignore[arg-type]
        await emit(event, data, *args, room=room, **kwargs)

    monkeypatch.setattr(core.sio, 'emit', spy)
    arrive(people['site'], phone='13912345678')
    await user.should_see('请接待客户', retries=30)
    for _ in range(30):
        if sent:
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(2 * live_board.COALESCE_S)
    (delta, room), *more = sent
    assert not more, 'one message for the two phones'
    assert room == f'board:{people["site"].id}:zh-CN'
    assert delta['base'] == delta['v'] - 1
    assert people['a'].id in {row['id'] for row in delta['rows']}  # 李娜 now 接待中
    assert len(delta['rows']) < 2 or all(row['id'] != people['b'].id or row['up_next'] for row in delta['rows'])
    assert delta['head']['counts'][0] == '1'


async def test_a_phone_that_missed_a_delta_gets_the_whole_board(user: User) -> None:
    people = await up_next(user)
    (rows,) = user.find(kind=BoardRows).elements
    arrive(people['site'], phone='13912345678')
    for _ in range(50):
        if rows.live.version > json.loads(rows.props['board'])['v']:
            break
        await asyncio.sleep(0.1)
    assert rows.live.version > json.loads(rows.props['board'])['v']  # deltas went to the room, not to this element
    rows._resend()  # what its 'stale' event runs: board_rows.js saw a delta that does not follow its version
    sent = json.loads(rows.props['board'])
    assert sent['v'] == rows.live.version
    assert sent['base'] is None  # the whole board
    assert {row['id'] for row in sent['rows']} == {people['a'].id}


async def test_other_areas_figures_are_read_again_only_after_their_change_or_a_while(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = await up_next(user)
    site = people['site'].id
    asked: list[int] = []
    counts = live_board.other_counts

    def counted(session: Session, site_id: int, now: datetime) -> dict[str, int]:
        asked.append(site_id)
        return counts(session, site_id, now)

    monkeypatch.setattr(live_board, 'other_counts', counted)
    live_board._figures.clear()
    boards = [live_board._read(site) for _ in range(3)]  # each rotation change reads the board
    assert asked == [site]  # once: the other two boards carry the figures the first read
    assert len({(b.overdue_checklists, b.open_complaints) for b in boards}) == 1
    events.emit_duty(site)  # a checklist ticked, a photo taken: the figures are read with the next board
    await until(lambda: live_board._figures_version.get(site))
    live_board._read(site)
    assert asked == [site, site]
    monkeypatch.setattr(live_board, 'FIGURES_S', 0.0)  # and they are never older than FIGURES_S
    live_board._read(site)
    assert asked == [site, site, site]


async def test_many_sites_share_the_board_reads_one_site_is_read_twice_a_second(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = await up_next(user)
    await until(lambda: live_board._sites.get(people['site'].id))
    assert live_board.interval() == live_board.COALESCE_S  # one site's phones: its board at most twice a second
    board = live_board._sites[people['site'].id].board
    others = {1000 + n: live_board.LiveSite(1000 + n, board) for n in range(24)}
    for live in others.values():
        live.languages['zh'] = 1  # a phone shows each of 24 other sites' boards
    monkeypatch.setattr(live_board, '_sites', {**live_board._sites, **others})
    assert live_board.interval() == 25 / live_board.READS_PER_S  # 25 sites share READS_PER_S: 1.25 s each
