"""Money is stored in cents and shown as exact decimal strings ("24.99")."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field

Money = Annotated[Decimal, Field(description="Amount in the currency's major unit, as an exact decimal string.")]


def from_cents(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2).quantize(Decimal("0.01"))


def to_cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())
