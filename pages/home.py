"""Home: a greeting, today's figures for the manager (经理看板) and the group admin, then the shortcuts."""

from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import APIRouter, ui

from components.complaint_widgets import complaint_home_card
from components.duty_widgets import duty_home_card
from components.frame import frame, home_path, nav_for
from components.session import guard
from models import Role, Staff
from pages.reports import group_today, manager_today, to_sign_card
from services.core.i18n import t

router = APIRouter()
ROLE_NAMES = {Role.SALESPERSON: '置业顾问', Role.MANAGER: '销售经理', Role.ADMIN: '集团管理员'}


@router.page('/')
async def home_page() -> RedirectResponse | None:
    """Where the app opens (the login's landing, the installed app's start_url): a salesperson's working page is the
    rotation (their 首页 is /home); everyone else's is this."""
    me = guard()
    if me is None:
        return None
    if me.role == Role.SALESPERSON:
        return RedirectResponse('/rotation')
    await home(me)
    return None


@router.page('/home')
async def salesperson_home_page() -> None:
    """首页 in a salesperson's bar: their duty, complaints and minutes to sign, and the shortcuts."""
    me = guard()
    if me is not None:
        await home(me)


async def home(me: Staff) -> None:
    with frame('首页', me, active=home_path(me)):
        with ui.card().classes('w-full'):
            ui.label(t('{name}，您好', name=me.name)).classes('text-xl font-semibold')
            ui.label(t(ROLE_NAMES[Role(me.role)])).classes('ac-muted')
        duty_home_card(me)
        complaint_home_card(me)
        if me.site_id is not None:
            await to_sign_card(me)
        if me.role == Role.MANAGER:
            await manager_today(me)
        elif me.role == Role.ADMIN:
            await group_today(me)
        with ui.grid(columns=2).classes('w-full gap-3'):
            for item in (i for i in nav_for(me) if i.path not in (home_path(me), '/me')):  # both are in the bar
                with (
                    ui.link(target=item.path).classes('no-underline'),
                    ui.card().classes('w-full items-center gap-1 py-5 text-teal-800'),
                ):
                    ui.icon(item.icon, size='32px')
                    ui.label(t(item.label)).classes('text-base')
