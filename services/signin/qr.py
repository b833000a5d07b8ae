"""Signed sign-in tokens for a site's entrance QR code (presence proof), the QR image and its poster."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import io
import re
import struct
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M

from services.core.errors import DomainError
from services.signin.poster import draw_poster, modules_image

VERSION = 1
_HEADER = struct.Struct('>BII')  # version, valid_from, valid_until (UTC epoch seconds)
_SIGNATURE_BYTES = 16  # HMAC-SHA256 cut to 128 bits: ample against forgery, keeps the QR sparse
_MAX_SITE_CODE_BYTES = 32
_MAX_TOKEN_CHARS = 4 * (_HEADER.size + _MAX_SITE_CODE_BYTES + _SIGNATURE_BYTES + 2) // 3
_BASE64URL = re.compile(r'[A-Za-z0-9_-]+')
_KEY_PURPOSE = b'anchang/signin-token/v1'
PAGE_SIZES = {'A4': (1240, 1754), 'A3': (1754, 2480)}  # portrait, pixels at 150 dpi
DPI = 150


class InvalidToken(DomainError):
    """The QR code's token is forged, damaged or not one of ours."""

    def __init__(self) -> None:
        super().__init__('二维码无效，请扫描售楼处入口的二维码')


class ExpiredToken(DomainError):
    """The QR code's token is genuine but outside its window (expired, or not yet valid)."""

    def __init__(self) -> None:
        super().__init__('二维码已过期，请扫描售楼处入口的最新二维码')


@dataclass(frozen=True)
class TokenClaims:
    site_code: str
    valid_from: datetime
    valid_until: datetime


def make_token(secret: str, *, site_code: str, valid_from: datetime, valid_until: datetime) -> str:
    """A URL-safe token proving the holder saw the site's QR code between `valid_from` and `valid_until`."""
    start, end = _epoch(valid_from), _epoch(valid_until)
    code = site_code.encode()
    if not code or len(code) > _MAX_SITE_CODE_BYTES:
        raise ValueError(f'site_code must be 1 to {_MAX_SITE_CODE_BYTES} bytes of UTF-8')
    if not 0 <= start < end < 2**32:
        raise ValueError('need 1970 <= valid_from < valid_until < 2106')
    payload = _HEADER.pack(VERSION, start, end) + code
    return _b64encode(payload + _sign(secret, payload))


def verify_token(secret: str, token: str, *, now: datetime) -> TokenClaims:
    """The token's claims if it is genuine and `now` is inside its window; else InvalidToken or ExpiredToken."""
    moment = _epoch(now)
    payload = _authentic_payload(secret, token)
    version, start, end = _HEADER.unpack_from(payload)
    try:
        site_code = payload[_HEADER.size :].decode()
    except UnicodeDecodeError:
        raise InvalidToken() from None
    if version != VERSION or not site_code:
        raise InvalidToken()
    if not start <= moment < end:
        raise ExpiredToken()
    return TokenClaims(site_code, _from_epoch(start), _from_epoch(end))


def day_window(now: datetime, tz: str) -> tuple[datetime, datetime]:
    """The local day (in the site's time zone `tz`) that contains `now`, as UTC [start, end)."""
    _epoch(now)
    zone = ZoneInfo(tz)
    today = now.astimezone(zone).date()
    start = datetime.combine(today, time(0), tzinfo=zone)
    end = datetime.combine(today + timedelta(days=1), time(0), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def hours_window(now: datetime, tz: str, opens: time, closes: time, margin: timedelta) -> tuple[datetime, datetime]:
    """The site's opening hours (widened by `margin`) on the local day of `now`, or on the next day once today's
    are over (a poster printed in the evening), as UTC [start, end)."""
    _epoch(now)
    zone = ZoneInfo(tz)
    day = now.astimezone(zone).date()
    for candidate in (day, day + timedelta(days=1)):
        start = datetime.combine(candidate, opens, tzinfo=zone) - margin
        end = datetime.combine(candidate, closes, tzinfo=zone) + margin
        if now < end:
            break
    return start.astimezone(UTC), end.astimezone(UTC)


def rotating_window(now: datetime, minutes: int) -> tuple[datetime, datetime]:
    """The window of `minutes` (aligned to the epoch) that contains `now`, as UTC [start, end)."""
    if minutes <= 0:
        raise ValueError('minutes must be positive')
    step, moment = minutes * 60, _epoch(now)
    start = moment - moment % step
    return _from_epoch(start), _from_epoch(start + step)


def day_token(secret: str, site_code: str, now: datetime, tz: str) -> str:
    """A token valid for the whole local day of `now` at the site: what the printed poster carries."""
    start, end = day_window(now, tz)
    return make_token(secret, site_code=site_code, valid_from=start, valid_until=end)


def hours_token(
    secret: str, site_code: str, now: datetime, tz: str, *, opens: time, closes: time, margin: timedelta
) -> str:
    """A token valid only during the site's opening hours of one day: what the printed poster carries, so a
    photographed poster does not sign anyone in from home in the evening."""
    start, end = hours_window(now, tz, opens, closes, margin)
    return make_token(secret, site_code=site_code, valid_from=start, valid_until=end)


def rotating_token(secret: str, site_code: str, now: datetime, minutes: int = 5) -> str:
    """The TV's token: valid in the current window and, as grace for a slow scan, the one after it."""
    start, end = rotating_window(now, minutes)
    return make_token(secret, site_code=site_code, valid_from=start, valid_until=end + timedelta(minutes=minutes))


def signin_url(base_url: str, token: str) -> str:
    """The public walk-in sign-in address that the QR code encodes."""
    return f'{base_url.rstrip("/")}/v/{token}'


def qr_png(data: str, *, box_size: int = 10, border: int = 4) -> bytes:
    """`data` as a black-on-white QR code (error correction M), PNG bytes."""
    return _encode(modules_image(qr_modules(data, border=border), box=box_size), 'PNG')


def qr_modules(data: str, *, border: int = 4) -> list[list[bool]]:
    """The QR code's module grid (True = dark), quiet zone of `border` modules included."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=border)
    code.add_data(data)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def poster_png(*, site_name: str, url: str, size: str = 'A4') -> bytes:
    """The entrance poster (portrait A4 or A3 at 150 dpi) with the site name, the QR code and how to use it."""
    return _encode(_poster(site_name, url, size), 'PNG')


def poster_pdf(*, site_name: str, url: str, size: str = 'A4') -> bytes:
    """The entrance poster as a one-page PDF of A4 or A3 size, ready to print."""
    return _encode(_poster(site_name, url, size), 'PDF')


def _poster(site_name: str, url: str, size: str) -> Image.Image:
    if size not in PAGE_SIZES:
        raise ValueError(f'size must be one of {sorted(PAGE_SIZES)}')
    return draw_poster(site_name=site_name, modules=qr_modules(url), page=PAGE_SIZES[size])


def _encode(image: Image.Image, kind: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=kind, resolution=DPI, dpi=(DPI, DPI), optimize=kind == 'PNG')
    return buffer.getvalue()


def _authentic_payload(secret: str, token: str) -> bytes:
    """The signed bytes of `token`, or InvalidToken if it is malformed or its signature does not match."""
    raw = _b64decode(token)
    if raw is None or len(raw) <= _HEADER.size + _SIGNATURE_BYTES:
        raise InvalidToken()
    payload, signature = raw[:-_SIGNATURE_BYTES], raw[-_SIGNATURE_BYTES:]
    if not hmac.compare_digest(signature, _sign(secret, payload)):
        raise InvalidToken()
    return payload


def _sign(secret: str, payload: bytes) -> bytes:
    if not secret:
        raise ValueError('an empty secret cannot sign tokens')
    # a key of its own, derived for this purpose, so the session secret never signs tokens directly
    key = hmac.new(secret.encode(), _KEY_PURPOSE, hashlib.sha256).digest()
    return hmac.new(key, payload, hashlib.sha256).digest()[:_SIGNATURE_BYTES]


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b'=').decode('ascii')


def _b64decode(token: str) -> bytes | None:
    """The bytes of a canonical unpadded base64url string, or None for anything else."""
    if not isinstance(token, str) or len(token) > _MAX_TOKEN_CHARS or not _BASE64URL.fullmatch(token):
        return None
    try:
        raw = base64.urlsafe_b64decode(token + '=' * (-len(token) % 4))
    except (binascii.Error, ValueError):
        return None
    return raw if _b64encode(raw) == token else None  # one spelling per token: no spare trailing bits


def _epoch(moment: datetime) -> int:
    """Whole UTC seconds since the epoch; naive datetimes are refused (their zone is a guess)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError('datetimes must be timezone-aware (use datetime.now(UTC))')
    return int(moment.timestamp() // 1)


def _from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
