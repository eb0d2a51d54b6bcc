from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from commerce.intent import dataset, train
from commerce.intent.features import FEATURES
from commerce.intent.store import ArtefactStore
from commerce.intent.training import TrainingConfig
from commerce.seed import Sizes, seed


@pytest.fixture
def shop(db: Session) -> Session:
    seed(db, Sizes(products=60, customers=30, sessions=400), today=date(2026, 11, 28))
    return db


def test_event_log_gives_one_labelled_row_per_visit(shop: Session) -> None:
    rows, labels = dataset.from_event_log(shop)
    assert len(rows) == len(labels) == 400
    assert set(rows[0]) == set(FEATURES)
    assert 0.05 < labels.mean() < 0.4  # the demo shop converts roughly one visit in six
    assert dataset.fingerprint(rows, labels) == dataset.fingerprint(*dataset.from_event_log(shop))


def test_training_publishes_a_versioned_artefact_with_metrics_and_fingerprint(
    shop: Session, tmp_path, tiny_config: TrainingConfig
) -> None:
    store = ArtefactStore(tmp_path)
    version = train.run(shop, store, config=tiny_config)
    assert version == store.latest()
    metadata = store.metadata(version)
    assert metadata["data"]["visits"] == 400 and metadata["data"]["fingerprint"]
    assert metadata["features"] == list(FEATURES)
    test = metadata["metrics"]["held_out_test"]
    assert 0.5 < test["roc_auc"] <= 1 and 0 < test["pr_auc"] <= 1 and metadata["metrics"]["test_visits"] == 80
    assert store.load(version).version == version

    assert train.run(shop, store, config=tiny_config, if_changed=True) is None
    assert store.versions() == [version]


def test_too_little_data_is_refused_with_advice(db: Session, tmp_path, tiny_config: TrainingConfig) -> None:
    with pytest.raises(train.NotEnoughData, match="make db"):
        train.run(db, ArtefactStore(tmp_path), config=tiny_config)
