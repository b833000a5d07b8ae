"""The walk-in sign-in fields (到访登记): the visitor's own QR form and a salesperson's "客户进门"."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nicegui import ui

from components.frame import clear_errors, field_error
from services.core.errors import ValidationError
from services.core.i18n import t
from services.signin import register as signin

PARTY_MAX = 20  # what signin.validate accepts
UNIT_TYPES = signin.INTEREST_CHOICES['unit_type']
AREAS = signin.INTEREST_CHOICES['area']
BUDGETS = signin.INTEREST_CHOICES['budget']
INTERESTS = {'unit_type': ('户型', UNIT_TYPES), 'area': ('面积', AREAS), 'budget': ('预算', BUDGETS)}
CSS = """
.ac-signin .q-field__native, .ac-signin .q-field__input { font-size: 16px; } /* iOS zooms into smaller text */
.ac-signin .q-field__label { font-size: 15px; }
.ac-choice .q-btn { min-height: 44px; font-size: 15px; padding: 4px 14px; }
.q-card .q-field.ac-party, .ac-party { width: 76px; flex: none; }
.ac-party input { text-align: center; -moz-appearance: textfield; }
.ac-party input::-webkit-outer-spin-button, .ac-party input::-webkit-inner-spin-button { -webkit-appearance: none; }
.ac-interests { border: 1px solid #cbd5e1; }
.ac-interests .q-item__section--avatar { color: #0f766e; min-width: 40px; }
.ac-field-error { color: var(--q-negative, #c10015); font-size: 13px; line-height: 1.3; }
.ac-consent .q-checkbox__label { font-size: 14px; line-height: 1.45; }
"""


class ErrorLine:
    """A validation message under a control that is not a Quasar field (button groups, the checkbox)."""

    def __init__(self, name: str) -> None:
        self.label = ui.label().classes('ac-field-error').mark(f'{name}-error')
        self.label.set_visibility(False)

    def show(self, message: str) -> None:
        self.label.set_text(message)
        self.label.set_visibility(True)

    def clear(self) -> None:
        self.label.set_visibility(False)


class Choice:
    """One value picked from a row of thumb-sized buttons; an optional one is cleared by tapping it again."""

    def __init__(
        self, options: dict[Any, str], *, name: str, value: Any = None, optional: bool = False, inline: bool = False
    ) -> None:
        self.value, self.optional, self.on_change = value, optional, lambda: None
        with ui.row().classes('ac-choice gap-2 ' + ('no-wrap' if inline else 'w-full')).mark(name):
            self.buttons = {
                key: ui.button(t(label), on_click=lambda key=key: self.pick(key)).props('no-caps rounded')
                for key, label in options.items()
            }
        self.paint()

    def pick(self, key: Any) -> None:
        self.value = None if self.optional and key == self.value else key
        self.paint()
        self.on_change()

    def paint(self) -> None:
        for key, button in self.buttons.items():
            on = key == self.value
            button.props(remove='outline unelevated')
            button.props(f'{"unelevated" if on else "outline"} color={"teal-8" if on else "grey-7"}')
            button.props(f'aria-pressed={"true" if on else "false"}')


@dataclass
class SigninFields:
    """The inputs of one sign-in form, what they add up to, and where each field's error goes."""

    surname: ui.input
    title: Choice
    phone: ui.input
    party_size: ui.number
    first_visit: Choice
    channel: Choice | None
    interests: dict[str, Choice]
    consent: ui.checkbox
    errors: dict[str, ErrorLine]

    def form(self) -> signin.SignInForm:
        return signin.SignInForm(
            surname=self.surname.value or '',
            title=self.title.value or '',
            phone=self.phone.value or '',
            party_size=_party_size(self.party_size.value),
            first_visit=bool(self.first_visit.value),
            channel=(self.channel.value or '') if self.channel else '',
            interests={key: choice.value for key, choice in self.interests.items() if choice.value},
            consent=bool(self.consent.value),
        )

    def show_error(self, error: ValidationError) -> None:
        """The message at its field (scrolled into view); a field the form does not show gets a notification."""
        message = error.translated()
        if error.field in ('surname', 'phone'):
            field = self.surname if error.field == 'surname' else self.phone
            field_error(field, message)
            field.run_method('focus')
        elif error.field in self.errors:
            self.errors[error.field].show(message)
            label = self.errors[error.field].label
            ui.run_javascript(f'getHtmlElement({label.id})?.scrollIntoView({{block: "center", behavior: "smooth"}})')
        else:
            ui.notify(message, type='negative', position='top', multi_line=True)

    def clear_errors(self) -> None:
        clear_errors(self.surname, self.phone)
        for line in self.errors.values():
            line.clear()


def signin_fields(channels: list[str], *, staff_mode: bool = False) -> SigninFields:
    """The sign-in fields in one phone-wide column; `staff_mode` words the consent for a salesperson."""
    ui.add_css(CSS)
    errors: dict[str, ErrorLine] = {}
    with ui.column().classes('ac-signin w-full gap-3'):
        surname = _input('姓氏', 'surname', maxlength=10, autocomplete='family-name')
        title = _row('称呼', 'title', errors, lambda: Choice({x: x for x in signin.TITLES}, name='title', inline=True))
        phone = _input('手机号', 'phone', maxlength=20, autocomplete='tel', extra='type=tel inputmode=numeric')
        party_size = _row('来访人数', 'party_size', errors, _stepper)
        first_visit = _row(
            '是否首次来访',
            'first_visit',
            errors,
            lambda: Choice({True: '首次', False: '再次'}, name='first-visit', value=True, inline=True),
        )
        channel = _channel(channels, errors) if channels else None
        interests = _interests(errors)
        consent = _consent(staff_mode, errors)
    fields = SigninFields(surname, title, phone, party_size, first_visit, channel, interests, consent, errors)
    _clear_on_change(fields)
    return fields


def _input(label: str, name: str, *, maxlength: int, autocomplete: str, extra: str = '') -> ui.input:
    field = ui.input(t(label)).props(f'outlined clearable maxlength={maxlength} autocomplete={autocomplete} {extra}')
    return field.classes('w-full').mark(name)


def _row(label: str, name: str, errors: dict[str, ErrorLine], control: Callable[[], Any]) -> Any:
    """A question on the left, its control on the right, its error underneath."""
    with ui.column().classes('w-full gap-1'):
        with ui.row().classes('w-full items-center justify-between no-wrap gap-2'):
            ui.label(t(label)).classes('text-base shrink-0')
            made = control()
        errors[name] = ErrorLine(name)
    return made


def _stepper() -> ui.number:
    with ui.row().classes('items-center no-wrap gap-2'):
        minus = ui.button(icon='remove').props(f'round outline color=teal-8 aria-label="{t("减少一人")}"')
        number = ui.number(value=1).props('outlined dense inputmode=numeric').classes('ac-party').mark('party-size')
        plus = ui.button(icon='add').props(f'round outline color=teal-8 aria-label="{t("增加一人")}"')
    minus.on_click(lambda: number.set_value(max(1, _whole(number.value) - 1))).mark('party-minus')
    plus.on_click(lambda: number.set_value(min(PARTY_MAX, _whole(number.value) + 1))).mark('party-plus')
    return number


def _channel(channels: list[str], errors: dict[str, ErrorLine]) -> Choice:
    with ui.column().classes('w-full gap-1'):
        ui.label(t('从哪里了解到本项目（选填）')).classes('text-base')
        choice = Choice({x: x for x in channels}, name='channel', optional=True)
        errors['channel'] = ErrorLine('channel')
    return choice


def _interests(errors: dict[str, ErrorLine]) -> dict[str, Choice]:
    """Unit type, area and budget: optional, folded away so the form stays short."""
    choices: dict[str, Choice] = {}
    with ui.column().classes('w-full gap-1'):
        with (
            ui.expansion(t('购房意向（选填）'), caption=t('户型、面积、预算'), icon='home_work')
            .classes('w-full rounded-lg ac-interests')
            .props('header-class="px-3"')
            .mark('interests'),
            ui.column().classes('w-full gap-2 px-3 pb-3'),
        ):
            for key, (label, options) in INTERESTS.items():
                ui.label(t(label)).classes('ac-muted text-sm')
                choices[key] = Choice({x: x for x in options}, name=f'interest-{key}', optional=True)
        errors['interests'] = ErrorLine('interests')
    return choices


def _consent(staff_mode: bool, errors: dict[str, ErrorLine]) -> ui.checkbox:
    """The PIPL consent: the visitor's own tick, or the salesperson's record of a spoken yes."""
    label = '客户已口头同意个人信息使用说明' if staff_mode else '我已阅读并同意《个人信息使用说明》'
    with ui.column().classes('ac-consent w-full gap-0'):
        consent = ui.checkbox(t(label)).mark('consent')
        with ui.expansion(t('查看个人信息使用说明')).props('dense header-class="px-2 text-teal-9"').classes('w-full'):
            ui.label(t(signin.CONSENT_TEXT)).classes('ac-muted text-sm px-2 pb-2')
        errors['consent'] = ErrorLine('consent')
    return consent


def _clear_on_change(fields: SigninFields) -> None:
    """A message disappears as soon as its field is touched."""
    fields.surname.on_value_change(lambda: clear_errors(fields.surname))
    fields.phone.on_value_change(lambda: clear_errors(fields.phone))
    fields.party_size.on_value_change(fields.errors['party_size'].clear)
    fields.consent.on_value_change(fields.errors['consent'].clear)
    fields.title.on_change = fields.errors['title'].clear
    fields.first_visit.on_change = fields.errors['first_visit'].clear
    if fields.channel:
        fields.channel.on_change = fields.errors['channel'].clear


def _whole(value: Any) -> int:
    try:
        return int(value or 1)
    except (TypeError, ValueError, OverflowError):
        return 1


def _party_size(value: Any) -> int | str:
    """A whole number as it is; anything else as text, for the service to refuse with its message."""
    if value is None or value == '':
        return ''  # an emptied field counts as one person
    if isinstance(value, int | float) and math.isfinite(value) and value == int(value):
        return int(value)
    return str(value)
