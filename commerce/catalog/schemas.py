from __future__ import annotations

import enum
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from commerce.catalog.models import Product
from commerce.money import Money, from_cents

MAX_PAGE_SIZE = 100
MAX_PAGE = 500
PriceIn = Annotated[Decimal, Field(ge=0, le=1_000_000, max_digits=9, decimal_places=2)]


class ProductSort(str, enum.Enum):
    RELEVANCE = "relevance"  # best text match first; newest first when there is no text query
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    NEWEST = "newest"
    TITLE = "title"


class ProductQuery(BaseModel):
    """Search and filter parameters for GET /v1/products."""

    model_config = ConfigDict(extra="forbid")

    q: str | None = Field(None, max_length=100, description="Words to find in title, description, brand, category.")
    category: str | None = Field(None, max_length=80, description="Category or department slug, e.g. knitwear.")
    brand: str | None = Field(None, max_length=80, description="Brand slug, e.g. woolery-co.")
    min_price: PriceIn | None = None
    max_price: PriceIn | None = None
    in_stock: bool | None = Field(None, description="true: only products that can ship now.")
    sort: ProductSort = ProductSort.RELEVANCE
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)

    @model_validator(mode="after")
    def _price_range(self) -> ProductQuery:
        if self.min_price is not None and self.max_price is not None and self.min_price > self.max_price:
            raise ValueError("min_price is higher than max_price; swap them or drop one.")
        return self


class ProductSummary(BaseModel):
    sku: str
    title: str
    brand: str
    category: str
    price: Money
    currency: str
    in_stock: bool
    image_url: str
    url: str

    @classmethod
    def from_product(cls, product: Product) -> ProductSummary:
        return cls(
            sku=product.sku,
            title=product.title,
            brand=product.brand.name,
            category=product.category.name,
            price=from_cents(product.price_cents),
            currency=product.currency,
            in_stock=product.stock > 0,
            image_url=product.image_url,
            url=f"/products/{product.sku}",
        )


class ProductPage(BaseModel):
    items: list[ProductSummary]
    total: int
    page: int
    page_size: int
    pages: int


class CategoryRef(BaseModel):
    slug: str
    name: str


class ProductPublic(ProductSummary):
    description: str
    category_path: list[CategoryRef]
    stock: int
    attributes: dict[str, Any]

    @classmethod
    def from_product_with_path(cls, product: Product, path: list[CategoryRef]) -> ProductPublic:
        summary = ProductSummary.from_product(product)
        return cls(
            **summary.model_dump(),
            description=product.description,
            category_path=path,
            stock=product.stock,
            attributes=product.attributes or {},
        )
