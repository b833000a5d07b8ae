"""接待轮序: my place and state, my receptions, the live board; 客户进门 for visitors who don't scan."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from zoneinfo import ZoneInfo

from nicegui import APIRouter, background_tasks, run, ui

import db
from components import actions, alert, live_board, owner_notice
from components.board import STATE_LABELS, minutes_since
from components.frame import dialog_buttons, frame, page_dialog
from components.live_board import BoardRows, PlaceLine
from components.record_form import open_record_form
from components.session import guard
from models import Role, Staff, StaffState, VisitStatus
from pages.signin.desk import desk_button
from services.core import events
from services.core.events import VisitorAlert
from services.core.i18n import t
from services.rotation import board, reception
from services.rotation.board import Board

router = APIRouter()
ON_ROTATION = frozenset({Role.SALESPERSON, Role.MANAGER})
MY_STATES = [StaffState.AVAILABLE, StaffState.BREAK, StaffState.MEETING, StaffState.AWAY, StaffState.OFF]
INVALID_REASONS = ['送快递/外卖', '问路', '推销/广告', '找人/办事']


@router.page('/rotation')
async def rotation_page() -> None:
    me = guard(ON_ROTATION)
    if me is None:
        return
    with frame('接待轮序', me, active='/rotation'):
        ui.label(t('{name}，您好', name=me.name)).classes('text-sm ac-muted')  # a salesperson lands here
        desk_button(me)
        owner_notice.install_owner_notice(me)  # my customers received by a colleague (代接), with 接手
        if me.role == Role.MANAGER:
            ui.button(t('轮序管理'), icon='tune', on_click=lambda: ui.navigate.to('/rotation/manage')).props(
                'outline color=teal-8'
            ).classes('w-full').mark('manage')
        view = RotationView(me)
        seen = events.rotation_version(me.site_id or 0)
        view.day, site_board = await view.read()
        if site_board is None:  # the server is shutting down
            return
        view.live = live_board.site(me.site_id or 0, site_board)
        view.draw(view.day, first=True)
        with ui.row().classes('w-full items-center justify-between no-wrap mt-2'):  # the rules beside the board
            ui.label(t('今日轮序')).classes('text-base font-semibold')
            ui.link(t('轮序规则'), '/rotation/rules').classes('text-sm text-teal-8').mark('rules-link')
        BoardRows(view.live, me=me.id)
        live_board.follow_mine(me.site_id or 0, me.id or 0, view.on_my_row, seen=seen)
        alert.on_greeted(view.greeted)  # my visit card: 开始带看 once I have greeted
        alert.on_assigned(view.assigned)


class RotationView:
    """This phone's two live parts: the board and my place in line, which the phone draws from its site's deltas
    (components/live_board.py), and my day, redrawn when my own row of the board changes — from the alerts this
    phone had when they explain the change, else read again."""

    def __init__(self, me: Staff) -> None:
        self.me = me
        self.mine = ui.refreshable(my_day)
        self.live: live_board.LiveSite | None = None
        self.day: board.MyDay | None = None
        self.alerted: dict[int, board.MyVisit] = {}  # visit id → a visit alerted since `day` was drawn
        self.updates = 0
        self.reading = 0  # reads of my day on their way
        self.known = True  # `day` holds every visit of mine as it is: false from my own action until a read after it
        self.drawn: board.MyDay | None = None  # what my day's card shows

    def draw(self, day: board.MyDay | None, *, first: bool = False) -> None:
        """My day's card, unless it shows that already: my row changes when a colleague's assignment makes me next,
        and the board's delta repeats what an alert or my greeting drew a moment before. These redraws were a fifth of
        the server's work (bench.signin --sites 20, py-spy); skipped, with the signatures main.py remembers, alert p95
        195.7 / 269.1 → 47.3 / 54.3 ms (two runs each)."""
        if first:
            self.mine(self.me, day, self.refresh, self.live)
        elif day != self.drawn:
            self.mine.refresh(self.me, day, self.refresh, self.live)
        self.drawn = day

    async def read(self) -> tuple[board.MyDay | None, Board | None]:
        return await run.io_bound(_my_day, self.me), await live_board.read(self.me.site_id or 0)

    def on_my_row(self, site_board: Board) -> None:
        """My row changed: redrawn from what this phone knows if that explains it (a visitor alerted to me: the
        usual case, 200 times in an opening day's first minutes), else read."""
        if self.day is not None and self.known:
            known = {v.visit_id for v in self.day.visits}
            visits = [v for v in reversed(self.alerted.values()) if v.visit_id not in known] + self.day.visits
            day = board.known_day(site_board.rows, self.me, visits, self.day.timezone)
            if day is not None:
                self.alerted.clear()
                self.updates += 1  # a read on its way is older than this
                self.day = day
                self.draw(day)
                return
        self.refresh_mine(site_board)

    def assigned(self, alert: VisitorAlert) -> None:
        if not alert.reminder:
            self.alerted[alert.visit_id] = board.alerted_visit(alert)

    async def update_mine(self, site_board: Board | None = None) -> None:
        self.updates += 1
        number = self.updates
        self.reading += 1
        read_after = list(self.alerted)  # committed before this read began: it has them as they are
        try:
            if site_board is not None and self.day is not None:  # my row and place are on the board: my visits only
                visits = await run.io_bound(_my_visits, self.me)
                day = board.day_of(site_board.rows, self.me, visits, self.day.timezone) if visits is not None else None
            else:
                day = await run.io_bound(_my_day, self.me)
        finally:
            self.reading -= 1
        if day is not None and number == self.updates:  # else the server stops, or newer data is on its way
            self.day, self.known = day, True
            for visit_id in read_after:
                self.alerted.pop(visit_id, None)
            self.draw(day)

    def refresh_mine(self, site_board: Board | None = None) -> None:
        background_tasks.create(self.update_mine(site_board), name='my day')

    def greeted(self, visit_id: int | None) -> None:
        """我来接待 changed my visit, not my row: my day is redrawn from what it was, that visit now received (no
        read: every visitor on an opening day is greeted on some phone) — or, greeted before my row showed the visit,
        when my row does; refused, it is read again."""
        visits = self.day.visits if self.day is not None else []
        early = self.alerted.get(visit_id or 0)
        if early is not None and all(v.visit_id != visit_id for v in visits):  # greeted before my row moved
            self.alerted[early.visit_id] = replace(early, status=VisitStatus.RECEIVING)
            if self.reading:  # begun before the greeting, a read would draw the visit not yet greeted
                self.refresh_mine(self.live.board if self.live is not None else None)
            return  # else my row's change draws the visit, greeted
        if (
            self.day is None
            or not self.known
            or not any(v.visit_id == visit_id and v.status == VisitStatus.ASSIGNED for v in visits)
        ):
            self.refresh_mine(self.live.board if self.live is not None else None)
            return
        received = [replace(v, status=VisitStatus.RECEIVING) if v.visit_id == visit_id else v for v in visits]
        self.day = replace(self.day, visits=received)
        self.updates += 1  # a read on its way is older than this
        self.draw(self.day)

    def refresh(self) -> None:
        """After my own action: my day at once (the board follows with the rotation change). Until that read is
        drawn, my row's changes are read too: the visit I just ended is still open in `day`, and drawn from it (an
        end that hands me the next waiting visitor changes my row at once) its 结束接待 would end it again."""
        self.known = False
        self.refresh_mine()


def my_day(me: Staff, day: board.MyDay | None, refresh: Callable[[], object], live: live_board.LiveSite | None) -> None:
    """My state and place, the buttons to change them, and my receptions today."""
    if day is None:
        return
    with ui.card().classes('w-full gap-2').mark('my-day'):
        if not day.on_roster:
            ui.label(t('您今天还没有签到上岗')).classes('text-base')
            ui.button(t('签到上岗'), on_click=lambda: change(me, StaffState.AVAILABLE, refresh)).props(
                'unelevated color=teal-8'
            ).classes('w-full ac-big-btn').mark('check-in')
            return
        status_line(me, day, live)
        if day.trainee:
            ui.label(t('入职首月：跟随带教师傅接待，不单独轮序')).classes('ac-muted text-sm')
        open_visits = [v for v in day.visits if v.status in (VisitStatus.ASSIGNED, VisitStatus.RECEIVING)]
        if not open_visits:
            state_buttons(me, day.state, refresh)
    for visit in open_visits:
        open_visit_card(me, visit, refresh, touring=day.state == StaffState.TOURING)
    done = [v for v in day.visits if v not in open_visits]
    if done:
        title = t('今日接待 1 组') if len(done) == 1 else t('今日接待 {n} 组', n=len(done))  # English: 1 party
        with ui.expansion(title).classes('w-full bg-white rounded'):
            for visit in done:
                at = visit.arrived_at.astimezone(ZoneInfo(day.timezone))
                ui.label(f'{visit.customer} · {at:%H:%M} · {t(visit_status(visit.status))}').classes('text-sm py-1')


def status_line(me: Staff, day: board.MyDay, live: live_board.LiveSite | None) -> None:
    state = StaffState(day.state or StaffState.OFF)
    with ui.row().classes('w-full items-center justify-between no-wrap'):
        ui.label(t(STATE_LABELS[state])).classes('text-2xl font-bold').mark('my-state')
        ui.label(minutes_since(day.since) if day.since else '').classes('ac-muted')
    if state == StaffState.AVAILABLE and live is not None:  # a place in line means something only to the free
        PlaceLine(live, me=me.id)


def state_buttons(me: Staff, current: str | None, refresh: Callable[[], object]) -> None:
    with ui.grid(columns=3).classes('w-full gap-2'):
        for state in MY_STATES:
            ui.button(t(STATE_LABELS[state]), on_click=lambda state=state: change(me, state, refresh)).props(
                'unelevated color=teal-8' if state == current else 'outline color=teal-8'
            ).classes('ac-big-btn').mark(f'set-{state}')


def open_visit_card(me: Staff, visit: board.MyVisit, refresh: Callable[[], object], *, touring: bool = False) -> None:
    with ui.card().classes('w-full gap-2 border-l-4 border-orange-500').mark(f'visit-{visit.visit_id}'):
        title = (
            t('跟随接待：{name}', name=visit.customer) if visit.shadow else t('正在接待：{name}', name=visit.customer)
        )
        ui.label(title).classes('text-lg font-semibold')
        details = [
            t('{n} 人', n=visit.party_size),
            t('老客户') if visit.returning else t('新客户'),
            t('到访 {since}', since=minutes_since(visit.arrived_at)),
        ]
        if visit.on_behalf_of:
            details.append(t('代 {name} 接待', name=visit.on_behalf_of))
        ui.label(' · '.join(details)).classes('ac-muted text-sm')
        if visit.shadow:
            return
        if visit.status == VisitStatus.RECEIVING:
            ui.button(
                t('继续带看') if touring else t('开始带看'),
                icon='directions_walk',
                on_click=lambda: ui.navigate.to(f'/tour/{visit.visit_id}'),
            ).props('unelevated color=blue-8' if touring else 'outline color=blue-8').classes('w-full ac-big-btn').mark(
                'tour'
            )
        if touring:
            return  # the tour ends first (带看结束 asks for the grade), then the reception
        if visit.status == VisitStatus.ASSIGNED:  # the alert's 我来接待 first: the greeting is what is timed
            hint = t('点提醒上的「我来接待」后，可结束接待或标记无效')
            ui.label(hint).classes('ac-muted text-sm').mark('greet-first')
            return
        with ui.row().classes('w-full no-wrap gap-2'):
            ui.button(t('结束接待'), on_click=lambda: open_record_form(me, visit.visit_id, refresh)).props(
                'unelevated color=teal-8'
            ).classes('flex-1 ac-big-btn').mark('finish')
            ui.button(t('无效接待'), on_click=lambda: invalid_dialog(me, visit.visit_id, refresh)).props(
                'outline color=red-8'
            ).classes('flex-1 ac-big-btn').mark('invalid')


def invalid_dialog(me: Staff, visit_id: int, refresh: Callable[[], object]) -> None:
    """无效接待 needs a reason: the turn goes back and the manager sees why."""
    with page_dialog() as dialog, ui.card().classes('w-full max-w-md gap-2'):
        ui.label(t('无效接待的原因')).classes('text-lg font-semibold')
        reason = ui.input(t('原因')).props('outlined maxlength=200')
        with ui.row().classes('gap-1'):
            for preset in INVALID_REASONS:
                ui.chip(t(preset), on_click=lambda p=preset: reason.set_value(t(p))).props('clickable outline')
        dialog_buttons(
            dialog, t('确认无效'), lambda: declare(me, visit_id, reason.value or '', dialog, refresh), color='red-8'
        ).mark('confirm-invalid')
    dialog.open()


def visit_status(status: str) -> str:
    return {VisitStatus.ENDED: '已结束', VisitStatus.INVALID: '无效接待', VisitStatus.WAITING: '等待中'}.get(
        VisitStatus(status), '接待中'
    )


def change(me: Staff, state: str, refresh: Callable[[], object]) -> None:
    actions.in_page(lambda: _act(lambda s, actor: reception.set_state(s, actor=actor, state=state), refresh))


async def declare(me: Staff, visit_id: int, reason: str, dialog: ui.dialog, refresh: Callable[[], object]) -> None:
    if await _act(
        lambda s, actor: reception.declare_invalid(s, actor=actor, visit_id=visit_id, reason=reason), refresh
    ):
        dialog.close()


async def _act(action: Callable[..., object], refresh: Callable[[], object]) -> bool:
    """Run a reception action for the logged-in staff member, then redraw; a refused one shows its reason."""
    if not await actions.act(action):
        return False
    refresh()
    return True


def _my_day(me: Staff) -> board.MyDay:
    with db.session() as s:
        return board.my_day(s, actor=me)


def _my_visits(me: Staff) -> list[board.MyVisit]:
    with db.session() as s:
        return board.my_visits(s, actor=me)
