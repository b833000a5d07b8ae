"""带看: the pre-tour checklist, then the route stop by stop, and back with a grade and the next follow-up."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import APIRouter, ui

import db
from components.actions import act
from components.drafts import clear_draft, draft_form
from components.frame import frame, page_dialog
from components.record_form import chips, follow_up_fields, grade_picker
from components.session import guard
from models import Site, Staff
from services.core.errors import DomainError
from services.core.i18n import t
from services.customers import contacts
from services.tours import tour as tours

router = APIRouter()


@router.page('/tour/{visit_id}')
def tour_page(visit_id: int) -> None:
    me = guard(contacts.ON_SITE)
    if me is None:
        return
    with frame('带看', me, active='/rotation'):
        view = ui.refreshable(tour_view)
        view(me, visit_id, lambda: view.refresh())


def tour_view(me: Staff, visit_id: int, refresh: Callable[[], object]) -> None:
    try:
        with db.session() as s:
            tour = tours.view(s, actor=me, visit_id=visit_id)
            stops = tours.route(s, actor=me)
            objections = list(contacts.setting(contacts.site_of(s, me), 'objections'))
    except DomainError as e:
        ui.label(e.translated()).classes('ac-muted')
        return
    if tour is None:
        checklist(me, visit_id, any(stop.needs_helmet for stop in stops), refresh)
    elif tour.ended_at is not None:
        ui.label(t('带看已结束，共 {n} 分钟', n=round((tour.ended_at - tour.started_at).total_seconds() / 60)))
        ui.button(t('返回轮序'), on_click=lambda: ui.navigate.to('/rotation')).props('unelevated color=teal-8')
    else:
        touring(me, tour, objections, refresh)


def checklist(me: Staff, visit_id: int, helmets: bool, refresh: Callable[[], object]) -> None:
    """Before going out: vehicle, helmets (the route has a site stop), umbrellas, brochures."""
    ui.label(t('出发前检查')).classes('text-lg font-semibold')
    ticks: dict[str, ui.checkbox] = {}
    with ui.card().classes('w-full gap-0'):
        for item in tours.CHECKLIST:
            label = t(item) + (t('（路线含工地）') if item == '安全帽' and helmets else '')
            ticks[item] = ui.checkbox(label).classes('text-base py-1').mark(f'check-{item}')
    ui.label(t('雨天或夏季请带伞')).classes('ac-muted text-sm')
    ui.button(t('出发带看'), icon='directions_walk', on_click=lambda: start(visit_id, ticks, refresh)).props(
        'unelevated color=blue-8'
    ).classes('w-full ac-big-btn').mark('tour-start')


def touring(me: Staff, tour: tours.TourView, objections: list[str], refresh: Callable[[], object]) -> None:
    """The route as cards; the current stop open with its talking points."""
    with ui.row().classes('w-full items-center justify-between no-wrap'):
        ui.label(t('{name} · 带看中', name=tour.customer)).classes('text-lg font-semibold truncate').mark('touring')
        if tour.stops and tour.current is not None:
            at = tour.current + 1
            ui.label(t('第 {n}/{total} 站', n=at, total=len(tour.stops))).classes('text-base font-bold shrink-0').mark(
                'tour-progress'
            )
    here = -1 if tour.current is None else tour.current
    ui.linear_progress((here + 1) / max(1, len(tour.stops)), show_value=False, color='blue-7')
    ahead = next((n for n, s in enumerate(tour.stops) if n > here and s.arrived_at is None), None)
    for n, stop in enumerate(tour.stops):
        stop_card(tour, stop, objections, here=n == tour.current, next_stop=n == ahead, refresh=refresh)
    ui.button(t('结束带看'), icon='flag', on_click=lambda: end_dialog(me, tour.tour_id)).props(
        'unelevated color=teal-8'
    ).classes('w-full ac-big-btn').mark('tour-end')


def stop_card(
    tour: tours.TourView,
    stop: tours.StopView,
    objections: list[str],
    *,
    here: bool,
    next_stop: bool,
    refresh: Callable[[], object],
) -> None:
    """A stop: done (time spent), the current one (talking points, notes), the next one (tap to arrive) or later."""
    ring = ' border-l-4 border-blue-600' if here else ''
    with ui.card().classes('w-full gap-1' + ring).mark(f'stop-{stop.stop_id}'):
        with ui.row().classes('w-full items-center justify-between no-wrap'):
            with ui.row().classes('items-center gap-2 no-wrap'):
                ui.label(stop.name).classes('text-base font-semibold')
                if stop.needs_helmet:
                    ui.badge(t('安全帽'), color='amber-8')
            if stop.minutes is not None:
                ui.label(t('{n} 分钟', n=round(stop.minutes))).classes('ac-muted text-sm')
        if here:
            for point in stop.talking_points:
                ui.label('· ' + point).classes('text-sm')
            notes_form(tour, stop, objections)
        elif stop.arrived_at is None and next_stop:
            ui.button(t('到达'), on_click=lambda: arrive(tour.tour_id, stop.stop_id, refresh)).props(
                'outline color=blue-8'
            ).classes('w-full ac-big-btn').mark(f'arrive-{stop.stop_id}')


def notes_form(tour: tours.TourView, stop: tours.StopView, objections: list[str]) -> None:
    """Quick notes, units liked and objections heard at this stop."""
    heard = list(stop.objections)
    draft = f'tour-{tour.tour_id}-{stop.stop_id}'
    with draft_form(draft):
        liked = ui.input(t('喜欢的房号'), value=stop.liked_units).props('outlined dense maxlength=100').mark('liked')
        notes = ui.input(t('快速记录'), value=stop.notes).props('outlined dense maxlength=500').mark('stop-notes')
    ui.label(t('抗性')).classes('ac-muted text-sm')
    chips(objections, heard, multiple=True, mark='stop-objections')

    async def save() -> None:
        said, units = notes.value or '', liked.value or ''
        if await act(
            lambda s, a: tours.note(s, actor=a, tour_id=tour.tour_id, notes=said, liked_units=units, objections=heard)
        ):
            clear_draft(draft)
            ui.notify(t('已记录'), type='positive')

    ui.button(t('记下'), icon='edit_note', on_click=save).props('outline color=teal-8').classes(
        'w-full ac-big-btn'
    ).mark('stop-save')


def end_dialog(me: Staff, tour_id: int) -> None:
    """结束带看: the intent grade and the next follow-up are asked for."""
    with db.session() as s:
        site = s.get(Site, me.site_id)
    assert site is not None
    answer: dict = {'grade': '', 'next_follow_up_on': None, 'next_method': '电话'}

    with page_dialog() as dialog, ui.card().classes('w-full max-w-md gap-2'):
        ui.label(t('结束带看')).classes('text-lg font-semibold')
        grade_picker(site, '', lambda g: answer.update(grade=g))
        follow_up_fields(site, None, '电话', answer.__setitem__)

        async def done() -> None:
            ok = await act(
                lambda s, a: tours.end(
                    s,
                    actor=a,
                    tour_id=tour_id,
                    grade=answer['grade'],
                    follow_up_on=answer['next_follow_up_on'],
                    method=answer['next_method'],
                )
            )
            if ok:
                dialog.close()
                ui.navigate.to('/rotation')

        ui.button(t('确认结束'), on_click=done).props('unelevated color=teal-8').classes('w-full ac-big-btn').mark(
            'tour-end-confirm'
        )
    dialog.open()


async def start(visit_id: int, ticks: dict[str, ui.checkbox], refresh: Callable[[], object]) -> None:
    checked = {k: bool(v.value) for k, v in ticks.items()}
    if await act(lambda s, a: tours.start(s, actor=a, visit_id=visit_id, checklist=checked)):
        refresh()


async def arrive(tour_id: int, stop_id: int, refresh: Callable[[], object]) -> None:
    if await act(lambda s, a: tours.arrive(s, actor=a, tour_id=tour_id, stop_id=stop_id)):
        refresh()
