"""Scan-to-sign-in set-up (扫码登记): today's entrance poster and the office TV links, for managers."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

from fastapi import Request
from nicegui import APIRouter, run, ui

import config
import db
from components.frame import dialog_buttons, frame, own_site, page_dialog
from components.session import current_staff, guard
from components.urls import png_data_url, public_base_url
from models import DisplayToken, Site, Staff, utcnow
from services.accounts import sites
from services.core import authz
from services.core.errors import DomainError, NotFound
from services.core.i18n import t
from services.rotation import roster
from services.signin import display, qr

router = APIRouter()
LOCAL_HOSTS = ('localhost', '127.', '0.0.0.0', '[::1]')  # noqa: S104 - names, not a bind address
MEDIA_TYPES = {'png': 'image/png', 'pdf': 'application/pdf'}


@router.page('/entrance')
async def entrance_page(request: Request) -> None:
    me = guard(authz.MANAGERS)
    if me is None:
        return
    with frame('扫码登记', me, active='/entrance'):
        site_id = own_site(me)
        if site_id is None:
            return
        site = await run.io_bound(_site, site_id)
        if site is None:  # the app is shutting down
            return
        base_url = public_base_url(request)
        await poster_card(site, base_url)
        links = TvLinks(me, site, base_url)
        await links.show()


async def poster_card(site: Site, base_url: str) -> None:
    """Today's entrance code, what it is good for, and the poster to print."""
    url = entrance_url(site, base_url)
    with ui.card().classes('w-full items-center gap-2'):
        ui.label(t('入口海报')).classes('text-lg font-semibold self-start')
        ui.image(await run.io_bound(png_data_url, url) or '').props('no-spinner no-transition').classes(
            'w-56 h-56'
        ).mark('entrance-qr')
        ui.label(url).classes('ac-muted text-xs break-all select-all').props('data-data').mark('entrance-url')
        if url.split('://', 1)[-1].startswith(LOCAL_HOSTS):
            ui.label(t('当前是本机地址，访客的手机打不开：请用局域网或公网地址打开本页再下载海报')).classes(
                'text-sm text-red-8'
            )
        ui.label(window_note(site)).classes('text-sm self-start')
        ui.label(t('大屏上的二维码每 {n} 分钟自动更新，无需打印', n=display.TV_CODE_MINUTES)).classes(
            'ac-muted text-sm self-start'
        )
        with ui.row().classes('w-full items-center gap-3'):
            ui.label(t('海报尺寸')).classes('text-sm')
            size = ui.toggle({'A4': 'A4', 'A3': 'A3'}, value='A4').props('unelevated toggle-color=teal-8')
        with ui.row().classes('w-full gap-2 no-wrap'):
            for kind, icon in (('png', 'image'), ('pdf', 'picture_as_pdf')):
                button = ui.button(t('下载海报 {kind}', kind=kind.upper()), icon=icon).props('unelevated color=teal-8')
                button.classes('flex-1 ac-big-btn').on_click(
                    lambda _, b=button, k=kind: download_poster(b, site, base_url, k, size.value)
                )


def window_note(site: Site) -> str:
    minutes = int(sites.setting(site, 'signin_window_minutes') or 0)
    if minutes:
        return t('海报上的二维码自下载起 {n} 分钟内有效', n=minutes)
    start, end = (moment.astimezone(ZoneInfo(site.timezone)) for moment in display.poster_window(site, utcnow()))
    return t(
        '海报上的二维码仅在 {day} {start}–{end}（营业时间）有效，请每天开场前打印；大屏上的二维码更安全，请优先使用',
        day=start.date().isoformat(),
        start=start.strftime('%H:%M'),
        end=end.strftime('%H:%M'),
    )


async def download_poster(button: ui.button, site: Site, base_url: str, kind: str, size: str) -> None:
    """The poster as PNG or PDF (A4 or A3), drawn off the event loop."""
    draw = qr.poster_pdf if kind == 'pdf' else qr.poster_png
    button.disable()
    try:
        data = await run.io_bound(lambda: draw(site_name=site.name, url=entrance_url(site, base_url), size=size))
    finally:
        button.enable()
    if data is None:  # the app is shutting down
        return
    day = roster.local_day(site, utcnow()).isoformat()
    ui.download.content(data, f'anchang-poster-{site.code}-{day}-{size}.{kind}', MEDIA_TYPES[kind])


def entrance_url(site: Site, base_url: str) -> str:
    return qr.signin_url(base_url, display.entrance_token(site, secret=config.current().secret))


class TvLinks:
    """The site's TV links: the active ones, a new one (its address shown once), and revoking."""

    def __init__(self, me: Staff, site: Site, base_url: str) -> None:
        self.me, self.site, self.base_url = me, site, base_url

    async def show(self) -> None:
        with ui.card().classes('w-full gap-2'):
            ui.label(t('大屏链接')).classes('text-lg font-semibold')
            ui.label(t('在售楼处电视的浏览器中打开链接，即显示接待轮序和扫码二维码，无需登录')).classes(
                'ac-muted text-sm'
            )
            await self.rows()
            label = ui.input(t('大屏名称'), placeholder=t('如：前台大屏')).props('outlined maxlength=40')
            ui.button(t('新建大屏链接'), icon='add_link', on_click=lambda: self.create(label)).props(
                'unelevated color=teal-8'
            ).classes('w-full ac-big-btn')

    @ui.refreshable_method
    async def rows(self) -> None:
        tokens = await run.io_bound(_tokens, self.me) or []
        if not tokens:
            ui.label(t('还没有大屏链接')).classes('ac-muted')
        zone = ZoneInfo(self.site.timezone)
        for token in tokens:
            with ui.row().classes('w-full items-center justify-between no-wrap').mark(f'tv-link-{token.id}'):
                with ui.column().classes('gap-0 min-w-0'):
                    ui.label(token.label).classes('font-semibold truncate')
                    created = token.created_at.astimezone(zone).strftime('%Y-%m-%d %H:%M')
                    ui.label(t('创建于 {at}', at=created)).classes('ac-muted text-xs')
                ui.button(t('停用'), on_click=lambda token=token: self.confirm_revoke(token)).props(
                    'flat dense color=red-8'
                ).mark(f'revoke-{token.id}')

    async def create(self, label: ui.input) -> None:
        try:
            token = await run.io_bound(_create, _actor(), label.value or '')
        except DomainError as e:
            ui.notify(e.translated(), type='negative')
            return
        label.value = ''
        show_link(f'{self.base_url}/tv/{token}')
        await self.rows.refresh()

    def confirm_revoke(self, token: DisplayToken) -> None:
        with page_dialog() as dialog, ui.card().classes('w-full max-w-sm gap-2'):
            ui.label(t('停用“{label}”？', label=token.label)).classes('text-lg font-semibold')
            ui.label(t('停用后，用这个链接打开的大屏会在一分钟内停止显示')).classes('ac-muted text-sm')
            dialog_buttons(dialog, t('确认停用'), lambda: self.revoke(token.id or 0, dialog), color='red-8')
        dialog.open()

    async def revoke(self, token_id: int, dialog: ui.dialog) -> None:
        dialog.close()
        try:
            await run.io_bound(_revoke, _actor(), token_id)
        except DomainError as e:
            ui.notify(e.translated(), type='negative')
            return
        ui.notify(t('大屏链接已停用'), type='positive')
        await self.rows.refresh()


def show_link(url: str) -> None:
    """The new TV address, shown this once (only its hash is kept)."""
    with page_dialog().props('persistent') as dialog, ui.card().classes('w-full max-w-md gap-2'):
        ui.label(t('大屏链接已生成')).classes('text-lg font-semibold')
        ui.label(url).classes('font-mono text-sm break-all select-all').props('data-data').mark('tv-link-url')
        ui.label(t('链接只显示这一次：请复制后在大屏的浏览器中打开。丢失了可停用后重新生成。')).classes(
            'ac-muted text-sm'
        )
        with ui.row().classes('w-full justify-end'):
            ui.button(t('复制链接'), icon='content_copy', on_click=lambda: copy(url)).props('flat color=teal-8')
            ui.button(t('完成'), on_click=dialog.close).props('unelevated color=teal-8')
    dialog.open()


async def copy(text: str) -> None:
    """Copy with the Clipboard API, or the older way on a plain-HTTP site network."""
    try:
        copied = await ui.run_javascript(COPY_JS.replace('__TEXT__', json.dumps(text)))
    except TimeoutError:
        copied = False
    ui.notify(t('已复制') if copied else t('复制失败，请长按链接手动复制'), type='positive' if copied else 'warning')


COPY_JS = """
try { await navigator.clipboard.writeText(__TEXT__); return true; } catch (e) {
  const area = document.createElement('textarea'); area.value = __TEXT__; document.body.appendChild(area);
  area.select(); const ok = document.execCommand('copy'); area.remove(); return ok;
}"""


def _actor() -> Staff:
    me = current_staff()
    if me is None:
        raise DomainError('登录已过期，请重新登录')
    return me


def _site(site_id: int) -> Site:
    with db.session() as s:
        site = s.get(Site, site_id)
    if site is None:
        raise NotFound()
    return site


def _tokens(actor: Staff) -> list[DisplayToken]:
    with db.session() as s:
        return display.list_display_tokens(s, actor=actor)


def _create(actor: Staff, label: str) -> str:
    with db.session() as s:
        return display.create_display_token(s, actor=actor, label=label)


def _revoke(actor: Staff, token_id: int) -> None:
    with db.session() as s:
        display.revoke_display_token(s, actor=actor, token_id=token_id)
