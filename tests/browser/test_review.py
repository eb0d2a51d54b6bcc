"""Conversation review in the browser: an editor filters the seeded conversations by fallback, opens one,
corrects a message's intent, marks an entity, saves, and the YAML export holds the training example.

Only the backend runs here (uvicorn on a free port, the session's seeded shop database), reading a Rasa
tracker store this test writes with Rasa-shaped event rows (tests/commerce/analytics/rasa_events.py). The
conversations lie on two days of April 2025, away from anything else in the database.
"""
from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from knowledge_base import auth
from knowledge_base.audit import SYSTEM
from knowledge_base.models import Role
from tests.browser.conftest import backend_alone
from tests.browser.pages import shot
from tests.commerce.analytics.rasa_events import Conversation, write

EDITOR_PASSWORD = "review-editor-password"
DAY1 = datetime(2025, 4, 7, 9, 0, tzinfo=timezone.utc)
DAY2 = DAY1 + timedelta(days=1)
PERIOD = "start=2025-04-07&end=2025-04-08"


def conversations(ids: list[str]) -> list[Conversation]:
    return [
        Conversation(ids[0], DAY1).start().user("hello", "greet", 0.97).bot("Hi!", "utter_greet"),
        Conversation(ids[1], DAY1 + timedelta(hours=2)).user("wheres order SA-123456 plz", "nlu_fallback", 0.18)
        .action("action_default_ask_affirmation").bot("I'm not quite sure I understood."),
        Conversation(ids[2], DAY2, channel="rest").user("a person please", "contact_human_agent", 0.9)
        .action("action_handoff").bot("I've passed our conversation to a colleague."),
    ]


@pytest.fixture(scope="module")
def review_site(database_path: Path, db_engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    folder = tmp_path_factory.mktemp("review")
    tracker = folder / "tracker.db"
    ids = [f"review-{uuid.uuid4().hex[:12]}" for _ in range(3)]
    write(tracker, conversations(ids))
    editor = f"reviewer.{uuid.uuid4().hex[:8]}@juniperlane.example"
    with Session(db_engine) as session:
        auth.create_user(session, SYSTEM, editor, EDITOR_PASSWORD, Role.EDITOR)
    with backend_alone(database_path, tracker, folder) as url:
        yield {"url": url, "ids": ids, "editor": editor}


def test_an_editor_corrects_a_message_and_the_export_has_it(page: Page, review_site: dict) -> None:
    url, (_, fallback, handoff) = review_site["url"], review_site["ids"]
    page.goto(f"{url}/admin/analytics/review?{PERIOD}")
    expect(page).to_have_url(re.compile(r"/admin/kb/login"))  # log in first, and come back
    page.get_by_label("E-mail").fill(review_site["editor"])
    page.get_by_label("Password").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name=re.compile("Log in|Sign in", re.I)).click()
    expect(page).to_have_url(re.compile(r"/admin/analytics/review\?start=2025-04-07&end=2025-04-08$"))

    rows = page.locator("table.conversations tr[data-conversation]")
    expect(rows).to_have_count(3)
    expect(page.locator(f'tr[data-conversation="{handoff}"] [data-flag="handoff"]')).to_be_visible()

    page.get_by_label("Fallback").check()
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"fallback=1"))
    expect(rows).to_have_count(1)
    row = page.locator(f'tr[data-conversation="{fallback}"]')
    expect(row.locator('[data-flag="fallback"]')).to_be_visible()
    expect(row.locator('[data-flag="low_confidence"]')).to_be_visible()
    shot(page, "review-list-fallback")

    row.get_by_role("link").click()
    message = page.locator('li.turn[data-kind="user"]')
    expect(message).to_have_count(1)
    expect(message.locator(".text")).to_have_text("wheres order [order] plz")  # redacted when copied
    expect(message.locator(".nlu")).to_contain_text("nlu_fallback")
    expect(message.locator(".nlu")).to_contain_text("0.18")
    expect(page.locator('li.turn[data-kind="fallback"]')).to_contain_text("action_default_ask_affirmation")
    message.get_by_role("link", name="Correct").click()

    # The reviewer replaces the placeholder with a made-up number, marks it, and picks the right intent.
    example = page.get_by_label("Example text")
    expect(example).to_have_value("wheres order [order] plz")
    example.fill("wheres order SA-100001 plz")
    example.evaluate("input => input.setSelectionRange(13, 22)")
    page.get_by_label("Entity").select_option("order_number")
    page.get_by_role("button", name="Mark entity").click()
    expect(example).to_have_value("wheres order [SA-100001](order_number) plz")
    expect(page.get_by_role("list", name="Marked entities")).to_contain_text("SA-100001 order_number")
    page.get_by_label("Intent").select_option("track_order")
    shot(page, "review-correct-message")
    page.get_by_role("button", name="Save example").click()

    expect(page).to_have_url(re.compile(rf"/admin/analytics/review/conversations/{fallback}\?notice=saved"))
    expect(page.locator(".notice")).to_contain_text("Saved")
    reviewed = page.locator('li.turn[data-kind="user"] [data-review="example"]')
    expect(reviewed).to_contain_text("track_order")
    expect(reviewed).to_contain_text("wheres order [SA-100001](order_number) plz")
    expect(reviewed).to_contain_text(review_site["editor"])
    shot(page, "review-transcript-reviewed")
    page.get_by_role("link", name="Back to the conversations").click()  # to the filtered list it came from
    expect(page).to_have_url(re.compile(r"/admin/analytics/review\?start=2025-04-07&end=2025-04-08&fallback=1"))
    expect(rows).to_have_count(1)
    expect(row.locator("td").last).to_have_text("1")  # one message reviewed

    page.goto(f"{url}/admin/analytics/review/export")
    expect(page.get_by_label("YAML patch")).to_contain_text("- wheres order [SA-100001](order_number) plz")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download YAML patch").click()
    assert download.value.suggested_filename == "reviewed.yml"
    document = yaml.safe_load(Path(download.value.path()).read_text(encoding="utf-8"))
    assert document["version"] == "3.1"
    assert {"intent": "track_order", "examples": "- wheres order [SA-100001](order_number) plz\n"} in document["nlu"]
