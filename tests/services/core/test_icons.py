"""The drawn app icons, the committed PNGs and the web manifest that names them."""

import json
import re
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from services.core import icons

ROOT = Path(__file__).resolve().parents[3]
ICON_DIR = ROOT / 'assets' / 'pwa' / 'icons'
MANIFEST = ROOT / 'assets' / 'pwa' / 'manifest.webmanifest'
SIZES = {name: size for name, size, _, _ in icons.ICON_SPECS}


@pytest.fixture(scope='module')
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Image.Image]:
    """Every icon as write_icons produces it in a fresh folder."""
    out = tmp_path_factory.mktemp('icons')
    return {path.name: Image.open(path) for path in icons.write_icons(out)}


def test_write_icons_writes_every_file_at_its_size(written: dict[str, Image.Image]) -> None:
    assert {name: image.size for name, image in written.items()} == {name: (s, s) for name, s in SIZES.items()}


@pytest.mark.parametrize('size', [64, 180, 192, 512])
@pytest.mark.parametrize('maskable', [False, True])
def test_draw_icon_has_the_requested_size(size: int, maskable: bool) -> None:
    assert icons.draw_icon(size, maskable=maskable).size == (size, size)


def test_any_icons_have_transparent_corners_and_a_light_mark(written: dict[str, Image.Image]) -> None:
    for name in ('icon-192.png', 'icon-512.png', 'favicon.png'):
        image = written[name]
        assert image.mode == 'RGBA'
        assert image.getpixel((0, 0))[3] == 0, name
        assert _paper_pixels(image.convert('RGB')) > 0, name


def test_full_bleed_icons_have_no_transparency(written: dict[str, Image.Image]) -> None:
    for name in ('apple-touch-icon.png', 'maskable-192.png', 'maskable-512.png'):
        image = written[name]
        assert image.mode == 'RGB' or image.getextrema()[3][0] == 255, name
        assert image.convert('RGB').getpixel((0, 0)) == icons.THEME, name


@pytest.mark.parametrize('name', ['maskable-192.png', 'maskable-512.png', 'apple-touch-icon.png'])
def test_maskable_mark_stays_inside_the_safe_zone(written: dict[str, Image.Image], name: str) -> None:
    image = written[name].convert('RGB')
    assert _off_theme_outside(image, radius=0.40 * image.width) == 0
    assert _ring_colours(image, ring=image.width // 10) == {icons.THEME}


def test_geometric_mark_is_drawn_when_no_cjk_font_exists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(icons, 'cjk_font', lambda px: None)
    image = icons.draw_icon(192, maskable=True).convert('RGB')
    assert _paper_pixels(image) > 0
    assert _off_theme_outside(image, radius=0.40 * image.width) == 0


def test_committed_icons_match_what_write_icons_produces(written: dict[str, Image.Image]) -> None:
    committed = {path.name: Image.open(path) for path in ICON_DIR.glob('*.png')}
    assert {n: (i.size, i.mode) for n, i in committed.items()} == {n: (i.size, i.mode) for n, i in written.items()}


def test_manifest_is_valid_and_names_existing_icons() -> None:
    manifest = json.loads(MANIFEST.read_text(encoding='utf-8'))
    for key in ('name', 'short_name', 'start_url', 'scope', 'display', 'theme_color', 'background_color', 'icons'):
        assert manifest[key], key
    assert manifest['display'] == 'standalone'
    assert manifest['theme_color'] == '#0f766e'
    for icon in manifest['icons']:
        image = Image.open(_local_icon(icon['src']))
        assert icon['sizes'] == f'{image.width}x{image.height}'
    purposes = {(icon['sizes'], icon['purpose']) for icon in manifest['icons']}
    assert {('192x192', 'any'), ('512x512', 'any'), ('192x192', 'maskable'), ('512x512', 'maskable')} <= purposes


def test_service_worker_precaches_only_files_that_exist() -> None:
    source = (ROOT / 'assets' / 'sw.js').read_text(encoding='utf-8')
    precached = re.findall(r"'(/pwa/icons/[^']+)'", source)
    assert precached
    for url in precached:
        assert _local_icon(url).is_file(), url


def _local_icon(url: str) -> Path:
    """The file behind a /pwa/... URL."""
    assert url.startswith('/pwa/')
    return ROOT / 'assets' / url.lstrip('/')


def _paper_pixels(image: Image.Image) -> int:
    """How many pixels are close to the mark's paper colour."""
    light = [band.point(lambda v: 255 if v > 230 else 0) for band in image.convert('RGB').split()]
    return ImageChops.darker(ImageChops.darker(light[0], light[1]), light[2]).histogram()[255]


def _ring_colours(image: Image.Image, *, ring: int) -> set[tuple[int, ...]]:
    """The distinct colours in the outer band `ring` pixels wide."""
    w, h = image.size
    return {
        image.getpixel((x, y))
        for y in range(h)
        for x in range(w)
        if x < ring or y < ring or x >= w - ring or y >= h - ring
    }


def _off_theme_outside(image: Image.Image, *, radius: float) -> int:
    """How many pixels outside the centred circle of `radius` differ from the theme colour."""
    w, h = image.size
    cx, cy = (w - 1) / 2, (h - 1) / 2
    return sum(
        1
        for y in range(h)
        for x in range(w)
        if (x - cx) ** 2 + (y - cy) ** 2 > radius**2 and image.getpixel((x, y)) != icons.THEME
    )
