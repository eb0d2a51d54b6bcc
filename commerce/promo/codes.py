"""Offer codes: short, unguessable, unambiguous to read aloud or type (no 0/O, 1/I/L)."""
from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 10  # 31^10 ~ 8e14 codes: guessing one is hopeless


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(raw: str) -> str:
    return raw.strip().upper().replace("-", "").replace(" ", "")
