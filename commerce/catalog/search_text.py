"""The denormalised text that full-text search indexes besides title and description."""

from __future__ import annotations

from typing import Any


def build_search_text(brand: str, category_path: str, attributes: dict[str, Any]) -> str:
    values = " ".join(str(v) for v in attributes.values())
    return f"{brand} {category_path} {values}".strip()
