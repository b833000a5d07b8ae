"""The notify area's visible Chinese has its English (tests/test_i18n.py reads only the flat folders for now)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from services.i18n_en import EN

ROOT = Path(__file__).parents[3]
CJK = re.compile(r'[\u4e00-\u9fff]')
FOLDERS = ('services/notify', 'pages/notify')
FILES = ('components/tv_call.py',)


def test_every_visible_chinese_string_of_the_area_has_english() -> None:
    paths = [p for folder in FOLDERS for p in (ROOT / folder).glob('*.py')] + [ROOT / f for f in FILES]
    found: set[str] = set()
    for path in paths:
        tree = ast.parse(path.read_text(encoding='utf-8'))
        docstrings = {
            id(n.body[0].value)
            for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
            and n.body
            and isinstance(n.body[0], ast.Expr)
        }
        found |= {
            n.value
            for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and CJK.search(n.value)
            and id(n) not in docstrings
        }  # fmt: skip
    visible = {s for s in found if not s.startswith(('<script>', '\n'))}  # the bench's names, scripts
    missing = sorted(visible - EN.keys() - {'案场', '陈先生'})
    assert missing == []
