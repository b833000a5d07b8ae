"""看房路线: the manager orders the site's tour stops and writes each one's talking points."""

from __future__ import annotations

from nicegui import APIRouter, ui

import db
from components.actions import act
from components.frame import frame, own_site, page_dialog
from components.session import guard
from models import TourStop
from services.core import authz
from services.core.i18n import t
from services.tours import tour as tours

router = APIRouter()


@router.page('/routes')
def routes_page() -> None:
    me = guard(authz.MANAGERS)
    if me is None:
        return
    with frame('看房路线', me, active='/routes'):
        if own_site(me) is None:
            return
        with db.session() as s:
            stops = tours.route(s, actor=me)
        for n, stop in enumerate(stops, start=1):
            with ui.card().classes('w-full gap-1').mark(f'route-stop-{stop.id}'):
                with ui.row().classes('w-full items-center no-wrap gap-1'):
                    ui.label(f'{n}. {stop.name}').classes('font-semibold flex-1')
                    if stop.needs_helmet:
                        ui.badge(t('安全帽'), color='amber-8')
                    ui.button(icon='arrow_upward', on_click=lambda i=stop.id: _move(i, -1)).props('flat dense round')
                    ui.button(icon='arrow_downward', on_click=lambda i=stop.id: _move(i, 1)).props('flat dense round')
                    ui.button(icon='edit', on_click=lambda st=stop: stop_dialog(st)).props('flat dense round')
                ui.label(stop.talking_points.replace('\n', ' · ')).classes('ac-muted text-sm')
        ui.button(t('添加站点'), icon='add', on_click=lambda: stop_dialog(None)).props('outline color=teal-8').classes(
            'w-full ac-big-btn'
        ).mark('add-stop')


def stop_dialog(stop: TourStop | None) -> None:
    with page_dialog() as dialog, ui.card().classes('w-full max-w-md gap-2'):
        name = ui.input(t('站点名称'), value=stop.name if stop else '').props('outlined maxlength=30').mark('stop-name')
        points = ui.textarea(t('卖点（每行一条）'), value=stop.talking_points if stop else '').props(
            'outlined autogrow maxlength=1000'
        )
        helmet = ui.checkbox(t('需戴安全帽'), value=stop.needs_helmet if stop else False)

        async def save() -> None:
            if await act(
                lambda s, a: tours.save_stop(
                    s,
                    actor=a,
                    name=name.value or '',
                    talking_points=points.value or '',
                    needs_helmet=bool(helmet.value),
                    stop_id=stop.id if stop else None,
                )
            ):
                ui.navigate.reload()

        async def remove() -> None:
            if stop and await act(lambda s, a: tours.remove_stop(s, actor=a, stop_id=stop.id or 0)):
                ui.navigate.reload()

        with ui.row().classes('w-full justify-end'):
            if stop:
                ui.button(t('删除'), on_click=remove).props('flat color=red-8')
            ui.button(t('取消'), on_click=dialog.close).props('flat')
            ui.button(t('保存'), on_click=save).props('unelevated color=teal-8').mark('stop-save')
    dialog.open()


async def _move(stop_id: int | None, by: int) -> None:
    if await act(lambda s, a: tours.move_stop(s, actor=a, stop_id=stop_id or 0, by=by)):
        ui.navigate.reload()
