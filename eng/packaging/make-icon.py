"""Draws the packages' icon (icon.png, 128 x 128): beams fanning out from a source, the best one lit.

Run with python3 from this folder; only the standard library is needed. The PNG is committed, so a build never runs this.
"""
import math
import struct
import zlib

SIZE = 128
SOURCE = (18.0, 110.0)                    # where the beams start
ENDS = [(112, 18), (116, 46), (112, 74), (100, 100)]
BEST = 1                                  # the beam that wins


def blend(under, over, alpha):
    return tuple(round(u + (o - u) * alpha) for u, o in zip(under, over))


def distance_to_segment(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy)), t


def pixel(x, y):
    px, py = x + 0.5, y + 0.5
    # Rounded square, deep blue with a slight vertical gradient.
    r = 22
    cx, cy = min(max(px, r), SIZE - r), min(max(py, r), SIZE - r)
    outside = math.hypot(px - cx, py - cy) - r
    coverage = max(0.0, min(1.0, 0.5 - outside))
    if coverage == 0:
        return (0, 0, 0, 0)
    colour = blend((16, 32, 72), (10, 18, 40), py / SIZE)
    for i, (ex, ey) in enumerate(ENDS):
        d, t = distance_to_segment(px, py, *SOURCE, ex, ey)
        width = 2.2 + 4.5 * t if i == BEST else 1.4 + 2.0 * t
        beam = (255, 196, 64) if i == BEST else (120, 170, 255)
        strength = (1.0 if i == BEST else 0.55) * (0.45 + 0.55 * t)
        alpha = max(0.0, min(1.0, width / 2 - d + 0.5)) * strength
        colour = blend(colour, beam, alpha)
        # A candidate at the end of each beam.
        dot = 7.5 if i == BEST else 5.0
        alpha = max(0.0, min(1.0, dot - math.hypot(px - ex, py - ey) + 0.5))
        colour = blend(colour, (255, 226, 140) if i == BEST else (190, 215, 255), alpha)
    # The source.
    alpha = max(0.0, min(1.0, 6.5 - math.hypot(px - SOURCE[0], py - SOURCE[1]) + 0.5))
    colour = blend(colour, (255, 255, 255), alpha)
    return (*colour, round(255 * coverage))


def png(width, height, rows):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(v for p in row for v in p) for row in rows)
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


with open("icon.png", "wb") as f:
    f.write(png(SIZE, SIZE, [[pixel(x, y) for x in range(SIZE)] for y in range(SIZE)]))
