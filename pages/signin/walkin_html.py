"""The visitor's sign-in page as plain HTML: a few kilobytes that work on a slow network, with or without JS."""

from __future__ import annotations

from functools import cache
from html import escape
from pathlib import Path
from string import Template

from services.core.i18n import current_language, t
from services.signin import register as signin

ASSETS = Path(__file__).resolve().parents[2] / 'assets' / 'visitor'
PARTY_SIZES = ['1', '2', '3', '4', '5']
UNIT_TYPES = list(signin.INTEREST_CHOICES['unit_type'])
OFFLINE = '网络不稳定，请再点一次提交（不会重复登记）'
BUDGETS = list(signin.INTEREST_CHOICES['budget'])


@cache
def _asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding='utf-8')


def page(*, title: str, site: str, body: str, welcome: str = '', hint: str = '') -> str:
    """The whole document around `body` (already HTML)."""
    return Template(_asset('form.html')).substitute(
        lang='en' if current_language() == 'en' else 'zh-CN',
        title=escape(title),
        site=escape(site),
        welcome=escape(welcome),
        hint=escape(hint),
        css=_asset('visitor.css'),
        script=_asset('visitor.js'),
        body=body,
    )


def form_page(
    *,
    site: str,
    action: str,
    channels: list[str],
    request_key: str,
    values: dict[str, str],
    error: tuple[str, str] | None = None,
) -> str:
    """The sign-in form; `values` and `error` (field, message) refill it after a refused submit without JS."""
    errors = {error[0]: error[1]} if error else {}
    parts = [
        f'<form id="signin" method="post" action="{escape(action)}" novalidate '
        f'data-sending="{escape(t("正在提交…"))}" data-offline="{escape(t(OFFLINE))}">',
        f'<input type="hidden" name="request_key" value="{escape(request_key)}">',
        _text('surname', t('您的姓氏'), values, errors, 'text', 'family-name', 10, t('如：王')),
        _choice('title', t('称呼'), [(x, t(x)) for x in signin.TITLES], values.get('title', ''), errors),
        _text('phone', t('手机号'), values, errors, 'tel', 'tel', 20, t('11 位手机号')),
        _choice(
            'party_size',
            t('来访人数'),
            [(n, n if n != '5' else '5+') for n in PARTY_SIZES],
            values.get('party_size', '1'),
            errors,
        ),
        _choice(
            'first_visit',
            t('是否首次来访'),
            [('1', t('首次来访')), ('0', t('再次来访'))],
            values.get('first_visit', '1'),
            errors,
        ),
        _choice(
            'channel',
            t('从哪里了解到本项目（选填）'),
            [(c, t(c)) for c in channels],
            values.get('channel', ''),
            errors,
            chips=True,
        ),
        '<details><summary>' + escape(t('购房意向（选填）')) + '</summary>',
        _choice(
            'unit_type', t('户型'), [(u, t(u)) for u in UNIT_TYPES], values.get('unit_type', ''), errors, chips=True
        ),
        _choice('budget', t('预算'), [(b, t(b)) for b in BUDGETS], values.get('budget', ''), errors, chips=True),
        '</details>',
        _consent(values, errors),
        f'<div class="err" id="err-form">{escape(errors.get("form", ""))}</div>',
        f'<button type="submit">{escape(t("提交登记"))}</button>',
        '</form>',
    ]
    return '\n'.join(parts)


def result_body(*, consultant: str | None, photo: str | None, customer: str) -> str:
    """What the visitor sees once signed in: who will receive them."""
    if consultant is None:
        return (
            f'<div class="done"><div class="avatar">✓</div><h2>{escape(t("{name}，登记成功", name=customer))}</h2>'
            f'<p>{escape(t("请稍候，工作人员马上为您安排置业顾问"))}</p></div>'
        )
    face = f'<img src="{escape(photo)}" alt="">' if photo else escape(consultant[:1])
    return (
        f'<div class="done"><div class="avatar">{face}</div><h2>{escape(t("{name}，登记成功", name=customer))}</h2>'
        f'<p>{escape(t("请稍候，您的置业顾问 {name} 马上为您服务", name=consultant))}</p></div>'
    )


def notice_body(message: str) -> str:
    """A page with a message and no form (a bad or expired code)."""
    return (
        f'<div class="notice"><div class="icon">⌁</div><h2>{escape(message)}</h2>'
        f'<p>{escape(t("请扫描售楼处入口的二维码"))}</p></div>'
    )


def _text(
    name: str,
    label: str,
    values: dict[str, str],
    errors: dict[str, str],
    kind: str,
    autocomplete: str,
    maxlength: int,
    placeholder: str,
) -> str:
    mode = ' inputmode="numeric"' if kind == 'tel' else ''
    return (
        f'<div class="field{" bad" if name in errors else ""}"><label class="f" for="{name}">{escape(label)}</label>'
        f'<input type="{kind}" id="{name}" name="{name}" autocomplete="{autocomplete}" maxlength="{maxlength}"'
        f'{mode} placeholder="{escape(placeholder)}" value="{escape(values.get(name, ""))}">'
        f'<div class="err" id="err-{name}">{escape(errors.get(name, ""))}</div></div>'
    )


def _choice(
    name: str, label: str, options: list[tuple[str, str]], selected: str, errors: dict[str, str], *, chips: bool = False
) -> str:
    buttons = ''.join(
        f'<label><input type="radio" name="{name}" value="{escape(value)}"{" checked" if value == selected else ""}>'
        f'<span>{escape(text)}</span></label>'
        for value, text in options
    )
    return (
        f'<div class="field"><label class="f">{escape(label)}</label>'
        f'<div class="seg{" chips" if chips else ""}">{buttons}</div>'
        f'<div class="err" id="err-{name}">{escape(errors.get(name, ""))}</div></div>'
    )


def _consent(values: dict[str, str], errors: dict[str, str]) -> str:
    checked = ' checked' if values.get('consent') else ''
    return (
        f'<details><summary>{escape(t("个人信息使用说明"))}</summary>'
        f'<p class="privacy">{escape(t(signin.CONSENT_TEXT))}</p></details>'
        f'<div class="field"><label class="consent"><input type="checkbox" name="consent" value="1"{checked}>'
        f'<span>{escape(t("我已阅读并同意《个人信息使用说明》"))}</span></label>'
        f'<div class="err" id="err-consent">{escape(errors.get("consent", ""))}</div></div>'
    )
