"""The mobile shell every staff page shares: header with site and user, content, thumb-sized bottom nav."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape

from nicegui import ui
from nicegui.events import ValueChangeEventArguments

import db
from models import Role, Site, Staff
from services.core import events
from services.core.i18n import t

from . import drafts
from .alert import install_visitor_alert
from .background import read_then
from .complaint_alert import install_complaint_alert


@dataclass(frozen=True)
class NavItem:
    path: str
    label: str
    icon: str
    roles: frozenset[Role]
    in_bar: bool = True  # False: only a shortcut on the home page (the bar holds five at 360 px)


DIALOG_LINGER_S = 30.0
_site_names: dict[int, str] = {}  # site id → its name, read once off the event loop; dropped when a site changes
EVERYONE = frozenset(Role)
MANAGERS = frozenset({Role.MANAGER, Role.ADMIN})
NAV: list[NavItem] = [  # later parts add their pages here, in the order of the bar
    NavItem('/', '首页', 'home', MANAGERS),
    NavItem('/home', '首页', 'home', frozenset({Role.SALESPERSON})),  # their '/' opens 轮序 (pages/home.py)
    NavItem('/rotation', '轮序', 'format_list_numbered', frozenset({Role.SALESPERSON, Role.MANAGER})),
    NavItem('/customers', '客户', 'contacts', frozenset({Role.SALESPERSON, Role.MANAGER})),
    NavItem('/followups', '追访', 'event_available', frozenset({Role.SALESPERSON})),
    NavItem('/followups', '追访', 'event_available', frozenset({Role.MANAGER}), in_bar=False),
    NavItem('/analysis', '客户分析会', 'fact_check', frozenset({Role.MANAGER}), in_bar=False),
    NavItem('/calls', '来电登记', 'call', frozenset({Role.SALESPERSON, Role.MANAGER}), in_bar=False),
    NavItem('/routes', '看房路线', 'route', frozenset({Role.MANAGER}), in_bar=False),
    NavItem('/duty', '值班', 'fact_check', frozenset({Role.SALESPERSON, Role.MANAGER}), in_bar=False),
    NavItem('/entrance', '扫码登记', 'qr_code_2', frozenset({Role.MANAGER}), in_bar=False),
    NavItem('/complaints', '投诉', 'report', frozenset({Role.SALESPERSON, Role.MANAGER}), in_bar=False),
    NavItem('/complaints', '投诉', 'report', frozenset({Role.ADMIN})),
    NavItem('/notify', '提醒记录', 'notifications_active', MANAGERS, in_bar=False),
    NavItem('/notify/me', '我的提醒', 'notifications', frozenset({Role.SALESPERSON}), in_bar=False),
    NavItem('/reports', '报表', 'assessment', MANAGERS, in_bar=False),
    NavItem('/reports/morning', '晨会记录', 'wb_sunny', frozenset({Role.SALESPERSON}), in_bar=False),
    NavItem('/reports/minutes', '周例会纪要', 'groups', frozenset({Role.SALESPERSON}), in_bar=False),
    NavItem('/reports/competitors', '可比楼盘调查', 'location_city', frozenset({Role.SALESPERSON}), in_bar=False),
    NavItem('/staff', '员工', 'badge', MANAGERS),
    NavItem('/sites', '项目', 'apartment', frozenset({Role.ADMIN})),
    NavItem('/me', '我的', 'person', EVERYONE),
]


def nav_for(staff: Staff) -> list[NavItem]:
    """The bottom-bar entries this staff member's role may open."""
    return [item for item in NAV if staff.role in item.roles]


def home_path(staff: Staff) -> str:
    """The path of 首页 in this staff member's bar."""
    return '/home' if staff.role == Role.SALESPERSON else '/'


def install() -> None:
    """Once per app: a site's name is read again after the site changes."""
    _site_names.clear()
    events.site_changed.subscribe(lambda site_id: _site_names.pop(site_id, None))


@contextmanager
def frame(title: str, staff: Staff, *, active: str = '', complaint_id: int | None = None) -> Iterator[ui.column]:
    """Header, a centred content column (yielded) and the bottom navigation; `complaint_id`: the complaint this page
    shows (its alert would only repeat it).

    Nothing here reads the database on the event loop: every staff page builds this, and on an opening-day burst a
    read per page per phone would stall them all."""
    ui.page_title(f'{t(title)} · {t("案场")}')
    drafts.install()
    with ui.header().classes('ac-header items-center justify-between px-3 py-2'):
        with ui.column().classes('gap-0 min-w-0'):
            site_label(staff).classes('ac-site truncate')
            ui.label(t(title)).classes('ac-title truncate')
        ui.html(
            f'<a href="/me" class="ac-user no-underline">{_icon("account_circle")}'
            f'<span class="truncate">{escape(staff.name)}</span></a>',
            sanitize=False,
        ).classes('min-w-0')
    with ui.column().classes('ac-content w-full mx-auto gap-3') as content:
        install_complaint_alert(staff, hide=complaint_id)
        yield content
    if staff.site_id is not None:
        install_visitor_alert(staff)
    with ui.footer().classes('ac-nav'):
        nav_bar([i for i in nav_for(staff) if i.in_bar], active)


def nav_bar(items: list[NavItem], active: str) -> ui.html:
    """The five entries as one element of plain links: as NiceGUI elements (a link, an icon and a label each) they
    were a third of every staff page's elements, on every phone (bench.signin: server memory per phone)."""
    links = ''.join(_nav_link(item, selected=item.path == active) for item in items)
    return ui.html(f'<nav class="w-full flex no-wrap justify-around">{links}</nav>', sanitize=False).classes('w-full')


def _nav_link(item: NavItem, *, selected: bool) -> str:
    label = escape(t(item.label))
    current = ' aria-current="page"' if selected else ''
    return (
        f'<a href="{escape(item.path)}" class="ac-nav-item{" ac-nav-selected" if selected else ""}"'
        f' aria-label="{label}"{current}>{_icon(item.icon)}<span>{label}</span></a>'
    )


def _icon(name: str) -> str:
    """A 24 px Material icon as Quasar draws ui.icon, in plain HTML."""
    return (
        '<i class="q-icon notranslate material-icons" aria-hidden="true" role="presentation"'
        f' style="font-size: 24px">{escape(name)}</i>'
    )


def site_label(staff: Staff) -> ui.label:
    """The header's site name: from the cache, or filled in once a worker thread has read it."""
    if staff.site_id is None:
        return ui.label(t('集团'))
    site_id = staff.site_id
    label = ui.label(_site_names.get(site_id, '')).mark('site-name')
    if site_id not in _site_names:
        read_then(lambda: _site_name(site_id), label.set_text, name='site name')
    return label


def _site_name(site_id: int) -> str:
    with db.session() as s:
        site = s.get(Site, site_id)
    name = _site_names[site_id] = site.name if site else ''
    return name


def denied(staff: Staff) -> None:
    """What someone sees on a page their role may not open."""
    with frame('没有权限', staff), ui.card().classes('w-full items-center text-center gap-2 py-8'):
        ui.icon('lock', size='48px').classes('text-gray-400')
        ui.label(t('您的角色无权打开此页面')).classes('text-lg')
        ui.link(t('返回首页'), '/')


def own_site(staff: Staff) -> int | None:
    """On a page about one site: the staff member's site, or None once the page says they have none (the group
    admin, who opens a site's pages with its manager's account)."""
    if staff.site_id is not None:
        return staff.site_id
    with ui.card().classes('w-full items-center text-center gap-2 py-8'):
        ui.icon('domain', size='48px').classes('text-gray-400')
        ui.label(t('集团管理员没有所属项目，请用该项目销售经理的账号打开此页面')).classes('text-base')
    return None


def page_dialog() -> ui.dialog:
    """A dialog owned by the page, not by the part that opened it: a live redraw there cannot close it.

    A closed one is deleted a little later (the handler that closed it may still be running in it), so a phone
    open all day does not collect dialogs.
    """
    layout = ui.context.client.layout
    with layout:
        dialog = ui.dialog()

    def closed(e: ValueChangeEventArguments) -> None:
        if not e.value:
            with layout:
                ui.timer(DIALOG_LINGER_S, dialog.delete, once=True)

    dialog.on_value_change(closed)
    return dialog


def dialog_buttons(
    dialog: ui.dialog, label: str, on_click: Callable[..., object] | None = None, *, color: str = 'teal-8'
) -> ui.button:
    """A dialog's last row: 取消 closes it; the action (`label`, already translated) is returned to be marked."""
    with ui.row().classes('w-full justify-end'):
        ui.button(t('取消'), on_click=dialog.close).props('flat')
        return ui.button(label, on_click=on_click).props(f'unelevated color={color}')


def field_error(field: ui.element, message: str) -> None:
    """Show a validation message under a field."""
    field.props(f'error error-message="{message}"')


def clear_errors(*fields: ui.element) -> None:
    for field in fields:
        field.props(remove='error error-message')
