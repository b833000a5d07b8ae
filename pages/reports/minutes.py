"""周例会纪要 on the phone: the manager writes the pre-filled items and tasks; each attendee signs on their phone."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from nicegui import APIRouter, run, ui

import db
from components.actions import act
from components.drafts import clear_draft, draft_form
from components.frame import frame
from components.photo_capture import photo_grid
from components.session import guard
from models import MinutesStatus, Photo, Role, Staff, utcnow
from services import reports
from services.core.errors import DomainError
from services.core.i18n import t

router = APIRouter()
STATUS = {MinutesStatus.DRAFT: '草稿', MinutesStatus.SIGNING: '会签中', MinutesStatus.FILED: '已会签上报'}
ON_SITE = frozenset({Role.MANAGER, Role.SALESPERSON})


@router.page('/reports/minutes')
async def minutes_list_page() -> None:
    me = guard(ON_SITE)
    if me is None:
        return
    with frame('周例会纪要', me, active='/reports'):
        if me.role == Role.MANAGER:

            async def hold() -> None:
                made: list[int] = []
                if await act(lambda s, a: made.append(reports.minutes.hold(s, actor=a, held_at=utcnow()).id or 0)):
                    ui.navigate.to(f'/reports/minutes/{made[0]}')

            ui.button(t('召开本周例会'), icon='add', on_click=hold).props('unelevated color=teal-8').classes(
                'w-full ac-big-btn'
            ).mark('hold-minutes')
        rows = await run.io_bound(_list, me) or []
        if not rows:
            ui.label(t('还没有周例会纪要')).classes('ac-muted')
        for m in rows:
            link = ui.link(target=f'/reports/minutes/{m.id}').classes('no-underline w-full text-inherit')
            with link, ui.card().classes('w-full gap-0 p-3').mark(f'minutes-{m.id}'):
                ui.label(t('{day} 起一周', day=m.week_start.isoformat())).classes('text-base font-semibold')
                ui.label(t(STATUS[MinutesStatus(m.status)])).classes('text-sm ac-muted')


def _list(me: Staff) -> list:
    with db.session() as s:
        return reports.minutes.listing(s, actor=me)


@router.page('/reports/minutes/{minutes_id}')
async def minutes_page(minutes_id: int) -> None:
    me = guard(ON_SITE)
    if me is None:
        return
    with frame('周例会纪要', me, active='/reports'):
        view = ui.refreshable(minutes_view)
        await view(me, minutes_id, view.refresh)


async def minutes_view(me: Staff, minutes_id: int, redraw: Callable[[], object]) -> None:
    try:
        found = await run.io_bound(_detail, me, minutes_id)
    except DomainError as e:
        ui.label(e.translated()).classes('text-red-700')
        return
    if found is None:
        return
    m, zone = found.minutes, ZoneInfo(found.site.timezone)
    editing = me.role == Role.MANAGER and m.status == MinutesStatus.DRAFT
    header_card(found, zone)
    sign_card(me, found, redraw)
    draft = f'minutes-{minutes_id}'  # the nine items' notes typed but not yet saved survive a reload
    with draft_form(draft).classes('gap-3', remove='gap-2') if editing else nullcontext():
        notes = [
            item_card(n, item, editing, found.survey_photos if n == reports.week.COMPETITOR_ITEM else [])
            for n, item in enumerate(m.items, start=1)
        ]
    actions_card(me, found, editing, redraw)
    if editing:

        async def save() -> bool:
            saved = await act(
                lambda s, a: reports.minutes.edit(
                    s, actor=a, minutes_id=minutes_id, header={}, notes=[n.value or '' for n in notes if n]
                )
            )
            if saved:  # the notes overwrite the item's: saving twice is still the one set
                clear_draft(draft)
            return saved

        async def saved() -> None:
            if await save():
                ui.notify(t('已保存'), type='positive')

        async def send() -> None:
            if await save() and await act(
                lambda s, a: reports.minutes.send_for_signing(s, actor=a, minutes_id=minutes_id)
            ):
                ui.notify(t('已提交会签'), type='positive')
                redraw()

        with ui.row().classes('w-full gap-2'):
            ui.button(t('保存'), on_click=saved).props('outline color=teal-8').mark('save-minutes')
            ui.button(t('提交会签'), icon='draw', on_click=send).props('unelevated color=teal-8').mark('send-minutes')
    ui.button(t('下载 PDF'), icon='picture_as_pdf', on_click=lambda: send_pdf(me, minutes_id)).props(
        'outline color=teal-8'
    ).classes('w-full').mark('minutes-pdf')


def _detail(me: Staff, minutes_id: int) -> reports.minutes.MinutesView:
    with db.session() as s:
        return reports.minutes.detail(s, actor=me, minutes_id=minutes_id)


def header_card(view: reports.minutes.MinutesView, zone: ZoneInfo) -> None:
    m, names = view.minutes, view.names
    with ui.card().classes('w-full gap-0 p-3').mark('minutes-header'):
        ui.label(t('{day} 起一周', day=m.week_start.isoformat())).classes('text-base font-semibold')
        status = t(STATUS[MinutesStatus(m.status)])
        ui.label(status + (t('（已逾期）') if view.overdue else '')).classes(
            'text-sm ' + ('text-red-700 font-semibold' if view.overdue else 'ac-muted')
        )
        for label, value in [
            ('时间', m.held_at.astimezone(zone).strftime('%Y-%m-%d %H:%M')),
            ('地点', m.place),
            ('主持', m.chair),
            ('记录', names.get(m.minute_taker_id or 0, '')),
            ('出席', '、'.join(names.get(i, '') for i in m.attendee_ids)),
            ('缺席', m.absentees or t('无')),
        ]:
            ui.label(f'{t(label)}：{value}').classes('text-sm')


def sign_card(me: Staff, view: reports.minutes.MinutesView, redraw: Callable[[], object]) -> None:
    m = view.minutes
    if m.status == MinutesStatus.DRAFT:
        return
    with ui.card().classes('w-full gap-1 p-3').mark('minutes-signatures'):
        ui.label(t('会签')).classes('text-base font-semibold')
        waiting = view.waiting_for()
        ui.label(t('全部已签') if not waiting else t('待签：{names}', names='、'.join(waiting))).classes('text-sm')
        if m.status == MinutesStatus.SIGNING and me.id in m.attendee_ids and me.id not in view.signed:

            async def sign() -> None:
                if await act(lambda s, a: reports.minutes.sign(s, actor=a, minutes_id=m.id or 0)):
                    ui.notify(t('已签字'), type='positive')
                    redraw()

            ui.button(t('我已阅读并签字'), icon='draw', on_click=sign).props('unelevated color=teal-8').classes(
                'w-full ac-big-btn'
            ).mark('sign-minutes')


def item_card(n: int, item: dict, editing: bool, photos: list[tuple[Photo, str]]) -> ui.textarea | None:
    with ui.card().classes('w-full gap-1 p-3').mark(f'item-{n}'):
        ui.label(f'{n}. {t(item["title"])}').classes('text-base font-semibold')
        for line in item.get('data', []):
            ui.label(f'· {line}').classes('text-sm')
        photo_grid(photos)
        if editing:
            return ui.textarea(t('会议意见'), value=item.get('notes', '')).props('outlined autogrow').mark(f'notes-{n}')
        if item.get('notes'):
            ui.label(t('会议意见：') + item['notes']).classes('text-sm whitespace-pre-wrap')
    return None


def actions_card(me: Staff, view: reports.minutes.MinutesView, editing: bool, redraw: Callable[[], object]) -> None:
    with ui.card().classes('w-full gap-1 p-3').mark('minutes-actions'):
        ui.label(t('会议确定事项')).classes('text-base font-semibold')
        for a in [*view.earlier, *view.actions]:
            with ui.row().classes('w-full items-center justify-between no-wrap'):
                earlier = t('（前次）') if a in view.earlier else ''
                ui.label(f'{earlier}{a.text} · {view.names.get(a.owner_id, "")} · {a.due_on:%m-%d}').classes('text-sm')
                if a.done_at:
                    ui.label(t('已完成')).classes('text-sm text-green-800')
                elif me.id == a.owner_id or me.role == Role.MANAGER:

                    async def done(item_id: int = a.id or 0) -> None:
                        if await act(lambda s, x: reports.minutes.finish_action(s, actor=x, action_id=item_id)):
                            redraw()

                    ui.button(t('完成'), on_click=done).props('flat dense color=teal-8').mark(f'done-{a.id}')
        if editing:
            add_action_form(view, redraw)


def add_action_form(view: reports.minutes.MinutesView, redraw: Callable[[], object]) -> None:
    people = {i: view.names.get(i, '') for i in view.minutes.attendee_ids}
    text = ui.input(t('事项')).props('outlined dense').mark('action-text')
    owner = ui.select(people, label=t('负责人')).props('outlined dense').mark('action-owner')
    due = ui.input(t('完成期限'), value=(date.today() + timedelta(days=7)).isoformat()).props(
        'outlined dense type=date'
    )

    async def add() -> None:
        day = date.fromisoformat(due.value) if due.value else date.today()
        if await act(
            lambda s, a: reports.minutes.add_action(
                s,
                actor=a,
                minutes_id=view.minutes.id or 0,
                text=text.value or '',
                owner_id=owner.value or 0,
                due_on=day,
            )
        ):
            redraw()

    ui.button(t('添加事项'), icon='add', on_click=add).props('outline color=teal-8').mark('add-action')


async def send_pdf(me: Staff, minutes_id: int) -> None:
    data = await run.io_bound(_pdf, me, minutes_id)
    if data is not None:
        ui.download.content(data[1], data[0], 'application/pdf')


def _pdf(me: Staff, minutes_id: int) -> tuple[str, bytes]:
    with db.session() as s:
        view = reports.minutes.detail(s, actor=me, minutes_id=minutes_id)
    return t(
        '{site}-{week}-周例会纪要', site=view.site.name, week=view.minutes.week_start.isoformat()
    ) + '.pdf', reports.minutes_pdf(view)


async def to_sign_card(me: Staff) -> None:
    """On the home page: minutes waiting for my signature (filled in as the phone connects: the page does not wait)."""
    box = ui.column().classes('w-full gap-3 empty:hidden')

    async def fill() -> None:
        waiting = await run.io_bound(_to_sign, me) or []
        with box:
            for m in waiting:
                link = ui.link(target=f'/reports/minutes/{m.id}').classes('no-underline w-full')
                with link, ui.card().classes('w-full p-3 bg-amber-50').mark('minutes-to-sign'):
                    ui.label(t('周例会纪要待您会签')).classes('text-base font-semibold text-amber-900')
                    ui.label(t('{day} 起一周', day=m.week_start.isoformat())).classes('text-sm')

    ui.timer(0.01, fill, once=True)


def _to_sign(me: Staff) -> list:
    with db.session() as s:
        return reports.minutes.to_sign(s, actor=me)
