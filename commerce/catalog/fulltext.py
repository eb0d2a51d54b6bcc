"""Full-text matching and ranking per dialect, over the structures the search migrations create."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal_column, select, text

from commerce.catalog.models import Product

MAX_TERMS = 8
# Shorter words match whole words only: a prefix search for "s" would match nearly every product.
MIN_PREFIX_LENGTH = 3
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Words that carry no meaning in a product search ("do you have a rain jacket"). Removing them here keeps
# SQLite (which has no stop-word list) and PostgreSQL (whose english configuration does) in agreement.
STOP_WORDS = frozenset(
    "a an and any are can do does for from have i in is it me my of on or please show some the to want "
    "with you your".split()
)


def terms(query: str) -> list[str]:
    """Words of a free-text query, lower-cased; punctuation and operators are dropped, never interpreted."""
    words = [word.lower() for word in _WORD.findall(query)]
    return [w for w in words if w not in STOP_WORDS][:MAX_TERMS]


def _prefix(word: str, marker: str) -> str:
    return word + marker if len(word) >= MIN_PREFIX_LENGTH else word


def apply(stmt: Select[Any], dialect: str, words: list[str], ranked: bool) -> tuple[Select[Any], ColumnElement[float]]:
    """Restrict stmt to products matching every word (as a prefix: "jack" finds "jacket").

    Returns the statement and a score where larger is a better match (a constant unless ranked).
    Stemming (Porter on SQLite, the english configuration on PostgreSQL) lets "jackets" find "jacket".
    """
    if dialect == "sqlite":
        expression = " AND ".join(f'"{word}"{"*" if len(word) >= MIN_PREFIX_LENGTH else ""}' for word in words)
        fts = literal_column("products_fts")
        # Column weights: title 10, brand/category/attributes 4, description 1; bm25 is lower-is-better.
        score = -func.bm25(fts, 10.0, 4.0, 1.0) if ranked else literal_column("0")
        # Materialised so the FTS index runs once and drives the join to products.
        matches = (
            select(literal_column("rowid").label("id"), score.label("score"))
            .select_from(text("products_fts"))
            .where(fts.op("MATCH")(expression))
            .cte("text_matches")
            .prefix_with("MATERIALIZED")
        )
        return stmt.join(matches, matches.c.id == Product.id), matches.c.score
    if dialect == "postgresql":
        vector = literal_column("products.search_vector")
        query = func.to_tsquery("english", " & ".join(_prefix(word, ":*") for word in words))
        # Weights for the D, C, B, A labels: description 0.1, brand/category/attributes 0.4, title 1.0.
        weights = literal_column("'{0.1, 0.1, 0.4, 1.0}'::float4[]")
        score = func.ts_rank(weights, vector, query) if ranked else literal_column("0")
        return stmt.where(vector.op("@@")(query)), score
    raise NotImplementedError(f"no full-text search for {dialect}")
