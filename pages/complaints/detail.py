"""/complaints/{id}: one complaint — the countdown, what happened, photos, the next step, and every step so far."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from nicegui import APIRouter, run, ui

import config
import db
from components.complaint_widgets import countdown, countdown_text, severity_badge, status_badge
from components.duty_actions import act
from components.frame import dialog_buttons, frame, page_dialog
from components.photo_capture import capture_button, photo_strip
from components.session import guard
from models import Role, Staff, utcnow
from services.complaints import handling as complaints
from services.complaints import lists as complaint_lists
from services.complaints import rules
from services.complaints.lists import ComplaintView
from services.core import events
from services.core.errors import DomainError
from services.core.i18n import t

router = APIRouter()
TICK_SECONDS = 30.0
SATISFACTION = {5: '非常满意', 4: '满意', 3: '一般', 2: '不满意', 1: '非常不满意'}


@router.page('/complaints/{complaint_id}')
async def complaint_page(complaint_id: int) -> None:
    me = guard()
    if me is None:
        return
    with frame('投诉详情', me, active='/complaints', complaint_id=complaint_id):
        ui.link(t('← 返回投诉'), '/complaints').classes('text-teal-800')
        shown = Shown()
        body = ui.refreshable(complaint_body)
        await body(me, complaint_id, shown, await read(me, complaint_id))

        async def changed(site_id: int) -> None:
            if site_id != me.site_id and me.role != Role.ADMIN:
                return
            view = await read(me, complaint_id)
            if view is not None and key_of(view) != shown.key:  # another complaint's step redraws nothing here
                body.refresh(me, complaint_id, shown, view)

        def tick() -> None:
            """The countdown moves on in place; the page is redrawn only when the complaint turns overdue."""
            clock = shown.clock
            if clock is None or shown.countdown is None:
                return
            if clock.due_at is not None and not clock.overdue and utcnow() > clock.due_at:
                body.refresh(me, complaint_id, shown, None)
            else:
                shown.countdown.set_text(countdown_text(clock, utcnow()))

        events.complaint_changed.subscribe(changed)
        ui.timer(TICK_SECONDS, tick, immediate=False)


@dataclass
class Shown:
    """What this phone is showing: a live change redraws the page only when the complaint itself changed, so a
    tap on a button is not lost to a redraw caused by another complaint of the site."""

    key: tuple[object, ...] | str | None = None
    clock: rules.Clock | None = None
    countdown: ui.label | None = None


def key_of(view: ComplaintView | str) -> tuple[object, ...] | str:
    if isinstance(view, str):
        return view
    c, row = view.complaint, view.row
    return (
        c.version, c.status, c.customer_id, c.satisfaction, row.escalated, row.clock, len(view.steps),
        len(view.photos), view.owner, view.phone, tuple(view.next_steps), view.can_note, view.can_reassign,
    )  # fmt: skip


async def read(me: Staff, complaint_id: int) -> ComplaintView | str | None:
    """The complaint, the message to show instead (not found, not allowed), or None while the app shuts down."""
    try:
        return await run.io_bound(load, me, complaint_id)
    except DomainError as e:
        return e.translated()


def load(me: Staff, complaint_id: int) -> ComplaintView:
    with db.session() as s:
        return complaint_lists.detail(s, actor=me, complaint_id=complaint_id)


async def complaint_body(me: Staff, complaint_id: int, shown: Shown, view: ComplaintView | str | None) -> None:
    if view is None:
        view = await read(me, complaint_id)
    if view is None:  # the app is shutting down
        return
    if isinstance(view, str):
        shown.key, shown.clock, shown.countdown = view, None, None
        ui.label(view).classes('ac-muted')
        return
    shown.key, shown.clock = key_of(view), view.row.clock
    shown.countdown = header(view)
    next_step_buttons(me, view)
    story(view)
    photos(view)
    history(view)


def header(view: ComplaintView) -> ui.label | None:
    """The complaint's card; returns its countdown label, if anything is due."""
    row, c, now = view.row, view.complaint, utcnow()
    clock_label = None
    local = c.created_at.astimezone(ZoneInfo(view.timezone))
    border = ' border-l-4 border-red-600 bg-red-50' if row.clock.overdue else ''
    with ui.card().classes('w-full gap-1' + border).mark('complaint-header'):
        with ui.row().classes('w-full items-center justify-between no-wrap'):
            ui.label(row.customer).classes('text-xl font-bold truncate')
            status_badge(c.status)
        with ui.row().classes('items-center gap-2'):
            if '*' in view.phone:
                ui.label(view.phone).classes('text-base')
            else:
                ui.link(view.phone, f'tel:{view.phone}').classes('text-base')
            ui.link(t('客户资料'), f'/customers/{c.customer_id}').classes('text-sm')
        with ui.row().classes('w-full items-center gap-2'):
            severity_badge(c.severity)
            ui.label(f'{t(rules.CATEGORIES[c.category])} · {t(c.channel)}').classes('text-base')
        ui.label(t('{time} {name} 登记', time=f'{local:%m-%d %H:%M}', name=row.taken_by)).classes('ac-muted text-sm')
        if row.against:
            ui.label(t('涉及员工：{name}', name=row.against)).classes('text-sm text-red-800 font-semibold').mark(
                'against'
            )
        if row.clock.due_at is not None:
            clock_label = countdown(row.clock, now)
        if row.escalated:
            ui.label(t('已上报集团')).classes('text-sm text-red-800 font-semibold').mark('escalated')
        if c.satisfaction:
            ui.label(t('客户满意度 {n}/5', n=c.satisfaction)).classes('text-base font-semibold').mark('satisfaction')
    return clock_label


def next_step_buttons(me: Staff, view: ComplaintView) -> None:
    if not (view.next_steps or view.can_note or view.can_reassign):
        return
    with ui.row().classes('w-full gap-2'):
        for n, step in enumerate(view.next_steps):
            ui.button(t(step.label), on_click=lambda s=step: step_dialog(view, s)).props(
                'unelevated color=red-8' if n == 0 else 'outline color=red-8'
            ).classes('flex-1 ac-big-btn').mark(f'step-{step.action}')
    with ui.row().classes('w-full gap-2'):
        if view.can_note:
            ui.button(t('处理记录'), icon='edit_note', on_click=lambda: note_dialog(view)).props(
                'flat color=teal-8'
            ).mark('note')
        if view.can_reassign:
            ui.button(t('转给其他置业顾问'), icon='swap_horiz', on_click=lambda: reassign_dialog(view)).props(
                'flat color=teal-8'
            ).mark('reassign')


def step_dialog(view: ComplaintView, step: rules.Step) -> None:
    version, complaint_id = view.complaint.version, view.complaint.id or 0
    with page_dialog() as dialog, ui.card().classes('w-full gap-2'):
        ui.label(t(step.label)).classes('text-lg font-semibold')
        rating = None
        if step.action == 'follow_up':
            ui.label(t('客户满意度')).classes('text-sm')
            rating = (
                ui.toggle({k: f'{k}' for k in SATISFACTION}, value=None)
                .props('unelevated toggle-color=teal-8 spread')
                .classes('w-full')
                .mark('satisfaction-pick')
            )
            ui.label(' · '.join(f'{k} {t(v)}' for k, v in SATISFACTION.items())).classes('ac-muted text-xs')
        prompt = t(step.prompt) + ('' if step.text_required else t('（选填）'))
        text = (
            ui.textarea(prompt)
            .props('outlined autogrow maxlength=1000')
            .classes('w-full')
            .mark(f'step-text-{step.action}')
        )

        async def save() -> None:
            said, score = text.value or '', rating.value if rating is not None else None
            done = await act(
                lambda s, a: complaints.take_step(
                    s, actor=a, complaint_id=complaint_id, action=step.action, text=said, satisfaction=score,
                    version=version,
                )
            )  # fmt: skip
            if done is not None:
                dialog.close()

        dialog_buttons(dialog, t('确定'), save, color='red-8').mark(f'step-save-{step.action}')
    dialog.open()


def note_dialog(view: ComplaintView) -> None:
    complaint_id = view.complaint.id or 0
    with page_dialog() as dialog, ui.card().classes('w-full gap-2'):
        text = ui.textarea(t('说了什么、做了什么')).props('outlined autogrow maxlength=1000').classes('w-full')
        text.mark('note-text')

        async def save() -> None:
            said = text.value or ''
            if await act(lambda s, a: complaints.add_note(s, actor=a, complaint_id=complaint_id, text=said)) is None:
                return
            dialog.close()

        dialog_buttons(dialog, t('保存'), save).mark('note-save')
    dialog.open()


def reassign_dialog(view: ComplaintView) -> None:
    complaint_id = view.complaint.id or 0
    with page_dialog() as dialog, ui.card().classes('w-full gap-2'):
        ui.label(t('转给其他置业顾问')).classes('text-lg font-semibold')
        ui.label(t('当前归属：{name}', name=view.owner or t('公共客户池'))).classes('ac-muted text-sm')
        owner = ui.select(view.colleagues, label=t('新的归属人')).props('outlined').classes('w-full').mark('new-owner')
        reason = ui.input(t('原因')).props('outlined maxlength=200').classes('w-full').mark('reassign-reason')

        async def save() -> None:
            who, why = int(owner.value or 0), reason.value or ''
            done = await act(
                lambda s, a: complaints.reassign_customer(
                    s, actor=a, complaint_id=complaint_id, new_owner_id=who, reason=why
                )
            )
            if done is not None:
                dialog.close()
                ui.notify(t('客户已转给新的置业顾问'), type='positive')

        dialog_buttons(dialog, t('确定'), save).mark('reassign-save')
    dialog.open()


def story(view: ComplaintView) -> None:
    with ui.card().classes('w-full gap-1'):
        ui.label(t('发生了什么')).classes('text-sm ac-muted')
        ui.label(view.complaint.what_happened).classes('text-base whitespace-pre-wrap break-words').mark('what')
        if view.complaint.wants:
            ui.label(t('客户的诉求')).classes('text-sm ac-muted mt-2')
            ui.label(view.complaint.wants).classes('text-base whitespace-pre-wrap break-words')


def photos(view: ComplaintView) -> None:
    if not (view.photos or view.can_note):
        return
    with ui.card().classes('w-full gap-2'):
        ui.label(t('照片')).classes('text-sm ac-muted')
        photo_strip(view.photos)
        if view.can_note:
            complaint_id, root = view.complaint.id or 0, config.current().photos_dir

            async def add(data: bytes) -> None:
                await act(
                    lambda s, a: complaints.add_photo(s, actor=a, complaint_id=complaint_id, data=data, root=root)
                )

            capture_button(camera_only=False, on_photo=add, mark='complaint-add-photo', label='添加照片')


def history(view: ComplaintView) -> None:
    ui.label(t('处理过程')).classes('text-base font-semibold mt-2')
    zone = ZoneInfo(view.timezone)
    for n, step in enumerate(reversed(view.steps)):
        with ui.card().classes('w-full gap-0').mark(f'history-{len(view.steps) - 1 - n}'):
            label = t(complaints.ACTION_LABELS.get(step.action, step.action))
            who = step.who or t('系统')
            ui.label(f'{step.at.astimezone(zone):%m-%d %H:%M} · {label} · {who}').classes('text-sm font-semibold')
            if step.satisfaction:
                ui.label(t('满意度 {n}/5', n=step.satisfaction)).classes('text-sm')
            if step.text:
                ui.label(step.text).classes('text-sm whitespace-pre-wrap break-words')
