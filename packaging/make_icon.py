"""Draw the CPF Desktop app icon with Pillow: a rounded square with "CPF" in white.

Writes resources/icons/cpf-desktop.png (512 px), cpf-desktop.ico (16-256 px, for the Windows
executable) and cpf-desktop.icns (for the macOS .app). Run again after changing the colours:

    python packaging/make_icon.py
"""
from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
FONT = ROOT / "resources" / "fonts" / "DejaVuSans-Bold.ttf"

BACKGROUND = (0, 75, 135)  # a deep school-district blue
STRIPE = (255, 196, 37)  # a gold rule under the letters
TEXT = (255, 255, 255)
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def draw(size: int = 1024) -> Image.Image:
    """Return the icon at ``size`` px; drawn large and scaled down, so small sizes stay smooth."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(image)
    margin = round(size * 0.06)
    d.rounded_rectangle((margin, margin, size - margin, size - margin), radius=round(size * 0.2), fill=BACKGROUND)
    font = ImageFont.truetype(str(FONT), round(size * 0.34))
    left, top, right, bottom = d.textbbox((0, 0), "CPF", font=font)
    x = (size - (right - left)) / 2 - left
    y = size * 0.44 - (bottom - top) / 2 - top
    d.text((x, y), "CPF", font=font, fill=TEXT)
    bar_top = round(size * 0.66)
    d.rounded_rectangle((round(size * 0.24), bar_top, round(size * 0.76), bar_top + round(size * 0.055)),
                        radius=round(size * 0.03), fill=STRIPE)
    return image


def main() -> int:
    ICONS.mkdir(parents=True, exist_ok=True)
    big = draw(1024)
    big.resize((512, 512), Image.LANCZOS).save(ICONS / "cpf-desktop.png", optimize=True)
    big.save(ICONS / "cpf-desktop.ico", sizes=ICO_SIZES)
    big.save(ICONS / "cpf-desktop.icns")
    for name in ("cpf-desktop.png", "cpf-desktop.ico", "cpf-desktop.icns"):
        print(f"wrote {ICONS / name} ({(ICONS / name).stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
