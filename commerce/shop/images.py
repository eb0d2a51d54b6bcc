"""Product pictures drawn as SVG, so the demo shop needs no image files."""

from __future__ import annotations

import hashlib
from html import escape

_PALETTE = ["#2f6f62", "#8a5a44", "#3d5a80", "#9c6644", "#5f0f40", "#386641", "#6d597a", "#b56576"]


def product_svg(sku: str, title: str, department: str) -> str:
    digest = hashlib.sha256(sku.encode()).digest()
    background = _PALETTE[digest[0] % len(_PALETTE)]
    accent = _PALETTE[digest[1] % len(_PALETTE)]
    initials = "".join(word[0] for word in title.split()[:2] if word[:1].isalnum()).upper() or "?"
    radius = 60 + digest[2] % 50
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="480" height="360" viewBox="0 0 480 360">'
        f'<rect width="480" height="360" fill="{background}"/>'
        f'<circle cx="{300 + digest[3] % 80}" cy="{120 + digest[4] % 80}" r="{radius}" fill="{accent}" opacity="0.55"/>'
        '<text x="40" y="210" font-family="Georgia, serif" font-size="96" fill="#fff">'
        f"{escape(initials)}</text>"
        '<text x="42" y="300" font-family="Helvetica, Arial, sans-serif" font-size="22" fill="#fff" opacity="0.85">'
        f"{escape(department)}</text></svg>"
    )
