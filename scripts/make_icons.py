"""Draw Pacekeeper's app icons (a calm green tile with a rising-then-resting line).

Run once when the design changes: `python scripts/make_icons.py`. Pure Python, no image library.
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src/pacekeeper/web/static/icons"
BG = (47, 74, 58)
FG = (246, 244, 239)


def _path_points(size: int, pad: float) -> list[tuple[float, float]]:
    # A gentle hill (a burst) followed by a flat line (rest), in unit coordinates.
    pts = []
    for i in range(101):
        x = i / 100
        y = 0.5 + 0.22 * math.sin(math.pi * x / 0.55) if x < 0.55 else 0.5
        pts.append((x, y))
    span = size - 2 * pad
    return [(pad + x * span, size - (pad + y * span)) for x, y in pts]


def _png(size: int, maskable: bool) -> bytes:
    pad = size * (0.22 if maskable else 0.16)
    radius = 0 if maskable else size * 0.18
    stroke = size * 0.065
    pts = _path_points(size, pad)
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            cx, cy = x + 0.5, y + 0.5
            inside = True
            if radius:
                dx = max(radius - cx, 0, cx - (size - radius))
                dy = max(radius - cy, 0, cy - (size - radius))
                inside = dx * dx + dy * dy <= radius * radius
            if not inside:
                row += bytes((0, 0, 0, 0))
                continue
            near = min((cx - px) ** 2 + (cy - py) ** 2 for px, py in pts[:: max(1, size // 256)])
            row += bytes((*FG, 255)) if near <= (stroke / 2) ** 2 else bytes((*BG, 255))
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def _svg() -> str:
    pts = _path_points(64, 64 * 0.16)
    d = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in [*pts[::4], pts[-1]])
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
        f'<rect width="64" height="64" rx="11.5" fill="rgb{BG}"/>'
        f'<path d="{d}" fill="none" stroke="rgb{FG}" stroke-width="4.2" stroke-linecap="round"/>'
        "</svg>\n"
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "icon-192.png").write_bytes(_png(192, maskable=False))
    (OUT / "icon-512.png").write_bytes(_png(512, maskable=False))
    (OUT / "icon-maskable-512.png").write_bytes(_png(512, maskable=True))
    (OUT / "icon.svg").write_text(_svg(), encoding="utf-8")


if __name__ == "__main__":
    main()
