from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from commerce.recommend.models import ItemKNN
from commerce.recommend.store import MODEL_DIR, Artefact, ArtefactStore, ModelHolder
from tests.commerce.recommend.synthetic import N_ITEMS, two_groups


def _artefact(seed: int = 0) -> Artefact:
    model = ItemKNN(neighbours=5).fit(two_groups(seed=seed))
    ids = np.arange(100, 100 + N_ITEMS, dtype=np.int64)
    return Artefact(ids, ids % 3, np.linspace(0, 1, N_ITEMS, dtype=np.float32), model, info={"seed": seed})


def test_an_artefact_round_trips(tmp_path: Path) -> None:
    store = ArtefactStore(tmp_path)
    version = store.save(_artefact())
    loaded = store.load(version)
    assert loaded.version == version and loaded.info["seed"] == 0 and isinstance(loaded.model, ItemKNN)
    assert list(loaded.indices([100, 99, 123, 124])) == [0, -1, 23, -1]
    assert not list(tmp_path.glob(".*"))  # no half-written version left behind


def test_the_catalog_must_match_the_model() -> None:
    artefact = _artefact()
    with pytest.raises(ValueError):
        Artefact(artefact.product_ids[:-1], artefact.category_ids[:-1], artefact.trending[:-1], artefact.model)
    with pytest.raises(ValueError):
        Artefact(artefact.product_ids[::-1], artefact.category_ids, artefact.trending)


def test_the_holder_picks_up_new_versions_and_survives_a_broken_one(tmp_path: Path) -> None:
    store = ArtefactStore(tmp_path, keep=3)
    holder = ModelHolder(store, check_every=0.0)
    assert holder.get() is None
    first = store.save(_artefact(0))
    assert holder.get().version == first  # type: ignore[union-attr]
    second = store.save(_artefact(1))
    assert holder.get().version == second  # type: ignore[union-attr]
    broken = store.save(_artefact(2))
    (tmp_path / broken / MODEL_DIR / "weights.npz").write_bytes(b"not a zip file")
    assert holder.get().version == second  # type: ignore[union-attr]
    for seed in (3, 4):
        store.save(_artefact(seed))
    assert len(store.versions()) == 3


def test_the_fallback_is_built_once_per_ttl(tmp_path: Path) -> None:
    holder = ModelHolder(ArtefactStore(tmp_path), fallback_ttl=60.0)
    built: list[int] = []

    def build() -> Artefact:
        built.append(1)
        return Artefact(np.array([1, 2]), np.array([1, 1]), np.array([2.0, 1.0], dtype=np.float32))

    assert holder.get_or_fallback(build) is holder.get_or_fallback(build)
    assert len(built) == 1
