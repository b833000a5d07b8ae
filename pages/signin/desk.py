"""客户进门: a salesperson registers a visitor who does not scan (elderly, no phone), with the same fields."""

from __future__ import annotations

import uuid

from nicegui import run, ui

import db
from components.drafts import clear_draft, draft_form
from components.frame import page_dialog
from components.session import current_staff
from models import Staff
from pages.signin.fields import signin_fields
from services.accounts import sites
from services.core.errors import DomainError, ValidationError
from services.core.i18n import t
from services.signin import register as signin


def desk_button(me: Staff) -> None:
    """The big 客户进门 button that opens the form."""
    ui.button(t('客户进门'), icon='person_add_alt', on_click=lambda: desk_dialog(me)).props(
        'unelevated color=orange-8'
    ).classes('w-full ac-big-btn').mark('desk')


def desk_dialog(me: Staff) -> None:
    with db.session() as s:
        channels = sites.setting(sites.get_site(s, actor=me, site_id=me.site_id or 0), 'channels')
    key = [uuid.uuid4().hex]  # one visit however often this form is sent, even again after a reload (the draft's)
    draft = f'desk-{me.id}'
    with page_dialog().props('maximized') as dialog, ui.card().classes('w-full max-w-lg mx-auto gap-2'):
        ui.label(t('客户进门登记')).classes('text-lg font-semibold')
        with draft_form(draft, request_key=key[0], on_key=lambda old: key.__setitem__(0, old)):
            fields = signin_fields(channels, staff_mode=True)
        with ui.row().classes('w-full no-wrap gap-2'):
            ui.button(t('取消'), on_click=dialog.close).props('flat').classes('flex-1')
            save = (
                ui.button(t('登记并分配'))
                .props('unelevated color=teal-8')
                .classes('flex-1 ac-big-btn')
                .mark('desk-save')
            )

    async def submit() -> None:
        fields.clear_errors()
        actor = current_staff()
        if actor is None:
            ui.navigate.to('/login')
            return
        save.disable()
        try:
            result = await run.io_bound(_sign_in, actor, fields.form(), key[0])
        except ValidationError as e:
            fields.show_error(e)
            return
        except DomainError as e:
            ui.notify(e.translated(), type='negative')
            return
        finally:
            save.enable()
        clear_draft(draft)
        dialog.close()
        message = (
            t('已登记，{name} 接待', name=result.consultant)
            if result and result.consultant
            else t('已登记，等待空闲的置业顾问')
        )
        ui.notify(message, type='positive')

    save.on_click(submit)
    dialog.open()


def _sign_in(actor: Staff, form: signin.SignInForm, key: str) -> signin.SignInResult:
    with db.session() as s:
        return signin.sign_in(
            s,
            site_id=actor.site_id or 0,
            form=form,
            source='desk',
            client=f'staff:{actor.id}',
            request_key=key,
            registered_by=actor,
        )
