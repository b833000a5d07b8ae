"""The proof stamp burnt into a duty photo: server time in the site's zone, site, person and checklist item."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw, ImageFont

from services.core.icons import cjk_font

DEFAULT_TZ = 'Asia/Shanghai'
BAND_DARKNESS = 0.38  # the band keeps this share of the picture's brightness: white text reads on any scene
TEXT_SHARE = 0.032  # text height as a share of the picture's short side
MIN_TEXT_PX = 12
LINE_SPACING = 1.35
MAX_FIELD_CHARS = 200
WHITE = (255, 255, 255)
_Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Stamp:
    """What the stamp says: when the server received the photo (aware), where, who, and for which item."""

    taken_at: datetime
    site: str
    person: str
    item: str
    tz: str = DEFAULT_TZ

    def __post_init__(self) -> None:
        if self.taken_at.tzinfo is None or self.taken_at.utcoffset() is None:
            raise ValueError('Stamp.taken_at must be timezone-aware')
        ZoneInfo(self.tz)  # an unknown zone fails here, not in the middle of processing

    def lines(self) -> tuple[str, str]:
        """The two lines of the stamp: local time and site, then person and item."""
        local = self.taken_at.astimezone(ZoneInfo(self.tz)).strftime('%Y-%m-%d %H:%M:%S')
        return f'{local}  {_clean(self.site)}', f'{_clean(self.person)} · {_clean(self.item)}'


def stamp_photo(img: Image.Image, stamp: Stamp) -> None:
    """Darken a band at the bottom of the RGB `img` (in place) and write the stamp on it in white."""
    px = text_px(img.size)
    top = max(0, img.height - band_height(img.size))
    band = img.crop((0, top, img.width, img.height)).point(lambda v: int(v * BAND_DARKNESS))
    draw = ImageDraw.Draw(band)
    font = _stamp_font(px)
    pad = _padding(px)
    for row, line in enumerate(stamp.lines()):
        text = _fit(line, font, img.width - 2 * pad)
        middle = pad + px // 2 + round(row * px * LINE_SPACING)
        draw.text((pad, middle), text, font=font, fill=WHITE, anchor='lm')
    img.paste(band, (0, top))


def band_height(size: tuple[int, int]) -> int:
    """Height in pixels of the stamp band on a picture of `size` (also what the perceptual hash leaves out)."""
    px = text_px(size)
    return 2 * _padding(px) + round(px * (1 + LINE_SPACING))


def text_px(size: tuple[int, int]) -> int:
    """Text size for a picture of `size`: in step with the short side, so portrait and landscape match."""
    return max(MIN_TEXT_PX, round(min(size) * TEXT_SHARE))


def _padding(px: int) -> int:
    return round(px * 0.6)


def _clean(text: str) -> str:
    """One line of printable text: newlines, tabs and control characters from stored names go."""
    return ''.join(ch for ch in ' '.join(text[:MAX_FIELD_CHARS].split()) if ch.isprintable())


def _fit(text: str, font: _Font, width: int) -> str:
    """`text`, cut with an ellipsis where it would run past `width` pixels."""
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + '…') > width:
        text = text[:-1]
    return text + '…'


@lru_cache(maxsize=16)
def _stamp_font(px: int) -> _Font:
    """A Chinese font at `px`; Pillow's own (Latin only) when the system has none."""
    font = cjk_font(px)
    if font is not None:
        return font
    log.warning('No CJK font found (install fonts-noto-cjk): photo stamps will show Chinese as boxes')
    return ImageFont.load_default(px)
