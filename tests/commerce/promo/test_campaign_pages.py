"""The /admin/campaigns pages: the knowledge base's log-in, roles and CSRF token, budgets shown from the
campaign and offer tables, and forms that keep what was typed when they are refused."""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commerce.db import utcnow
from commerce.promo.models import Campaign, Offer, OfferStatus
from knowledge_base import auth
from knowledge_base.audit import SYSTEM
from knowledge_base.models import Role
from tests.commerce import factories

PASSWORD = "campaign-pages-password"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def page_login(client: TestClient, db: Session, role: Role = Role.ADMIN) -> str:
    """Log in through the HTML form, asking to come back to the campaigns; returns the session's CSRF token."""
    email = f"{role.value}@campaigns.example"
    auth.create_user(db, SYSTEM, email, PASSWORD, role)
    form = client.get("/admin/kb/login?next=/admin/campaigns")
    token = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
    response = client.post("/admin/kb/login", data={"email": email, "password": PASSWORD, "csrf_token": token,
                                                    "next": "/admin/campaigns"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/admin/campaigns"
    return CSRF.search(client.get("/admin/campaigns").text).group(1)  # type: ignore[union-attr]


def new_campaign_form(csrf: str, **overrides: str) -> dict[str, str]:
    now = utcnow()
    return {"csrf_token": csrf, "name": "Winter 5 off", "slug": "winter-five", "kind": "fixed", "value": "5.00",
            "max_discount": "", "min_basket": "30", "categories": "", "audience": "all", "total_budget": "1,500.00",
            "daily_budget": "50,00", "per_customer_cap": "1", "margin_floor_pct": "10", "code_valid_hours": "48",
            "starts_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"), "active": "1", **overrides}


def campaigns_named(db: Session, slug: str) -> int:
    return db.scalar(select(func.count()).select_from(Campaign).where(Campaign.slug == slug)) or 0


def test_anonymous_visitors_are_sent_to_the_log_in_form(client: TestClient, db: Session,
                                                        make_campaign: Callable[..., Campaign]) -> None:
    campaign = make_campaign()
    listing = client.get("/admin/campaigns", follow_redirects=False)
    assert listing.status_code == 303 and listing.headers["location"] == "/admin/kb/login?next=/admin/campaigns"
    paused = client.post(f"/admin/campaigns/{campaign.id}/status", data={"action": "pause"}, follow_redirects=False)
    assert paused.status_code == 303 and paused.headers["location"].startswith("/admin/kb/login")
    db.refresh(campaign)
    assert campaign.active


def test_list_shows_kind_window_budgets_and_offers_escaped(client: TestClient, db: Session,
                                                            make_campaign: Callable[..., Campaign]) -> None:
    percent = make_campaign(name="Spring ten percent")
    make_campaign(name="<script>alert(1)</script> sale", kind="fixed", value=500, max_discount_cents=None)
    percent.spent_cents, percent.reserved_cents = 3000, 1000
    percent.day, percent.day_committed_cents = utcnow().date(), 1234
    shopper = factories.customer(db)
    expires = utcnow() + timedelta(days=1)
    for n, status in enumerate([OfferStatus.ISSUED, OfferStatus.EXPIRED, OfferStatus.REDEEMED]):
        db.add(Offer(code=f"TESTCODE{n}", campaign_id=percent.id, customer_id=shopper.id, reservation_cents=1000,
                     status=status, expires_at=expires))
    db.commit()
    page_login(client, db)

    page = client.get("/admin/campaigns").text
    start = page.index(f'href="/admin/campaigns/{percent.id}"')
    row = page[start:page.index("</tr>", start)]
    assert "10% off, at most 10.00 a code" in row and "active" in row
    assert "12.34 of 200.00" in row and "30.00 of 1,000.00" in row and "10.00 held" in row
    assert "3 / 1" in row
    assert percent.starts_at.strftime("%Y-%m-%d %H:%M") in row
    assert "5.00 off" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; sale" in page and "<script>alert(1)" not in page
    assert 'href="/admin/campaigns"' in client.get("/admin").text
    assert 'href="/admin/campaigns"' in client.get("/admin/kb").text


def test_a_valid_form_creates_the_campaign(client: TestClient, db: Session) -> None:
    csrf = page_login(client, db)
    assert client.get("/admin/campaigns/new").status_code == 200
    created = client.post("/admin/campaigns/new", data=new_campaign_form(csrf), follow_redirects=False)
    assert created.status_code == 303
    campaign = db.scalar(select(Campaign).where(Campaign.slug == "winter-five"))
    assert campaign is not None
    assert (campaign.kind.value, campaign.value, campaign.max_discount_cents) == ("fixed", 500, 500)
    assert campaign.min_basket_cents == 3000
    assert (campaign.total_budget_cents, campaign.daily_budget_cents, campaign.active) == (150_000, 5_000, True)
    assert created.headers["location"].startswith(f"/admin/campaigns/{campaign.id}")
    page = client.get(created.headers["location"]).text
    assert "Campaign created." in page and "5.00 off" in page


def test_an_invalid_form_shows_its_errors_keeps_the_values_and_saves_nothing(client: TestClient, db: Session) -> None:
    csrf = page_login(client, db)
    refused = client.post("/admin/campaigns/new", data=new_campaign_form(
        csrf, name='Big "<b>" sale', slug="Not A Slug", total_budget="12.345", kind="percent", value="95"))
    assert refused.status_code == 422
    assert "Total budget: give an amount like 25 or 25.00" in refused.text
    assert "Slug: use lower-case letters" in refused.text
    assert "Largest discount per code: give an amount" in refused.text
    assert 'value="Big &#34;&lt;b&gt;&#34; sale"' in refused.text and 'value="Not A Slug"' in refused.text
    assert 'value="12.345"' in refused.text and '<option value="percent" selected>' in refused.text
    assert campaigns_named(db, "Not A Slug") == 0

    too_much = client.post("/admin/campaigns/new", data=new_campaign_form(csrf, daily_budget="1600"))
    assert too_much.status_code == 422 and "The daily budget cannot exceed the total budget" in too_much.text
    ends_first = client.post("/admin/campaigns/new", data=new_campaign_form(csrf, ends_at="2026-01-01T00:00"))
    assert ends_first.status_code == 422 and "“Ends” must be after “Starts”" in ends_first.text
    assert campaigns_named(db, "winter-five") == 0


def test_a_slug_in_use_is_reported_in_the_form(client: TestClient, db: Session,
                                                make_campaign: Callable[..., Campaign]) -> None:
    taken = make_campaign()
    csrf = page_login(client, db)
    refused = client.post("/admin/campaigns/new", data=new_campaign_form(csrf, slug=taken.slug, name="Copy"))
    assert refused.status_code == 409 and "Another campaign already uses this slug." in refused.text
    assert 'value="Copy"' in refused.text and campaigns_named(db, taken.slug) == 1


def test_the_edit_form_changes_name_budgets_and_end(client: TestClient, db: Session,
                                                    make_campaign: Callable[..., Campaign]) -> None:
    campaign = make_campaign()
    csrf = page_login(client, db)
    page = client.get(f"/admin/campaigns/{campaign.id}").text
    assert 'name="total_budget" value="1000.00"' in page
    ends_at = campaign.ends_at
    saved = client.post(f"/admin/campaigns/{campaign.id}", data={
        "csrf_token": csrf, "name": "Spring, renamed", "total_budget": "1500", "daily_budget": "250.50",
        "ends_at": ends_at.strftime("%Y-%m-%dT%H:%M")}, follow_redirects=False)
    assert saved.status_code == 303
    db.refresh(campaign)
    assert campaign.name == "Spring, renamed"
    assert (campaign.total_budget_cents, campaign.daily_budget_cents) == (150_000, 25_050)
    assert campaign.ends_at == ends_at  # untouched: the seconds the form does not show are kept

    later = (ends_at + timedelta(days=5)).replace(second=0, microsecond=0)
    client.post(f"/admin/campaigns/{campaign.id}", data={
        "csrf_token": csrf, "name": "Spring, renamed", "total_budget": "1500", "daily_budget": "250.50",
        "ends_at": later.strftime("%Y-%m-%dT%H:%M")}, follow_redirects=False)
    db.refresh(campaign)
    assert campaign.ends_at == later

    refused = client.post(f"/admin/campaigns/{campaign.id}", data={
        "csrf_token": csrf, "name": "Spring, renamed", "total_budget": "100", "daily_budget": "200",
        "ends_at": later.strftime("%Y-%m-%dT%H:%M")})
    assert refused.status_code == 422 and "cannot exceed the total budget" in refused.text
    assert 'name="daily_budget" value="200"' in refused.text
    db.refresh(campaign)
    assert campaign.total_budget_cents == 150_000


def test_pause_and_resume(client: TestClient, db: Session, make_campaign: Callable[..., Campaign]) -> None:
    campaign = make_campaign()
    csrf = page_login(client, db)
    paused = client.post(f"/admin/campaigns/{campaign.id}/status",
                         data={"csrf_token": csrf, "action": "pause", "back": "list"}, follow_redirects=False)
    assert paused.status_code == 303 and paused.headers["location"] == "/admin/campaigns?notice=paused"
    db.refresh(campaign)
    assert not campaign.active
    listing = client.get(paused.headers["location"]).text
    assert "Paused: no new codes are issued." in listing and '<span class="badge paused">' in listing

    resumed = client.post(f"/admin/campaigns/{campaign.id}/status", data={"csrf_token": csrf, "action": "resume"})
    assert resumed.status_code == 200 and '<span class="badge active">' in resumed.text
    db.refresh(campaign)
    assert campaign.active


def test_forms_without_the_session_csrf_token_are_refused(client: TestClient, db: Session,
                                                          make_campaign: Callable[..., Campaign]) -> None:
    campaign = make_campaign()
    csrf = page_login(client, db)
    for token in (None, "forged"):
        data = {"action": "pause"} if token is None else {"action": "pause", "csrf_token": token}
        response = client.post(f"/admin/campaigns/{campaign.id}/status", data=data)
        assert response.status_code == 403 and "CSRF" in response.text
    form = new_campaign_form(csrf)
    del form["csrf_token"]
    assert client.post("/admin/campaigns/new", data=form).status_code == 403
    db.refresh(campaign)
    assert campaign.active and campaigns_named(db, "winter-five") == 0


def test_editors_can_look_but_only_admins_change(client: TestClient, db: Session,
                                                 make_campaign: Callable[..., Campaign]) -> None:
    campaign = make_campaign()
    csrf = page_login(client, db, Role.EDITOR)
    listing = client.get("/admin/campaigns").text
    assert campaign.name in listing and "/admin/campaigns/new" not in listing and ">Pause<" not in listing
    page = client.get(f"/admin/campaigns/{campaign.id}")
    assert page.status_code == 200 and campaign.slug in page.text and 'name="total_budget"' not in page.text
    assert client.get("/admin/campaigns/new").status_code == 403

    paused = client.post(f"/admin/campaigns/{campaign.id}/status", data={"csrf_token": csrf, "action": "pause"})
    assert paused.status_code == 403 and "Only an admin" in paused.text
    edited = client.post(f"/admin/campaigns/{campaign.id}", data={
        "csrf_token": csrf, "name": "Taken over", "total_budget": "1", "daily_budget": "1",
        "ends_at": campaign.ends_at.strftime("%Y-%m-%dT%H:%M")})
    assert edited.status_code == 403
    assert client.post("/admin/campaigns/new", data=new_campaign_form(csrf)).status_code == 403
    db.refresh(campaign)
    assert (campaign.active, campaign.name) == (True, "Spring ten percent")
    assert campaigns_named(db, "winter-five") == 0


def test_an_unknown_campaign_is_a_not_found_page(client: TestClient, db: Session) -> None:
    page_login(client, db)
    response = client.get("/admin/campaigns/999999")
    assert response.status_code == 404 and "No campaign has that id." in response.text
