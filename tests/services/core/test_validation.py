"""Cleaning of typed input, and domain errors that survive a trip to a worker process."""

import pickle

import pytest

from services.core.errors import DomainError, NotFound, ValidationError
from services.core.validation import clean_text, mask_phone, normalise_phone


@pytest.mark.parametrize('raw', ['13812345678', '+86 138 1234 5678', '0086-138-1234-5678', '１３８１２３４５６７８'])
def test_mainland_mobiles_in_common_forms_are_normalised(raw: str) -> None:
    assert normalise_phone(raw) == '13812345678'


@pytest.mark.parametrize('raw', ['', '12812345678', '1381234567', '138123456789', 'abc', '<b>138</b>', '😀' * 11])
def test_anything_else_is_refused(raw: str) -> None:
    with pytest.raises(ValidationError, match='11位手机号'):
        normalise_phone(raw)


def test_masking_keeps_the_first_three_and_last_four() -> None:
    assert mask_phone('13812345678') == '138****5678'


def test_control_characters_are_dropped_and_length_is_enforced() -> None:
    assert clean_text(' a\x00b\u200bc\n', field='x', max_length=5) == 'abc'
    with pytest.raises(ValidationError, match='不能超过 3 个字'):
        clean_text('abcd', field='x', max_length=3)


@pytest.mark.parametrize(
    'error', [ValidationError('phone', '不能超过 {n} 个字', n=3), NotFound(), DomainError('账号或密码错误')]
)
def test_domain_errors_pickle_with_their_message_and_field(error: DomainError) -> None:
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object
    assert type(copy) is type(error) and str(copy) == str(error)
    assert getattr(copy, 'field', None) == getattr(error, 'field', None)
