"""The request path's shortcuts: the catalog snapshot must never let a sold-out product through, and the
one-shopper fast paths must give what the general ones give."""

from __future__ import annotations

import numpy as np
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from commerce.recommend import train
from commerce.recommend.data import Histories
from commerce.recommend.models import ItemKNN
from commerce.recommend.snapshot import CatalogSnapshot
from commerce.recommend.store import ArtefactStore, ModelHolder, get_holder
from tests.commerce.recommend.shop import Shop
from tests.commerce.recommend.synthetic import N_ITEMS, two_groups


def _skus(body: dict) -> list[str]:
    return [item["product"]["sku"] for item in body["items"]]


def test_a_product_sold_out_after_the_snapshot_is_never_recommended(
    api: TestClient, db: Session, shop: Shop, store: ArtefactStore, holder: ModelHolder
) -> None:
    train.run(db, store)
    customer = shop.shoppers["a"][0]
    url = f"/v1/customers/{customer.id}/recommendations"
    first = api.get(url, params={"k": 4}).json()
    snapshot = holder.catalog(db)
    by_sku = {p.sku: p for ps in shop.products.values() for p in ps}
    gone = by_sku[_skus(first)[0]]
    gone.stock = 0
    db.commit()
    second = api.get(url, params={"k": 4}).json()
    assert holder.catalog(db) is snapshot  # still the copy that thinks it in stock
    assert gone.sku not in _skus(second) and len(second["items"]) == 4
    assert all(item["product"]["in_stock"] for item in second["items"])


def test_a_restocked_product_comes_back_when_the_snapshot_is_refreshed(
    client: TestClient, db: Session, shop: Shop, store: ArtefactStore
) -> None:
    train.run(db, store)
    holder = ModelHolder(store, check_every=0.0, catalog_ttl=0.0)
    client.app.dependency_overrides[get_holder] = lambda: holder  # type: ignore[attr-defined]
    department = shop.departments["b"]
    for product in shop.department("b"):
        product.stock = 0
    db.commit()
    params = {"category": department.slug, "k": 6}
    assert client.get("/v1/recommendations", params=params).json()["items"] == []
    back = shop.products["b1"][0]
    back.stock = 3
    db.commit()
    assert _skus(client.get("/v1/recommendations", params=params).json()) == [back.sku]


def test_the_snapshot_sees_an_artefacts_items_as_the_database_does(db: Session, shop: Shop) -> None:
    sold_out, retired = shop.products["a1"][0], shop.products["a1"][1]
    sold_out.stock = 0
    retired.is_active = False
    db.commit()
    snapshot = CatalogSnapshot.read(db)
    kept = shop.products["a2"][0]
    ids = np.array(sorted([sold_out.id, retired.id, kept.id, 10**9]), dtype=np.int64)
    view = snapshot.view(ids)
    at = {int(p): i for i, p in enumerate(ids)}
    assert [bool(view.active[at[p.id]]) for p in (sold_out, retired, kept)] == [True, False, True]
    assert [bool(view.in_stock[at[p.id]]) for p in (sold_out, retired, kept)] == [False, False, True]
    assert not view.active[at[10**9]] and view.category_ids[at[10**9]] == -1
    assert view.category_ids[at[kept.id]] == kept.category_id
    assert snapshot.view(ids) is view
    a = shop.departments["a"]
    assert sorted(snapshot.category_ids_under(a.slug)) == sorted(
        [a.id, shop.categories["a1"].id, shop.categories["a2"].id]
    )
    assert snapshot.category_ids_under("no-such-category") == []


def test_one_shoppers_matrix_is_the_general_one() -> None:
    rng = np.random.default_rng(0)
    for _ in range(50):
        items = rng.integers(0, N_ITEMS, rng.integers(0, 12))
        weights = rng.random(len(items)).astype(np.float32)
        one = Histories.from_sequences([items], N_ITEMS, [weights])
        two = Histories.from_sequences([items, items[:1]], N_ITEMS, [weights, weights[:1]])
        for decay in (None, 0.5):
            np.testing.assert_allclose(one.matrix(decay).toarray(), two.matrix(decay)[[0]].toarray(), rtol=1e-6)


def test_item_knn_similarity_of_some_items_matches_slicing_the_matrix() -> None:
    model = ItemKNN(neighbours=5).fit(two_groups())
    rng = np.random.default_rng(1)
    for _ in range(50):
        items = rng.integers(0, N_ITEMS, rng.integers(1, 6))
        others = rng.integers(0, N_ITEMS, rng.integers(1, 8))  # repeats included
        expected = model.similarity[items][:, others].toarray()
        np.testing.assert_array_equal(model.item_similarity(items, others), expected)
