"""Departments, categories, brands and products."""

from __future__ import annotations

import random
import re
import string
from dataclasses import dataclass
from datetime import datetime, timedelta

from commerce import models
from commerce.catalog.search_text import build_search_text
from commerce.seed.vocabulary import CLOSINGS, DEPARTMENTS, OPENINGS, CategorySpec
from commerce.seed.writer import BulkWriter

PRODUCTS_PER_SCALE = 500
MIN_PRODUCTS = sum(len(d.categories) for d in DEPARTMENTS)
CURRENCY = "EUR"


@dataclass(frozen=True)
class SeededProduct:
    """What later generators need to know about a product, without querying it back."""

    id: int
    sku: str
    title: str
    noun: str
    brand: str
    department: str
    category_slug: str
    price_cents: int


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _price_cents(rng: random.Random, low: int, high: int) -> int:
    # Log-uniform between the bounds, ending in .99, .95 or .00 as shops price things.
    euros = max(int(low * (high / low) ** rng.random()), 2)
    return euros * 100 - rng.choice((1, 1, 1, 5, 0))


def _description(rng: random.Random, spec: CategorySpec, noun: str, brand: str) -> str:
    opening = rng.choice(OPENINGS).format(purpose=spec.purpose, noun=noun.lower(), brand=brand)
    features = rng.sample(spec.features, k=min(2, len(spec.features)))
    closing = rng.choice(CLOSINGS).format(brand=brand)
    return " ".join([opening, *features, closing])


def generate(writer: BulkWriter, rng: random.Random, total: int, now: datetime) -> list[SeededProduct]:
    category_ids: dict[str, int] = {}
    brand_ids: dict[str, int] = {}
    next_category = 1
    for department in DEPARTMENTS:
        writer.add(
            models.Category, {"id": next_category, "slug": department.slug, "name": department.name, "parent_id": None}
        )
        department_id = next_category
        next_category += 1
        for spec in department.categories:
            writer.add(
                models.Category, {"id": next_category, "slug": spec.slug, "name": spec.name, "parent_id": department_id}
            )
            category_ids[spec.slug] = next_category
            next_category += 1
        for brand in department.brands:
            brand_ids[brand] = len(brand_ids) + 1
            writer.add(models.Brand, {"id": brand_ids[brand], "slug": _slug(brand), "name": brand})

    specs = [(d, c) for d in DEPARTMENTS for c in d.categories]
    products: list[SeededProduct] = []
    per_department: dict[str, int] = {}
    for index in range(total):
        department, spec = specs[index % len(specs)] if index < len(specs) else rng.choice(specs)
        noun = rng.choice(spec.nouns)
        values = {name: rng.choice(options) for name, options in spec.attributes.items()}
        brand = rng.choice(department.brands)
        title = f"{brand} " + spec.title.format(noun=noun, **values)
        per_department[department.code] = per_department.get(department.code, 0) + 1
        sku = f"{department.code}-{per_department[department.code]:05d}"
        price = _price_cents(rng, *spec.price)
        attributes = {name: value for name, value in values.items()}
        # About one product in twelve is sold out; a few are nearly gone.
        roll = rng.random()
        stock = 0 if roll < 0.08 else rng.randint(1, 6) if roll < 0.2 else rng.randint(7, 240)
        path = f"{department.name} > {spec.name}"
        created = now - timedelta(days=rng.randint(1, 900), seconds=rng.randint(0, 86399))
        writer.add(
            models.Product,
            {
                "id": index + 1,
                "sku": sku,
                "title": title,
                "description": _description(rng, spec, noun, brand),
                "category_id": category_ids[spec.slug],
                "brand_id": brand_ids[brand],
                "price_cents": price,
                "currency": CURRENCY,
                "stock": stock,
                "attributes": attributes,
                "image_url": f"/images/products/{sku}.svg",
                "is_active": True,
                "search_text": build_search_text(brand, path, attributes),
                "created_at": created,
                "updated_at": created,  # a seeded shop is the same shop every time, to the microsecond
            },
        )
        products.append(SeededProduct(index + 1, sku, title, noun, brand, department.slug, spec.slug, price))
    return products


def search_terms(products: list[SeededProduct], rng: random.Random) -> str:
    """A query a shopper might type: a noun, sometimes with a brand or a colour word."""
    product = rng.choice(products)
    words = product.noun.lower().split()
    if rng.random() < 0.25:
        return product.brand.lower()
    if rng.random() < 0.3 and len(words) > 1:
        return words[-1]
    query = " ".join(words)
    return query.translate(str.maketrans("", "", string.punctuation.replace("-", "")))
