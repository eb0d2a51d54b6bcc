from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from commerce.behaviour.models import EventKind
from commerce.recommend import train
from commerce.recommend.data import Histories
from commerce.recommend.store import ArtefactStore
from tests.commerce.recommend.shop import Shop, add_events


def test_training_publishes_a_version_with_held_out_metrics(db: Session, shop: Shop, store: ArtefactStore) -> None:
    version = train.run(db, store)
    assert version is not None and store.latest() == version
    meta = store.metadata(version)
    assert meta["model"] == train.DEFAULT_MODEL and meta["data"]["shoppers"] == 24 and meta["data"]["products"] == 20
    assert meta["metrics"]["held_out_shoppers"] == 24
    for name in ("popularity", train.DEFAULT_MODEL):
        assert 0.0 <= meta["metrics"][name]["ndcg@10"] <= meta["metrics"][name]["hr@10"] <= 1.0
    # Shoppers stay inside one department: the model finds that, popularity cannot.
    assert meta["metrics"][train.DEFAULT_MODEL]["hr@10"] > meta["metrics"]["popularity"]["hr@10"]
    assert store.load(version).model is not None


def test_if_changed_trains_only_when_the_events_changed(db: Session, shop: Shop, store: ArtefactStore) -> None:
    first = train.run(db, store, if_changed=True)
    assert train.run(db, store, if_changed=True) is None
    add_events(db, [(shop.products["a1"][0], EventKind.PAGE_VIEW), (shop.products["a1"][1], EventKind.PAGE_VIEW)])
    second = train.run(db, store, if_changed=True)
    assert second is not None and second != first


def test_an_empty_shop_is_refused_with_an_explanation(db: Session, store: ArtefactStore) -> None:
    with pytest.raises(train.NotEnoughData, match="make db"):
        train.run(db, store)


def test_holdout_removes_the_last_event_of_histories_with_three_or_more() -> None:
    histories = Histories.from_sequences([[0, 1, 2], [3, 4], [5, 6, 7, 8]], 9)
    rest, held, targets = train.holdout(histories)
    assert [list(s) for s in rest.items] == [[0, 1], [3, 4], [5, 6, 7]]
    assert list(held) == [0, 2] and list(targets) == [2, 8]
