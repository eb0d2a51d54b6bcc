"""A simulated day of traffic on the demo shop, three offer policies side by side (backend env):
    flock /tmp/shopassist-cpu.lock .venv/backend/bin/python -m benchmarks.promo_day [--visits 6000] [--seed 1]

A fresh SQLite demo shop (the real migrations and seed) with three campaigns; shoppers arrive over 24 hours on a
daily curve (quiet at night, busiest in the evening). Each visit has a true purchase probability p and a true
uplift from an offer; the uplift is drawn from its own curve (peaking at p = 0.3, with noise and some shoppers
an offer does nothing for), not from the prior the service uses, and the service sees p only through a noisy
estimate (as from an imperfect intent model). Policies, each on its own copy of the database:
  ours      commerce.promo.service.decide: uplift gate, paced auction, budgets (the shipped code path), with
            the prior uplift (a shop whose uplift model has not been trained yet),
  learned   the same code path after `commerce.promo.learning.train` fitted the uplift model on a logged
            history: --history randomised decisions (offer or not at random, as the exploration share logs
            them) of earlier visitors drawn from the same population, their orders written to the database,
  everyone  every visit gets the largest affordable discount while budgets last (no targeting, no pacing),
  nobody    no offers.
Outcomes are drawn with the same random numbers under every policy, so differences come from the policy.
Reports conversions, incremental conversions over `nobody` (drawn, and expected: the sum of the treated visits'
true uplift), discount spent, expected incremental margin (true uplift x basket margin - discounts), offers per
hour; plots spend per campaign over the day against its daily budget (docs/img/promo_day_spend.png).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from commerce.promo.seed import DEMO_CAMPAIGNS

REPO_ROOT = Path(__file__).resolve().parent.parent
DAY = datetime(2026, 12, 3, tzinfo=timezone.utc)
MARGIN_RATE = 0.4
CAMPAIGNS = DEMO_CAMPAIGNS  # the demo shop's own three campaigns


def arrivals(rng: np.random.Generator, n: int) -> np.ndarray:
    """Arrival times (hours) from a daily curve: low at 4 am, highest around 8 pm."""
    hours = np.arange(24)
    weight = 1 + 0.9 * np.cos((hours - 20) / 24 * 2 * math.pi)
    hour = rng.choice(24, size=n, p=weight / weight.sum())
    return np.sort(hour + rng.random(n))


def visitors(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    p = rng.beta(1.3, 4.0, n)
    bump = 0.12 * np.exp(-((p - 0.3) ** 2) / (2 * 0.15 ** 2))
    uplift = np.clip(bump * rng.lognormal(0, 0.4, n) * (rng.random(n) > 0.25), 0, 1 - p)
    logit = np.log(p / (1 - p)) + rng.normal(0, 0.5, n)
    return {"p": p, "uplift": uplift, "p_estimate": 1 / (1 + np.exp(-logit)),
            "basket": np.round(rng.lognormal(math.log(5000), 0.5, n)).astype(int), "u": rng.random(n),
            "customer": rng.integers(0, 1_000_000, n)}


def add_campaigns(database: Path) -> None:
    from sqlalchemy.orm import Session

    from commerce.db import build_engine
    from commerce.promo.campaigns import create
    from commerce.promo.schemas import CampaignIn

    engine = build_engine(f"sqlite:///{database}")
    with Session(engine) as s:
        for c in CAMPAIGNS:
            create(s, CampaignIn.model_validate({**c, "total_budget_cents": c["daily_budget_cents"] * 7,
                                                 "starts_at": DAY.isoformat(),
                                                 "ends_at": (DAY + timedelta(days=7)).isoformat()}))
    engine.dispose()


def prepare_shop(workdir: Path) -> Path:
    database = workdir / "shop.db"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "PYTHONPATH": str(REPO_ROOT)}
    python = sys.executable
    subprocess.run([str(Path(python).parent / "alembic"), "-c", "commerce/alembic.ini", "upgrade", "head"],
                   cwd=REPO_ROOT, env=env, check=True, capture_output=True)
    subprocess.run([python, "-m", "commerce.seed", "--today", "2026-12-01"], cwd=REPO_ROOT, env=env, check=True,
                   capture_output=True)
    return database


def log_history(database: Path, rng: np.random.Generator, n: int, model_root: Path) -> dict:
    """Earlier randomised decisions and their outcomes, written as the shop would have logged them; then the
    shipped training code fits the uplift model on them."""
    from sqlalchemy import insert, select
    from sqlalchemy.orm import Session

    from commerce.customers.models import Customer
    from commerce.db import build_engine
    from commerce.orders.models import Order, OrderStatus
    from commerce.promo import learning
    from commerce.promo.models import Decision

    people = visitors(rng, n)
    treated = rng.random(n) < 0.5
    bought = people["u"] < people["p"] + np.where(treated, people["uplift"], 0.0)
    decided = DAY - timedelta(days=7)
    engine = build_engine(f"sqlite:///{database}")
    with Session(engine) as s:
        first = s.scalar(select(Customer.id).order_by(Customer.id.desc()).limit(1)) + 1
        s.execute(insert(Customer), [{"email": f"history{i}@example.org", "first_name": "History",
                                      "last_name": f"Visitor {i}"} for i in range(n)])
        ids = list(s.scalars(select(Customer.id).where(Customer.id >= first).order_by(Customer.id)))
        s.execute(insert(Decision), [
            {"customer_id": ids[i], "decided_at": decided, "intent_probability": float(people["p_estimate"][i]),
             "explored": True, "offer_id": None, "reason": "exploration (simulated history)",
             "context": {"basket_cents": int(people["basket"][i]), "moment": "browsing", "orders": 0}}
            for i in range(n)])
        s.execute(insert(Order), [
            {"number": f"SA-H{i:06d}", "customer_id": ids[i], "email": f"history{i}@example.org",
             "status": OrderStatus.PAID, "currency": "EUR", "subtotal_cents": int(people["basket"][i]),
             "shipping_cents": 0, "total_cents": int(people["basket"][i]), "ship_recipient": "History Visitor",
             "ship_line1": "Main St 1", "ship_city": "Berlin", "ship_postcode": "10115", "ship_country": "DE",
             "ship_postcode_key": "10115", "placed_at": decided + timedelta(hours=6)}
            for i in np.flatnonzero(bought)])
        s.commit()
        # Treatment lives in offer_id; an expired offer row per treated decision records it as the shop does.
        _attach_offers(s, ids, treated, decided)
        version = learning.train(s, model_root, now=DAY)
    engine.dispose()
    return {"history_decisions": n, "history_treated": int(treated.sum()), "uplift_model": version}


def _attach_offers(s, ids: list[int], treated: np.ndarray, decided: datetime) -> None:
    from sqlalchemy import insert, select, update

    from commerce.promo.models import Campaign, Decision, Offer, OfferStatus

    campaign = s.scalar(select(Campaign.id).order_by(Campaign.id).limit(1))
    rows = [{"code": f"HIST{i:07d}", "campaign_id": campaign, "customer_id": ids[i], "reservation_cents": 0,
             "status": OfferStatus.EXPIRED, "issued_at": decided, "expires_at": decided + timedelta(days=1)}
            for i in np.flatnonzero(treated)]
    s.execute(insert(Offer), rows)
    offer_ids = dict(s.execute(select(Offer.customer_id, Offer.id).where(Offer.code.like("HIST%"))).all())
    for customer_id, offer_id in offer_ids.items():
        s.execute(update(Decision).where(Decision.customer_id == customer_id).values(offer_id=offer_id))
    s.commit()


def ranking(model_root: Path, people: dict[str, np.ndarray]) -> dict:
    """How well the learned uplift and the prior rank the day's visitors by their true uplift: correlation, and
    the mean true uplift of the 30% each would pick first (random picking gets the population mean)."""
    from commerce.promo import learning, targeting

    model = learning.UpliftHolder(model_root).current()
    X = np.vstack([learning.features(p, b, 0, "browsing") for p, b in zip(people["p_estimate"], people["basket"])])
    scores = {"learned": model.predict_uplift(X),
              "prior": np.array([targeting.prior_uplift(p) for p in people["p_estimate"]]),
              "oracle": people["uplift"]}
    top = len(X) * 3 // 10
    return {"true_uplift_mean": round(float(people["uplift"].mean()), 4),
            "predicted_uplift_mean_learned": round(float(scores["learned"].mean()), 4),
            **{f"corr_{k}": round(float(np.corrcoef(v, people["uplift"])[0, 1]), 3) for k, v in scores.items()
               if k != "oracle"},
            **{f"top30_true_uplift_{k}": round(float(people["uplift"][np.argsort(-v)[:top]].mean()), 4)
               for k, v in scores.items()}}


def run_policy(policy: str, database: Path, people: dict[str, np.ndarray], times: np.ndarray,
               model_root: Path | None = None) -> dict:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from commerce.customers.models import Customer
    from commerce.db import build_engine
    from commerce.intent.store import ArtefactStore, ModelHolder
    from commerce.promo import budget, learning, service
    from commerce.promo.models import Campaign

    engine = build_engine(f"sqlite:///{database}")
    holder = ModelHolder(ArtefactStore(database.parent / "no-model"))
    learning._holder = learning.UpliftHolder(model_root or database.parent / "no-uplift-model")
    estimate: dict[str, float] = {}
    service._intent_probability = lambda *_: estimate["p"]  # the simulated intent model's output
    with Session(engine) as s:
        ids = list(s.scalars(select(Customer.id).where(~Customer.email.like("history%")).order_by(Customer.id)))
        by_slug = {c.slug: c.id for c in s.scalars(select(Campaign))}
    rng = np.random.default_rng(0)
    spend = {c["slug"]: [] for c in CAMPAIGNS}
    offers_per_hour = np.zeros(24, dtype=int)
    bought = treated = 0
    expected_extra = expected_extra_margin = 0.0
    revenue_margin = discount_total = 0
    for i, hour in enumerate(times):
        now = DAY + timedelta(hours=float(hour))
        customer_id = ids[people["customer"][i] % len(ids)]
        basket = int(people["basket"][i])
        offer = None
        with Session(engine) as s:
            if policy in ("ours", "learned"):
                estimate["p"] = float(people["p_estimate"][i])
                decision = service.decide(s, holder, customer_id, service.Context(basket_cents=basket), now=now,
                                          rng=rng)
                offer = decision.offer.code if decision.offer else None
            elif policy == "everyone":
                offer = _largest_affordable(s, service, budget, customer_id, basket, now)
        uplift = float(people["uplift"][i]) if offer else 0.0
        buys = people["u"][i] < people["p"][i] + uplift
        if offer:
            treated += 1
            expected_extra += uplift
            expected_extra_margin += uplift * basket * MARGIN_RATE
            offers_per_hour[int(hour)] += 1
        if buys:
            bought += 1
            discount = 0
            if offer:
                with Session(engine) as s:
                    try:
                        discount = service.redeem(s, offer, customer_id, basket, now=now).discount_cents or 0
                        s.commit()
                    except Exception:  # noqa: BLE001 - e.g. the basket is below the code's minimum: no discount
                        s.rollback()
            discount_total += discount
            revenue_margin += int(basket * MARGIN_RATE)
        if i % 50 == 0 or i == len(times) - 1:
            with Session(engine) as s:
                for slug, cid in by_slug.items():
                    c = s.get(Campaign, cid)
                    spend[slug].append((float(hour), c.spent_cents + c.reserved_cents))
    engine.dispose()
    return {"policy": policy, "visits": len(times), "offers": treated, "conversions": int(bought),
            "expected_incremental_conversions": round(expected_extra, 1), "discount_spent_eur": discount_total / 100,
            # the margin the offers' true uplift is worth, less the discounts given: free of outcome noise
            "expected_incremental_margin_eur": round((expected_extra_margin - discount_total) / 100, 2),
            "margin_eur": revenue_margin / 100, "margin_after_discounts_eur": (revenue_margin - discount_total) / 100,
            "offers_per_hour": offers_per_hour.tolist(), "spend": spend}


def _largest_affordable(s, service, budget, customer_id: int, basket: int, now: datetime) -> str | None:
    from sqlalchemy import select

    from commerce.promo.models import Campaign, Offer, OfferStatus

    current = s.scalar(select(Offer.code).where(Offer.customer_id == customer_id, Offer.status == OfferStatus.ISSUED,
                                                Offer.expires_at > now))
    if current:
        return current
    orders, _ = service._order_history(s, customer_id)
    options = [c for c in s.scalars(select(Campaign)) if c.min_basket_cents <= basket
               and not (c.audience.value == "new" and orders) and service.discount_cents(c, basket) > 0]
    for campaign in sorted(options, key=lambda c: -service.discount_cents(c, basket)):
        offer = service._issue(s, campaign, customer_id, now)
        if offer is not None:
            s.commit()
            return offer.code
    return None


def plot(results: list[dict], path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
    for ax, result in zip(axes, [r for r in results if r["policy"] in ("ours", "everyone")]):
        for c in CAMPAIGNS:
            points = result["spend"][c["slug"]]
            line, = ax.plot([h for h, _ in points], [v / 100 for _, v in points], label=c["name"])
            ax.axhline(c["daily_budget_cents"] / 100, color=line.get_color(), linestyle=":", linewidth=1)
        ax.set_title(f"{result['policy']}: money committed (spent + held by codes)")
        ax.set_xlabel("hour of the simulated day")
        ax.set_xlim(0, 24)
    axes[0].set_ylabel("EUR (dotted: daily budget)")
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--visits", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--history", type=int, default=6000, help="logged randomised decisions to learn from")
    parser.add_argument("--img", type=Path, default=REPO_ROOT / "docs" / "img" / "promo_day_spend.png")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    times, people = arrivals(rng, args.visits), visitors(rng, args.visits)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        template = prepare_shop(Path(tmp))
        add_campaigns(template)
        history = {}
        for policy in ("nobody", "everyone", "ours", "learned"):
            copy = Path(tmp) / f"{policy}.db"
            shutil.copy(template, copy)
            root = None
            if policy == "learned":
                root = Path(tmp) / "uplift"
                history = log_history(copy, np.random.default_rng(args.seed + 1000), args.history, root)
            results.append(run_policy(policy, copy, people, times, root))
        print(json.dumps({**history, **ranking(Path(tmp) / "uplift", people)}))
    base = results[0]["conversions"]
    for r in results:
        r["incremental_conversions"] = r["conversions"] - base
        summary = {k: v for k, v in r.items() if k != "spend"}
        print(json.dumps(summary))
    plot(results, args.img)


if __name__ == "__main__":
    main()
