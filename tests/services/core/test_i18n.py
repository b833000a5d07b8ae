"""Every Chinese string a user can see has its English in the gettext catalog, and `t` switches between them."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from services.core import i18n
from services.core.i18n_extract import NOT_UI, chinese_constants

ROOT = Path(__file__).resolve().parents[3]
CJK = re.compile(r'[\u4e00-\u9fff]')
PO = ROOT / 'services/core/locale/en/LC_MESSAGES/messages.po'
AS_IS = {'中文', '简体中文'}  # a language's own name is shown in that language


def english() -> dict[str, str]:
    with PO.open('rb') as f:
        return {m.id: m.string for m in read_po(f) if m.id and isinstance(m.id, str) and m.string}


def visible_strings() -> set[str]:
    """Chinese string constants in pages, components and services at any depth, docstrings left out."""
    found: set[str] = set()
    for folder in ('pages', 'components', 'services'):
        for path in sorted((ROOT / folder).rglob('*.py')):
            if any(part in path.relative_to(ROOT).as_posix() for part in NOT_UI):
                continue
            found |= {text for _, text in chinese_constants(path.read_text(encoding='utf-8')) if CJK.search(text)}
    return found


def test_the_walk_reaches_subpackages() -> None:
    assert '请选择严重程度' in visible_strings()  # services/complaints/*.py, two levels down


def test_every_visible_chinese_string_has_english() -> None:
    missing = sorted(visible_strings() - english().keys() - AS_IS)
    assert missing == [], 'run pybabel extract/update (README, Translation) and translate:\n' + '\n'.join(missing)


def test_english_has_the_same_placeholders() -> None:
    for zh, en in english().items():
        assert set(re.findall(r'{(\w+)}', zh)) == set(re.findall(r'{(\w+)}', en)), zh
        assert zh in AS_IS or not CJK.search(en), zh


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
