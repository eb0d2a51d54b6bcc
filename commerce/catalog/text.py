"""Words of product texts and of shoppers' queries, as the catalog search index compares them."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

MAX_QUERY_WORDS = 8
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Words that carry no meaning in a product search ("do you have a rain jacket"). Deliberately short: "down",
# "over", "off" or "all" name products ("down jacket", "all-weather boots") and are kept.
STOP_WORDS = frozenset(
    "a an and any are can do does for from have i in is it me my of on or please show some the to want "
    "with you your".split()
)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def _fold(text: str) -> str:
    """Lower case without diacritics, so "Crème" and "creme" are one word."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The words of a text, folded, stop words removed; punctuation and operators are dropped, never read."""
    return [w for w in _WORD.findall(_fold(text)) if w not in STOP_WORDS]


def query_words(query: str) -> list[str]:
    return words(query)[:MAX_QUERY_WORDS]


def stems(surface: list[str]) -> list[str]:
    """Snowball stems, so "jackets" finds "jacket"."""
    return _stemmer().stemWords(surface)
