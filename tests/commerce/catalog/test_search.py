"""Product search (the in-memory index of commerce/catalog/search_index.py) on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.commerce import factories

SEARCH = "/v1/products"


@pytest.fixture
def shelf(db: Session) -> dict:
    clothing = factories.category(db, slug="clothing", name="Clothing")
    jackets = factories.category(db, slug="jackets", name="Jackets & Coats", parent=clothing)
    kitchen = factories.category(db, slug="kitchen", name="Kitchen")
    harbour = factories.brand(db, slug="harbourline", name="Harbourline")
    hearth = factories.brand(db, slug="hearthmoor", name="Hearthmoor")
    make = lambda **kw: factories.product(db, **kw)  # noqa: E731
    return {
        "rain": make(
            title="Harbourline Rain Jacket, Navy",
            category=jackets,
            brand=harbour,
            price_cents=8900,
            description="A light shell for wet commutes.",
            attributes={"colour": "Navy"},
        ),
        "down": make(
            title="Harbourline Down Jacket, Olive",
            category=jackets,
            brand=harbour,
            price_cents=17900,
            stock=0,
            description="Warm without bulk.",
        ),
        "coat": make(
            title="Wool Coat, Camel",
            category=jackets,
            brand=harbour,
            price_cents=24900,
            description="Pairs well with a rain jacket on the worst days.",
        ),
        "pan": make(
            title="Hearthmoor Cast Iron Frying Pan, 28 cm",
            category=kitchen,
            brand=hearth,
            price_cents=5900,
            description="Heats evenly on induction hobs.",
        ),
    }


def skus(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["sku"] for item in response.json()["items"]]


def test_text_search_finds_title_words_and_ranks_title_matches_first(client: TestClient, shelf: dict) -> None:
    found = skus(client.get(SEARCH, params={"q": "rain jacket"}))
    assert found[0] == shelf["rain"].sku
    assert shelf["coat"].sku in found  # matched through its description
    assert shelf["pan"].sku not in found


def test_plural_prefix_and_stop_words(client: TestClient, shelf: dict) -> None:
    assert shelf["rain"].sku in skus(client.get(SEARCH, params={"q": "jackets"}))
    assert shelf["pan"].sku in skus(client.get(SEARCH, params={"q": "fry"}))
    assert skus(client.get(SEARCH, params={"q": "do you have a frying pan"})) == [shelf["pan"].sku]


def test_search_covers_brand_category_and_attributes(client: TestClient, shelf: dict) -> None:
    assert set(skus(client.get(SEARCH, params={"q": "hearthmoor"}))) == {shelf["pan"].sku}
    assert shelf["coat"].sku in skus(client.get(SEARCH, params={"q": "coats"}))
    assert shelf["rain"].sku in skus(client.get(SEARCH, params={"q": "navy"}))


def test_filters(client: TestClient, shelf: dict) -> None:
    clothing = set(skus(client.get(SEARCH, params={"category": "clothing"})))
    assert clothing == {shelf["rain"].sku, shelf["down"].sku, shelf["coat"].sku}  # department includes children
    assert set(skus(client.get(SEARCH, params={"brand": "hearthmoor"}))) == {shelf["pan"].sku}
    in_range = set(skus(client.get(SEARCH, params={"min_price": "59", "max_price": "100"})))
    assert in_range == {shelf["rain"].sku, shelf["pan"].sku}
    assert shelf["down"].sku not in skus(client.get(SEARCH, params={"category": "jackets", "in_stock": "true"}))
    assert skus(client.get(SEARCH, params={"category": "no-such-category"})) == []


def test_sorting_and_pagination(client: TestClient, shelf: dict) -> None:
    cheap_first = skus(client.get(SEARCH, params={"category": "clothing", "sort": "price_asc"}))
    assert cheap_first == [shelf["rain"].sku, shelf["down"].sku, shelf["coat"].sku]
    page = client.get(SEARCH, params={"category": "clothing", "sort": "price_desc", "page_size": 2, "page": 2}).json()
    assert [i["sku"] for i in page["items"]] == [shelf["rain"].sku]
    assert (page["total"], page["pages"], page["page"]) == (3, 2, 2)
    beyond = client.get(SEARCH, params={"category": "clothing", "page": 9}).json()
    assert beyond["items"] == [] and beyond["total"] == 3


def test_word_prefixes_match_words_as_written_not_their_stems(client: TestClient, db: Session, shelf: dict) -> None:
    # "running" is stemmed to "run", so a stem index alone would find nothing for "runn" or "recy".
    shoe = factories.product(db, title="Trail Running Shoe", description="Recycled mesh upper.")
    assert skus(client.get(SEARCH, params={"q": "runn"})) == [shoe.sku]
    assert skus(client.get(SEARCH, params={"q": "recy"})) == [shoe.sku]
    assert skus(client.get(SEARCH, params={"q": "ru"})) == []  # too short to be a prefix


def test_words_that_name_products_are_not_stop_words(client: TestClient, shelf: dict) -> None:
    assert skus(client.get(SEARCH, params={"q": "down"})) == [shelf["down"].sku]
    assert skus(client.get(SEARCH, params={"q": "down jacket"}))[0] == shelf["down"].sku


def test_accents_and_case_do_not_matter(client: TestClient, db: Session, shelf: dict) -> None:
    creme = factories.product(db, title="Crème Brûlée Torch")
    assert skus(client.get(SEARCH, params={"q": "CREME brulee"})) == [creme.sku]
    assert skus(client.get(SEARCH, params={"q": "crème"})) == [creme.sku]


def test_changes_are_searchable_on_the_next_request(client: TestClient, db: Session, shelf: dict) -> None:
    assert shelf["pan"].sku in skus(client.get(SEARCH, params={"q": "pan", "in_stock": "true"}))
    shelf["pan"].stock = 0
    shelf["pan"].price_cents = 1500
    db.commit()
    assert skus(client.get(SEARCH, params={"q": "pan", "in_stock": "true"})) == []
    assert skus(client.get(SEARCH, params={"q": "pan", "max_price": "15"})) == [shelf["pan"].sku]

    shelf["coat"].title = "Wool Overcoat, Camel"
    db.commit()
    assert skus(client.get(SEARCH, params={"q": "overcoat"})) == [shelf["coat"].sku]
    kettle = factories.product(db, title="Stovetop Kettle", brand=shelf["pan"].brand)
    assert skus(client.get(SEARCH, params={"q": "kettle"})) == [kettle.sku]

    shelf["rain"].is_active = False
    db.commit()
    assert shelf["rain"].sku not in skus(client.get(SEARCH, params={"q": "jacket"}))
    assert shelf["rain"].sku not in skus(client.get(SEARCH, params={"category": "jackets"}))


def test_stock_taken_by_an_order_shows_in_the_in_stock_filter(client: TestClient, db: Session, shelf: dict) -> None:
    from commerce.catalog import service

    shelf["pan"].stock = 1
    db.commit()
    assert skus(client.get(SEARCH, params={"brand": "hearthmoor", "in_stock": "true"})) == [shelf["pan"].sku]
    service.take_stock(db, shelf["pan"].sku, 1)  # a Core UPDATE, as checkout does it
    db.commit()
    assert skus(client.get(SEARCH, params={"brand": "hearthmoor", "in_stock": "true"})) == []
    assert skus(client.get(SEARCH, params={"brand": "hearthmoor", "in_stock": "false"})) == [shelf["pan"].sku]


def test_title_and_newest_orders_and_pages_do_not_overlap(client: TestClient, db: Session, shelf: dict) -> None:
    by_title = skus(client.get(SEARCH, params={"category": "clothing", "sort": "title"}))
    assert by_title == [shelf["down"].sku, shelf["rain"].sku, shelf["coat"].sku]
    newest = skus(client.get(SEARCH, params={"category": "clothing", "sort": "newest"}))
    assert newest == [shelf["coat"].sku, shelf["down"].sku, shelf["rain"].sku]
    pages = [
        skus(client.get(SEARCH, params={"q": "jacket", "page_size": 1, "page": page})) for page in (1, 2, 3)
    ]
    assert sorted(sum(pages, [])) == sorted(skus(client.get(SEARCH, params={"q": "jacket"})))


@pytest.mark.parametrize(
    "q", ['"', "jacket OR pan", "*", "NEAR(a b)", "jacket -pan", "'; drop table products; --", "ünïcödé", "🧥"]
)
def test_query_syntax_is_never_interpreted(client: TestClient, shelf: dict, q: str) -> None:
    response = client.get(SEARCH, params={"q": q})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"page_size": 101},
        {"page": 0},
        {"q": "x" * 101},
        {"min_price": -1},
        {"min_price": 10, "max_price": 5},
        {"sort": "random"},
        {"in_stock": "maybe"},
    ],
)
def test_limits_are_enforced(client: TestClient, params: dict) -> None:
    response = client.get(SEARCH, params=params)
    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"


def test_product_detail(client: TestClient, shelf: dict) -> None:
    body = client.get(f"{SEARCH}/{shelf['rain'].sku.lower()}").json()
    assert body["title"] == "Harbourline Rain Jacket, Navy"
    assert body["price"] == "89.00" and body["currency"] == "EUR"
    assert [c["slug"] for c in body["category_path"]] == ["clothing", "jackets"]
    assert body["attributes"] == {"colour": "Navy"} and body["in_stock"] is True


def test_unknown_product_is_a_404_in_the_error_shape(client: TestClient) -> None:
    response = client.get(f"{SEARCH}/NOPE-1")
    assert response.status_code == 404
    assert response.json()["error"] == "product_not_found"
