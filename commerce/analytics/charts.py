"""Small SVG charts drawn on the server: no chart library, no script, nothing fetched by the browser.

Every chart is an <svg role="img"> with an aria-label, and each bar carries a <title> with its exact value
(a tooltip on hover); the page shows the numbers next to the charts too.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from markupsafe import Markup

BAR = "#2f6f62"
ACCENT = "#c4793a"
GRID = "#dde3e4"
INK = "#1f2a2e"


def _nice_max(value: float) -> float:
    """The smallest of 1, 2, 5 or 10 times a power of ten at or above `value` (the top of the axis)."""
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    return next(m * magnitude for m in (1, 2, 5, 10) if value <= m * magnitude)


def columns(points: Sequence[tuple[str, float]], label: str, overlay: Sequence[float] | None = None,
            overlay_label: str = "", width: int = 560, height: int = 220) -> Markup:
    """Vertical bars, one per point (e.g. conversations per day); `overlay` draws a second series as a line."""
    left, bottom, top = 34, 28, 10
    inner_w, inner_h = width - left - 8, height - bottom - top
    peak = _nice_max(max([v for _, v in points] + list(overlay or []) + [0]))
    n = max(len(points), 1)
    slot = inner_w / n
    parts = [f'<svg class="chart" role="img" aria-label="{escape(label)}" viewBox="0 0 {width} {height}" '
             f'width="100%" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">']
    for i in range(3):
        value = peak * i / 2
        y = top + inner_h - inner_h * i / 2
        parts.append(f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="{INK}">'
                     f'{value:g}</text>')
    every = max(1, round(n / 10))
    for i, (name, value) in enumerate(points):
        h = inner_h * value / peak
        x = left + i * slot + slot * 0.15
        parts.append(f'<rect x="{x:.1f}" y="{top + inner_h - h:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" '
                     f'fill="{BAR}"><title>{escape(name)}: {value:g}</title></rect>')
        if i % every == 0:
            parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{height - 10}" font-size="11" text-anchor="middle" '
                         f'fill="{INK}">{escape(name)}</text>')
    if overlay:
        coords = " ".join(f"{left + i * slot + slot / 2:.1f},{top + inner_h - inner_h * v / peak:.1f}"
                          for i, v in enumerate(overlay))
        parts.append(f'<polyline points="{coords}" fill="none" stroke="{ACCENT}" stroke-width="2">'
                     f'<title>{escape(overlay_label)}</title></polyline>')
    parts.append("</svg>")
    return Markup("".join(parts))


def bars(items: Sequence[tuple[str, float]], label: str, value_format: str = "{:g}", width: int = 420) -> Markup:
    """Horizontal bars with their labels and values (top intents, intent bands)."""
    row, label_w = 24, 150
    height = max(row * len(items), row) + 4
    peak = max([v for _, v in items] + [0]) or 1
    inner = width - label_w - 60
    parts = [f'<svg class="chart" role="img" aria-label="{escape(label)}" viewBox="0 0 {width} {height}" '
             f'width="100%" xmlns="http://www.w3.org/2000/svg">']
    for i, (name, value) in enumerate(items):
        y = i * row + 2
        w = inner * value / peak
        shown = value_format.format(value)
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" font-size="12" text-anchor="end" fill="{INK}">'
                     f'{escape(name[:24])}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 8}" fill="{BAR}">'
                     f'<title>{escape(name)}: {escape(shown)}</title></rect>')
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 15}" font-size="12" fill="{INK}">{escape(shown)}</text>')
    if not items:
        parts.append(f'<text x="4" y="16" font-size="12" fill="{INK}">No data in this period.</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def meter(rate: float | None, label: str, width: int = 220) -> Markup:
    """A rate (0..1) as a filled bar; an empty outline when there is nothing to divide by."""
    filled = 0 if rate is None else max(0.0, min(1.0, rate)) * width
    shown = "n/a" if rate is None else f"{rate * 100:.1f}%"
    return Markup(
        f'<svg class="meter" role="img" aria-label="{escape(label)}: {shown}" viewBox="0 0 {width} 12" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg"><rect x="0" y="0" width="{width}" height="12" rx="3" fill="{GRID}"/>'
        f'<rect x="0" y="0" width="{filled:.1f}" height="12" rx="3" fill="{BAR}"><title>{shown}</title></rect></svg>')
