"""Offer decisions and redemption. Business rules live here; the routes only translate HTTP."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from commerce.config import get_settings
from commerce.customers.models import Customer
from commerce.db import utcnow
from commerce.intent import service as intent
from commerce.intent.exceptions import ModelUnavailable, NoVisitForCustomer
from commerce.intent.store import ModelHolder
from commerce.money import from_cents
from commerce.orders.models import Order
from commerce.orders.rules import shipping_cents
from commerce.promo import auction, budget, codes, learning, pacing, targeting
from commerce.promo import experiment as offer_test
from commerce.promo.exceptions import CodeNotApplicable, CodeNotValid, CustomerNotFound
from commerce.promo.models import Audience, Campaign, Decision, DiscountKind, Offer, OfferStatus
from commerce.experiments.schemas import ExperimentArm
from commerce.promo.schemas import OfferDecision, OfferPublic

DEFAULT_BASKET_CENTS = 4500  # a typical demo-shop basket, when neither the context nor past orders say more
_CODE_ATTEMPTS = 5


# The decision's hot-path queries, built once: constructing a statement costs more than running it here.
_CURRENT_OFFER = (
    select(Offer).where(Offer.customer_id == bindparam("customer_id"), Offer.status == OfferStatus.ISSUED,
                        Offer.expires_at > bindparam("now")).order_by(Offer.issued_at.desc()).limit(1)
)
_ORDER_HISTORY = select(func.count(Order.id), func.avg(Order.subtotal_cents)).where(
    Order.customer_id == bindparam("customer_id"))
_LIVE_CAMPAIGNS = (
    select(Campaign).where(Campaign.active.is_(True), Campaign.starts_at <= bindparam("now"),
                           Campaign.ends_at > bindparam("now")).order_by(Campaign.id)
)
_ISSUED_BY_CAMPAIGN = select(Offer.campaign_id, func.count(Offer.id)).where(
    Offer.customer_id == bindparam("customer_id")).group_by(Offer.campaign_id)


@dataclass(frozen=True)
class Context:
    basket_cents: int | None = None
    category: str | None = None
    moment: str = "browsing"


def discount_cents(campaign: Campaign, basket_cents: int) -> int:
    if campaign.kind == DiscountKind.PERCENT:
        return min(campaign.max_discount_cents, basket_cents * campaign.value // 100)
    if campaign.kind == DiscountKind.FIXED:
        return min(campaign.value, campaign.max_discount_cents, basket_cents)
    return shipping_cents(basket_cents)


def _money(cents: int, currency: str = "EUR") -> str:
    return f"{from_cents(cents)} {currency}"


def headline(campaign: Campaign, currency: str = "EUR") -> str:
    if campaign.kind == DiscountKind.PERCENT:
        text = f"{campaign.value}% off (up to {_money(campaign.max_discount_cents, currency)})"
    elif campaign.kind == DiscountKind.FIXED:
        text = f"{_money(campaign.value, currency)} off"
    else:
        text = "free delivery"
    if campaign.min_basket_cents:
        text += f" on orders from {_money(campaign.min_basket_cents, currency)}"
    return text


def decide(session: Session, holder: ModelHolder, customer_id: int, context: Context,
           now: datetime | None = None, rng: random.Random | None = None) -> OfferDecision:
    """The offer this shopper should see now, or none, with the reason. Issuing reserves budget atomically."""
    now = now or utcnow()
    rng = rng or random.Random()
    budget.lock_for_write(session)
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise CustomerNotFound()
    release_expired(session, now)
    current = session.scalar(_CURRENT_OFFER, {"customer_id": customer_id, "now": now})
    if current is not None:
        session.commit()
        return OfferDecision(offer=_public(current), reason="the offer already made to this shopper still stands",
                             intent_probability=None, uplift=None, explored=False)

    p_buy = _intent_probability(session, holder, customer_id)
    orders, avg_basket = _order_history(session, customer_id)
    basket = context.basket_cents or avg_basket or DEFAULT_BASKET_CENTS
    issued = dict(session.execute(_ISSUED_BY_CAMPAIGN, {"customer_id": customer_id}).all())
    candidates = [c for c in _live_campaigns(session, now)
                  if _eligible(c, issued.get(c.id, 0), orders, basket, context, now)]
    # While an offer_policy experiment runs, the shopper's variant may swap the learned uplift for the prior.
    assigned = offer_test.arm(session, customer_id) if p_buy is not None else None
    uplift, source = (_uplift(p_buy, basket, orders, context.moment, offer_test.uses_prior(assigned))
                      if p_buy is not None else (None, None))
    explored = rng.random() < targeting.EXPLORATION_SHARE
    if p_buy is None:
        chosen, reason = None, "no purchase-intent score for this shopper yet"
    elif explored:
        # The randomised share: offer or not, and which offer, independent of the shopper.
        chosen = rng.choice(candidates) if candidates and rng.random() < 0.5 else None
        reason = "exploration: decided at random to learn what offers cause"
    else:
        reason = targeting.skip_reason(p_buy, uplift or 0.0) or ""
        chosen = None
        if not reason:
            margin = get_settings().PROMO_MARGIN_RATE
            bids = [auction.Bid(c.id, auction.expected_margin(p_buy, uplift or 0.0, basket, margin,
                                                              discount_cents(c, basket)), discount_cents(c, basket))
                    for c in candidates]
            best = auction.winner(bids)
            if best is None:
                reason = "no campaign expects to gain from an offer here" if candidates else "no campaign applies"
            else:
                chosen = next(c for c in candidates if c.id == best.campaign_id)
                reason = (f"{chosen.name}: estimated uplift {uplift:.3f} on a purchase probability of {p_buy:.2f}, "
                          f"expected incremental margin {best.value / 100:.2f}")
    offer = _issue(session, chosen, customer_id, now) if chosen is not None else None
    if chosen is not None and offer is None:
        reason = "the chosen campaign's budget was taken by a concurrent offer"
    logged = {"basket_cents": basket, "category": context.category, "moment": context.moment, "orders": orders,
              "uplift_from": source}
    if assigned is not None:
        logged["experiment"] = ExperimentArm.of(assigned[1]).model_dump()
        offer_test.exposed(session, assigned)
    session.add(Decision(customer_id=customer_id, decided_at=now, intent_probability=p_buy, uplift=uplift,
                         explored=explored and p_buy is not None, offer_id=offer.id if offer else None,
                         reason=reason[:200], context=logged))
    session.commit()
    return OfferDecision(offer=_public(offer) if offer else None, reason=reason, intent_probability=p_buy,
                         uplift=None if uplift is None else round(uplift, 4),
                         explored=explored and p_buy is not None,
                         experiment=ExperimentArm.of(assigned[1])
                         if assigned is not None else None)


def redeem(session: Session, code: str, customer_id: int, basket_cents: int, now: datetime | None = None) -> Offer:
    """Use a code on an order being placed (inside the checkout's transaction): the discount it gives, charged
    to its campaign. Raises when the code is unknown, someone else's, used, expired or not applicable."""
    now = now or utcnow()
    offer = session.scalar(select(Offer).where(Offer.code == codes.normalise(code)))
    if offer is None or offer.customer_id != customer_id:
        raise CodeNotValid()  # the same answer for unknown and someone else's: codes cannot be probed
    campaign = offer.campaign
    if basket_cents < campaign.min_basket_cents:
        raise CodeNotApplicable(f"This code needs a basket of at least "
                                f"{_money(campaign.min_basket_cents)}.")
    discount = min(discount_cents(campaign, basket_cents), offer.reservation_cents)
    if not budget.claim_code(session, offer.id, now, discount, None):
        raise CodeNotValid()
    budget.charge(session, campaign.id, offer.reservation_cents, discount)
    offer_test.redeemed(session, customer_id)  # an offer_policy experiment's outcome, if one runs
    session.refresh(offer)
    return offer


def release_expired(session: Session, now: datetime, limit: int = 200) -> int:
    """Expire lapsed codes and give their reservations back to the budgets."""
    lapsed = session.execute(
        select(Offer.id, Offer.campaign_id, Offer.reservation_cents)
        .where(Offer.status == OfferStatus.ISSUED, Offer.expires_at <= now).limit(limit)
    ).all()
    released = 0
    for offer_id, campaign_id, reserved in lapsed:
        if budget.expire(session, offer_id):
            budget.release(session, campaign_id, reserved)
            released += 1
    return released


def _uplift(p_buy: float, basket: int, orders: int, moment: str | None, prior_only: bool = False
            ) -> tuple[float, str]:
    """The uplift model trained on the shop's logged randomised offers, or the prior until there is one (or when
    an offer_policy experiment's variant asks for the prior)."""
    model = None if prior_only else learning.get_uplift_holder().current()
    if model is None:
        return targeting.prior_uplift(p_buy), "prior"
    return float(model.predict_uplift(learning.features(p_buy, basket, orders, moment))[0]), "learned"


def _intent_probability(session: Session, holder: ModelHolder, customer_id: int) -> float | None:
    try:
        return intent.score_customer(session, holder, customer_id).probability
    except (ModelUnavailable, NoVisitForCustomer):
        return None


def _order_history(session: Session, customer_id: int) -> tuple[int, int | None]:
    count, average = session.execute(_ORDER_HISTORY, {"customer_id": customer_id}).one()
    return int(count), int(average) if average else None


def _live_campaigns(session: Session, now: datetime) -> list[Campaign]:
    return list(session.scalars(_LIVE_CAMPAIGNS, {"now": now}))


def _eligible(campaign: Campaign, issued: int, orders: int, basket: int, context: Context, now: datetime) -> bool:
    if campaign.audience == Audience.NEW and orders > 0 or campaign.audience == Audience.RETURNING and orders == 0:
        return False
    if basket < campaign.min_basket_cents:
        return False
    if campaign.category_slugs and context.category not in campaign.category_slugs:
        return False
    discount = discount_cents(campaign, basket)
    if discount <= 0:
        return False  # e.g. free delivery on a basket that ships free anyway
    margin = get_settings().PROMO_MARGIN_RATE
    if (basket * margin - discount) < basket * campaign.margin_floor_pct / 100:
        return False
    if issued >= campaign.per_customer_cap:
        return False
    state = pacing.BudgetState(campaign.total_budget_cents, campaign.daily_budget_cents, campaign.spent_cents,
                               campaign.reserved_cents,
                               campaign.day_committed_cents if campaign.day == now.date() else 0, campaign.ends_at)
    return pacing.allowance(state, now) >= campaign.max_discount_cents


def _issue(session: Session, campaign: Campaign, customer_id: int, now: datetime) -> Offer | None:
    if not budget.reserve(session, campaign.id, campaign.max_discount_cents, now):
        return None
    for _ in range(_CODE_ATTEMPTS):
        offer = Offer(code=codes.new_code(), campaign_id=campaign.id, customer_id=customer_id,
                      reservation_cents=campaign.max_discount_cents, status=OfferStatus.ISSUED, issued_at=now,
                      expires_at=now + timedelta(hours=campaign.code_valid_hours))
        try:
            with session.begin_nested():
                session.add(offer)
            return offer
        except IntegrityError:
            session.expunge(offer)
    raise RuntimeError("could not draw a free offer code")


def _public(offer: Offer) -> OfferPublic:
    c = offer.campaign
    return OfferPublic(code=offer.code, campaign=c.slug, headline=headline(c), kind=c.kind, value=c.value,
                       max_discount_cents=c.max_discount_cents, min_basket_cents=c.min_basket_cents,
                       expires_at=offer.expires_at)
