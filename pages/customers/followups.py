"""追访: my follow-ups due today and overdue; for the manager every overdue one, and the hold-out switch."""

from __future__ import annotations

from nicegui import APIRouter, ui

import db
from components.actions import act
from components.frame import frame
from components.session import guard
from models import Role, Staff
from services.core.i18n import t
from services.customers import contacts, followups

router = APIRouter()


@router.page('/followups')
def followups_page() -> None:
    me = guard(contacts.ON_SITE)
    if me is None:
        return
    with frame('追访', me, active='/followups'):
        with db.reading() as s:
            site = contacts.site_of(s, me)  # held here, the lists find it in the session instead of reading it again
            mine = followups.mine(s, actor=me)
            late = followups.overdue(s, actor=me) if me.role == Role.MANAGER else []
            held = followups.hold_out_on(site)
        if me.role == Role.MANAGER:
            manager_part(me, late, held)
        ui.label(t('我的追访')).classes('text-base font-semibold')
        if not mine:
            ui.label(t('今天没有要追访的客户')).classes('ac-muted')
        for row in mine:
            follow_up_row(row, show_staff=False)


def manager_part(me: Staff, late: list[followups.FollowUpRow], held: bool) -> None:
    """Overdue follow-ups of the whole site, and whether their salespeople are held out of the rotation."""
    switch = ui.switch(t('追访逾期者暂停接待'), value=held).mark('hold-out')

    async def changed() -> None:
        await act(lambda s, a: followups.set_hold_out(s, actor=a, on=bool(switch.value)))

    switch.on_value_change(changed)
    ui.label(t('逾期追访 {n} 条', n=len(late))).classes('text-base font-semibold text-red-800').mark('overdue-count')
    for row in late:
        follow_up_row(row, show_staff=True)


def follow_up_row(row: followups.FollowUpRow, *, show_staff: bool) -> None:
    color = ' border-l-4 border-red-600 bg-red-50' if row.overdue else ''
    with (
        ui.link(target=f'/customers/{row.customer_id}').classes('w-full no-underline text-black'),
        ui.card().classes('w-full gap-0' + color).mark(f'follow-up-{row.id}'),
    ):
        with ui.row().classes('w-full items-center justify-between no-wrap'):
            ui.label(row.customer + (f' · {row.grade}' if row.grade else '')).classes('text-base font-semibold')
            ui.label(t('逾期') if row.overdue else f'{row.due_on:%m-%d}').classes(
                'text-red-700 font-semibold' if row.overdue else 'ac-muted'
            )
        details = [t(row.method), f'{row.due_on:%m-%d}'] + ([row.staff] if show_staff else [])
        ui.label(' · '.join(details)).classes('ac-muted text-sm')
