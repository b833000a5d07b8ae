"""Photo proof: check an upload, orient, scale, stamp and re-encode it without metadata; spot re-sent photos; store."""

from __future__ import annotations

import hashlib
import io
import math
import os
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

from PIL import ExifTags, Image, UnidentifiedImageError

from services.core.errors import ValidationError
from services.photos.stamp import DEFAULT_TZ, Stamp, band_height, stamp_photo

__all__ = ['ProcessedPhoto', 'Stamp', 'StoredPaths', 'hamming', 'is_near_copy', 'process_photo', 'store_photo']

FIELD = 'photo'
MAX_PIXELS = 50_000_000  # decoded at full size (PNG, WebP, progressive JPEG): about 150 MB of RGB
MAX_JPEG_PIXELS = 120_000_000  # a baseline JPEG decodes row by row at 1/2–1/8 scale: phones' 50/108 MP modes fit
OUTPUT_BUDGET = 400 * 1024
QUALITIES = (82, 72, 62)  # tried in turn until the image fits OUTPUT_BUDGET (foliage, carpets, night noise)
THUMB_SIDE = 320
THUMB_QUALITY = 75
WHITE = (255, 255, 255)
_HEX16 = re.compile(r'[0-9a-f]{16}')
_SHA256 = re.compile(r'[0-9a-f]{64}')
_TRANSPOSE = {  # EXIF orientation → the transposition that makes the picture upright
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


@dataclass(frozen=True)
class ProcessedPhoto:
    """A stamped proof image and its thumbnail (JPEG, no metadata), with its digest and perceptual hash."""

    image: bytes = field(repr=False)
    thumbnail: bytes = field(repr=False)
    width: int
    height: int
    sha256: str
    phash: str


@dataclass(frozen=True)
class StoredPaths:
    """Where store_photo put the files, relative to its root, with forward slashes."""

    image: str
    thumbnail: str


def process_photo(
    data: bytes, *, stamp: Stamp, max_bytes: int = 15 * 1024 * 1024, long_side: int = 1600
) -> ProcessedPhoto:
    """Check an upload, then orient, scale, stamp and re-encode it; refusals are ValidationErrors on 'photo'."""
    _check_size(data, max_bytes)
    picture = _decode(data, long_side)
    phash = perceptual_hash(picture)
    stamp_photo(picture, stamp)
    image = _encode_within(picture, OUTPUT_BUDGET)
    thumbnail = _encode(_shrink(picture, THUMB_SIDE), THUMB_QUALITY, progressive=False)
    return ProcessedPhoto(image, thumbnail, picture.width, picture.height, hashlib.sha256(image).hexdigest(), phash)


def hamming(a: str, b: str) -> int:
    """How many of the 64 bits differ between two perceptual hashes."""
    if not (_HEX16.fullmatch(a) and _HEX16.fullmatch(b)):
        raise ValueError(f'not 16-hex-digit perceptual hashes: {a!r}, {b!r}')
    return (int(a, 16) ^ int(b, 16)).bit_count()


def is_near_copy(phash: str, earlier: Iterable[str], *, max_distance: int = 6) -> bool:
    """True when the photo looks like one of the earlier ones: the same picture sent again."""
    return any(hamming(phash, other) <= max_distance for other in earlier)


def store_photo(photo: ProcessedPhoto, *, root: Path, taken_at: datetime, tz: str = DEFAULT_TZ) -> StoredPaths:
    """Write image and thumbnail under root/YYYY/MM/DD/ (the site's date), each atomically; return relative paths."""
    if taken_at.tzinfo is None or not _SHA256.fullmatch(photo.sha256):
        raise ValueError('store_photo needs an aware taken_at and a sha256 hex digest')
    folder = PurePosixPath(taken_at.astimezone(ZoneInfo(tz)).strftime('%Y/%m/%d'))
    name = photo.sha256[:16]
    paths = StoredPaths(image=f'{folder}/{name}.jpg', thumbnail=f'{folder}/{name}_t.jpg')
    (root / folder).mkdir(parents=True, exist_ok=True)
    _write_atomically(root / paths.thumbnail, photo.thumbnail)
    _write_atomically(root / paths.image, photo.image)  # last: an image on disk always has its thumbnail
    return paths


def perceptual_hash(img: Image.Image) -> str:
    """64-bit difference hash (dHash) of the picture above where the stamp band goes, as 16 hex digits.

    Leaving the band's strip out means yesterday's already-stamped proof, uploaded again, hashes like its original.
    """
    top = img.crop((0, 0, img.width, max(1, img.height - band_height(img.size))))
    cells = top.convert('L').resize((9, 8), Image.Resampling.BOX).tobytes()
    bits = 0
    for row in range(8):
        for col in range(8):
            bits = bits << 1 | (cells[row * 9 + col] > cells[row * 9 + col + 1])
    return f'{bits:016x}'


def _check_size(data: bytes, max_bytes: int) -> None:
    if not data:
        raise ValidationError(FIELD, '照片为空')
    if len(data) > max_bytes:
        raise ValidationError(FIELD, '照片太大（最大 {mb} MB）', mb=f'{max_bytes / 2**20:.3g}')


def _decode(data: bytes, long_side: int) -> Image.Image:
    """The upload as an upright RGB picture, long side at most `long_side`, carrying none of its metadata."""
    kind = _sniff(data)
    try:
        return _read(data, kind, long_side)
    except ValidationError:
        raise
    except Image.DecompressionBombError as exc:
        raise ValidationError(FIELD, '图片尺寸过大') from exc
    except UnidentifiedImageError as exc:
        raise ValidationError(FIELD, '不是有效的图片文件') from exc
    except Exception as exc:  # Pillow's decoders fail on hostile files with many exception types
        raise ValidationError(FIELD, '图片文件不完整或已损坏') from exc


def _read(data: bytes, kind: str, long_side: int) -> Image.Image:
    with Image.open(io.BytesIO(data), formats=[kind]) as img:
        if img.width * img.height > _pixel_limit(img):  # checked on the header, before any pixel is decoded
            raise ValidationError(FIELD, '图片尺寸过大')
        _draft(img, long_side)
        img.load()
        orientation = img.getexif().get(ExifTags.Base.Orientation, 1)
        picture = _shrink(_to_rgb(img), long_side)
    picture.info = {}  # no EXIF, GPS, XMP, ICC or comment travels on
    method = _TRANSPOSE.get(orientation)
    return picture.transpose(method) if method is not None else picture


def _sniff(data: bytes) -> str:
    """The Pillow format named by the file's first bytes (never by its name), or a refusal."""
    head = data[:64]
    if head.startswith(b'\xff\xd8\xff'):
        return 'JPEG'
    if head.startswith(b'\x89PNG\r\n\x1a\n'):
        return 'PNG'
    if head[:4] == b'RIFF' and head[8:12] == b'WEBP':
        return 'WEBP'
    if _other_image(head) or b'<svg' in data[:4096].lower():
        raise ValidationError(FIELD, '只支持 JPEG、PNG 或 WebP 格式的照片')
    raise ValidationError(FIELD, '不是有效的图片文件')


def _other_image(head: bytes) -> bool:
    """GIF, TIFF, BMP, HEIC/HEIF/AVIF: images, but not formats a proof photo is accepted in."""
    bmp = head[:2] == b'BM' and head[14:18] in (b'\x0c\0\0\0', b'(\0\0\0', b'l\0\0\0', b'|\0\0\0')
    return head[:6] in (b'GIF87a', b'GIF89a') or head[:4] in (b'II*\0', b'MM\0*') or bmp or head[4:8] == b'ftyp'


def _pixel_limit(img: Image.Image) -> int:
    baseline_jpeg = img.format in ('JPEG', 'MPO') and 'progressive' not in img.info
    return MAX_JPEG_PIXELS if baseline_jpeg else MAX_PIXELS


def _draft(img: Image.Image, long_side: int) -> None:
    """Let libjpeg decode at 1/2, 1/4 or 1/8 scale, never below what the final size needs."""
    scale = long_side / max(img.size)
    if img.format in ('JPEG', 'MPO') and scale < 1:
        img.draft('RGB', (math.ceil(img.width * scale), math.ceil(img.height * scale)))


def _to_rgb(img: Image.Image) -> Image.Image:
    """An RGB copy; transparent parts become white, as they would look on paper."""
    if img.mode == 'I' or img.mode.startswith('I;16'):  # 16-bit greyscale PNG: Pillow would clip it to white
        img = img.convert('I').point(lambda v: v / 257).convert('L')
        img.info.pop('transparency', None)
    if img.mode in ('RGBA', 'LA', 'PA', 'RGBa') or 'transparency' in img.info:
        rgba = img.convert('RGBA')
        canvas = Image.new('RGB', img.size, WHITE)
        canvas.paste(rgba, mask=rgba.getchannel('A'))
        return canvas
    return img.convert('RGB')


def _shrink(img: Image.Image, long_side: int) -> Image.Image:
    scale = long_side / max(img.size)
    if scale >= 1:
        return img
    size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
    return img.resize(
        size, Image.Resampling.LANCZOS, reducing_gap=2.0
    )  # halves by box filter first when shrinking a lot


def _encode_within(img: Image.Image, budget: int) -> bytes:
    for quality in QUALITIES:
        data = _encode(img, quality)
        if len(data) <= budget:
            break
    return data


def _encode(img: Image.Image, quality: int, *, progressive: bool = True) -> bytes:
    buffer = io.BytesIO()  # nothing passed but pixels: no exif=, icc_profile=, comment= — so none is written
    img.save(buffer, 'JPEG', quality=quality, optimize=True, progressive=progressive)
    return buffer.getvalue()


def _write_atomically(path: Path, data: bytes) -> None:
    """Readers see the old file or the whole new one, never half of it."""
    temporary = path.with_name(f'.{path.name}.{uuid.uuid4().hex}.tmp')
    try:
        with open(temporary, 'xb') as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
