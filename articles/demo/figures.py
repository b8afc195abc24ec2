"""Figures for the demo's image library, drawn here (never copied): a simple
diagram of blood pressure ranges, as the UK's NHS describes them."""

import io

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 420
BANDS = [  # label, range, colour
    ("Low", "below 90/60", (120, 170, 220)),
    ("Ideal", "90/60 to 120/80", (110, 190, 120)),
    ("Raised", "120/80 to 140/90", (240, 190, 80)),
    ("High", "140/90 or higher", (220, 90, 80)),
]
INK = (20, 30, 40)


def blood_pressure_diagram() -> bytes:
    """A PNG: four coloured bands from low to high, each named with its range."""
    picture = Image.new("RGB", (WIDTH, HEIGHT), (255, 255, 255))
    draw = ImageDraw.Draw(picture)
    title = ImageFont.load_default(size=40)
    label = ImageFont.load_default(size=34)
    small = ImageFont.load_default(size=26)
    draw.text((40, 30), "Blood pressure readings (mmHg)", font=title, fill=INK)
    left, top, band_width, band_height = 40, 120, (WIDTH - 80) // 4, 150
    for n, (name, values, colour) in enumerate(BANDS):
        x = left + n * band_width
        draw.rectangle([x, top, x + band_width - 8, top + band_height], fill=colour)
        draw.text((x + 20, top + 30), name, font=label, fill=INK)
        draw.text((x + 20, top + 90), values, font=small, fill=INK)
    draw.text(
        (40, top + band_height + 40),
        "Top number (systolic) / bottom number (diastolic)",
        font=small,
        fill=INK,
    )
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()
