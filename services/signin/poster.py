"""Draws the printed entrance poster: site name, headline, the sign-in QR code and three short steps."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from services.core.i18n import t
from services.core.icons import cjk_font, find_cjk_font

log = logging.getLogger(__name__)
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
THEME = (15, 118, 110)  # #0f766e
INK = (15, 23, 42)  # #0f172a
MUTED = (100, 116, 139)  # #64748b
WHITE = (255, 255, 255)
RULE = (226, 232, 240)  # #e2e8f0
STEP_LINE, STEP_GAP = 64, 16
BASE_WIDTH = 1240  # A4 at 150 dpi; every length below is for this width and scaled for A3
HEADLINE = '扫码登记 · 专属置业顾问为您服务'
STEPS = ('打开微信或手机相机扫一扫', '填写姓氏和手机号（约 30 秒）', '您的置业顾问将马上为您服务')
PRIVACY = '您的信息仅用于本项目接待与回访，详见登记页隐私说明'
CJK = r'\u2e80-\u9fff\u3000-\u303f\uff00-\uffef'
OPENING, CLOSING = '（【「『《〈(［', '）】」』》〉)］，。、；：！？…·'  # kept with the next / previous character
_PIECES = re.compile(rf'[{OPENING}]*(?:[{CJK}]|[^\s{CJK}]+)[{CLOSING}]*\s*|\s+')
MIN_FONT = 24


def draw_poster(*, site_name: str, modules: list[list[bool]], page: tuple[int, int]) -> Image.Image:
    """The poster on a white RGB page of `page` pixels, with the QR `modules` large in the middle."""
    image = Image.new('RGB', page, WHITE)
    draw = ImageDraw.Draw(image)
    width, height = page
    s = lambda n: round(n * width / BASE_WIDTH)  # noqa: E731
    draw.rectangle((0, 0, width, s(24)), fill=THEME)
    y = _centred_lines(image, site_name, _font(s(92), bold=True), INK, top=s(120), width=width - s(200), max_lines=2)
    y = _centred_lines(image, t(HEADLINE), _font(s(46), bold=True), THEME, top=y + s(24), width=width - s(160))
    draw.line((s(160), height - s(150), width - s(160), height - s(150)), fill=RULE, width=s(2))
    _centred_lines(image, t(PRIVACY), _font(s(26)), MUTED, top=height - s(118), width=width - s(200))
    steps = [_wrap(t(step), _font(s(40)), width - s(400)) for step in STEPS]
    steps_top = height - s(150 + 60) - _steps_height(steps, s)
    _draw_qr(image, modules, top=y + s(48), bottom=steps_top - s(44), extent=s(820), frame=s(12))
    _draw_steps(image, steps, top=steps_top, s=s)
    return image


def _draw_qr(image: Image.Image, modules: list[list[bool]], *, top: int, bottom: int, extent: int, frame: int) -> None:
    """Paste the QR code (whole pixels per module: crisp) in a teal frame, centred between top and bottom."""
    count = len(modules)
    box = max(1, min(extent, bottom - top - frame * 4) // count)
    size = box * count
    left, top = (image.width - size) // 2, (top + bottom - size) // 2
    outer = (left - frame * 2, top - frame * 2, left + size + frame * 2, top + size + frame * 2)
    ImageDraw.Draw(image).rounded_rectangle(outer, radius=frame * 4, outline=THEME, width=frame)
    image.paste(modules_image(modules, box=box).convert('RGB'), (left, top))


def modules_image(modules: list[list[bool]], *, box: int) -> Image.Image:
    """A QR module grid as a greyscale image, black on white, `box` pixels per module."""
    image = Image.new('L', (len(modules[0]), len(modules)), 255)
    image.putdata([0 if dark else 255 for row in modules for dark in row])
    return image.resize((image.width * box, image.height * box), Image.Resampling.NEAREST)


def _draw_steps(image: Image.Image, steps: list[list[str]], *, top: int, s: Callable[[float], int]) -> None:
    """The numbered steps, each beside a teal disc with its number, as a block centred on the page."""
    draw = ImageDraw.Draw(image)
    font, number_font, radius, gap = _font(s(40)), _font(s(34), bold=True), s(30), s(30)
    text_width = max(font.getlength(line) for lines in steps for line in lines)
    left = round(image.width - (radius * 2 + gap + text_width)) // 2
    y = top
    for number, lines in enumerate(steps, start=1):
        draw.ellipse((left, y + s(2), left + radius * 2, y + s(2) + radius * 2), fill=THEME)
        draw.text((left + radius, y + s(2) + radius), str(number), font=number_font, fill=WHITE, anchor='mm')
        for line in lines:
            draw.text((left + radius * 2 + gap, y + s(2) + radius), line, font=font, fill=INK, anchor='lm')
            y += s(STEP_LINE)
        y += s(STEP_GAP)


def _steps_height(steps: list[list[str]], s: Callable[[float], int]) -> int:
    return sum(len(lines) for lines in steps) * s(STEP_LINE) + (len(steps) - 1) * s(STEP_GAP)


def _centred_lines(
    image: Image.Image, text: str, font: Font, fill: tuple[int, int, int], *, top: int, width: int,
    max_lines: int = 3,
) -> int:  # fmt: skip
    """Draw `text` centred in as few lines as fit `width` (at most `max_lines`); return the y below it."""
    font, lines = _fit(text, font, width, max_lines)
    draw = ImageDraw.Draw(image)
    line_height = round(_height(font) * 1.35)
    for index, line in enumerate(lines):
        draw.text((image.width // 2, top + index * line_height), line, font=font, fill=fill, anchor='mt')
    return top + line_height * len(lines)


def _fit(text: str, font: Font, width: int, max_lines: int) -> tuple[Font, list[str]]:
    """Shrink the font (to 70%) to keep `text` on one line, then wrap; shrink on and cut with … if still too long."""
    floor = font.size * 0.7 if isinstance(font, ImageFont.FreeTypeFont) else 0
    while len(lines := _wrap(text, font, width)) > 1 and isinstance(font, ImageFont.FreeTypeFont):
        if (len(lines) <= max_lines and font.size <= floor) or font.size <= MIN_FONT:
            break
        font = font.font_variant(size=round(font.size * 0.93))
    if len(lines) > max_lines:
        return font, [*lines[: max_lines - 1], lines[max_lines - 1] + '…']
    return font, _balanced(text, font, width, len(lines))


def _balanced(text: str, font: Font, width: int, count: int) -> list[str]:
    """The narrowest wrap into `count` lines, so a second line is not left with a word or two."""
    low, high = 1, width
    while low < high:
        middle = (low + high) // 2
        low, high = (low, middle) if len(_wrap(text, font, middle)) <= count else (middle + 1, high)
    return _wrap(text, font, low)


def _wrap(text: str, font: Font, width: int) -> list[str]:
    """Greedy line breaks: between any two Chinese characters, between words otherwise."""
    lines, line = [], ''
    for piece in _PIECES.findall(' '.join(text.split())):
        if line and font.getlength(line + piece.rstrip()) > width:
            lines.append(line.rstrip())
            line = piece.lstrip()
        else:
            line += piece
    return [*lines, line.rstrip()] if line.strip() else lines


def _height(font: Font) -> float:
    """The em height: Chinese glyphs fill it."""
    if isinstance(font, ImageFont.FreeTypeFont):
        return font.size
    box = font.getbbox('Ag')
    return box[3] - box[1]


@lru_cache(maxsize=32)
def _font(px: int, *, bold: bool = False) -> Font:
    """A Simplified-Chinese font at `px`; Pillow's own font (no Chinese glyphs) when the system has none."""
    heavy = cjk_font(px)  # the bold face of a family when there is one, its Simplified-Chinese face
    path = find_cjk_font()
    if heavy is None or path is None:
        _warn_no_font()
        return ImageFont.load_default(size=px)
    regular = path.with_name(path.name.replace('Bold', 'Regular'))
    if bold or regular == path or not regular.exists():
        return heavy
    return ImageFont.truetype(str(regular), px, index=heavy.index)


@lru_cache(maxsize=1)
def _warn_no_font() -> None:
    log.warning('no CJK font found (install fonts-noto-cjk): the QR poster is drawn without its Chinese text')
