"""The reception record form (客户信息资料表) on a phone: chips for every known answer, the rest folded away."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from nicegui import run, ui
from nicegui.events import GenericEventArguments, ValueChangeEventArguments

import db
from components import actions
from components.drafts import clear_draft, draft_form
from components.frame import field_error, page_dialog
from components.session import current_staff
from models import Site, Staff
from services.accounts import sites
from services.core.errors import DomainError, ValidationError
from services.core.i18n import t
from services.customers import contacts, records
from services.rotation import reception, writer


class ChipGroup(ui.element, component='chip_group.js'):
    """A row of tappable chips (chip_group.js draws them: one element, not one per chip); `value` holds the chosen
    options and is updated in place. Only offered options are taken from the phone, one unless `multiple`."""

    def __init__(self, options: list[str] | tuple[str, ...], value: list[str], *, multiple: bool) -> None:
        super().__init__()
        self.options, self.value, self.multiple = list(options), value, multiple
        self._props['options'] = [{'value': o, 'label': t(o)} for o in self.options]
        self._props['selected'] = [v for v in value if v in self.options]
        self._props['multiple'] = multiple
        self._props['color'] = 'teal-1'
        self.on('change', self._changed)

    def _changed(self, e: GenericEventArguments) -> None:
        picked = [v for v in (e.args if isinstance(e.args, list) else []) if v in self.options]
        self.value[:] = list(dict.fromkeys(picked))[: None if self.multiple else 1]
        self._props['selected'] = list(self.value)

    def _displayed_contents(self, *, only_visible: bool) -> list:
        return [o['label'] for o in self._props['options']]


def chips(options: list[str] | tuple[str, ...], value: list[str], *, multiple: bool, mark: str) -> list[str]:
    """A row of tappable chips; `value` (returned) holds what is selected, updated in place."""
    ChipGroup(options, value, multiple=multiple).classes('w-full').mark(mark)
    return value


def open_record_form(me: Staff, visit_id: int, on_done: Callable[[], object]) -> None:
    """结束接待: the form prefilled from the sign-in (read off the event loop); saving it ends the reception.

    Not an async handler: NiceGUI would start one a moment after the tap, in the context of the card tapped, which a
    live redraw may have deleted by then (bench.signin --hold 1: now and then the form never opened). The page is
    taken as the tap arrives (actions.in_page), and the dialog belongs to it."""
    actions.in_page(lambda: _read_and_open(me, visit_id, on_done))


async def _read_and_open(me: Staff, visit_id: int, on_done: Callable[[], object]) -> None:
    try:
        read = await run.io_bound(_prefill, me, visit_id)
    except DomainError as e:
        ui.notify(e.translated(), type='negative')
        return
    if read is not None:  # else the server is shutting down
        _open(visit_id, *read, on_done)


def _open(visit_id: int, form: records.RecordForm, site: Site, on_done: Callable[[], object]) -> None:
    with page_dialog().props('maximized') as dialog, ui.card().classes('w-full gap-2 ac-record'):
        ui.label(t('客户信息资料表')).classes('text-lg font-semibold')
        with draft_form(f'record-{visit_id}'):  # a crash or reload mid-record loses nothing typed
            fields, singles = _essentials(form, site), dict[str, list[str]]()
            more = ui.expansion(t('更多资料（选填）'), icon='badge').classes('w-full bg-gray-50 rounded')

            def draw_more(e: ValueChangeEventArguments) -> None:
                """The optional details, drawn when first opened: half the form's elements, which every reception's
                end drew (8–9 % of the server's work in bench.signin --hold 1, py-spy). What was typed into them
                before a reload comes back when they are drawn (drafts.js)."""
                if e.value and not singles:  # _details fills `singles`: drawn once
                    with more:
                        fields.update(_details(form, site, singles))

            more.on_value_change(draw_more).mark('record-more')
        with ui.row().classes('w-full no-wrap gap-2 sticky bottom-0 bg-white py-2'):
            ui.button(t('取消'), on_click=dialog.close).props('flat').classes('ac-big-btn')
            ui.button(
                t('保存并结束接待'), on_click=lambda: save(visit_id, form, fields, singles, dialog, on_done)
            ).props('unelevated color=teal-8').classes('flex-1 ac-big-btn').mark('record-save')
    dialog.open()


def _essentials(form: records.RecordForm, site: Site) -> dict[str, ui.element]:
    """What every record needs, at the top: name, grade, objections, next follow-up."""
    with ui.row().classes('w-full no-wrap gap-2 items-start'):
        name = ui.input(t('姓名'), value=form.name).props('outlined maxlength=20').classes('flex-1').mark('record-name')
        title = ui.toggle({'先生': t('先生'), '女士': t('女士')}, value=form.title or None).props(
            'unelevated toggle-color=teal-8'
        )
        title.on_value_change(lambda e: setattr(form, 'title', e.value or ''))
    name.on_value_change(lambda e: setattr(form, 'name', e.value or ''))
    grade = grade_picker(site, form.grade, lambda g: setattr(form, 'grade', g))
    ui.label(t('抗性')).classes('ac-muted text-sm')
    chips(contacts.setting(site, 'objections'), form.objections, multiple=True, mark='record-objections')
    due = follow_up_fields(site, form.next_follow_up_on, form.next_method, lambda k, v: setattr(form, k, v))
    return {'name': name, 'grade': grade, 'next_follow_up_on': due}


def grade_picker(site: Site, value: str, on_change: Callable[[str], None]) -> ui.toggle:
    """A, B, C, D as four big buttons, the site's meaning under them."""
    meanings = contacts.setting(site, 'grade_definitions')
    ui.label(t('意向等级')).classes('ac-muted text-sm')
    meaning = ui.label(meanings.get(value, '')).classes('text-sm text-teal-900')
    toggle = ui.toggle(list(contacts.GRADES), value=value or None).props(
        'spread unelevated color=white text-color=teal-8 toggle-color=teal-8 toggle-text-color=white size=lg'
    )  # teal letters on white until one is chosen, which turns solid (outlined, the chosen one was white on white)
    toggle.classes('w-full border border-teal-700').mark('grade')

    def changed(e: Any) -> None:
        on_change(e.value or '')
        meaning.set_text(meanings.get(e.value or '', ''))

    toggle.on_value_change(changed)
    return toggle


def follow_up_fields(site: Site, day: date | None, method: str, put: Callable[[str, Any], None]) -> ui.input:
    """The next follow-up: a date and how (phone, WeChat …), handed to `put` as next_follow_up_on / next_method."""
    with ui.row().classes('w-full no-wrap gap-2 items-start'):
        due = (
            ui.input(t('下次追访'), value=day.isoformat() if day else '').props('outlined type=date').classes('flex-1')
        )
        due.mark('follow-up-date')
        how = ui.select([*contacts.setting(site, 'follow_up_methods')], value=method or '电话', label=t('方式'))
        how.props('outlined').classes('w-28')
    due.on_value_change(lambda e: put('next_follow_up_on', _date(e.value)))
    how.on_value_change(lambda e: put('next_method', e.value or ''))
    return due


def _details(form: records.RecordForm, site: Site, singles: dict[str, list[str]]) -> dict[str, ui.element]:
    """Age, purpose, unit type, payment (one chip each), what they care about, area, budget and the rest."""
    found: dict[str, ui.element] = {}
    for key, label, options in (
        ('age_band', '年龄段', records.AGE_BANDS),
        ('purpose', '置业目的', records.PURPOSES),
        ('unit_type', '意向户型', records.UNIT_TYPES),
        ('payment', '付款方式', records.PAYMENTS),
    ):
        ui.label(t(label)).classes('ac-muted text-sm')
        picked = [getattr(form, key)] if getattr(form, key) else []
        chips(options, picked, multiple=False, mark=f'record-{key}')
        singles[key] = picked
    ui.label(t('关注点')).classes('ac-muted text-sm')
    chips(contacts.setting(site, 'cares'), form.cares, multiple=True, mark='record-cares')
    with ui.row().classes('w-full no-wrap gap-2'):
        found['area_wanted'] = _bound(ui.input(t('面积（㎡）')), form, 'area_wanted', 'type=number inputmode=numeric')
        found['budget_wan'] = _bound(ui.input(t('预算（万元）')), form, 'budget_wan', 'type=number inputmode=numeric')
    for key, label in (('residence', '居住区域'), ('work_area', '工作区域'), ('family', '家庭结构')):
        found[key] = _bound(ui.input(t(label)), form, key, 'maxlength=40')
    channels = ['', *sites.setting(site, 'channels')]
    channel = ui.select(channels, value=form.channel if form.channel in channels else '', label=t('了解渠道'))
    channel.props('outlined').on_value_change(lambda e: setattr(form, 'channel', e.value or ''))
    found['channel'] = channel
    found['other_phone'] = _bound(ui.input(t('其他电话')), form, 'other_phone', 'type=tel maxlength=13')
    found['notes'] = _bound(ui.textarea(t('备注')), form, 'notes', 'maxlength=500 autogrow')
    return found


def _bound(field: ui.input, form: records.RecordForm, key: str, props: str) -> ui.input:
    value = getattr(form, key)
    field.value = '' if value is None else str(value)
    field.props(f'outlined {props}').classes('w-full')
    field.on_value_change(lambda e: setattr(form, key, e.value or ''))
    return field


def _date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _prefill(me: Staff, visit_id: int) -> tuple[records.RecordForm, Site]:
    with db.session() as s:
        form = records.prefill(s, actor=me, visit_id=visit_id)
        site = s.get(Site, me.site_id)
    assert site is not None
    return form, site


async def save(
    visit_id: int,
    form: records.RecordForm,
    fields: dict[str, ui.element],
    singles: dict[str, list[str]],
    dialog: ui.dialog,
    on_done: Callable[[], object],
) -> None:
    """Save the record and end the reception; a refused field shows its message."""
    actor = current_staff()
    if actor is None:
        ui.navigate.to('/login')
        return
    for key, picked in singles.items():
        setattr(form, key, picked[0] if picked else '')
    try:
        await writer.write(actor.site_id, _save, actor, visit_id, form)
    except ValidationError as e:
        _show(fields, e)
        return
    except DomainError as e:
        ui.notify(e.translated(), type='negative')
        return
    clear_draft(f'record-{visit_id}')
    dialog.close()
    on_done()


def _show(fields: dict[str, ui.element], error: ValidationError) -> None:
    target = fields.get(error.field)
    if target is not None and isinstance(target, ui.input):
        field_error(target, error.translated())
    ui.notify(error.translated(), type='negative')


@writer.database_work
def _save(actor: Staff, visit_id: int, form: records.RecordForm) -> None:
    with db.session() as s:
        reception.save_and_finish(s, actor=actor, visit_id=visit_id, form=form)
