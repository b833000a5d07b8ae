"""登记投诉: any staff phone takes a complaint in, for a visit or a call — the customer, what happened, photos."""

from __future__ import annotations

import uuid

from nicegui import APIRouter, run, ui

import config
import db
from components.drafts import clear_draft, draft_form
from components.duty_actions import act
from components.frame import clear_errors, field_error, frame
from components.photo_capture import capture_button, photo_strip
from components.session import guard
from models import Complaint, Photo, Staff
from services.complaints import intake as complaint_intake
from services.complaints import rules
from services.core.errors import DomainError, ValidationError
from services.core.i18n import t
from services.customers import contacts
from services.customers import search as customers
from services.photos import store as photo_store

router = APIRouter()


@router.page('/complaints/new')
def new_complaint_page(customer: int | None = None) -> None:
    me = guard(contacts.ON_SITE)
    if me is None:
        return
    with frame('登记投诉', me, active='/complaints'):
        intake = ComplaintIntake(me, customer)
        with draft_form(intake.draft, request_key=intake.key, on_key=intake.use_key):
            intake.build()


class ComplaintIntake:
    """The form's state: the customer picked, the photos taken so far, and its one request key."""

    def __init__(self, me: Staff, customer_id: int | None) -> None:
        self.me, self.key = me, uuid.uuid4().hex  # one complaint however often the form is sent
        self.draft = f'complaint-{me.id}-{customer_id or 0}'  # what is typed stays on the phone until it is sent
        self.customer_id: int | None = None
        self.customer_label = ''
        self.photos: list[Photo] = []  # taken on this form, attached to the complaint when it is sent
        self.fields: dict[str, ui.element] = {}
        with db.session() as s:
            self.staff: dict[int, str] = complaint_intake.staff_choices(s, actor=me)
            if customer_id is not None:
                try:
                    found = contacts.customer_of(s, me, customer_id)
                    self.customer_id, self.customer_label = found.id, f'{found.surname}{found.title}'
                except DomainError:
                    pass  # another site's, or gone: the form asks for the customer as usual

    def use_key(self, key: str) -> None:
        """The draft restored was sent before under this key: sent again, it is still that one complaint."""
        self.key = key

    def build(self) -> None:
        with ui.card().classes('w-full gap-2'):
            ui.label(t('客户')).classes('text-base font-semibold')
            self.customer_part = ui.refreshable(self.customer_section)
            self.customer_part()
        with ui.card().classes('w-full gap-2'):
            self.fields['channel'] = (
                ui.select({c: t(c) for c in rules.CHANNELS}, value=rules.CHANNELS[0], label=t('投诉渠道'))
                .props('outlined')
                .mark('channel')
            )
            self.fields['category'] = (
                ui.select({k: t(v) for k, v in rules.CATEGORIES.items()}, label=t('投诉类别'))
                .props('outlined')
                .mark('category')
            )
            self.fields['severity'] = (
                ui.toggle({k: t(v) for k, v in rules.SEVERITIES.items()}, value='normal')
                .props('unelevated toggle-color=red-8 spread')
                .classes('w-full')
                .mark('severity')
            )
            self.fields['against'] = (
                ui.select({0: t('不涉及具体员工'), **self.staff}, value=0, label=t('投诉涉及的员工'))
                .props('outlined')
                .mark('against')
            )
            self.fields['what_happened'] = (
                ui.textarea(t('发生了什么')).props('outlined autogrow maxlength=2000 counter').mark('what-happened')
            )
            self.fields['wants'] = ui.textarea(t('客户的诉求')).props('outlined autogrow maxlength=1000').mark('wants')
        with ui.card().classes('w-full gap-2'):
            ui.label(t('照片（选填）')).classes('text-base font-semibold')
            self.strip = ui.refreshable(self.photos_section)
            self.strip()
            capture_button(camera_only=False, on_photo=self.photo, mark='complaint-photo')
        self.send = (
            ui.button(t('提交投诉'), on_click=self.submit)
            .props('unelevated color=red-8')
            .classes('w-full ac-big-btn')
            .mark('submit-complaint')
        )

    def customer_section(self) -> None:
        if self.customer_id is not None:
            with ui.row().classes('w-full items-center no-wrap gap-2').mark('picked-customer'):
                ui.icon('person', size='28px').classes('text-teal-800')
                ui.label(self.customer_label).classes('text-lg font-semibold flex-1')
                ui.button(t('换一位'), on_click=self.unpick).props('flat color=teal-8')
            return
        search = ui.input(t('查找客户（手机号或姓氏）')).props('outlined clearable maxlength=20').mark('find-customer')
        found = ui.column().classes('w-full gap-1')

        async def look() -> None:
            text = (search.value or '').strip()
            rows = (await run.io_bound(_search, self.me, text) or []) if text else []
            found.clear()
            with found:
                for row in rows[:5]:
                    ui.button(f'{row.name} · {row.phone}', on_click=lambda r=row: self.pick(r.id, r.name)).props(
                        'outline color=teal-8 no-caps align=left'
                    ).classes('w-full').mark(f'pick-{row.id}')

        search.on('update:model-value', look, throttle=0.4)
        ui.label(t('新客户，或找不到时填写：')).classes('ac-muted text-sm')
        with ui.row().classes('w-full no-wrap gap-2'):
            self.fields['surname'] = (
                ui.input(t('姓氏')).props('outlined maxlength=20').classes('flex-1').mark('surname')
            )
            titles = {'先生': t('先生'), '女士': t('女士')}  # stored in Chinese, shown in the reader's language
            self.fields['title'] = ui.toggle(titles).props('unelevated toggle-color=teal-8').mark('title')
        self.fields['phone'] = ui.input(t('手机号')).props('outlined type=tel maxlength=20').mark('phone')

    def pick(self, customer_id: int, label: str) -> None:
        self.customer_id, self.customer_label = customer_id, label
        self.customer_part.refresh()

    def unpick(self) -> None:
        self.customer_id = None
        self.customer_part.refresh()

    def photos_section(self) -> None:
        photo_strip(self.photos, on_remove=self.remove_photo)

    async def photo(self, data: bytes) -> None:
        root, subject = config.current().photos_dir, photo_store.Subject('投诉', complaint=True)
        photo = await act(lambda s, a: photo_store.add_photo(s, actor=a, data=data, subject=subject, root=root))
        if photo is not None:
            self.photos.append(photo)
            self.strip.refresh()

    async def remove_photo(self, photo_id: int) -> None:
        if await act(lambda s, a: photo_store.remove_photo(s, actor=a, photo_id=photo_id)) is not None:
            self.photos = [p for p in self.photos if p.id != photo_id]
            self.strip.refresh()

    async def submit(self) -> None:
        clear_errors(*self.fields.values())
        value = {name: getattr(field, 'value', None) for name, field in self.fields.items()}
        form = complaint_intake.ComplaintForm(
            channel=value['channel'] or '',
            category=value['category'] or '',
            severity=value['severity'] or '',
            what_happened=value['what_happened'] or '',
            wants=value['wants'] or '',
            customer_id=self.customer_id,
            surname=value.get('surname') or '',
            title=value.get('title') or '',
            phone=value.get('phone') or '',
            against_staff_id=value['against'] or None,
            photo_ids=[p.id or 0 for p in self.photos],
            request_key=self.key,
        )
        self.send.disable()
        try:
            complaint = await run.io_bound(_file, self.me, form)
        except ValidationError as e:
            field = self.fields.get(e.field)
            if field is not None:
                field_error(field, e.translated())
            ui.notify(e.translated(), type='negative')
            return
        except DomainError as e:
            ui.notify(e.translated(), type='negative')
            return
        finally:
            self.send.enable()
        if complaint is None:  # the app is shutting down
            return
        clear_draft(self.draft)
        ui.notify(t('投诉已登记，销售经理已收到提醒'), type='positive')
        ui.navigate.to(f'/complaints/{complaint.id}')


def _search(me: Staff, text: str) -> list[customers.CustomerRow]:
    with db.reading() as s:
        return customers.search(s, actor=me, query=text, limit=5)


def _file(me: Staff, form: complaint_intake.ComplaintForm) -> Complaint:
    with db.session() as s:
        return complaint_intake.file(s, actor=me, form=form)
