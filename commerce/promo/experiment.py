"""Offer policy A/B tests (issue 11): the promo side of an `offer_policy` experiment (commerce/experiments).

The unit is the customer an offer decision is made for (`customer:<id>`, the same unit as recommendations use, so
a shopper keeps their variant on every device). The exposure is an offer decision made by the policy, i.e. one
with a purchase-intent score, whether it ended in an offer or not: a variant that offers less must not lose the
shoppers it decided to leave alone. Outcomes: `redemption` when the shopper uses an offer code on an order
(inside the checkout's transaction, so a failed order records nothing), and `order` for any order the shopper
places (`order_placed`, for the checkout to call), the metric that measures incremental conversions.

Variant configs (validated in commerce/experiments/schemas.py): `{"uplift": "current"}` is today's policy (the
uplift model trained on the shop's randomised offers, or the prior until there is one); `{"uplift": "prior"}`
always uses the prior 4p(1-p) shape. This is the comparison a shop owner needs once the model is trained: does
the learned targeting bring more orders than the rule of thumb it replaces? Everything else (eligibility, budgets
and pacing, the auction, the exploration share) is the same in both arms.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from commerce.experiments import service as experiments
from commerce.experiments.assignment import customer_unit
from commerce.experiments.live import LiveExperiment
from commerce.experiments.models import Subject
from commerce.experiments.schemas import Assignment

REDEMPTION = "redemption"
ORDER = "order"


def arm(session: Session, customer_id: int) -> tuple[LiveExperiment, Assignment] | None:
    """The running offer_policy experiment and this customer's variant in it, or None (today's policy)."""
    experiment = experiments.live(session, Subject.OFFER_POLICY)
    if experiment is None:
        return None
    return experiment, experiments.assignment_of(experiment, customer_unit(customer_id))


def uses_prior(assigned: tuple[LiveExperiment, Assignment] | None) -> bool:
    return assigned is not None and assigned[1].config.get("uplift") == "prior"


def exposed(session: Session, assigned: tuple[LiveExperiment, Assignment] | None) -> None:
    """The policy decided for this customer; the caller commits."""
    if assigned is not None:
        experiments.log_exposure(session, assigned[0], assigned[1].unit)


def _outcome(session: Session, customer_id: int, metric: str) -> None:
    experiment = experiments.live(session, Subject.OFFER_POLICY)
    if experiment is not None:
        experiments.log_outcome(session, experiment, customer_unit(customer_id), metric)


def redeemed(session: Session, customer_id: int) -> None:
    """An offer code was used by this customer; the caller (the checkout) commits."""
    _outcome(session, customer_id, REDEMPTION)


def order_placed(session: Session, customer_id: int) -> None:
    """This customer placed an order (with or without a code); the caller commits."""
    _outcome(session, customer_id, ORDER)
