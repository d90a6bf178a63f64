"""Bar charts as PNG images for the Word briefs, drawn with Pillow. Labels in Chinese need a CJK font; where the
server has none the bars are numbered and the caption under the image names them (the document's own text, which
the office's Word renders in its fonts)."""

import io
from functools import cache
from pathlib import Path

FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "C:/Windows/Fonts/simsun.ttc",
)
BAR, INK, GRID = (192, 0, 0), (40, 40, 40), (210, 210, 210)


@cache
def _cjk_font_path() -> str | None:
    return next((p for p in FONT_CANDIDATES if Path(p).exists()), None)


def _font(size: int):
    from PIL import ImageFont

    path = _cjk_font_path()
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size=size)


def bar_chart(items: list[tuple[str, float]], *, width: int = 1200) -> tuple[bytes, bool]:
    """Horizontal bars, one per (label, value), the value written at the bar's end. Returns the PNG and whether the
    labels are drawn (False: the bars are numbered 1, 2 … and the caption must name them)."""
    from PIL import Image, ImageDraw

    named = _cjk_font_path() is not None
    font = _font(30)
    row, top, left = 56, 20, 330 if named else 80
    height = top * 2 + row * max(len(items), 1)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    peak = max((float(v) for _l, v in items), default=0) or 1
    room = width - left - 140
    for i, (label, value) in enumerate(items):
        y = top + i * row
        text = label if named else str(i + 1)
        draw.text((left - 16, y + row / 2), text[:10], fill=INK, font=font, anchor="rm")
        length = max(int(room * float(value) / peak), 2)
        draw.rectangle([left, y + 10, left + length, y + row - 10], fill=BAR)
        shown = f"{value:g}" if isinstance(value, float) else str(value)
        draw.text((left + length + 12, y + row / 2), shown, fill=INK, font=font, anchor="lm")
    draw.line([left, top, left, height - top], fill=GRID, width=2)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue(), named


def caption_for(title: str, items: list[tuple[str, float]], named: bool) -> str:
    if named:
        return title
    return f"{title}（" + "；".join(f"{i + 1}. {label}" for i, (label, _v) in enumerate(items)) + "）"
