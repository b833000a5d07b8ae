"""The rotation's other pages, one row of links for the manager's rotation page."""

from __future__ import annotations

from nicegui import ui

from services.core.i18n import t

LINKS = (
    ('/rotation/fairness', '公平性', 'balance'),
    ('/rotation/lunch', '午餐轮休安排', 'restaurant'),
    ('/rotation/rules', '轮序规则', 'gavel'),
)


def rotation_links() -> None:
    with ui.grid(columns=3).classes('w-full gap-1'):
        for path, label, icon in LINKS:
            ui.button(t(label), icon=icon, on_click=lambda p=path: ui.navigate.to(p)).props(
                'flat dense no-caps stack color=teal-8'
            ).classes('text-xs').mark(f'link-{path.rsplit("/", 1)[-1]}')
