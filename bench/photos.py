"""A 12-megapixel phone photo → stored proof image: time, size, metadata left, speed-up: `python -m bench.photos`."""

from __future__ import annotations

import argparse
import io
import random
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps

from services.photos.pipeline import ProcessedPhoto, Stamp, process_photo

from .harness import print_result

PHONE_SIZE = (4000, 3000)
GPS = {1: 'N', 2: (31.0, 14.0, 5.5), 3: 'E', 4: (121.0, 28.0, 12.0), 5: 0, 6: 8.0}  # a sales centre in Shanghai
STAMP = Stamp(datetime.now(UTC), site='滨江壹号售楼处', person='王小明', item='开场检查：沙盘灯光、资料摆放')
TARGET_MS, TARGET_BYTES = 250, 400 * 1024


def main(argv: list[str] | None = None) -> None:
    """Generate the photos, run both pipelines on them, print the figures and the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--photos', type=int, default=20, help='how many 12 MP photos (default 20)')
    count = parser.parse_args(argv).photos
    inputs = [phone_jpeg(seed) for seed in range(count)]
    print(f'{count} phone photos of {PHONE_SIZE[0]}x{PHONE_SIZE[1]}, {_mean_mb(inputs):.1f} MB on average')
    process_photo(inputs[0], stamp=STAMP)  # warm-up: a running server has its font and codecs loaded
    times, outputs = _timed(lambda data: process_photo(data, stamp=STAMP), inputs)
    naive_times, _ = _timed(naive_pipeline, inputs)
    print_result(_figures(times, outputs, naive_times, _throughput(inputs)))


def phone_photo(seed: int, size: tuple[int, int] = PHONE_SIZE, *, grain: int = 24) -> Image.Image:
    """A seeded synthetic scene: colour gradients, shapes and lines at several scales, and sensor grain."""
    rng = random.Random(seed)
    small = (max(1, size[0] // 4), max(1, size[1] // 4))
    bands = [Image.linear_gradient('L').rotate(rng.choice([0, 90, 180, 270])).resize(small) for _ in range(3)]
    scene = Image.merge('RGB', bands)
    _scatter_shapes(ImageDraw.Draw(scene), small, rng)
    picture = scene.filter(ImageFilter.GaussianBlur(0.8)).resize(size, Image.Resampling.BICUBIC)
    noise = Image.frombytes('L', size, rng.randbytes(size[0] * size[1])).point(lambda v: v * grain // 255)
    return ImageChops.add(picture, Image.merge('RGB', (noise, noise, noise)), 1.0, -(grain // 2))


def phone_jpeg(
    seed: int, size: tuple[int, int] = PHONE_SIZE, *, orientation: int = 6, gps: bool = True, quality: int = 92
) -> bytes:
    """phone_photo saved as a camera does: a JPEG with orientation, make, model, time and GPS tags."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F], exif[0x0110], exif[0x0132] = 'Anchang', 'BenchPhone 12', '2025:03:01 09:30:00'
    if gps:
        exif[0x8825] = GPS
    buffer = io.BytesIO()
    phone_photo(seed, size).save(buffer, 'JPEG', quality=quality, exif=exif)
    return buffer.getvalue()


def naive_pipeline(data: bytes) -> bytes:
    """What one writes first: decode at full size, turn upright, resize with Lanczos, save."""
    upright = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    scale = 1600 / max(upright.size)
    size = (round(upright.width * scale), round(upright.height * scale))
    buffer = io.BytesIO()
    upright.resize(size, Image.Resampling.LANCZOS).save(buffer, 'JPEG', quality=82, optimize=True, progressive=True)
    return buffer.getvalue()


def metadata_left(image: bytes) -> bool:
    """True when the JPEG still carries EXIF (GPS included), XMP, an ICC profile or a comment."""
    opened = Image.open(io.BytesIO(image))
    return bool(opened.getexif()) or any(key in opened.info for key in ('exif', 'xmp', 'icc_profile', 'comment'))


def _scatter_shapes(draw: ImageDraw.ImageDraw, size: tuple[int, int], rng: random.Random) -> None:
    """A few large blocks (walls, tables) and many small things (cups, brochures) and thin lines."""
    for index in range(400):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        r = rng.randrange(3, max(4, size[0] // (4 if index < 20 else 30)))
        fill = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        kind = rng.random()
        if kind < 0.4:
            draw.ellipse((x - r, y - r // 2, x + r, y + r // 2), fill=fill)
        elif kind < 0.8:
            draw.rectangle((x - r, y - r // 2, x + r, y + r // 2), fill=fill)
        else:
            end = (x + rng.randrange(-3 * r, 3 * r), y + rng.randrange(-3 * r, 3 * r))
            draw.line(((x, y), end), fill=fill, width=rng.randrange(1, 4))


def _timed(pipeline: Callable[[bytes], object], inputs: list[bytes]) -> tuple[list[float], list[object]]:
    """Milliseconds per input, one after the other, and what each call returned."""
    times, outputs = [], []
    for data in inputs:
        start = time.perf_counter()
        outputs.append(pipeline(data))
        times.append((time.perf_counter() - start) * 1000)
    return times, outputs


def _throughput(inputs: list[bytes]) -> float:
    """Photos per second on two threads (as run.io_bound would run them): Pillow releases the GIL."""
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda data: process_photo(data, stamp=STAMP), inputs))
    return len(inputs) / (time.perf_counter() - start)


def _figures(times: list[float], outputs: list[object], naive_times: list[float], per_s: float) -> dict[str, object]:
    photos = [p for p in outputs if isinstance(p, ProcessedPhoto)]
    median = statistics.median(times)
    figures: dict[str, object] = {
        'photos': len(photos),
        'median_ms': round(median, 1),
        'p95_ms': round(_percentile(times, 95), 1),
        'max_bytes': max(len(p.image) for p in photos),
        'max_thumbnail_bytes': max(len(p.thumbnail) for p in photos),
        'metadata_left': sum(metadata_left(p.image) or metadata_left(p.thumbnail) for p in photos),
        'not_upright': sum(p.height < p.width for p in photos),  # orientation 6 on a landscape sensor: portrait
        'naive_median_ms': round(statistics.median(naive_times), 1),
        'speedup_vs_naive': round(statistics.median(naive_times) / median, 2),
        'two_thread_photos_per_s': round(per_s, 1),
    }
    clean = figures['metadata_left'] == 0 and figures['not_upright'] == 0
    figures['meets_targets'] = clean and median <= TARGET_MS and max(len(p.image) for p in photos) <= TARGET_BYTES
    return figures


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def _mean_mb(inputs: list[bytes]) -> float:
    return statistics.mean(len(data) for data in inputs) / 2**20


if __name__ == '__main__':
    main()
