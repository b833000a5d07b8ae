"""Photo proof: real photos come out upright, small, stamped and without metadata; anything else is refused clearly."""

from __future__ import annotations

import io
import struct
import time
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms, ImageDraw, ImageOps, ImageStat

from bench.photos import metadata_left, phone_jpeg, phone_photo
from services.core.errors import ValidationError
from services.photos.pipeline import ProcessedPhoto, Stamp, hamming, is_near_copy, process_photo, store_photo

TAKEN = datetime(2025, 2, 28, 17, 30, 5, tzinfo=UTC)  # 2025-03-01 01:30:05 in Shanghai
STAMP = Stamp(TAKEN, site='滨江壹号售楼处', person='王小明', item='开场检查：沙盘灯光')
RED = (230, 20, 20)


def jpeg(img: Image.Image, **options: object) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, 'JPEG', **options)
    return buffer.getvalue()


def png(img: Image.Image) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, 'PNG')
    return buffer.getvalue()


def oriented(orientation: int) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif


def opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def rgb(img: Image.Image, x: float, y: float) -> tuple[int, ...]:
    """The colour at (x, y), given as shares of the width and height."""
    pixel = img.convert('RGB').getpixel(
        (min(img.width - 1, round(x * img.width)), min(img.height - 1, round(y * img.height)))
    )
    assert isinstance(pixel, tuple)
    return pixel


def refusal(data: bytes, **options: int) -> str:
    """The message process_photo refuses `data` with (failing the test if it accepts it)."""
    with pytest.raises(ValidationError) as caught:
        process_photo(data, stamp=STAMP, **options)
    assert caught.value.field == 'photo'
    return str(caught.value)


@pytest.fixture(scope='module')
def twelve_megapixels() -> bytes:
    """A 4000x3000 phone JPEG (orientation 6, GPS), as the benchmark uses."""
    return phone_jpeg(7)


# --- what a good photo becomes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ('orientation', 'size', 'red_corner'),
    [(1, (1600, 1200), (0.05, 0.05)), (6, (1200, 1600), (0.95, 0.05)), (8, (1200, 1600), (0.05, 0.87))],
)
def test_exif_orientation_turns_the_picture_upright(
    orientation: int, size: tuple[int, int], red_corner: tuple[float, float]
) -> None:
    scene = phone_photo(1, (2000, 1500))
    ImageDraw.Draw(scene).rectangle((0, 0, 300, 300), fill=RED)  # the sensor's top-left corner (clear of the stamp)
    photo = process_photo(jpeg(scene, quality=90, exif=oriented(orientation)), stamp=STAMP)
    out = opened(photo.image)
    assert (photo.width, photo.height) == out.size == size
    r, g, b = rgb(out, *red_corner)
    assert r > 180 and g < 80 and b < 80


def test_gps_and_every_other_kind_of_metadata_are_removed() -> None:
    exif = Image.Exif()
    exif[0x0112], exif[0x010F], exif[0x0110] = 6, 'Huawei', 'P60'
    exif[0x8825] = {1: 'N', 2: (31.0, 14.0, 5.5), 3: 'E', 4: (121.0, 28.0, 12.0)}
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile('sRGB')).tobytes()
    data = jpeg(phone_photo(2, (1600, 1200)), exif=exif, icc_profile=icc, comment=b'secret', xmp=b'<x:xmpmeta/>')
    assert opened(data).getexif().get_ifd(0x8825)[1] == 'N'  # the input really has GPS
    photo = process_photo(data, stamp=STAMP)
    for output in (photo.image, photo.thumbnail):
        assert not opened(output).getexif()
        assert not metadata_left(output)
        assert b'Exif\x00\x00' not in output and b'secret' not in output and b'Huawei' not in output


def test_a_twelve_megapixel_photo_becomes_a_small_proof(twelve_megapixels: bytes) -> None:
    assert len(twelve_megapixels) > 2_500_000  # as heavy as a phone's photo
    photo = process_photo(twelve_megapixels, stamp=STAMP)
    assert max(opened(photo.image).size) == max(photo.width, photo.height) == 1600
    assert len(photo.image) <= 400 * 1024
    assert max(opened(photo.thumbnail).size) == 320
    assert opened(photo.image).format == opened(photo.thumbnail).format == 'JPEG'


def test_the_long_side_is_a_parameter_and_small_photos_are_not_enlarged() -> None:
    data = jpeg(phone_photo(3, (1000, 750)))
    small = process_photo(data, stamp=STAMP, long_side=800)
    assert opened(small.image).size == (small.width, small.height) == (800, 600)
    assert opened(process_photo(data, stamp=STAMP).image).size == (1000, 750)


def test_a_cmyk_jpeg_comes_out_rgb_with_its_colours() -> None:
    cmyk = Image.new('CMYK', (800, 600), (200, 30, 0, 20))
    photo = process_photo(jpeg(cmyk, quality=95), stamp=STAMP)
    out = opened(photo.image)
    assert out.mode == 'RGB'
    expected, actual = rgb(cmyk, 0, 0), rgb(out, 0.5, 0.2)
    assert all(abs(a - e) < 12 for a, e in zip(actual, expected, strict=True)), (actual, expected)


@pytest.mark.parametrize('mode', ['RGBA', 'P'])
def test_transparent_parts_of_a_png_become_white(mode: str) -> None:
    img = Image.new('RGBA', (800, 600), (0, 0, 0, 0))
    ImageDraw.Draw(img).rectangle((400, 0, 800, 600), fill=(20, 60, 200, 255))
    data = png(img if mode == 'RGBA' else img.convert('P'))  # P: a palette with a transparent entry
    out = opened(process_photo(data, stamp=STAMP).image)
    assert min(rgb(out, 0.1, 0.2)) > 245
    assert rgb(out, 0.9, 0.2)[2] > 180


def test_a_sixteen_bit_greyscale_png_keeps_its_tones() -> None:
    grey = phone_photo(17, (600, 450)).convert('L')
    sixteen = png(grey.convert('I').point(lambda v: v * 257).convert('I;16'))
    out = opened(process_photo(sixteen, stamp=STAMP).image).convert('L')
    top = (0, 0, 600, 300)  # above the stamp
    assert abs(ImageStat.Stat(out.crop(top)).mean[0] - ImageStat.Stat(grey.crop(top)).mean[0]) < 3


def test_a_webp_photo_is_accepted() -> None:
    buffer = io.BytesIO()
    phone_photo(4, (1200, 900)).save(buffer, 'WEBP', quality=80)
    assert process_photo(buffer.getvalue(), stamp=STAMP).width == 1200


def test_the_stamp_is_a_dark_band_with_white_text(twelve_megapixels: bytes) -> None:
    photo = process_photo(twelve_megapixels, stamp=STAMP)
    out = opened(photo.image).convert('L')
    plain = ImageOps.exif_transpose(opened(twelve_megapixels)).resize(out.size).convert('L')
    band = (0, out.height - out.height // 20, out.width, out.height)
    assert ImageStat.Stat(out.crop(band)).mean[0] < 0.6 * ImageStat.Stat(plain.crop(band)).mean[0]
    assert ImageStat.Stat(out.crop(band)).extrema[0][1] > 230  # white letters on the darkened band


def test_the_stamp_reads_the_time_in_the_sites_zone_on_one_line_each() -> None:
    assert STAMP.lines() == ('2025-03-01 01:30:05  滨江壹号售楼处', '王小明 · 开场检查：沙盘灯光')
    london = Stamp(TAKEN, site='A\nB', person='x\ty', item='z', tz='Europe/London')
    assert london.lines() == ('2025-02-28 17:30:05  A B', 'x y · z')
    with pytest.raises(ValueError):
        Stamp(datetime(2025, 3, 1, 9, 0), site='s', person='p', item='i')


def test_a_long_item_is_cut_to_the_width_of_the_photo() -> None:
    stamp = Stamp(TAKEN, site='项目' * 100, person='人', item='检查' * 100)
    photo = process_photo(jpeg(phone_photo(5, (600, 450))), stamp=stamp)
    assert (photo.width, photo.height) == (600, 450)


# --- what is refused ---------------------------------------------------------------------------------------------


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims `width`x`height` pixels in a few dozen bytes."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack('>I', len(body)) + kind + body + struct.pack('>I', zlib.crc32(kind + body))

    ihdr = struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0)
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + chunk(b'IDAT', zlib.compress(b'\0' * 64)) + chunk(b'IEND', b'')


def gif() -> bytes:
    buffer = io.BytesIO()
    Image.new('P', (10, 10)).save(buffer, 'GIF')
    return buffer.getvalue()


SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>'


@pytest.mark.parametrize(
    ('make', 'message'),
    [
        (lambda: b'', '照片为空'),
        (lambda: '值班记录：一切正常。\n（文字文件，改名为 photo.jpg）\n'.encode(), '不是有效的图片文件'),
        (lambda: b'\xff\xd8\xff\xe0' + b'garbage' * 50, '图片文件不完整或已损坏'),  # begins like a JPEG
        (lambda: jpeg(phone_photo(6, (800, 600)))[:20_000], '图片文件不完整或已损坏'),
        (lambda: SVG, '只支持 JPEG、PNG 或 WebP 格式的照片'),
        (gif, '只支持 JPEG、PNG 或 WebP 格式的照片'),
        (lambda: png_header(30_000, 30_000), '图片尺寸过大'),  # beyond Pillow's own bomb limit
        (lambda: png_header(10_000, 6_000), '图片尺寸过大'),  # beyond ours (50 MP)
        (lambda: b'\xff\xd8\xff' + bytes(16 * 2**20), '照片太大（最大 15 MB）'),
    ],
    ids=['empty', 'text', 'jpeg-garbage', 'truncated', 'svg', 'gif', 'bomb', 'too-many-pixels', 'oversize'],
)
def test_what_is_not_a_usable_photo_is_refused_with_a_clear_message(make: Callable[[], bytes], message: str) -> None:
    assert refusal(make()) == message


def test_huge_dimensions_are_refused_from_the_header_without_decoding() -> None:
    start = time.perf_counter()
    assert refusal(png_header(20_000, 20_000)) == '图片尺寸过大'
    assert time.perf_counter() - start < 0.5  # decoding 400 MP would take seconds and gigabytes


def test_a_phones_high_resolution_mode_is_accepted_as_baseline_jpeg_only() -> None:
    big = Image.new('L', (10_000, 6_000), 128)  # 60 MP, like a 50 or 108 MP camera mode
    assert process_photo(jpeg(big), stamp=STAMP).width == 1600  # decoded at 1/4 scale, row by row
    assert refusal(jpeg(big, progressive=True)) == '图片尺寸过大'  # libjpeg would hold all of it in memory


def test_the_size_limit_is_a_parameter() -> None:
    assert refusal(b'\xff' * (2 * 2**20 + 1), max_bytes=2 * 2**20) == '照片太大（最大 2 MB）'
    assert refusal(jpeg(phone_photo(6, (1000, 750))), max_bytes=2**20 // 100) == '照片太大（最大 0.01 MB）'


SMALL_JPEG = jpeg(phone_photo(8, (64, 48)), exif=oriented(6))
SMALL_PNG = png(phone_photo(9, (64, 48)).convert('RGBA'))
PREFIXES = [b'', b'\xff\xd8\xff', b'\x89PNG\r\n\x1a\n', b'RIFF\x00\x10\x00\x00WEBPVP8 ', SMALL_JPEG[:200]]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(PREFIXES), tail=st.binary(max_size=4096))
def test_random_bytes_give_a_validation_error_and_nothing_else(prefix: bytes, tail: bytes) -> None:
    try:
        assert isinstance(process_photo(prefix + tail, stamp=STAMP), ProcessedPhoto)
    except ValidationError as refused:
        assert refused.field == 'photo'


@settings(max_examples=300, deadline=None)
@given(source=st.sampled_from([SMALL_JPEG, SMALL_PNG]), data=st.data())
def test_damaged_real_photos_give_a_validation_error_and_nothing_else(source: bytes, data: st.DataObject) -> None:
    damaged = bytearray(source[: data.draw(st.integers(1, len(source)))])
    for _ in range(data.draw(st.integers(0, 8))):
        damaged[data.draw(st.integers(0, len(damaged) - 1))] = data.draw(st.integers(0, 255))
    try:
        process_photo(bytes(damaged), stamp=STAMP)
    except ValidationError as refused:
        assert refused.field == 'photo'


# --- the same picture sent again ---------------------------------------------------------------------------------


def resent(data: bytes) -> bytes:
    """The same photo as a chat app passes it on: slightly smaller, recompressed harder."""
    img = opened(data)
    return jpeg(img.resize((round(img.width * 0.95), round(img.height * 0.95))), quality=60, exif=img.getexif())


def test_a_photo_sent_again_is_a_near_copy_and_a_different_scene_is_not() -> None:
    yesterday = phone_jpeg(11, (2400, 1800))
    earlier = [process_photo(yesterday, stamp=STAMP).phash, '0123456789abcdef']
    again = process_photo(resent(yesterday), stamp=STAMP).phash
    other = process_photo(phone_jpeg(12, (2400, 1800)), stamp=STAMP).phash
    assert is_near_copy(again, earlier)
    assert not is_near_copy(other, earlier)
    assert hamming(other, earlier[0]) > 16


def test_yesterdays_stamped_proof_uploaded_again_is_a_near_copy() -> None:
    yesterday = process_photo(phone_jpeg(13, (2400, 1800)), stamp=STAMP)
    today = Stamp(datetime(2025, 3, 2, 1, 0, tzinfo=UTC), site='别的项目', person='李四', item='闭场检查')
    assert is_near_copy(process_photo(yesterday.image, stamp=today).phash, [yesterday.phash])


def test_the_perceptual_hash_does_not_depend_on_the_stamp() -> None:
    data = phone_jpeg(14, (1600, 1200))
    other = Stamp(datetime(2026, 1, 1, tzinfo=UTC), site='另一个售楼处', person='张三', item='值班巡检')
    assert process_photo(data, stamp=STAMP).phash == process_photo(data, stamp=other).phash


def test_hamming_counts_differing_bits_and_refuses_what_is_not_a_hash() -> None:
    assert hamming('0' * 16, 'f' * 16) == 64
    assert hamming('00000000000000ff', '0000000000000001') == 7
    assert not is_near_copy('0' * 16, [])
    with pytest.raises(ValueError):
        hamming('xyz', '0' * 16)


# --- storage -------------------------------------------------------------------------------------------------------


def test_store_photo_writes_both_files_in_the_sites_date_folder(tmp_path: Path) -> None:
    photo = process_photo(jpeg(phone_photo(15, (800, 600))), stamp=STAMP)
    paths = store_photo(photo, root=tmp_path, taken_at=TAKEN)  # 17:30 UTC on the 28th is the 1st in Shanghai
    name = photo.sha256[:16]
    assert (paths.image, paths.thumbnail) == (f'2025/03/01/{name}.jpg', f'2025/03/01/{name}_t.jpg')
    assert (tmp_path / paths.image).read_bytes() == photo.image
    assert (tmp_path / paths.thumbnail).read_bytes() == photo.thumbnail
    assert store_photo(photo, root=tmp_path, taken_at=TAKEN) == paths  # the same photo again: same files
    assert sorted(p.name for p in (tmp_path / '2025/03/01').iterdir()) == [f'{name}.jpg', f'{name}_t.jpg']


def test_store_photo_can_file_by_another_zone_and_needs_an_aware_time(tmp_path: Path) -> None:
    photo = process_photo(jpeg(phone_photo(16, (400, 300))), stamp=STAMP)
    assert store_photo(photo, root=tmp_path, taken_at=TAKEN, tz='UTC').image.startswith('2025/02/28/')
    with pytest.raises(ValueError):
        store_photo(photo, root=tmp_path, taken_at=datetime(2025, 3, 1))
