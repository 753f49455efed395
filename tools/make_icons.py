"""Draw Hearth's app icons (a warm flame on the accent colour) as PNG files.

Pure Python (zlib), so it needs nothing installed. The PNGs are committed; run this
again only to change the design: ``python tools/make_icons.py``.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "static" / "icons"
ACCENT = (138, 75, 42)  # --accent in static/css/hearth.css
CREAM = (251, 248, 243)  # --bg
GLOW = (240, 180, 140)  # the dark theme's accent
SAMPLES = 4  # per axis, for smooth edges

Colour = tuple[int, int, int, int]


def flame(x: float, y: float, scale: float) -> bool:
    """A teardrop flame centred in a unit square, ``scale`` of its height."""
    x = (x - 0.5) / scale + 0.5
    y = (y - 0.5) / scale + 0.5
    cx, cy, r = 0.5, 0.62, 0.22
    if (x - cx) ** 2 + (y - cy) ** 2 <= r * r:
        return True
    top = 0.12
    if top <= y <= cy:
        t = (y - top) / (cy - top)
        # Leans a little, like a real flame.
        half = r * t**0.75
        centre = cx + 0.05 * (1 - t) ** 2
        return abs(x - centre) <= half
    return False


def rounded_square(x: float, y: float, radius: float) -> bool:
    dx = max(radius - x, 0.0, x - (1 - radius))
    dy = max(radius - y, 0.0, y - (1 - radius))
    return dx * dx + dy * dy <= radius * radius


def icon(x: float, y: float, *, maskable: bool) -> Colour | None:
    if not maskable and not rounded_square(x, y, 0.22):
        return None
    scale = 0.62 if maskable else 0.78  # maskable: inside the 80% safe zone
    if flame(x, y, scale):
        inner = flame((x - 0.5) / 0.55 + 0.5, (y - 0.56) / 0.55 + 0.5, scale)
        return (*GLOW, 255) if inner else (*CREAM, 255)
    return (*ACCENT, 255)


def monochrome(x: float, y: float) -> Colour | None:
    return (255, 255, 255, 255) if flame(x, y, 0.9) else None


def render(size: int, shade: Callable[[float, float], Colour | None]) -> bytes:
    rows = bytearray()
    step = 1 / (size * SAMPLES)
    for py in range(size):
        rows.append(0)  # filter: none
        for px in range(size):
            total = [0, 0, 0, 0]
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    colour = shade(
                        (px * SAMPLES + sx + 0.5) * step, (py * SAMPLES + sy + 0.5) * step
                    )
                    if colour is not None:
                        alpha = colour[3]
                        for i in range(3):
                            total[i] += colour[i] * alpha
                        total[3] += alpha
            count = SAMPLES * SAMPLES
            alpha = total[3] / count
            rgb = [round(total[i] / total[3]) for i in range(3)] if total[3] else [0, 0, 0]
            rows.extend((*rgb, round(alpha)))
    return png(size, size, bytes(rows))


def png(width: int, height: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def ico(png_data: bytes, size: int) -> bytes:
    """A .ico holding one PNG image (every current browser reads these)."""
    directory = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png_data), 22)
    return directory + entry + png_data


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)

    def plain(x: float, y: float) -> Colour | None:
        return icon(x, y, maskable=False)

    def maskable(x: float, y: float) -> Colour | None:
        return icon(x, y, maskable=True)

    files = {
        "icon-32.png": render(32, plain),
        "icon-180.png": render(180, maskable),  # apple-touch-icon: iOS rounds it itself
        "icon-192.png": render(192, plain),
        "icon-512.png": render(512, plain),
        "icon-maskable-512.png": render(512, maskable),
        "icon-96-monochrome.png": render(96, monochrome),
    }
    files["favicon.ico"] = ico(files["icon-32.png"], 32)
    for name, data in files.items():
        (OUT / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
