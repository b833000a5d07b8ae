"""My account: who I am, my password, my language, logging out."""

from __future__ import annotations

from nicegui import APIRouter, run, ui

import db
from components.frame import clear_errors, field_error, frame
from components.session import guard, log_in
from components.session import set_language as session_set_language
from models import Staff
from services.accounts import auth
from services.accounts import staff as staff_service
from services.core.errors import DomainError, ValidationError
from services.core.i18n import current_language, t

router = APIRouter()
LANGUAGES = {'zh-CN': '简体中文', 'en': 'English'}


@router.page('/me')
def account_page() -> None:
    me = guard()
    if me is None:
        return
    with frame('我的', me, active='/me'):
        if me.must_change_password:
            with ui.card().classes('w-full bg-amber-100'):
                ui.label(t('首次登录，请先修改密码')).classes('text-base font-semibold text-amber-900')
        with ui.card().classes('w-full gap-1'):
            ui.label(me.name).classes('text-lg font-semibold')
            ui.label(' · '.join(x for x in (me.phone, me.username) if x)).classes('ac-muted').props('data-data')
        password_card(me)
        with ui.card().classes('w-full'):
            ui.select(
                LANGUAGES,
                value=current_language(),
                label=t('语言 / Language'),
                on_change=lambda e: set_language(me, e.value),
            ).props('outlined').classes('w-full')
        ui.button(t('退出登录'), on_click=lambda: ui.navigate.to('/logout')).props('outline color=red-8').classes(
            'w-full ac-big-btn'
        )


def password_card(me: Staff) -> None:
    with ui.card().classes('w-full gap-2'):
        ui.label(t('修改密码')).classes('text-base font-semibold')
        current = ui.input(t('当前密码'), password=True).props('outlined autocomplete=current-password maxlength=128')
        new = ui.input(t('新密码（至少 8 位）'), password=True).props(
            'outlined autocomplete=new-password maxlength=128'
        )
        again = ui.input(t('再次输入新密码'), password=True).props('outlined autocomplete=new-password maxlength=128')
        button = ui.button(t('保存新密码')).props('unelevated color=teal-8').classes('w-full ac-big-btn')

    async def save() -> None:
        clear_errors(current, new, again)
        if new.value != again.value:
            field_error(again, t('两次输入的新密码不一致'))
            return
        button.disable()
        try:
            staff = await run.io_bound(_change, me, current.value or '', new.value or '')
        except ValidationError as e:
            field_error(current if e.field == 'current' else new, e.translated())
            return
        finally:
            button.enable()
        if staff is None:  # the server is shutting down
            return
        log_in(staff)  # this phone stays logged in; every other session has ended
        ui.notify(t('密码已修改'), type='positive')
        ui.navigate.to('/')

    button.on_click(save)


def set_language(me: Staff, language: str) -> None:
    session_set_language(language)
    with db.session() as s:
        staff_service.set_own_language(s, actor=me, language=language)
    ui.navigate.reload()


def _change(me: Staff, current: str, new: str) -> Staff:
    with db.session() as s:
        try:
            return auth.change_password(s, actor=me, current=current, new=new)
        except DomainError:
            s.rollback()
            raise
