"""Sign-in tokens (presence proof), their windows, the QR image and the printed entrance poster."""

from __future__ import annotations

import base64
import dataclasses
import io
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from services.core.errors import DomainError
from services.signin import poster, qr

SECRET = 'a-long-random-deployment-secret-0123456789'
NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
URL = 'https://anchang.example.com/v/AWsIV4BrCakAU0gwMfvidHD31oeRuVg-rWi5R-c'


def token(site_code: str = 'SH01', start: datetime = NOW - HOUR, end: datetime = NOW + HOUR) -> str:
    return qr.make_token(SECRET, site_code=site_code, valid_from=start, valid_until=end)


# tokens


def test_a_token_verifies_to_its_claims() -> None:
    claims = qr.verify_token(SECRET, token(), now=NOW)
    assert claims == qr.TokenClaims('SH01', NOW - HOUR, NOW + HOUR)
    assert claims.valid_from.tzinfo is not None and claims.valid_until.utcoffset() == timedelta(0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        claims.site_code = 'XX'  # type: ignore[misc]


@pytest.mark.parametrize('site_code', ['A', 'SH-01', '滨江一号', 'X' * 20])
def test_any_site_code_survives_the_round_trip(site_code: str) -> None:
    assert qr.verify_token(SECRET, token(site_code), now=NOW).site_code == site_code


def test_timestamps_are_whole_seconds() -> None:
    claims = qr.verify_token(SECRET, token(start=NOW - timedelta(microseconds=1)), now=NOW)
    assert claims.valid_from == NOW - timedelta(seconds=1)


def test_a_token_is_short_url_safe_text_without_padding() -> None:
    for made in (token('X' * 20), qr.day_token(SECRET, 'SH01', NOW, 'Asia/Shanghai')):
        assert re.fullmatch(r'[A-Za-z0-9_-]+', made)
        assert len(made) < 80
    assert len(qr.signin_url('https://anchang.example.com', token('SH01'))) < 80


def test_a_token_carries_its_format_version_first() -> None:
    raw = base64.urlsafe_b64decode(token() + '==')
    assert raw[0] == qr.VERSION == 1


def test_changing_any_bit_anywhere_makes_the_token_invalid() -> None:
    raw = base64.urlsafe_b64decode(token() + '==')
    for index in range(len(raw)):
        for bit in (0x01, 0x80):
            changed = bytearray(raw)
            changed[index] ^= bit
            forged = base64.urlsafe_b64encode(bytes(changed)).rstrip(b'=').decode()
            with pytest.raises(qr.InvalidToken):
                qr.verify_token(SECRET, forged, now=NOW)


def test_changing_any_character_makes_the_token_invalid() -> None:
    good = token()
    for index, char in enumerate(good):
        for other in {'A', 'B', '-', '_', 'z'} - {char}:
            with pytest.raises(qr.InvalidToken):
                qr.verify_token(SECRET, good[:index] + other + good[index + 1 :], now=NOW)


def test_a_token_signed_with_another_secret_is_invalid() -> None:
    forged = qr.make_token('another-secret', site_code='SH01', valid_from=NOW - HOUR, valid_until=NOW + HOUR)
    with pytest.raises(qr.InvalidToken):
        qr.verify_token(SECRET, forged, now=NOW)


def test_every_truncation_is_invalid() -> None:
    good = token()
    for length in range(len(good)):
        with pytest.raises(qr.InvalidToken):
            qr.verify_token(SECRET, good[:length], now=NOW)


@pytest.mark.parametrize(
    'bad',
    [
        '',
        ' ',
        'garbage',
        '!!!!',
        '<script>alert(1)</script>',
        "' OR 1=1; DROP TABLE visit; --",
        'A' * 10_000,
        '二维码' * 3_000,
        '😀🏠',
        'AWsIV4BrCakAU0gwMfvidHD31oeRuVg-rWi5R-c😀',
        '\x00\n\r\t',
        '../../etc/passwd',
        '%41%57',
    ],
)
def test_malformed_text_is_an_invalid_token(bad: str) -> None:
    with pytest.raises(qr.InvalidToken):
        qr.verify_token(SECRET, bad, now=NOW)


@pytest.mark.parametrize('suffix', ['=', '==', ' ', '\n', '.'])
def test_a_good_token_with_anything_appended_is_invalid(suffix: str) -> None:
    with pytest.raises(qr.InvalidToken):
        qr.verify_token(SECRET, token() + suffix, now=NOW)


def test_expired_and_not_yet_valid_tokens_are_refused_as_expired() -> None:
    made = token(start=NOW, end=NOW + HOUR)
    assert qr.verify_token(SECRET, made, now=NOW).site_code == 'SH01'
    assert qr.verify_token(SECRET, made, now=NOW + HOUR - timedelta(seconds=1)).site_code == 'SH01'
    for moment in (NOW - timedelta(seconds=1), NOW + HOUR, NOW + 30 * HOUR):
        with pytest.raises(qr.ExpiredToken):
            qr.verify_token(SECRET, made, now=moment)


def test_a_forged_expired_token_is_invalid_rather_than_expired() -> None:
    forged = qr.make_token('another-secret', site_code='SH01', valid_from=NOW - 3 * HOUR, valid_until=NOW - HOUR)
    with pytest.raises(qr.InvalidToken):
        qr.verify_token(SECRET, forged, now=NOW)


def test_the_errors_are_domain_errors_with_clear_chinese_messages() -> None:
    assert isinstance(qr.InvalidToken(), DomainError) and isinstance(qr.ExpiredToken(), DomainError)
    assert qr.InvalidToken().translated() == '二维码无效，请扫描售楼处入口的二维码'
    assert qr.ExpiredToken().translated() == '二维码已过期，请扫描售楼处入口的最新二维码'


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2026, 11, 27, 12, 0)
    with pytest.raises(ValueError, match='timezone'):
        qr.make_token(SECRET, site_code='SH01', valid_from=naive, valid_until=naive + HOUR)
    for call in (
        lambda: qr.verify_token(SECRET, token(), now=naive),
        lambda: qr.day_window(naive, 'Asia/Shanghai'),
        lambda: qr.rotating_window(naive, 5),
    ):
        with pytest.raises(ValueError, match='timezone'):
            call()


@pytest.mark.parametrize(
    ('site_code', 'start', 'end'),
    [('', NOW, NOW + HOUR), ('X' * 40, NOW, NOW + HOUR), ('SH01', NOW, NOW), ('SH01', NOW, NOW - HOUR)],
)
def test_make_token_refuses_nonsense(site_code: str, start: datetime, end: datetime) -> None:
    with pytest.raises(ValueError):
        qr.make_token(SECRET, site_code=site_code, valid_from=start, valid_until=end)


def test_an_empty_secret_signs_nothing() -> None:
    with pytest.raises(ValueError):
        qr.make_token('', site_code='SH01', valid_from=NOW, valid_until=NOW + HOUR)


@given(st.text(max_size=300))
def test_any_text_is_refused_cleanly_or_verified(text: str) -> None:
    try:
        claims = qr.verify_token(SECRET, text, now=NOW)
    except (qr.InvalidToken, qr.ExpiredToken):
        return
    assert isinstance(claims, qr.TokenClaims)


@given(st.binary(min_size=0, max_size=120))
def test_random_bytes_in_token_form_are_invalid(raw: bytes) -> None:
    with pytest.raises(qr.InvalidToken):
        qr.verify_token(SECRET, base64.urlsafe_b64encode(raw).rstrip(b'=').decode(), now=NOW)


@given(
    st.text(st.characters(exclude_categories=('Cs',)), min_size=1, max_size=8),
    st.integers(0, 2**31),
    st.integers(1, 10**6),
)
def test_round_trip_for_any_code_and_window(site_code: str, start: int, length: int) -> None:
    valid_from = datetime.fromtimestamp(start, UTC)
    made = token(site_code, valid_from, valid_from + timedelta(seconds=length))
    assert qr.verify_token(SECRET, made, now=valid_from).site_code == site_code


# windows


def test_the_day_window_follows_the_sites_local_midnight() -> None:
    before = qr.day_window(datetime(2026, 11, 27, 15, 59, 59, tzinfo=UTC), 'Asia/Shanghai')
    after = qr.day_window(datetime(2026, 11, 27, 16, 0, 0, tzinfo=UTC), 'Asia/Shanghai')
    assert before == (datetime(2026, 11, 26, 16, tzinfo=UTC), datetime(2026, 11, 27, 16, tzinfo=UTC))
    assert after == (datetime(2026, 11, 27, 16, tzinfo=UTC), datetime(2026, 11, 28, 16, tzinfo=UTC))


def test_a_day_with_a_clock_change_has_its_true_length() -> None:
    start, end = qr.day_window(datetime(2026, 3, 8, 17, 0, tzinfo=UTC), 'America/New_York')
    assert end - start == timedelta(hours=23)


def test_the_day_token_is_valid_all_local_day_and_not_the_next() -> None:
    made = qr.day_token(SECRET, 'SH01', datetime(2026, 11, 27, 1, 0, tzinfo=UTC), 'Asia/Shanghai')  # 09:00 local
    assert qr.verify_token(SECRET, made, now=datetime(2026, 11, 26, 16, 0, tzinfo=UTC)).site_code == 'SH01'
    assert qr.verify_token(SECRET, made, now=datetime(2026, 11, 27, 15, 59, 59, tzinfo=UTC)).site_code == 'SH01'
    with pytest.raises(qr.ExpiredToken):
        qr.verify_token(SECRET, made, now=datetime(2026, 11, 27, 16, 0, tzinfo=UTC))


def test_the_rotating_window_is_aligned_to_whole_minutes() -> None:
    start, end = qr.rotating_window(datetime(2026, 11, 27, 12, 7, 30, 500, tzinfo=UTC), 5)
    assert (start, end) == (datetime(2026, 11, 27, 12, 5, tzinfo=UTC), datetime(2026, 11, 27, 12, 10, tzinfo=UTC))
    assert qr.rotating_window(end, 5)[0] == end


@pytest.mark.parametrize('minutes', [0, -5])
def test_the_rotating_window_needs_a_positive_length(minutes: int) -> None:
    with pytest.raises(ValueError):
        qr.rotating_window(NOW, minutes)


def test_the_rotating_token_is_valid_in_its_window_and_one_more_then_expires() -> None:
    shown = datetime(2026, 11, 27, 12, 7, 30, tzinfo=UTC)
    made = qr.rotating_token(SECRET, 'SH01', shown, minutes=5)
    for moment in (datetime(2026, 11, 27, 12, 5, tzinfo=UTC), shown, datetime(2026, 11, 27, 12, 14, 59, tzinfo=UTC)):
        assert qr.verify_token(SECRET, made, now=moment).site_code == 'SH01'
    for moment in (datetime(2026, 11, 27, 12, 4, 59, tzinfo=UTC), datetime(2026, 11, 27, 12, 15, tzinfo=UTC)):
        with pytest.raises(qr.ExpiredToken):
            qr.verify_token(SECRET, made, now=moment)


@pytest.mark.parametrize('base', ['https://anchang.example.com', 'https://anchang.example.com/'])
def test_the_signin_url_is_the_public_path_with_the_token(base: str) -> None:
    assert qr.signin_url(base, 'abc_-1') == 'https://anchang.example.com/v/abc_-1'


# the QR image and the poster


def test_qr_png_is_a_black_and_white_png_of_the_codes_modules() -> None:
    data = qr.qr_png(URL, box_size=10, border=4)
    assert data.startswith(b'\x89PNG\r\n\x1a\n')
    image = Image.open(io.BytesIO(data))
    modules = qr.qr_modules(URL, border=4)
    assert image.size == (len(modules) * 10, len(modules) * 10)
    assert (len(modules) - 8 - 21) % 4 == 0 and 21 <= len(modules) - 8 <= 177  # a real QR version's size
    assert _sampled(image.convert('L'), box=10, count=len(modules), origin=(0, 0)) == modules


def test_qr_png_decodes_with_a_real_reader_when_one_is_installed() -> None:
    pyzbar = pytest.importorskip('pyzbar.pyzbar', reason='pyzbar (zbar) is not installed')
    decoded = pyzbar.decode(Image.open(io.BytesIO(qr.qr_png(URL))))
    assert [d.data.decode() for d in decoded] == [URL]


@pytest.mark.parametrize(('size', 'pixels'), [('A4', (1240, 1754)), ('A3', (1754, 2480))])
def test_the_poster_is_a_portrait_page_at_150_dpi(size: str, pixels: tuple[int, int]) -> None:
    image = Image.open(io.BytesIO(qr.poster_png(site_name='滨江壹号院', url=URL, size=size)))
    assert image.size == pixels
    assert round(image.info['dpi'][0]) == 150


def test_the_poster_is_mostly_white_with_the_qr_code_large_in_the_middle() -> None:
    image = Image.open(io.BytesIO(qr.poster_png(site_name='滨江壹号院 · 营销中心', url=URL))).convert('RGB')
    grey = image.convert('L')
    assert sum(grey.histogram()[240:]) / (image.width * image.height) > 0.6
    left, top, right, bottom = _black_box(image)
    modules = qr.qr_modules(URL)
    box = (right - left) // (len(modules) - 8)
    assert abs((left + right) / 2 - image.width / 2) <= box
    assert 0.25 * image.height < (top + bottom) / 2 < 0.65 * image.height
    assert box * len(modules) >= 0.6 * image.width  # the code with its quiet zone
    inner = [row[4:-4] for row in modules[4:-4]]
    assert _sampled(grey, box=box, count=len(inner), origin=(left, top)) == inner


def test_a_long_site_name_still_leaves_room_for_a_large_qr_code() -> None:
    name = '中海・滨江壹号院国际社区三期（南区）营销中心售楼处接待大厅' * 2
    image = Image.open(io.BytesIO(qr.poster_png(site_name=name, url=URL))).convert('RGB')
    left, _, right, _ = _black_box(image)
    assert right - left >= 0.45 * image.width


@pytest.mark.parametrize(('size', 'points'), [('A4', (595, 842)), ('A3', (842, 1191))])
def test_the_poster_pdf_is_one_page_of_paper_size(size: str, points: tuple[int, int]) -> None:
    data = qr.poster_pdf(site_name='滨江壹号院', url=URL, size=size)
    assert data.startswith(b'%PDF')
    boxes = re.findall(rb'/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]', data)
    assert len(boxes) == 1
    assert abs(float(boxes[0][0]) - points[0]) <= 2 and abs(float(boxes[0][1]) - points[1]) <= 2


def test_an_unknown_paper_size_is_refused() -> None:
    with pytest.raises(ValueError):
        qr.poster_png(site_name='滨江壹号院', url=URL, size='Letter')


@pytest.fixture
def no_cjk_font(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A system without Chinese fonts."""
    monkeypatch.setattr(poster, 'cjk_font', lambda px: None)
    poster._font.cache_clear()
    poster._warn_no_font.cache_clear()
    yield
    poster._font.cache_clear()


def test_without_a_chinese_font_the_poster_is_still_drawn_and_a_warning_logged(
    no_cjk_font: None, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger='services.signin.poster'):
        image = Image.open(io.BytesIO(qr.poster_png(site_name='滨江壹号院', url=URL)))
    assert image.size == (1240, 1754)
    assert any('CJK font' in record.message for record in caplog.records)


def _black_box(image: Image.Image) -> tuple[int, int, int, int]:
    """The bounding box of pure black pixels: only QR modules are pure black (text is anti-aliased ink)."""
    mask = Image.eval(image.convert('L'), lambda v: 255 if v == 0 else 0)
    box = mask.getbbox()
    assert box is not None
    return box[0], box[1], box[2], box[3]


def _sampled(image: Image.Image, *, box: int, count: int, origin: tuple[int, int]) -> list[list[bool]]:
    """Read a module grid back from the image by sampling each module's centre."""
    x0, y0 = origin
    return [
        [image.getpixel((x0 + col * box + box // 2, y0 + row * box + box // 2)) < 128 for col in range(count)]
        for row in range(count)
    ]
