"""每日客户分析会: the manager goes through today's receptions per salesperson, confirms grades, sets deadlines."""

from __future__ import annotations

from datetime import date, timedelta

from nicegui import APIRouter, ui

import db
from components.actions import act
from components.frame import frame, own_site
from components.session import guard
from models import utcnow
from services.core import authz
from services.core.i18n import t
from services.customers import analysis, contacts

router = APIRouter()


@router.page('/analysis')
def analysis_page() -> None:
    me = guard(authz.MANAGERS)
    if me is None:
        return
    with frame('客户分析会', me, active='/analysis'):
        if own_site(me) is None:
            return
        with db.session() as s:
            groups = analysis.daily(s, actor=me)
            tomorrow = contacts.local_today(contacts.site_of(s, me), utcnow()) + timedelta(days=1)  # the site's day
        if not groups:
            ui.label(t('今天还没有接待')).classes('ac-muted')
        for group in groups:
            ui.label(t('{name} · {n} 组', name=group.name, n=len(group.rows))).classes('text-base font-semibold mt-2')
            for row in group.rows:
                analysis_row(row, tomorrow)


def analysis_row(row: analysis.AnalysisRow, tomorrow: date) -> None:
    """One reception: grade, objections, proposed next step; the grade and deadline confirmed in place."""
    with ui.card().classes('w-full gap-1').mark(f'analysis-{row.customer_id}'):
        with ui.row().classes('w-full items-center justify-between no-wrap'):
            ui.link(row.customer, f'/customers/{row.customer_id}').classes('text-base font-semibold')
            ui.label(t('未填资料表') if not row.recorded else (row.next_step or t('未定追访'))).classes(
                'ac-muted text-sm'
            )
        if row.objections:
            ui.label(t('抗性：') + '、'.join(row.objections)).classes('text-sm')
        grade = ui.toggle(list(contacts.GRADES), value=row.grade).props('spread unelevated dense toggle-color=teal-8')
        grade.classes('w-full')
        due = ui.input(t('追访期限'), value=(row.due_on or tomorrow).isoformat())
        due.props('outlined dense type=date')

        async def confirm() -> None:
            day = date.fromisoformat(due.value) if due.value else None
            if await act(
                lambda s, a: analysis.confirm(
                    s, actor=a, customer_id=row.customer_id, grade=grade.value or '', due_on=day
                )
            ):
                ui.notify(t('已确认'), type='positive')

        ui.button(t('确认'), on_click=confirm).props('unelevated color=teal-8 dense').classes('w-full').mark(
            f'confirm-{row.customer_id}'
        )
