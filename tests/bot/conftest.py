"""Sentences of two intents, written for these tests."""

import pytest

TRACK = ["where is my parcel", "my package has not arrived yet", "track the delivery of order SA-100231",
         "when will my shoes get here", "has my order shipped", "status of my shipment please",
         "the courier still has not come", "where's the stuff i bought last week"]
REFUND = ["i want my money back", "please refund the jacket", "how do i get a refund for a broken lamp",
          "return this and pay me back", "money back for the cancelled order", "refund me now",
          "can i have a refund on the gift", "send the refund to my card"]


@pytest.fixture
def two_intents() -> dict:
    return {"track": list(TRACK), "refund": list(REFUND)}
