"""Drafts that survive: what staff type into a form stays on the phone (localStorage) until the form is saved.

A server restart makes the page reload, a lost connection a reconnect; the half-typed walk-in, record or complaint
comes back into its fields (drafts.js). The form's request key is kept with the draft, so sending it again after an
answer that never arrived still makes one, never two.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from nicegui import events, ui

from services.core.i18n import t

SCRIPT = (Path(__file__).parent / 'drafts.js').read_text(encoding='utf-8')


def draft_form(key: str, *, request_key: str = '', on_key: Callable[[str], object] | None = None) -> ui.element:
    """A container (use it in a `with`) whose typed fields are kept as the draft `key` until `clear_draft(key)`;
    `on_key` receives the request key of a restored draft sent before (use it instead of the new one)."""
    form = ui.element('div').classes('w-full nicegui-column gap-2')
    form.props(f'data-draft={json.dumps(key)} data-draft-key={json.dumps(request_key)}')

    def restored(e: events.GenericEventArguments) -> None:
        detail = e.args.get('detail') or {} if isinstance(e.args, dict) else {}
        if on_key is not None and detail.get('key'):
            on_key(str(detail['key']))
        if detail.get('restored'):
            ui.notify(t('已恢复上次未保存的内容'), type='info')

    form.on('draft', restored, ['detail'])
    return form


def install() -> None:
    """On a page (the frame does it for every staff page): the script that keeps and restores drafts."""
    ui.add_head_html(f'<script>{SCRIPT}</script>')


def clear_draft(key: str) -> None:
    """The form was saved: its draft goes."""
    ui.run_javascript(f'window.acDraft && window.acDraft.clear({json.dumps(key)})')
