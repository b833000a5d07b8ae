"""Cleaning of what people type: phone numbers, names, free text."""

from __future__ import annotations

import re
import unicodedata

from services.core.errors import ValidationError

MAINLAND_MOBILE = re.compile(r'1[3-9]\d{9}')
_SEPARATORS = re.compile(r'[\s\-()（）]')
USERNAME = re.compile(r'[a-z][a-z0-9_.]{2,31}')


def normalise_phone(raw: str, *, field: str = 'phone') -> str:
    """A mainland mobile number as 11 digits; +86, spaces and dashes are accepted around it."""
    digits = _SEPARATORS.sub('', unicodedata.normalize('NFKC', raw or ''))
    digits = re.sub(r'^(\+?86|0086)(?=1\d{10}$)', '', digits)
    if not MAINLAND_MOBILE.fullmatch(digits):
        raise ValidationError(field, '请输入正确的11位手机号')
    return digits


def mask_phone(phone: str) -> str:
    """138****1234: what someone who does not own the customer sees."""
    return f'{phone[:3]}****{phone[-4:]}' if len(phone) == 11 else '****'


def clean_text(raw: str | None, *, field: str, max_length: int, required: bool = False) -> str:
    """Trimmed text without control characters; refused when empty (if required) or too long."""
    text = unicodedata.normalize('NFC', raw or '')
    text = ''.join(ch for ch in text if ch in '\n\t' or unicodedata.category(ch)[0] != 'C').strip()
    if required and not text:
        raise ValidationError(field, '此项必填')
    if len(text) > max_length:
        raise ValidationError(field, '不能超过 {n} 个字', n=max_length)
    return text


def clean_username(raw: str) -> str:
    """Lower-case login name: a letter, then letters, digits, '_' or '.'; 3 to 32 characters."""
    name = (raw or '').strip().lower()
    if not USERNAME.fullmatch(name):
        raise ValidationError('username', '用户名须以字母开头，3–32 位字母、数字、下划线或点')
    return name
