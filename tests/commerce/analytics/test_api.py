"""/v1/admin/analytics and the /admin/analytics page: admins only, fresh figures, filters, CSV."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from knowledge_base.models import Role
from tests.commerce.analytics import story
from tests.commerce.analytics.rasa_events import Conversation, write

PERIOD = {"start": "2026-11-02", "end": "2026-11-03"}


def test_the_api_needs_an_admin(client: TestClient, login: Callable[..., str], tracker_path: Path) -> None:
    assert client.get("/v1/admin/analytics").status_code == 401
    assert client.get("/v1/admin/analytics/export.csv").status_code == 401
    login(Role.EDITOR)
    refused = client.get("/v1/admin/analytics")
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"


def test_the_dashboard_copies_new_conversations_before_counting(
        client: TestClient, db: Session, login: Callable[..., str], tracker_path: Path) -> None:
    known = story.build(db, tracker_path)
    login()
    body = client.get("/v1/admin/analytics", params=PERIOD).json()
    assert body["conversations"]["total"] == 4 and body["conversations"]["automated_resolution_rate"] == 0.5
    assert body["recommendations"]["revenue_influenced_cents"] == known.revenue_cents
    assert [d["conversations"] for d in body["per_day"]] == [2, 2]

    # A new conversation in Rasa's store shows at the next request, without any command.
    write(tracker_path, [Conversation("late-" + known.c1, story.NOON2).user("hi", "greet")])
    again = client.get("/v1/admin/analytics", params={**PERIOD, "channel": "socketio"}).json()
    assert again["conversations"]["total"] == 3 and again["channel"] == "socketio"


def test_period_checks(client: TestClient, login: Callable[..., str], tracker_path: Path) -> None:
    login()
    backwards = client.get("/v1/admin/analytics", params={"start": "2026-11-03", "end": "2026-11-02"})
    assert backwards.status_code == 422 and backwards.json()["error"] == "analytics_bad_period"
    assert client.get("/v1/admin/analytics", params={"start": "2024-01-01", "end": "2026-01-01"}).status_code == 422
    assert client.get("/v1/admin/analytics", params={"channel": "bad channel!"}).status_code == 422
    default = client.get("/v1/admin/analytics").json()
    assert len(default["per_day"]) == 30  # the last 30 days


def test_csv_export(client: TestClient, db: Session, login: Callable[..., str], tracker_path: Path) -> None:
    story.build(db, tracker_path)
    login()
    response = client.get("/v1/admin/analytics/export.csv", params={**PERIOD, "channel": "rest"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert 'filename="analytics-2026-11-02-2026-11-03-rest.csv"' in response.headers["content-disposition"]
    assert "conversations,total,2" in response.text.splitlines()


def test_ingest_on_demand_needs_the_csrf_token(
        client: TestClient, db: Session, login: Callable[..., str], tracker_path: Path) -> None:
    write(tracker_path, [Conversation("on-demand-1", story.NOON1).user("hi", "greet").bot("Hello")])
    csrf = login()
    assert client.post("/v1/admin/analytics/ingest").status_code == 403
    done = client.post("/v1/admin/analytics/ingest", headers={"X-CSRF-Token": csrf}).json()
    assert (done["read"], done["written"], done["waiting_for_gap"]) == (2, 2, False)


def test_the_page_draws_charts_and_figures(
        client: TestClient, db: Session, login: Callable[..., str], tracker_path: Path) -> None:
    story.build(db, tracker_path)
    login()
    page = client.get("/admin/analytics", params=PERIOD)
    assert page.status_code == 200
    html = page.text
    assert re.search(r'data-metric="conversations"><div class="value">4<', html)
    assert re.search(r'data-metric="automated_resolution_rate"><div class="value">50.0%<', html)
    assert html.count("<svg") >= 5 and 'aria-label="Conversations per day"' in html
    assert "Do you ship to Mars?" in html and "ana@example.org" not in html
    assert 'href="/admin/analytics/export.csv?start=2026-11-02&amp;end=2026-11-03"' in html
    csv = client.get("/admin/analytics/export.csv", params={**PERIOD, "channel": "socketio"})
    assert csv.status_code == 200 and "conversations,total,2" in csv.text.splitlines()
    bad = client.get("/admin/analytics", params={"start": "yesterday"})
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.text


def test_the_page_sends_strangers_to_log_in_and_back(client: TestClient, login: Callable[..., str],
                                                     tracker_path: Path) -> None:
    response = client.get("/admin/analytics?start=2026-11-02", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/kb/login?next=%2Fadmin%2Fkb%2Fanalytics%3Fstart%3D2026-11-02"
    forward = client.get("/admin/kb/analytics?start=2026-11-02", follow_redirects=False)
    assert forward.headers["location"] == "/admin/analytics?start=2026-11-02"
    login(Role.EDITOR)
    refused = client.get("/admin/analytics")
    assert refused.status_code == 403 and "Only an admin" in refused.text
