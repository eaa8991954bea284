#!/usr/bin/env python3
"""Draw the glyph templates of the zone reader (src/extract/ocr/cells/).

Each of the 37 characters of an ICAO 9303 machine-readable zone (`A`-`Z`,
`0`-`9`, `<`) is drawn large with Pillow, then cut out as the reader cuts a
cell of a scanned line: the advance of the (monospaced) font wide, centred
on the glyph's ink; from 15 % of the cap height above the capitals' top to
15 % below their baseline (tops and baselines: medians over the letters and
digits). That window is averaged down to a grid of 16 x 24 and written as
ink levels 0-9, one text row a grid row (` .:-=+*#%@`, light to dark).

Usage: python3 assets/mrz-glyphs/make_glyphs.py   (rewrites ocrb.txt and
dejavu-mono.txt beside this script; needs fonts-ocr-b and fonts-dejavu-core)
"""

import os
import statistics

from PIL import Image, ImageDraw, ImageFont

HERE = os.path.dirname(os.path.abspath(__file__))
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
GRID = (16, 24)
MARGIN = 0.15
LEVELS = " .:-=+*#%@"
SIZE = 200
FONTS = {
    "ocrb.txt": ("OCR-B", "/usr/share/fonts/opentype/ocr-b/OCRB.otf"),
    "dejavu-mono.txt": ("DejaVu Sans Mono", "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"),
}


def ink(font, c):
    """The glyph drawn in black on white, as an ink image (white = ink), and
    its ink box."""
    img = Image.new("L", (SIZE * 2, SIZE * 2), 0)
    ImageDraw.Draw(img).text((SIZE // 2, SIZE // 2), c, font=font, fill=255)
    return img, img.getbbox()


def main():
    for out, (name, path) in FONTS.items():
        font = ImageFont.truetype(path, SIZE)
        advance = font.getlength("A")
        glyphs = {c: ink(font, c) for c in ALPHABET}
        top = statistics.median(b[1] for c, (_, b) in glyphs.items() if c != "<")
        bottom = statistics.median(b[3] for c, (_, b) in glyphs.items() if c != "<")
        h = bottom - top
        rows = [f"# {name} ({os.path.basename(path)}), drawn by make_glyphs.py: {GRID[0]}x{GRID[1]}, "
                f"ink 0-9 as '{LEVELS}'", f"pitch/height {advance / h:.4f}"]
        for c, (img, b) in glyphs.items():
            cx = (b[0] + b[2]) / 2
            box = (cx - advance / 2, top - MARGIN * h, cx + advance / 2, bottom + MARGIN * h)
            g = img.resize(GRID, Image.BOX, box=box)
            rows.append(f"char {c}")
            px = list(g.tobytes())
            for y in range(GRID[1]):
                rows.append("".join(LEVELS[round(v * 9 / 255)] for v in px[y * GRID[0]:(y + 1) * GRID[0]]))
        with open(os.path.join(HERE, out), "w") as f:
            f.write("\n".join(rows) + "\n")
        print(out, len(glyphs), "glyphs")


if __name__ == "__main__":
    main()
