"""Logging in and out."""

from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import APIRouter, run, ui

import db
from components.frame import clear_errors, field_error
from components.session import current_staff, log_in, log_out, safe_next
from components.session import set_language as session_set_language
from models import Role, Staff
from services.accounts import auth
from services.core.errors import DomainError
from services.core.i18n import current_language, t

router = APIRouter()


@router.page('/login')
def login_page(next: str = '/') -> RedirectResponse | None:
    """Phone or username and password; a language switch for English speakers."""
    if current_staff() is not None:
        return RedirectResponse(safe_next(next))
    ui.page_title(t('登录 · 案场'))
    with ui.column().classes('w-full max-w-sm mx-auto px-6 pt-16 gap-4'):
        ui.image('/pwa/icons/icon-192.png').props('no-transition no-spinner').classes(
            'w-16 h-16 rounded-xl self-center'
        )
        ui.label(t('案场')).classes('text-3xl font-bold self-center')
        ui.label(t('售楼处管理 · 员工登录')).classes('ac-muted self-center')
        login = (
            ui.input(t('手机号或用户名'))
            .props('outlined autocomplete=username autofocus maxlength=64')
            .classes('w-full')
        )
        password = (
            ui.input(t('密码'), password=True, password_toggle_button=True)
            .props('outlined autocomplete=current-password maxlength=128')
            .classes('w-full')
        )
        button = ui.button(t('登录')).classes('w-full ac-big-btn').props('unelevated color=teal-8')
        other = 'en' if current_language() != 'en' else 'zh-CN'
        ui.button('English' if other == 'en' else '中文', on_click=lambda: switch_language(other)).props(
            'flat dense no-caps'
        ).classes('self-center ac-muted')

    async def submit() -> None:
        clear_errors(login, password)
        if not (login.value or '').strip() or not password.value:
            missing = login if not (login.value or '').strip() else password
            field_error(missing, t('请输入手机号或用户名') if missing is login else t('请输入密码'))
            return
        button.disable()
        try:
            staff = await run.io_bound(_authenticate, login.value, password.value, _client_address())
        except DomainError as e:
            password.value = ''
            field_error(password, e.translated())
            return
        finally:
            button.enable()
        if staff is None:  # the server is shutting down
            return
        log_in(staff)
        ui.navigate.to('/me' if staff.must_change_password else landing(staff, safe_next(next)))

    button.on_click(submit)
    password.on('keydown.enter', submit)
    return None


@router.page('/logout')
def logout_page() -> RedirectResponse:
    log_out()
    return RedirectResponse('/login')


def switch_language(language: str) -> None:
    session_set_language(language)
    ui.navigate.reload()


def _authenticate(login: str, password: str, client: str) -> Staff:
    with db.session() as s:
        return auth.authenticate(s, login=login, password=password, client=client)


def _client_address() -> str:
    request = ui.context.client.request
    return request.client.host if request and request.client else 'unknown'


def landing(staff: Staff, target: str) -> str:
    """Where a login lands: the page asked for, else a salesperson's working page, the rotation (首页 only repeats the
    bar for them), else 首页."""
    return '/rotation' if target == '/' and staff.role == Role.SALESPERSON else target
