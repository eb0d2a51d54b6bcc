"""Recommendations for a shopper: the model's ranking of their history, then what the shop can actually offer.

1. History: the customer's visits and orders and/or the current visit's events, newest 200, with the product on
   screen (context_product) as the newest view. It is folded into the model at request time, so an event sent a
   moment ago already counts; with no history (or no trained model) the list is what is trending.
2. Candidates in ranked order, checked against the database: active, in stock, in the category asked for, under
   the price asked for, not bought already unless consumable, and not seen already.
3. A category cap keeps the list diverse; every item gets a short reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from commerce.behaviour import service as behaviour
from commerce.behaviour.models import EventKind, PageType
from commerce.behaviour.schemas import BatchAccepted, EventBatch, EventIn
from commerce.catalog.exceptions import ProductNotFound
from commerce.catalog.models import Product
from commerce.catalog.schemas import ProductSummary
from commerce.money import to_cents
from commerce.recommend import repository
from commerce.recommend.data import Histories
from commerce.recommend.dataset import EVENT_WEIGHTS, collapse
from commerce.recommend.exceptions import CategoryNotFound, CustomerNotFound
from commerce.recommend.ranking import CONSUMABLE_CATEGORIES, diversify
from commerce.recommend.repository import CART, PURCHASE, VIEW
from commerce.recommend.schemas import ClickIn, Reason, Recommendation, RecommendationList, RecommendationQuery
from commerce.recommend.store import Artefact, ModelHolder

HISTORY_LIMIT = 200
POOL = 100  # candidates checked against the database at a time
ROUNDS = 4  # at most this many times
ANCHORS = 20  # newest distinct history items a reason may point at
FALLBACK_WINDOW = timedelta(days=30)
FALLBACK_VERSION = "popularity-fallback"
CONTEXT = "context"  # kind of the product on screen in a history


@dataclass(frozen=True)
class _Step:
    item: int  # index in the artefact
    product_id: int
    kind: str  # view, cart, purchase or context


@dataclass(frozen=True)
class _Rules:
    """What may be on the list, besides the model's opinion."""

    allowed: set[int] | None  # category ids, None: any
    max_cents: int | None
    bought: set[int]  # product ids
    consumable: set[int]  # category ids
    context_id: int | None

    def accepts(self, product: Product | Any) -> bool:  # a Product or a repository.candidates() row
        return (
            product.stock > 0
            and (self.allowed is None or product.category_id in self.allowed)
            and (self.max_cents is None or product.price_cents <= self.max_cents)
            and (product.id not in self.bought or product.category_id in self.consumable)
            and product.id != self.context_id
        )


Candidate = tuple[Product, int, float]  # product, item index, score


def recommend(
    session: Session, holder: ModelHolder, query: RecommendationQuery, customer_id: int | None = None
) -> RecommendationList:
    rules = _rules(session, query, customer_id)
    artefact = holder.get_or_fallback(lambda: popularity_fallback(session))
    steps = _history(session, artefact, customer_id, query.session_key, rules)
    blocked = np.zeros(artefact.n_items, dtype=bool)  # seen already (a consumable bought before may come back)
    blocked[[s.item for s in steps if s.product_id not in rules.bought
             or _category(artefact, s.item) not in rules.consumable]] = True
    if rules.allowed is not None:
        blocked |= ~np.isin(artefact.category_ids, sorted(rules.allowed))

    scores, strategy = _scores(artefact, steps)
    picked = _pick(session, artefact, scores, blocked, rules, query.k)
    items = [
        Recommendation(product=ProductSummary.from_product(product), reason=reason, score=round(score, 4))
        for (product, _, score), reason in zip(picked, _reasons(session, artefact, steps, picked, strategy, rules))
    ]
    if len(items) < query.k and strategy != "popular":
        # Too little from the model (a small catalog, tight filters): top up with what is popular.
        blocked[[item for _, item, _ in picked]] = True
        more = _pick(session, artefact, artefact.trending, blocked, rules, query.k - len(items))
        items += [Recommendation(product=ProductSummary.from_product(p), reason=_popular_reason(p, rules), score=0.0)
                  for p, _, _ in more]
    return RecommendationList(customer_id=customer_id, session_key=query.session_key, strategy=strategy,
                              model_version=artefact.version, items=items)


def _rules(session: Session, query: RecommendationQuery, customer_id: int | None) -> _Rules:
    if customer_id is not None and not repository.customer_exists(session, customer_id):
        raise CustomerNotFound()
    context_id = None
    if query.context_product:
        context_id = repository.product_id_by_sku(session, query.context_product.strip().upper())
        if context_id is None:
            raise ProductNotFound()
    allowed = None
    if query.category:
        allowed = set(repository.category_ids_under(session, query.category.strip().lower()))
        if not allowed:
            raise CategoryNotFound()
    bought = set(repository.bought(session, customer_id)) if customer_id is not None else set()
    return _Rules(
        allowed=allowed,
        max_cents=to_cents(query.max_price) if query.max_price is not None else None,
        bought=bought,
        consumable=repository.category_ids_with_slugs(session, CONSUMABLE_CATEGORIES),
        context_id=context_id,
    )


def _history(
    session: Session, artefact: Artefact, customer_id: int | None, session_key: str | None, rules: _Rules
) -> list[_Step]:
    """The shopper's newest events the artefact knows the products of, oldest first; the product on screen last."""
    events = repository.recent_events(session, customer_id, session_key, HISTORY_LIMIT)
    if customer_id is not None:
        events += repository.purchases(session, customer_id, HISTORY_LIMIT)
    raw = [(product_id, kind) for product_id, kind, _ in sorted(events, key=lambda e: e[2])[-HISTORY_LIMIT:]]
    if rules.context_id is not None:
        raw.append((rules.context_id, CONTEXT))
    indices = artefact.indices([product_id for product_id, _ in raw])
    return [_Step(int(i), p, kind) for (p, kind), i in zip(raw, indices) if i >= 0]


def _category(artefact: Artefact, item: int) -> int:
    return int(artefact.category_ids[item])


def _scores(artefact: Artefact, steps: list[_Step]) -> tuple[np.ndarray, str]:
    if artefact.model is None or not steps:
        return artefact.trending, "popular"
    items, weights = collapse((s.item, VIEW if s.kind == CONTEXT else s.kind) for s in steps)
    history = Histories.from_sequences([items], artefact.n_items, [weights])
    strategy = "similar" if all(s.kind == CONTEXT for s in steps) else "personalised"
    return artefact.model.score(history)[0], strategy


def _pick(
    session: Session, artefact: Artefact, scores: np.ndarray, blocked: np.ndarray, rules: _Rules, k: int
) -> list[Candidate]:
    """The k best acceptable products, checked against the database POOL at a time, then spread over categories.
    Equal scores (items the model knows nothing about) go by popularity."""
    usable = np.flatnonzero(~blocked & np.isfinite(scores))
    if len(usable) > POOL * ROUNDS:
        usable = usable[np.argpartition(-scores[usable], POOL * ROUNDS - 1)[: POOL * ROUNDS]]
    order = usable[np.lexsort((usable, -artefact.trending[usable], -scores[usable]))]
    # The pool is checked on a few columns only; whole products (brand, category) are loaded for the k chosen.
    found: list[tuple[Any, int, float]] = []
    for start in range(0, len(order), POOL):
        chunk = order[start : start + POOL]
        rows = repository.candidates(session, [int(artefact.product_ids[i]) for i in chunk])
        for item in chunk:
            row = rows.get(int(artefact.product_ids[item]))
            if row is not None and rules.accepts(row):
                found.append((row, int(item), float(scores[item])))
        if len(found) >= 3 * k:
            break
    chosen = diversify(found, k, key=lambda c: c[0].category_id)
    products = repository.products(session, [row.id for row, _, _ in chosen])
    return [(products[row.id], item, score) for row, item, score in chosen if row.id in products]


def _reasons(
    session: Session, artefact: Artefact, steps: list[_Step], picked: list[Candidate], strategy: str, rules: _Rules
) -> list[Reason]:
    if strategy == "popular" or not picked:
        return [_popular_reason(product, rules) for product, _, _ in picked]
    anchors: list[_Step] = []
    for step in reversed(steps):  # newest first
        if step.item not in {a.item for a in anchors}:
            anchors.append(step)
        if len(anchors) == ANCHORS:
            break
    assert artefact.model is not None
    similarity = artefact.model.item_similarity(np.array([a.item for a in anchors]), np.array([c[1] for c in picked]))
    titles = repository.titles(session, [a.product_id for a in anchors])
    reasons = []
    for column, (product, _, _) in enumerate(picked):
        best = int(np.argmax(similarity[:, column]))  # the newest anchor wins a tie
        anchor = titles.get(anchors[best].product_id)
        if product.id in rules.bought:
            reasons.append(Reason(code="buy_again", text="Buy again: you have bought this before."))
        elif similarity[best, column] > 0 and anchor is not None:
            reasons.append(_because(anchors[best].kind, anchor))
        else:
            reasons.append(Reason(code="for_you", text="Picked for you from what you have looked at."))
    return reasons


def _because(kind: str, anchor: Any) -> Reason:  # anything with a title and a sku
    code, text = {
        CONTEXT: ("similar", "Similar to {}"),
        VIEW: ("viewed", "Because you viewed {}"),
        CART: ("carted", "Because you added {} to your cart"),
        PURCHASE: ("bought", "Because you bought {}"),
    }[kind]
    return Reason(code=code, text=text.format(anchor.title), product_sku=anchor.sku)  # type: ignore[arg-type]


def _popular_reason(product: Product, rules: _Rules) -> Reason:
    if rules.allowed is not None:
        return Reason(code="popular_in_category", text=f"Popular in {product.category.name}")
    return Reason(code="trending", text="Popular in the shop right now")


def popularity_fallback(session: Session) -> Artefact:
    """Until a model is trained: interactions per product over the last 30 days of activity, from the database."""
    catalog = repository.active_products(session)
    product_ids = np.array([p for p, _ in catalog], dtype=np.int64)
    counts = np.zeros(len(product_ids), dtype=np.float32)
    latest = repository.latest_activity(session)
    if latest is not None and len(product_ids):
        since = latest - FALLBACK_WINDOW
        rows = [(p, EVENT_WEIGHTS[kind] * n) for p, kind, n in repository.event_counts(session, since)]
        rows += [(p, EVENT_WEIGHTS[PURCHASE] * n) for p, n in repository.purchase_counts(session, since)]
        if rows:
            ids = np.array([p for p, _ in rows], dtype=np.int64)
            pos = np.minimum(np.searchsorted(product_ids, ids), len(product_ids) - 1)
            known = product_ids[pos] == ids
            np.add.at(counts, pos[known], np.array([w for _, w in rows], dtype=np.float32)[known])
    return Artefact(
        product_ids=product_ids,
        category_ids=np.array([c for _, c in catalog], dtype=np.int64),
        trending=counts,
        version=FALLBACK_VERSION,
    )


def record_click(session: Session, click: ClickIn) -> BatchAccepted:
    """A click on a recommendation, stored through the behaviour log as a product view whose page says where it
    came from (so training counts it as a view, and click-through can be measured per model version)."""
    sku = click.sku.strip().upper()
    if repository.product_id_by_sku(session, sku) is None:
        raise ProductNotFound()
    page = f"/products/{sku}?ref=recommendation&pos={click.position}"
    if click.model_version:
        page += f"&model={click.model_version}"
    event = EventIn(occurred_at=click.occurred_at, kind=EventKind.PAGE_VIEW, page_type=PageType.PRODUCT, page=page,
                    product_sku=sku)
    return behaviour.ingest(session, EventBatch(visit=click.visit, events=[event]))

