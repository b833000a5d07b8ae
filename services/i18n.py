"""The one translation function: Chinese source strings, English on request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .i18n_en import EN

DEFAULT_LANGUAGE = 'zh-CN'
_default = DEFAULT_LANGUAGE
_resolver: Callable[[], str | None] = lambda: None  # noqa: E731


def configure(*, default: str, resolver: Callable[[], str | None]) -> None:
    """Set the deployment's default language and how to find the current user's choice."""
    global _default, _resolver
    _default, _resolver = default, resolver


def current_language() -> str:
    try:
        return _resolver() or _default
    except RuntimeError:  # outside a request or UI context
        return _default


def t(text: str, **params: Any) -> str:
    """`text` (Simplified Chinese) in the current language, with `params` filled in."""
    if current_language() == 'en':
        text = EN.get(text, text)
    return text.format(**params) if params else text
