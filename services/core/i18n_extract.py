"""A Babel extractor (babel.cfg names it): every Chinese string constant in our code is a message to translate.

Our user text is Chinese source strings passed to `t()` — many as constants in tables (labels, choices, errors)
rather than at the call, so the usual keyword extraction would miss them. Docstrings are left out."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import IO, Any

CJK = re.compile(r'[\u4e00-\u9fff]')
NOT_UI = (
    'services/core/icons.py',
    'services/accounts/setup.py',
    'services/demo/',
    'services/reports/demo.py',
    'components/pwa.py',
)
"""Files whose Chinese is not interface text: the icon's glyph, the demo's and the first run's data."""


def chinese_constants(source: str) -> Iterator[tuple[int, str]]:
    """(line, text) of every string constant with Chinese in it (docstrings left out), and of every `t('...')`."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value):
            if id(node) not in docstrings:
                yield node.lineno, node.value
        elif _is_t_call(node) and not CJK.search(node.args[0].value):  # type: ignore[attr-defined]
            yield node.lineno, node.args[0].value  # type: ignore[attr-defined]  # t('{surname}{title}')


def _is_t_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == 't'
        and bool(node.args)
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    )


def extract(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel's extractor interface: (line, funcname, message, comments)."""
    name = getattr(fileobj, 'name', '')
    if any(part in str(name).replace('\\', '/') for part in NOT_UI):
        return
    for line, text in chinese_constants(fileobj.read().decode('utf-8')):
        yield line, '', text, []
