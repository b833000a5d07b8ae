"""Draws the Anchang app icon (a teal tile with a house and 案) for the PWA manifest and favicon."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

THEME = (15, 118, 110)  # #0f766e
PAPER = (248, 250, 252)  # #f8fafc
GLYPH = '案'
SUPERSAMPLE = 4  # draw large, then downscale: Pillow shapes have no anti-aliasing of their own
_Point = Callable[[float, float], tuple[int, int]]
ICON_DIR = Path(__file__).resolve().parents[2] / 'assets' / 'pwa' / 'icons'

# (file name, size, maskable, keeps transparency)
ICON_SPECS: tuple[tuple[str, int, bool, bool], ...] = (
    ('icon-192.png', 192, False, True),
    ('icon-512.png', 512, False, True),
    ('maskable-192.png', 192, True, False),
    ('maskable-512.png', 512, True, False),
    ('apple-touch-icon.png', 180, True, False),  # iOS rounds the corners itself and shows alpha as black
    ('favicon.png', 64, False, True),
)
FONT_DIRS = ('/usr/share/fonts', '/usr/local/share/fonts', '~/.fonts', '/System/Library/Fonts', 'C:/Windows/Fonts')
FONT_PATTERNS = ('NotoSansCJK*Bold*', 'NotoSansCJK*', 'NotoSansSC*', 'SourceHanSans*', 'wqy-zenhei*', 'wqy-microhei*',
                 'PingFang*', 'msyh*', '*CJK*')  # fmt: skip


def draw_icon(size: int, *, maskable: bool = False) -> Image.Image:
    """Return the icon at `size` px: a rounded tile (RGBA), or full-bleed with the mark in the safe zone."""
    big = size * SUPERSAMPLE
    canvas = Image.new('RGBA', (big, big), (*THEME, 0))
    draw = ImageDraw.Draw(canvas)
    if maskable:
        draw.rectangle((0, 0, big, big), fill=THEME)
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=round(big * 0.22), fill=THEME)
    mark = round(big * (0.60 if maskable else 0.66))  # maskable: the mark's corners stay in the 80% circle
    _draw_mark(draw, origin=((big - mark) // 2, (big - mark) // 2), extent=mark)
    return canvas.resize((size, size), Image.Resampling.LANCZOS)


def write_icons(out_dir: Path) -> list[Path]:
    """Write every manifest, Apple and favicon PNG into `out_dir`; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, size, maskable, transparent in ICON_SPECS:
        image = draw_icon(size, maskable=maskable)
        path = out_dir / name
        (image if transparent else image.convert('RGB')).save(path, optimize=True)
        written.append(path)
    return written


def _draw_mark(draw: ImageDraw.ImageDraw, *, origin: tuple[int, int], extent: int) -> None:
    """Draw a roof chevron over a rounded sign board in paper colour, with 案 (or a house front) in teal."""
    pt = _scaler(*origin, extent)
    chevron = [pt(0.0, 0.40), pt(0.5, 0.0), pt(1.0, 0.40), pt(1.0, 0.50), pt(0.5, 0.115), pt(0.0, 0.50)]
    draw.polygon(chevron, fill=PAPER)
    # a thin stroke with curved joints takes the razor edge off every corner of the chevron
    draw.line([chevron[-1], *chevron, chevron[0]], fill=PAPER, width=max(1, extent // 64), joint='curve')
    draw.rounded_rectangle((*pt(0.19, 0.41), *pt(0.81, 1.0)), radius=round(extent * 0.07), fill=PAPER)
    font = cjk_font(round(extent * 0.42))
    if font is None:
        _draw_house_front(draw, pt)
    else:
        draw.text(pt(0.5, 0.705), GLYPH, font=font, fill=THEME, anchor='mm')


def _draw_house_front(draw: ImageDraw.ImageDraw, pt: _Point) -> None:
    """Fallback without a CJK font: two windows and a door on the board."""
    draw.rectangle((*pt(0.29, 0.53), *pt(0.44, 0.67)), fill=THEME)
    draw.rectangle((*pt(0.56, 0.53), *pt(0.71, 0.67)), fill=THEME)
    draw.rectangle((*pt(0.42, 0.77), *pt(0.58, 1.0)), fill=THEME)


def _scaler(x0: int, y0: int, extent: int) -> _Point:
    """Map unit coordinates inside the mark's box to canvas pixels."""
    return lambda u, v: (x0 + round(u * extent), y0 + round(v * extent))


@lru_cache(maxsize=8)
def cjk_font(px: int) -> ImageFont.FreeTypeFont | None:
    """Return a bold Simplified-Chinese font at `px`, or None when the system has no CJK font."""
    path = find_cjk_font()
    if path is None:
        return None
    return ImageFont.truetype(str(path), px, index=_sc_face_index(path))


@lru_cache(maxsize=1)
def find_cjk_font() -> Path | None:
    """Search the usual font folders for a file that can render Chinese."""
    dirs = [Path(d).expanduser() for d in FONT_DIRS]
    for pattern in FONT_PATTERNS:
        for folder in dirs:
            if folder.is_dir():
                hits = sorted(p for p in folder.rglob(pattern) if p.suffix.lower() in {'.ttc', '.otf', '.ttf'})
                if hits:
                    return hits[0]
    return None


def _sc_face_index(path: Path) -> int:
    """Pick the Simplified-Chinese face of a collection (.ttc): its 案 has mainland glyph shapes."""
    for index in range(12):
        try:
            family = ImageFont.truetype(str(path), 12, index=index).getname()[0] or ''
        except OSError:
            break
        if family.endswith(' SC') or 'Simplified' in family:
            return index
    return 0


if __name__ == '__main__':
    for written_path in write_icons(Path(sys.argv[1]) if len(sys.argv) > 1 else ICON_DIR):
        print(written_path)
