"""What a salesperson's phone is told about their own customers (您的客户 陈先生 到访，由 李娜 代接, with 接手 when
free) and what the manager's phone is told about an alert nobody answered — on the rotation pages, live."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import background_tasks, run, ui

import db
from models import Role, Staff
from services.core import events
from services.core.errors import DomainError
from services.core.events import Unanswered, VisitorAlert
from services.core.i18n import t
from services.rotation import behalf
from services.rotation.behalf import OwnerNotice

from .alert import CHIME

_owners: dict[int, list[_OwnerPhone]] = {}  # owner id → their open pages
_managers: dict[int, list[Callable[[Unanswered], object]]] = {}  # site id → its managers' open pages
_showing: set[_OwnerPhone] = set()  # the owners' pages showing a notice now: the only ones a rotation change can move


def install_dispatcher() -> None:
    """Once per app: one subscriber each, which wakes only the phones concerned."""
    _owners.clear()
    _managers.clear()
    _showing.clear()
    events.visitor_assigned.subscribe(_on_assigned)
    events.visitor_unanswered.subscribe(_on_unanswered)
    events.rotation_changed.subscribe(_on_rotation)


class _OwnerPhone:
    """One open page of an owner: its notices, read again when one of theirs may have changed."""

    def __init__(self, me: Staff) -> None:
        self.me, self.client = me, ui.context.client
        self.notices = ui.refreshable(_draw)
        first = _notices(me) or []
        self.show(first)
        self.notices(me, first, self.redraw)
        self.client.on_delete(lambda: _showing.discard(self))

    def show(self, notices: list[OwnerNotice]) -> None:
        (_showing.add if notices else _showing.discard)(self)

    def redraw(self) -> None:
        background_tasks.create(self.reload(), name='owner notice')

    async def reload(self) -> None:
        fresh = await run.io_bound(_notices, self.me)
        if fresh is not None and self.client.id in self.client.instances:
            self.show(fresh)
            self.notices.refresh(self.me, fresh, self.redraw)


def install_owner_notice(me: Staff) -> None:
    """This phone's notices: my customers received on my behalf; for a manager, alerts that went unanswered."""
    client = ui.context.client
    with ui.column().classes('ac-notices w-full gap-1').mark('owner-notices') as area:  # no notice: takes no gap
        if me.role == Role.SALESPERSON:
            phone = _OwnerPhone(me)
            _subscribe(_owners, me.id or 0, phone, client)
    if me.role != Role.MANAGER:
        return
    with area:
        told = ui.column().classes('w-full gap-1')

    def unanswered(event: Unanswered) -> None:
        with told:
            unanswered_card(event)
        client.run_javascript(CHIME)

    _subscribe(_managers, me.site_id or 0, unanswered, client)


def _draw(me: Staff, notices: list[OwnerNotice], reload: Callable[[], object]) -> None:
    for notice in notices:
        with ui.card().classes('w-full bg-teal-50 border-l-4 border-teal-600 gap-1').mark(f'notice-{notice.visit_id}'):
            ui.label(t('您的客户 {customer} 到访，由 {name} 代接', customer=notice.customer, name=notice.received_by))
            ui.button(t('接手'), icon='front_hand', on_click=lambda v=notice.visit_id: take_over(me, v, reload)).props(
                'unelevated color=teal-8'
            ).classes('w-full').mark(f'take-over-{notice.visit_id}')


def unanswered_card(event: Unanswered) -> None:
    with (
        ui.card().classes('w-full bg-amber-100 border-l-4 border-amber-600 gap-1').mark(f'unanswered-{event.visit_id}')
    ):
        ui.label(t('{name} 未响应来访提醒', name=event.missed)).classes('font-semibold')
        text = (
            t('{customer} 已转给 {name}', customer=event.customer, name=event.now_with)
            if event.now_with
            else t('{customer} 等待接待中', customer=event.customer)
        )
        ui.label(text).classes('text-sm')
        ui.button(t('知道了'), on_click=lambda e: e.sender.parent_slot.parent.delete()).props('flat dense')


async def take_over(me: Staff, visit_id: int, reload: Callable[[], object]) -> None:
    try:
        await run.io_bound(_take_over, me, visit_id)
    except DomainError as e:
        ui.notify(e.translated(), type='negative')
    reload()


def _subscribe(table: dict, key: int, callback: object, client: object) -> None:
    phones = table.setdefault(key, [])
    phones.append(callback)
    client.on_delete(lambda: phones.remove(callback))  # type: ignore[attr-defined]


def _on_assigned(alert: VisitorAlert) -> None:
    if alert.owner_id and not alert.shadow and not alert.reminder:
        for phone in list(_owners.get(alert.owner_id, ())):
            phone.redraw()


def _on_rotation(site_id: int) -> None:
    """A 代接 may have ended (or been taken over): only the owners' pages showing a notice read theirs again."""
    for phone in list(_showing):  # not every page of every owner: 200 of them, at every change of a burst
        if phone.me.site_id == site_id:
            phone.redraw()


def _on_unanswered(event: Unanswered) -> None:
    for tell in list(_managers.get(event.site_id, ())):
        tell(event)


def _notices(me: Staff) -> list[OwnerNotice] | None:
    with db.session() as s:
        return behalf.notices(s, actor=me)


def _take_over(me: Staff, visit_id: int) -> None:
    with db.session() as s:
        behalf.take_over(s, actor=me, visit_id=visit_id)
