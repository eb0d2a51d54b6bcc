"""Export the catalog's brand, category and product names for the bot's entity recogniser.

    python -m commerce.catalog.terms --out var/catalog_terms.json

The bot's CatalogEntityExtractor turns these into spaCy patterns at training time, so products the shop
adds are recognised after the next training without writing new examples.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from commerce.catalog.models import Brand, Category, Product
from commerce.db import get_engine


def catalog_terms(session: Session) -> dict[str, list[str]]:
    brands = sorted(set(session.scalars(select(Brand.name))))
    categories = sorted(set(session.scalars(select(Category.name))))
    titles = set()
    for title, brand in session.execute(
        select(Product.title, Brand.name).join(Brand, Product.brand_id == Brand.id).where(Product.is_active)
    ):
        # Shoppers rarely type the brand in front of the product's own name, so keep both forms.
        titles.add(title)
        if title.lower().startswith(brand.lower() + " "):
            titles.add(title[len(brand) + 1 :])
    return {"brand": brands, "category": categories, "product": sorted(titles)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    with Session(get_engine()) as session:
        terms = catalog_terms(session)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(terms, indent=1, ensure_ascii=False) + "\n")
    print(f"[terms] {len(terms['brand'])} brands, {len(terms['category'])} categories, "
          f"{len(terms['product'])} product names -> {args.out}")


if __name__ == "__main__":
    main()
