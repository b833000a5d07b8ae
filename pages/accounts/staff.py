"""Staff management: a manager's salespeople, the admin's managers."""

from __future__ import annotations

from datetime import date

from nicegui import APIRouter, run, ui

import db
from components.frame import clear_errors, dialog_buttons, field_error, frame, page_dialog
from components.session import current_staff, guard
from models import Role, Staff
from services.accounts import sites
from services.accounts import staff as service
from services.core import authz, events
from services.core.errors import DomainError, ValidationError
from services.core.i18n import t
from services.core.validation import mask_phone

router = APIRouter()
ROLE_LABELS = {Role.SALESPERSON: '置业顾问', Role.MANAGER: '销售经理', Role.ADMIN: '集团管理员'}


@router.page('/staff')
def staff_page(site: int | None = None) -> None:
    me = guard(authz.MANAGERS)
    if me is None:
        return
    with frame('员工', me, active='/staff'):
        site_id = pick_site(me, site)
        ui.button(t('添加员工'), icon='person_add', on_click=lambda: edit_dialog(me, None, site_id)).props(
            'unelevated color=teal-8'
        ).classes('w-full ac-big-btn')
        listing = ui.refreshable(staff_list)  # this phone's own: a refresh redraws only here
        listing(me, site_id)
        events.staff_changed.subscribe(lambda changed_site: listing.refresh() if changed_site == site_id else None)


def pick_site(me: Staff, site_id: int | None) -> int | None:
    """The admin chooses the site to manage; a manager always manages their own."""
    if me.role != Role.ADMIN:
        return me.site_id
    with db.session() as s:
        options = {x.id: x.name for x in sites.list_sites(s, actor=me)}
    site_id = site_id if site_id in options else next(iter(options), None)
    ui.select(
        options, value=site_id, label=t('项目'), on_change=lambda e: ui.navigate.to(f'/staff?site={e.value}')
    ).classes('w-full')
    return site_id


def staff_list(me: Staff, site_id: int | None) -> None:
    with db.session() as s:
        people = service.list_staff(s, actor=me, site_id=site_id)
    names = {p.id: p.name for p in people}
    if not people:
        ui.label(t('还没有员工')).classes('ac-muted')
    for person in people:
        staff_card(me, person, names.get(person.mentor_id) if person.mentor_id else None, site_id)


def staff_card(me: Staff, person: Staff, mentor: str | None, site_id: int | None) -> None:
    with ui.card().classes('w-full gap-1' + ('' if person.active else ' opacity-60')).mark(f'staff-{person.id}'):
        with ui.row().classes('w-full items-center justify-between no-wrap'):
            ui.label(person.name).classes('text-base font-semibold truncate')
            ui.badge(
                t(ROLE_LABELS[Role(person.role)]) if person.active else t('已停用'),
                color='teal-8' if person.active else 'grey-6',
            )
        details = [mask_phone(person.phone) if person.phone else '', t('入职 {d}', d=person.joined_on.isoformat())]
        if mentor:
            details.append(t('带教：{name}', name=mentor))
        ui.label(' · '.join(x for x in details if x)).classes('ac-muted text-sm')
        if me.role == Role.ADMIN or person.role == Role.SALESPERSON:
            with ui.row().classes('w-full no-wrap gap-2'):
                ui.button(t('编辑'), on_click=lambda: edit_dialog(me, person, site_id)).props(
                    'outline color=teal-8'
                ).mark(f'edit-{person.id}')
                ui.button(t('重置密码'), on_click=lambda: confirm_reset(person)).props('outline color=teal-8').mark(
                    f'reset-{person.id}'
                )
                if person.id != me.id:
                    if person.active:
                        ui.button(t('停用'), on_click=lambda: confirm_deactivate(person)).props(
                            'outline color=red-8'
                        ).classes('ml-auto').mark(f'toggle-{person.id}')
                    else:
                        ui.button(t('启用'), on_click=lambda: set_active(person, True)).props(
                            'outline color=teal-8'
                        ).classes('ml-auto').mark(f'toggle-{person.id}')


def confirm_deactivate(person: Staff) -> None:
    """停用 ends the person's sessions at once: asked first, and 启用 on the same card undoes it."""
    with page_dialog() as dialog, ui.card().classes('w-full max-w-md gap-2'):
        ui.label(t('停用 {name}？', name=person.name)).classes('text-lg font-semibold')
        ui.label(t('停用后此人立即退出登录、不能再登录，也不再参与轮序；随时可以重新启用。')).classes('text-sm')

        async def confirm() -> None:
            dialog.close()
            await set_active(person, False)

        dialog_buttons(dialog, t('停用'), confirm, color='red-8').mark('confirm-deactivate')
    dialog.open()


def confirm_reset(person: Staff) -> None:
    """重置密码 replaces the person's password and ends their sessions: asked first."""
    with page_dialog() as dialog, ui.card().classes('w-full max-w-md gap-2'):
        ui.label(t('重置 {name} 的密码？', name=person.name)).classes('text-lg font-semibold')
        ui.label(t('旧密码立即失效，此人需用新的临时密码重新登录。')).classes('text-sm')

        async def confirm() -> None:
            dialog.close()
            await reset_password(person)

        dialog_buttons(dialog, t('重置密码'), confirm, color='red-8').mark('confirm-reset')
    dialog.open()


def edit_dialog(me: Staff, person: Staff | None, site_id: int | None) -> None:
    """Add (person None) or edit a staff member in a dialog."""
    with db.session() as s:
        colleagues = {
            p.id: p.name
            for p in service.list_staff(s, actor=me, site_id=site_id, active_only=True)
            if p.role == Role.SALESPERSON and (person is None or p.id != person.id)
        }
    roles = {Role.SALESPERSON: t('置业顾问')} | ({Role.MANAGER: t('销售经理')} if me.role == Role.ADMIN else {})
    with page_dialog() as dialog, ui.card().classes('w-full max-w-md gap-2'):
        ui.label(t('编辑员工') if person else t('添加员工')).classes('text-lg font-semibold')
        name = ui.input(t('姓名'), value=person.name if person else '').props('outlined maxlength=40')
        phone = ui.input(t('手机号'), value=person.phone if person else '').props('outlined type=tel maxlength=20')
        username = ui.input(t('用户名（可选）'), value=(person.username or '') if person else '').props(
            'outlined maxlength=32'
        )
        role = ui.select(roles, value=person.role if person else Role.SALESPERSON, label=t('角色')).props('outlined')
        joined = ui.input(t('入职日期'), value=(person.joined_on if person else date.today()).isoformat()).props(
            'outlined type=date'
        )
        mentor = ui.select(
            {None: t('无'), **colleagues},
            value=person.mentor_id if person else None,
            label=t('带教师傅（入职首月必填）'),
        ).props('outlined')
        fields = {
            'name': name,
            'phone': phone,
            'username': username,
            'role': role,
            'joined_on': joined,
            'mentor_id': mentor,
        }
        save_button = dialog_buttons(dialog, t('保存'))

    async def save() -> None:
        clear_errors(*fields.values())
        try:
            joined_on = date.fromisoformat(joined.value) if joined.value else None
        except ValueError:
            field_error(joined, t('日期格式不正确'))
            return
        form = service.StaffForm(
            name=name.value or '',
            phone=phone.value or '',
            role=role.value,
            site_id=site_id,
            username=username.value or '',
            joined_on=joined_on,
            mentor_id=mentor.value,
        )
        save_button.disable()
        try:
            password = await run.io_bound(_save, _actor(), person.id if person else None, form)
        except DomainError as e:
            target = fields.get(e.field) if isinstance(e, ValidationError) else None
            field_error(target, e.translated()) if target else ui.notify(e.translated(), type='negative')
            return
        finally:
            save_button.enable()
        dialog.close()
        if password:
            show_password(form.name, password)
        else:
            ui.notify(t('已保存'), type='positive')

    save_button.on_click(save)
    dialog.open()


def show_password(name: str, password: str) -> None:
    """The one-time password, shown once to the manager to hand over."""
    with page_dialog() as dialog, ui.card().classes('w-full max-w-md items-center text-center gap-2'):
        ui.label(t('{name} 的初始密码', name=name)).classes('text-base')
        ui.label(password).classes('text-2xl font-mono tracking-wider select-all').mark('one-time-password')
        ui.label(t('只显示这一次，请当面告知；首次登录须修改密码。')).classes('ac-muted text-sm')
        ui.button(t('我已记下'), on_click=dialog.close).props('unelevated color=teal-8')
    dialog.open()


async def reset_password(person: Staff) -> None:
    try:
        password = await run.io_bound(_reset, _actor(), person.id)
    except DomainError as e:
        ui.notify(e.translated(), type='negative')
        return
    show_password(person.name, password or '')


async def set_active(person: Staff, active: bool) -> None:
    try:
        await run.io_bound(_set_active, _actor(), person.id, active)
    except DomainError as e:
        ui.notify(e.translated(), type='negative')


def _actor() -> Staff:
    me = current_staff()
    if me is None:
        raise DomainError('登录已过期，请重新登录')
    return me


def _save(actor: Staff, staff_id: int | None, form: service.StaffForm) -> str | None:
    with db.session() as s:
        if staff_id is None:
            return service.create_staff(s, actor=actor, form=form)[1]
        service.update_staff(s, actor=actor, staff_id=staff_id, form=form)
        return None


def _reset(actor: Staff, staff_id: int | None) -> str:
    with db.session() as s:
        return service.reset_password(s, actor=actor, staff_id=staff_id or 0)


def _set_active(actor: Staff, staff_id: int | None, active: bool) -> None:
    with db.session() as s:
        service.set_active(s, actor=actor, staff_id=staff_id or 0, active=active)
