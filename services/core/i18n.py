"""The one translation function: Chinese source strings, English on request."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from services.core.i18n_en import EN

DEFAULT_LANGUAGE = 'zh-CN'
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
    token = _chosen.set(value if value in ('zh-CN', 'en') else None)
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
        text = EN.get(text, text)
    return text.format(**params) if params else text
