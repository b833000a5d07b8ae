"""Doing one checklist on the phone: each item OK or problem, a note, camera photos — saved at every tap."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from nicegui import APIRouter, ui
from sqlmodel import Session

import config
import db
from components.drafts import draft_form
from components.duty_actions import act
from components.duty_widgets import status_badge
from components.frame import dialog_buttons, frame, page_dialog
from components.photo_capture import capture_button, photo_strip
from components.session import guard
from models import ChecklistStatus, ItemResult, Role, Staff, utcnow
from services.core.errors import DomainError
from services.core.i18n import t
from services.duty import checklists
from services.duty import review as duty_review
from services.duty import roster as duty_roster
from services.duty.checklists import ChecklistView, ItemView
from services.photos import store as photo_store

router = APIRouter()
ON_SITE = frozenset({Role.SALESPERSON, Role.MANAGER})
RESULT_BORDERS: dict[str, str] = {ItemResult.OK: 'border-green-600', ItemResult.PROBLEM: 'border-red-600'}
DUE_CHOICES = {'closing': '今天闭场前', '2h': '2 小时内', '24h': '24 小时内'}


@router.page('/duty/checklist/{checklist_id}')
def checklist_page(checklist_id: int) -> None:
    me = guard(ON_SITE)
    if me is None:
        return
    try:
        view = load(me, checklist_id)
    except DomainError as e:
        with frame('值班', me, active='/duty'):
            ui.label(e.translated()).classes('text-base')
        return
    with frame(view.checklist.name, me, active='/duty'):
        ui.link(t('← 返回值班'), '/duty').classes('text-teal-800')
        head = ui.refreshable(summary)
        head(me, checklist_id)
        with draft_form(f'checklist-{checklist_id}'):  # notes typed but not yet saved survive a reload
            for entry in view.items:
                card = ui.refreshable(item_card)
                card(me, checklist_id, entry.item.id or 0, view.may_work, _both(card, head))
        finish = ui.refreshable(finish_section)
        finish(me, checklist_id, lambda: ui.navigate.reload())


def _both(card: ui.refreshable, head: ui.refreshable) -> Callable[[], None]:
    def refresh() -> None:
        card.refresh()
        head.refresh()

    return refresh


def load(me: Staff, checklist_id: int) -> ChecklistView:
    with db.session() as s:
        return checklists.checklist(s, actor=me, checklist_id=checklist_id)


def summary(me: Staff, checklist_id: int) -> None:
    view = load(me, checklist_id)
    missing = [i.item for i in view.items if i.item.photo_required and not i.photos]
    with ui.card().classes('w-full gap-1').mark('summary'):
        with ui.row().classes('w-full items-center justify-between no-wrap'):
            ui.label(t('已查 {done}/{total}', done=view.answered, total=len(view.items))).classes('text-xl font-bold')
            status_badge(view)
        if missing and view.checklist.status == ChecklistStatus.OPEN:
            first = missing[0]
            text = t('还缺 {n} 项必拍照片：{item}', n=len(missing), item=f'{first.position + 1}. {t(first.title)}')
            ui.button(text, icon='photo_camera', on_click=lambda: scroll_to(first.position)).props(
                'flat no-caps align=left color=red-9'
            ).classes('w-full text-sm').mark('missing-photos')
        ui.linear_progress(view.answered / max(1, len(view.items)), show_value=False, color='teal-7')


def scroll_to(position: int) -> None:
    """Bring an item's card into view (the one the missing-photo message names)."""
    ui.run_javascript(
        f"document.querySelector('.ac-item-{position}')?.scrollIntoView({{behavior: 'smooth', block: 'center'}})"
    )


def item_card(me: Staff, checklist_id: int, item_id: int, may_work: bool, changed: Callable[[], object]) -> None:
    view = load(me, checklist_id)
    entry = next(i for i in view.items if i.item.id == item_id)
    item, editable = entry.item, may_work and view.checklist.status == ChecklistStatus.OPEN
    colour = RESULT_BORDERS.get(item.result or '', 'border-gray-300')
    with ui.card().classes(f'w-full gap-2 border-l-4 {colour} ac-item-{item.position}').mark(f'item-{item.position}'):
        with ui.row().classes('w-full items-start justify-between no-wrap gap-2'):
            ui.label(f'{item.position + 1}. {t(item.title)}').classes('text-base font-semibold')
            if item.photo_required:
                ui.badge(t('须拍照'), color='amber-8' if not entry.photos else 'green-7').classes('shrink-0')
        if item.hint:
            ui.label(item.hint).classes('ac-muted text-sm')
        note = ui.input(t('备注'), value=item.note).props('outlined dense maxlength=500').classes('w-full')
        if editable:
            note.on('blur', lambda: _save_note(item.id or 0, item.result, item.note, note.value or '', changed))
            result_buttons(item.id or 0, item.result, note, changed)
        else:
            note.props('readonly')
            ui.label(
                t('正常') if item.result == ItemResult.OK else t('有问题') if item.result else t('未检查')
            ).classes('font-semibold')
        photos(entry, editable, changed)


def result_buttons(item_id: int, result: str | None, note: ui.input, changed: Callable[[], object]) -> None:
    with ui.row().classes('w-full no-wrap gap-2'):
        ok = ui.button(t('正常'), icon='check', on_click=lambda: _answer(item_id, ItemResult.OK, note.value, changed))
        ok.props('unelevated color=green-7' if result == ItemResult.OK else 'outline color=green-8')
        ok.classes('flex-1 ac-big-btn').mark(f'ok-{item_id}')
        bad = ui.button(
            t('有问题'), icon='report_problem', on_click=lambda: problem_dialog(item_id, note.value, changed)
        )
        bad.props('unelevated color=red-7' if result == ItemResult.PROBLEM else 'outline color=red-8')
        bad.classes('flex-1 ac-big-btn').mark(f'problem-{item_id}')


def photos(entry: ItemView, editable: bool, changed: Callable[[], object]) -> None:
    item = entry.item

    async def remove(photo_id: int) -> None:
        if await act(lambda s, actor: photo_store.remove_photo(s, actor=actor, photo_id=photo_id)) is not None:
            changed()

    photo_strip(entry.photos, on_remove=remove if editable else None)
    if entry.rectification is not None:
        ui.label(t('已转整改 · 负责人会收到任务')).classes('text-sm text-red-800')
    if not editable:
        return

    async def taken(data: bytes) -> None:
        root = config.current().photos_dir
        done = item.photo_required and item.result is None  # the photo is the proof: the item is checked too

        def store(s: Session, actor: Staff) -> bool:  # one worker call and one redraw for both, on a slow network
            subject = checklists.item_subject(s, actor=actor, item_id=item.id or 0)
            photo_store.add_photo(s, actor=actor, data=data, subject=subject, root=root)
            if done:
                checklists.answer(s, actor=actor, item_id=item.id or 0, result=ItemResult.OK, note=item.note or '')
            return True

        if await act(store):
            changed()

    required = '拍照' if item.camera_only else '拍照或选图'
    label, quiet = (required, False) if item.photo_required else ('添加照片（可选）', True)
    capture_button(camera_only=item.camera_only, on_photo=taken, mark=f'photo-{item.id}', label=label, quiet=quiet)


async def _answer(item_id: int, result: str, note: str | None, changed: Callable[[], object], **more: object) -> bool:
    done = await act(
        lambda s, actor: checklists.answer(s, actor=actor, item_id=item_id, result=result, note=note or '', **more)  # type: ignore[arg-type]
    )
    if done is not None:
        changed()
    return done is not None


async def _save_note(item_id: int, result: str | None, saved: str, note: str, changed: Callable[[], object]) -> None:
    if result is not None and note.strip() != saved:
        await _answer(item_id, result, note, changed)


def problem_dialog(item_id: int, note: str | None, changed: Callable[[], object]) -> None:
    """有问题: what is wrong, who puts it right, and by when (a 整改 task)."""
    with db.session() as s:
        from components.session import current_staff

        me = current_staff()
        people = {p.id: p.name for p in duty_roster.eligible(s, actor=me)} if me else {}
    with page_dialog() as dialog, ui.card().classes('w-full max-w-md gap-2'):
        ui.label(t('发现问题，转整改')).classes('text-lg font-semibold')
        text = (
            ui.textarea(t('问题说明'), value=note or '').props('outlined maxlength=500 autogrow').mark('problem-note')
        )
        owner = ui.select(people, value=me.id if me else None, label=t('整改负责人')).props('outlined')
        due = ui.select({k: t(v) for k, v in DUE_CHOICES.items()}, value='closing', label=t('完成时限')).props(
            'outlined'
        )

        async def confirm() -> None:
            when = {'2h': utcnow() + timedelta(hours=2), '24h': utcnow() + timedelta(hours=24)}.get(due.value)
            if await _answer(item_id, ItemResult.PROBLEM, text.value, changed, owner_id=owner.value, due=when):
                dialog.close()

        dialog_buttons(dialog, t('保存'), confirm, color='red-8').mark('problem-save')
    dialog.open()


def finish_section(me: Staff, checklist_id: int, done: Callable[[], object]) -> None:
    view = load(me, checklist_id)
    found = view.checklist
    if view.may_work and found.status == ChecklistStatus.OPEN:
        submit = ui.button(t('提交检查表'), icon='send').props('unelevated color=teal-8').classes('w-full ac-big-btn')

        async def send() -> None:
            submit.disable()
            try:
                if await act(lambda s, actor: checklists.submit(s, actor=actor, checklist_id=checklist_id)) is not None:
                    ui.notify(t('已提交，等待经理审核'), type='positive')
                    done()
            finally:
                submit.enable()

        submit.on_click(send).mark('submit')
    if found.review_comment:
        ui.label(t('经理评语：{comment}', comment=found.review_comment)).classes('w-full rounded bg-teal-50 p-3').mark(
            'comment'
        )
    if me.role == Role.MANAGER:
        review_box(checklist_id, found.status, done)


def review_box(checklist_id: int, status: str, done: Callable[[], object]) -> None:
    with ui.card().classes('w-full gap-2').mark('review'):
        comment = ui.input(t('评语')).props('outlined maxlength=500').mark('review-comment')

        async def review(sign_off: bool) -> None:
            if await act(
                lambda s, actor: duty_review.review(
                    s, actor=actor, checklist_id=checklist_id, sign_off=sign_off, comment=comment.value or ''
                )
            ):
                ui.notify(t('已签收') if sign_off else t('评语已保存'), type='positive')
                done()

        with ui.row().classes('w-full no-wrap gap-2'):
            ui.button(t('只写评语'), on_click=lambda: review(False)).props('outline color=teal-8').classes(
                'flex-1 ac-big-btn'
            ).mark('comment-only')
            if status == ChecklistStatus.SUBMITTED:
                ui.button(t('签收'), icon='verified', on_click=lambda: review(True)).props(
                    'unelevated color=teal-8'
                ).classes('flex-1 ac-big-btn').mark('sign-off')
