"""The analytics dashboard in the browser: seeded conversations give the right counts, per channel, in CSV.

Only the backend runs here (uvicorn on a free port, the session's seeded shop database), reading a Rasa
tracker store this test writes with Rasa-shaped event rows (tests/commerce/analytics/rasa_events.py). The
conversations lie on two days of March 2025, away from anything else in the database.
"""
from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from tests.browser.conftest import backend_alone
from tests.browser.pages import shot
from tests.commerce.analytics.rasa_events import Conversation, write
from tests.commerce.analytics.story import _entry, _rate

ADMIN_EMAIL, ADMIN_PASSWORD = "admin@juniperlane.example", "juniper-admin-dev"
DAY1 = datetime(2025, 3, 10, 9, 0, tzinfo=timezone.utc)
DAY2 = DAY1 + timedelta(days=1)
PERIOD = "start=2025-03-10&end=2025-03-11"


def conversations() -> list[Conversation]:
    ids = [f"dash-{uuid.uuid4().hex[:12]}" for _ in range(5)]
    return [
        Conversation(ids[0], DAY1).start().user("hello", "greet").bot("Hi!", "utter_greet")
        .user("recommend a tent", "recommend").recommend(["A", "B", "C", "D"]),
        Conversation(ids[1], DAY1 + timedelta(hours=1)).user("a person please", "contact_human_agent")
        .action("action_handoff").bot("I've passed our conversation to a colleague."),
        Conversation(ids[2], DAY2).user("blorp", "nlu_fallback", 0.1).action("action_default_ask_affirmation"),
        Conversation(ids[3], DAY2 + timedelta(hours=1), channel="rest").user("do you ship abroad", "faq")
        .action("action_answer_faq").bot("Within the EU."),
        Conversation(ids[4], DAY2 + timedelta(hours=2), channel="rest").user("delivery time?", "faq")
        .action("action_answer_faq").bot("Two to four days."),
    ]


@pytest.fixture(scope="module")
def dashboard_url(database_path: Path, db_engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("analytics")
    tracker = folder / "tracker.db"
    seeded = conversations()
    write(tracker, seeded)
    with Session(db_engine) as session:  # the fourth conversation's answer was rated unhelpful
        _rate(session, _entry(session), seeded[3].sender_id, False, DAY2 + timedelta(hours=1, minutes=1))
        session.commit()
    with backend_alone(database_path, tracker, folder) as url:
        yield url


def figure(page: Page, metric: str):  # type: ignore[no-untyped-def]
    return page.locator(f'[data-metric="{metric}"] .value')


def test_the_dashboard_counts_the_seeded_conversations(page: Page, dashboard_url: str) -> None:
    page.goto(f"{dashboard_url}/admin/analytics?{PERIOD}")
    expect(page).to_have_url(re.compile(r"/admin/kb/login"))  # log in first, and come back
    page.get_by_label("E-mail").fill(ADMIN_EMAIL)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name=re.compile("Log in|Sign in", re.I)).click()
    expect(page).to_have_url(re.compile(r"/admin/analytics\?start=2025-03-10&end=2025-03-11$"))

    # 5 conversations; one handed off, one rated unhelpful: 3 of 5 resolved; 1 fallback in 6 messages.
    expect(figure(page, "conversations")).to_have_text("5")
    expect(figure(page, "automated_resolution_rate")).to_have_text("60.0%")
    expect(figure(page, "handoff_rate")).to_have_text("20.0%")
    expect(figure(page, "fallback_rate")).to_have_text("16.7%")
    expect(page.locator('[data-metric="products_shown"]')).to_have_text("4")
    expect(page.locator("table.top-intents tr").nth(1)).to_contain_text("faq")
    chart = page.get_by_role("img", name="Conversations per day")
    expect(chart).to_be_visible()
    expect(chart.locator("rect")).to_have_count(2)  # one bar per day
    expect(chart.locator("rect title").first).to_have_text("10 Mar: 2")
    shot(page, "analytics-dashboard")

    page.get_by_label("Channel").select_option("rest")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"channel=rest"))
    expect(figure(page, "conversations")).to_have_text("2")
    expect(figure(page, "automated_resolution_rate")).to_have_text("50.0%")
    expect(figure(page, "handoff_rate")).to_have_text("0.0%")
    shot(page, "analytics-dashboard-rest")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    lines = Path(download.value.path()).read_text().splitlines()
    assert "period,channel,rest" in lines and "conversations,total,2" in lines
    assert "conversations_per_day,2025-03-11,2" in lines
