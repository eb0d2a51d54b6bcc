from datetime import datetime, timedelta, timezone

from commerce.promo import auction, pacing

NOON = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.utc)


def state(**overrides: int) -> pacing.BudgetState:
    fields = {"total_budget_cents": 1_000_000, "daily_budget_cents": 10_000, "spent_cents": 0, "reserved_cents": 0,
              "committed_today_cents": 0}
    fields.update(overrides)
    return pacing.BudgetState(**fields, ends_at=NOON + timedelta(days=30))


def test_spend_follows_the_clock_so_the_first_hour_cannot_take_the_day() -> None:
    one_am = NOON.replace(hour=1)
    assert pacing.allowance(state(), one_am) < 0.2 * 10_000
    assert pacing.allowance(state(), NOON) == int(10_000 * 0.6)
    assert pacing.allowance(state(committed_today_cents=6_000), NOON) == 0
    assert pacing.allowance(state(), NOON.replace(hour=23, minute=59)) == 10_000


def test_the_daily_cap_spreads_what_is_left_over_the_days_left() -> None:
    tight = state(total_budget_cents=20_000, spent_cents=5_000)  # 15,000 left, ends 30.5 days from midnight
    assert pacing.daily_cap(tight, NOON) == 15_000 // 31  # today counts: 31 calendar days
    last_day = pacing.BudgetState(100_000, 10_000, 95_000, 0, 0, NOON + timedelta(hours=6))
    assert pacing.daily_cap(last_day, NOON) == 5_000


def test_the_highest_positive_bid_wins_and_a_losing_offer_is_no_offer() -> None:
    bids = [auction.Bid(1, 120.0, 500), auction.Bid(2, 300.0, 900), auction.Bid(3, -50.0, 100)]
    assert auction.winner(bids) == bids[1]
    assert auction.winner([auction.Bid(1, -1.0, 500), auction.Bid(2, 0.0, 100)]) is None
    assert auction.winner([auction.Bid(1, 100.0, 500), auction.Bid(2, 100.0, 300)]).campaign_id == 2


def test_an_offer_to_a_sure_buyer_only_costs_money() -> None:
    assert auction.expected_margin(p_buy=0.9, uplift=0.0, basket_cents=5000, margin_rate=0.4, discount_cents=500) < 0
    undecided = auction.expected_margin(p_buy=0.4, uplift=0.1, basket_cents=5000, margin_rate=0.4, discount_cents=100)
    assert undecided == 0.1 * 5000 * 0.4 - 0.5 * 100
