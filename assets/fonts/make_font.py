"""How NotoSansSC-Subset.ttf was made: Noto Sans CJK SC Regular from Debian's fonts-noto-cjk, cut to GB2312 and
the punctuation reports use, then its CFF outlines turned into TrueType (glyf) ones: with CFF, fpdf2 writes a font
encoding that pypdf cannot read back, with glyf it writes Identity-H, which every reader knows.

    python assets/fonts/make_font.py [/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc]
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

SOURCE = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'
OUT = Path(__file__).parent / 'NotoSansSC-Subset.ttf'
RANGES = [(0x20, 0x7F), (0xA0, 0x100), (0x2000, 0x2070), (0x2190, 0x2200), (0x2460, 0x2500), (0x25A0, 0x2600),
          (0x3000, 0x3040), (0xFF00, 0xFFEF)]  # fmt: skip
EXTRA = '℃№㎡喆昇珺玥瑄琇琛堃淼焱鑫垚犇骉晔昊旻晟煜炜玮璐婧婕妍娅姝'


def characters() -> set[int]:
    found = {c for low, high in RANGES for c in range(low, high)} | {ord(c) for c in EXTRA}
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                found.add(ord(bytes([high, low]).decode('gb2312')))
    return found


def cut(font: TTFont) -> None:
    options = subset.Options()
    options.layout_features, options.name_IDs, options.name_languages = ['*'], ['*'], ['*']
    options.notdef_outline, options.hinting = True, False
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=characters())
    cutter.subset(font)


def to_truetype(font: TTFont) -> None:
    order, glyphs = font.getGlyphOrder(), font.getGlyphSet()
    glyf = newTable('glyf')
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font['loca'], font['glyf'] = newTable('loca'), glyf
    for table in ('CFF ', 'VORG'):
        if table in font:
            del font[table]
    maxp = font['maxp'] = newTable('maxp')
    maxp.tableVersion = 0x00010000
    for key in ('maxTwilightPoints', 'maxStorage', 'maxFunctionDefs', 'maxInstructionDefs', 'maxStackElements',
                'maxSizeOfInstructions', 'maxComponentElements'):  # fmt: skip
        setattr(maxp, key, 0)
    maxp.maxZones = 1
    font['head'].glyphDataFormat = 0
    post = font['post']
    post.formatType, post.extraNames, post.mapping = 3.0, [], {}
    font.sfntVersion = '\x00\x01\x00\x00'


def main(source: str = SOURCE) -> None:
    fonts = TTCollection(source).fonts
    font = next(f for f in fonts if 'Noto Sans CJK SC' in f['name'].getDebugName(1))
    cut(font)
    to_truetype(font)
    font.save(OUT)


if __name__ == '__main__':
    main(*sys.argv[1:])
