"""Recommendations for a shopper: the model's ranking of their history, then what the shop can actually offer.

1. One query reads the shopper: whether the customer exists, the product on screen, the customer's visits and/or
   the current visit's events and the customer's orders (newest 200 for the history, with the product on screen
   as the newest view). The history is folded into the model at request time, so an event sent a moment ago
   already counts; with no history (or no trained model) the list is what is trending.
2. Every item is checked against an in-memory snapshot of the catalog (snapshot.py): active, in stock, in the
   category asked for, under the price asked for, not bought already unless consumable, and not seen already.
3. Only the best few that pass are read from the database (one query by primary key, with the products that
   reasons point at), checked again on those fresh rows, and shown: stock is never older than the request.
4. A category cap keeps the list diverse; every item gets a short reason.
5. While a recommendation_model experiment runs, the shopper (a customer, or else the visit) is assigned a variant:
   `model: popularity` serves the trending list, `model: current` the model as above; the list shown is the
   exposure, and a click on it the outcome (commerce/experiments).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np
from sqlalchemy import Row
from sqlalchemy.orm import Session

from commerce.behaviour import service as behaviour
from commerce.behaviour.models import EventKind, PageType
from commerce.behaviour.schemas import BatchAccepted, EventBatch, EventIn
from commerce.catalog.exceptions import ProductNotFound
from commerce.catalog.schemas import ProductSummary
from commerce.experiments import service as experiments
from commerce.experiments.assignment import customer_unit, visit_unit
from commerce.experiments.models import Subject
from commerce.experiments.schemas import Assignment, ExperimentArm
from commerce.money import from_cents, to_cents
from commerce.recommend import repository
from commerce.recommend.data import Histories
from commerce.recommend.dataset import EVENT_WEIGHTS, collapse
from commerce.recommend.exceptions import CategoryNotFound, CustomerNotFound
from commerce.recommend.ranking import CONSUMABLE_CATEGORIES, diversify
from commerce.recommend.repository import CART, PURCHASE, VIEW, Shopper
from commerce.recommend.schemas import (
    ClickIn, Reason, Recommendation, RecommendationList, RecommendationQuery,
)
from commerce.recommend.snapshot import CatalogSnapshot, ItemView
from commerce.recommend.store import Artefact, ModelHolder

HISTORY_LIMIT = 200
SLACK = 5  # extra rows read with the first batch, for products the snapshot thinks in stock but are not any more
ROUNDS = 4  # batches read from the database at most, each twice the size of the one before
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

    def accepts(self, product: Any) -> bool:  # a repository.listing() row
        return (
            product.stock > 0
            and (self.allowed is None or product.category_id in self.allowed)
            and (self.max_cents is None or product.price_cents <= self.max_cents)
            and (product.id not in self.bought or product.category_id in self.consumable)
            and product.id != self.context_id
        )


Candidate = tuple[Row, int, float]  # listing row, item index, score


def recommend(
    session: Session, holder: ModelHolder, query: RecommendationQuery, customer_id: int | None = None
) -> RecommendationList:
    sku = query.context_product.strip().upper() if query.context_product else None
    shopper = repository.shopper(session, customer_id, query.session_key, sku, HISTORY_LIMIT)
    if customer_id is not None and not shopper.customer_found:
        raise CustomerNotFound()
    if sku is not None and shopper.context_id is None:
        raise ProductNotFound()
    catalog = holder.catalog(session)
    rules = _rules(session, catalog, query, shopper)
    artefact = holder.get_or_fallback(lambda: popularity_fallback(session))
    view = catalog.view(artefact.product_ids)
    steps = _history(artefact, shopper, rules)
    usable = _usable(artefact, view, steps, rules)
    experiment = experiments.live(session, Subject.RECOMMENDATION_MODEL)
    unit = _unit(customer_id, query.session_key)
    arm = experiments.assignment_of(experiment, unit) if experiment is not None and unit is not None else None

    popular_only = arm is not None and arm.config.get("model") == "popularity"
    scores, strategy = _scores(artefact, [] if popular_only else steps)
    anchors = _anchors(steps) if strategy != "popular" else []
    picked, rows = _pick(session, artefact, scores, usable, rules, query.k, [a.product_id for a in anchors])
    items = [
        Recommendation(product=_summary(row), reason=reason, score=round(score, 4))
        for (row, _, score), reason in zip(picked, _reasons(artefact, anchors, rows, picked, strategy, rules))
    ]
    if len(items) < query.k and strategy != "popular":
        # Too little from the model (a small catalog, tight filters): top up with what is popular.
        usable[[item for _, item, _ in picked]] = False
        more, _ = _pick(session, artefact, artefact.trending, usable, rules, query.k - len(items), [])
        items += [Recommendation(product=_summary(row), reason=_popular_reason(row, rules), score=0.0)
                  for row, _, _ in more]
    if experiment is not None and arm is not None:
        experiments.log_exposure(session, experiment, arm.unit)
        session.commit()
    return RecommendationList(customer_id=customer_id, session_key=query.session_key, strategy=strategy,
                              model_version=artefact.version, items=items, experiment=_arm(arm))


def _unit(customer_id: int | None, session_key: str | None) -> str | None:
    """Who is randomised: the customer when known (the same variant on every device), else the visit; a shopper
    with neither cannot be told apart between requests and is left out of experiments."""
    if customer_id is not None:
        return customer_unit(customer_id)
    return visit_unit(session_key) if session_key else None


def _arm(assignment: Assignment | None) -> ExperimentArm | None:
    return ExperimentArm.of(assignment) if assignment else None


def _rules(session: Session, catalog: CatalogSnapshot, query: RecommendationQuery, shopper: Shopper) -> _Rules:
    allowed = None
    if query.category:
        slug = query.category.strip().lower()
        # A category created since the snapshot was taken is looked up in the database.
        allowed = set(catalog.category_ids_under(slug) or repository.category_ids_under(session, slug))
        if not allowed:
            raise CategoryNotFound()
    return _Rules(
        allowed=allowed,
        max_cents=to_cents(query.max_price) if query.max_price is not None else None,
        bought=shopper.bought,
        consumable=catalog.category_ids_with_slugs(CONSUMABLE_CATEGORIES),
        context_id=shopper.context_id,
    )


def _history(artefact: Artefact, shopper: Shopper, rules: _Rules) -> list[_Step]:
    """The shopper's newest events the artefact knows the products of, oldest first; the product on screen last."""
    raw = [(product_id, kind) for product_id, kind, _ in sorted(shopper.events, key=lambda e: e[2])[-HISTORY_LIMIT:]]
    if rules.context_id is not None:
        raw.append((rules.context_id, CONTEXT))
    indices = artefact.indices([product_id for product_id, _ in raw])
    return [_Step(int(i), p, kind) for (p, kind), i in zip(raw, indices) if i >= 0]


def _usable(artefact: Artefact, view: ItemView, steps: list[_Step], rules: _Rules) -> np.ndarray:
    """Items the snapshot says may be on the list: the rules, plus nothing seen already (a consumable bought
    before may come back)."""
    usable = view.in_stock.copy()
    if rules.allowed is not None:
        usable &= np.isin(view.category_ids, sorted(rules.allowed))
    if rules.max_cents is not None:
        usable &= view.price_cents <= rules.max_cents
    consumable = sorted(rules.consumable)
    for step in steps:
        if step.product_id not in rules.bought or view.category_ids[step.item] not in rules.consumable:
            usable[step.item] = False
    bought = artefact.indices(sorted(rules.bought))
    bought = bought[bought >= 0]
    usable[bought[~np.isin(view.category_ids[bought], consumable)]] = False
    return usable


def _scores(artefact: Artefact, steps: list[_Step]) -> tuple[np.ndarray, str]:
    if artefact.model is None or not steps:
        return artefact.trending, "popular"
    items, weights = collapse((s.item, VIEW if s.kind == CONTEXT else s.kind) for s in steps)
    history = Histories.from_sequences([items], artefact.n_items, [weights])
    strategy = "similar" if all(s.kind == CONTEXT for s in steps) else "personalised"
    return artefact.model.score(history)[0], strategy


def _best(candidates: np.ndarray, scores: np.ndarray, trending: np.ndarray, n: int) -> np.ndarray:
    """The n best candidates, best first: by score, equal scores (items the model knows nothing about) by
    popularity, then by index."""
    if len(candidates) > n:
        values = scores[candidates]
        threshold = np.partition(values, len(values) - n)[len(values) - n]  # the n-th largest
        above, tied = candidates[values > threshold], candidates[values == threshold]
        need = n - len(above)
        if len(tied) > need:
            tied = tied[np.argpartition(-trending[tied], need - 1)[:need]]
        candidates = np.concatenate([above, tied])
    return candidates[np.lexsort((candidates, -trending[candidates], -scores[candidates]))]


def _pick(
    session: Session, artefact: Artefact, scores: np.ndarray, usable: np.ndarray, rules: _Rules, k: int,
    also: list[int],
) -> tuple[list[Candidate], dict[int, Row]]:
    """The k best acceptable products, spread over categories, and every row read (`also`: more product ids to
    read with the first batch). Candidates come from the snapshot; the database has the last word on each."""
    first = 3 * k + SLACK
    order = _best(np.flatnonzero(usable & np.isfinite(scores)), scores, artefact.trending,
                  first * (2**ROUNDS - 1))
    found: list[Candidate] = []
    seen: dict[int, Row] = {}
    start, size = 0, first
    for _ in range(ROUNDS):
        chunk = order[start : start + size]
        ids = [int(p) for p in artefact.product_ids[chunk]]
        rows = repository.listing(session, ids + also)
        seen.update(rows)
        also = []
        for item, product_id in zip(chunk, ids):
            row = rows.get(product_id)
            if row is not None and rules.accepts(row):
                found.append((row, int(item), float(scores[item])))
        start += size
        size *= 2
        if len(found) >= 3 * k or start >= len(order):
            break
    return diversify(found, k, key=lambda c: c[0].category_id), seen


def _anchors(steps: list[_Step]) -> list[_Step]:
    """The newest distinct history items, newest first."""
    anchors: list[_Step] = []
    items: set[int] = set()
    for step in reversed(steps):
        if step.item not in items:
            anchors.append(step)
            items.add(step.item)
            if len(anchors) == ANCHORS:
                break
    return anchors


def _reasons(
    artefact: Artefact, anchors: list[_Step], rows: dict[int, Row], picked: list[Candidate], strategy: str,
    rules: _Rules,
) -> list[Reason]:
    if strategy == "popular" or not picked:
        return [_popular_reason(row, rules) for row, _, _ in picked]
    assert artefact.model is not None
    similarity = artefact.model.item_similarity(np.array([a.item for a in anchors]), np.array([c[1] for c in picked]))
    reasons = []
    for column, (row, _, _) in enumerate(picked):
        best = int(np.argmax(similarity[:, column]))  # the newest anchor wins a tie
        anchor = rows.get(anchors[best].product_id)
        if row.id in rules.bought:
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


def _popular_reason(row: Any, rules: _Rules) -> Reason:
    if rules.allowed is not None:
        return Reason(code="popular_in_category", text=f"Popular in {row.category}")
    return Reason(code="trending", text="Popular in the shop right now")


def _summary(row: Any) -> ProductSummary:
    """ProductSummary.from_product for a repository.listing() row, without building a Product."""
    return ProductSummary(sku=row.sku, title=row.title, brand=row.brand, category=row.category,
                          price=from_cents(row.price_cents), currency=row.currency, in_stock=row.stock > 0,
                          image_url=row.image_url, url=f"/products/{row.sku}")


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
    accepted = behaviour.ingest(session, EventBatch(visit=click.visit, events=[event]))
    _click_outcome(session, click.visit.session_key)
    return accepted


def _click_outcome(session: Session, session_key: str) -> None:
    """The click is the running experiment's outcome for whichever unit saw the list: the visit's customer if the
    visit is signed in, else the visit."""
    experiment = experiments.live(session, Subject.RECOMMENDATION_MODEL)
    if experiment is None:
        return
    customer_id = repository.visit_customer(session, session_key)
    units = ([customer_unit(customer_id)] if customer_id is not None else []) + [visit_unit(session_key)]
    for unit in units:
        if experiments.log_outcome(session, experiment, unit).variant is not None:
            session.commit()
            return

