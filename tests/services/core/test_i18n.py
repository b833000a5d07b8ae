"""Every Chinese string a user can see has its English, and `t` switches between them."""

import ast
import re
from pathlib import Path

import pytest

from services.core import i18n
from services.core.i18n_en import EN

ROOT = Path(__file__).resolve().parents[3]
CJK = re.compile(r'[\u4e00-\u9fff]')
NOT_UI = {
    'services/core/i18n_en.py',
    'services/accounts/setup.py',
    'services/demo/site.py',
    'services/demo/morning.py',
    'services/demo/duty.py',
    'services/demo/complaints.py',
    'services/core/icons.py',
    'components/pwa.py',
}  # no visible text
AS_IS = {'中文', '简体中文'}  # a language's own name is shown in that language


def visible_strings() -> set[str]:
    """Chinese string constants in pages, components and services, docstrings left out."""
    found: set[str] = set()
    for folder in ('pages', 'components', 'services'):
        for path in (ROOT / folder).rglob('*.py'):  # subpackages too
            if path.relative_to(ROOT).as_posix() in NOT_UI:
                continue
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
                if isinstance(n, ast.Constant)
                and isinstance(n.value, str)
                and CJK.search(n.value)
                and id(n) not in docstrings
            }
    return found


def test_every_visible_chinese_string_has_english() -> None:
    missing = sorted(visible_strings() - EN.keys() - AS_IS)
    assert missing == [], 'add to services/core/i18n_en.py:\n' + '\n'.join(f'    {s!r}: "",' for s in missing)


def test_english_has_the_same_placeholders() -> None:
    for zh, en in EN.items():
        assert set(re.findall(r'{(\w+)}', zh)) == set(re.findall(r'{(\w+)}', en)), zh
        assert en and not CJK.search(en), zh


@pytest.mark.parametrize(('language', 'expected'), [('zh-CN', '不能超过 5 个字'), ('en', 'At most 5 characters')])
def test_t_follows_the_current_language(language: str, expected: str) -> None:
    i18n.configure(default='zh-CN', resolver=lambda: language)
    try:
        assert i18n.t('不能超过 {n} 个字', n=5) == expected
    finally:
        i18n.configure(default='zh-CN', resolver=lambda: None)


def test_outside_a_request_the_default_language_is_used() -> None:
    def no_context() -> str:
        raise RuntimeError('no UI context')

    i18n.configure(default='en', resolver=no_context)
    try:
        assert i18n.t('登录') == 'Log in'
    finally:
        i18n.configure(default='zh-CN', resolver=lambda: None)
