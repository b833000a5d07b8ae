"""The one translation function: Chinese source strings, English from the gettext catalog (Babel) on request.

The English is services/core/locale/en/LC_MESSAGES/messages.po, kept with Babel's tools (README, Translation); it is
compiled in memory when the app starts, so a catalog edited by a translator is what runs, never a stale .mo file."""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DEFAULT_LANGUAGE = 'zh-CN'
LANGUAGES = ('zh-CN', 'en')
LOCALE_DIR = Path(__file__).parent / 'locale'
_default = DEFAULT_LANGUAGE
_resolver: Callable[[], str | None] = lambda: None  # noqa: E731
_chosen: ContextVar[str | None] = ContextVar('language', default=None)


def configure(*, default: str, resolver: Callable[[], str | None]) -> None:
    """Set the deployment's default language and how to find the current user's choice."""
    global _default, _resolver
    _default, _resolver = default, resolver


@contextmanager
def language(value: str | None) -> Iterator[None]:
    """Use this language for what is built inside (a page served without NiceGUI's client)."""
    token = _chosen.set(value if value in LANGUAGES else None)
    try:
        yield
    finally:
        _chosen.reset(token)


def current_language() -> str:
    if chosen := _chosen.get():
        return chosen
    try:
        return _resolver() or _default
    except RuntimeError:  # outside a request or UI context
        return _default


def t(text: str, **params: Any) -> str:
    """`text` (Simplified Chinese) in the current language, with `params` filled in."""
    if current_language() == 'en':
        text = catalog('en').gettext(text)
    return text.format(**params) if params else text


@cache
def catalog(code: str) -> gettext.NullTranslations:
    """The language's compiled catalog (an empty one for the source language)."""
    po = LOCALE_DIR / code / 'LC_MESSAGES' / 'messages.po'
    if not po.exists():
        return gettext.NullTranslations()
    with po.open('rb') as f:
        messages = read_po(f, locale=code)
    compiled = io.BytesIO()
    write_mo(compiled, messages)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)
