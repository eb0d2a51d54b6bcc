"""The /admin/kb pages: log-in form, CSRF on every form, editing, the unanswered queue."""
from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge_base.models import Entry, QueueStatus, UnansweredQuestion
from tests.knowledge_base.conftest import page_login


def test_pages_redirect_to_the_log_in_form(client: TestClient) -> None:
    response = client.get("/admin/kb/queue", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/admin/kb/login?next=/admin/kb/queue"


def test_log_in_form_needs_its_token_and_the_right_password(client: TestClient) -> None:
    client.get("/admin/kb/login")
    forged = client.post("/admin/kb/login", data={"email": "admin@juniperlane.example", "password": "juniper-admin-dev",
                                                  "csrf_token": "forged"})
    assert forged.status_code == 403 and "expired" in forged.text
    form = client.get("/admin/kb/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    wrong = client.post("/admin/kb/login", data={"email": "admin@juniperlane.example", "password": "nope", "csrf_token": token})
    assert wrong.status_code == 401 and "wrong" in wrong.text


def test_overview_lists_entries_and_links_from_the_shop_admin(client: TestClient) -> None:
    page_login(client)
    page = client.get("/admin/kb")
    assert page.status_code == 200 and "How much does delivery cost?" in page.text
    assert 'href="/admin/kb"' in client.get("/admin").text


def test_forms_without_the_session_csrf_token_are_refused(client: TestClient, db: Session) -> None:
    page_login(client)
    entry = db.scalar(select(Entry).where(Entry.slug == "cookies"))
    assert entry is not None
    response = client.post(f"/admin/kb/entries/{entry.id}/status",
                           data={"csrf_token": "forged", "expected_version": entry.version, "action": "archive"})
    assert response.status_code == 403
    db.refresh(entry)
    assert entry.status.value == "published"


def test_create_edit_and_archive_through_forms(client: TestClient, db: Session) -> None:
    csrf = page_login(client)
    created = client.post("/admin/kb/entries/new", data={
        "csrf_token": csrf, "question": "Do you offer gift wrapping?", "phrasings": "Can you wrap a present?\n\n",
        "answer": "Yes, for **2 EUR**.", "category": "orders", "tags": "gifts, wrapping", "links": "Gifts | /#departments",
        "publish": "1"}, follow_redirects=False)
    assert created.status_code == 303
    entry = db.scalar(select(Entry).where(Entry.slug == "do-you-offer-gift-wrapping"))
    assert entry is not None and entry.phrasings == ["Can you wrap a present?"] and entry.tags == ["gifts", "wrapping"]
    assert entry.links == [{"label": "Gifts", "url": "/#departments"}]
    page = client.get(created.headers["location"])
    assert "<strong>2 EUR</strong>" in page.text and "Entry created." in page.text

    invalid = client.post(f"/admin/kb/entries/{entry.id}", data={
        "csrf_token": csrf, "expected_version": 1, "question": "Do you offer gift wrapping?",
        "answer": "Yes.", "category": "Not Valid!"})
    assert invalid.status_code == 422 and "category" in invalid.text

    saved = client.post(f"/admin/kb/entries/{entry.id}", data={
        "csrf_token": csrf, "expected_version": 1, "question": "Do you offer gift wrapping?",
        "answer": "Yes, for 3 EUR.", "category": "orders"}, follow_redirects=False)
    assert saved.status_code == 303
    archived = client.post(f"/admin/kb/entries/{entry.id}/status",
                           data={"csrf_token": csrf, "expected_version": 2, "action": "archive"})
    assert archived.status_code == 200 and "Archived" in archived.text
    db.refresh(entry)
    assert (entry.version, entry.status.value, entry.answer) == (3, "archived", "Yes, for 3 EUR.")
    diff = client.get(f"/admin/kb/entries/{entry.id}/diff?from=1&to=3")
    assert "diff-del" in diff.text and "Yes, for 3 EUR." in diff.text


def test_unanswered_questions_become_an_entry(client: TestClient, db: Session) -> None:
    for question in ("is there a loyalty points programme", "do you have a rewards scheme for regular customers",
                     "what is the capital of Australia"):
        assert client.post("/v1/kb/ask", json={"question": question}).json()["answered"] is False
    csrf = page_login(client)
    queue = client.get("/admin/kb/queue")
    assert queue.status_code == 200 and "loyalty points programme" in queue.text
    ids = [q.id for q in db.scalars(select(UnansweredQuestion).order_by(UnansweredQuestion.id))]
    created = client.post("/admin/kb/queue/new-entry", data={
        "csrf_token": csrf, "question_ids": f"{ids[0]},{ids[1]}", "question": "Do you have a loyalty programme?",
        "phrasings": "is there a loyalty points programme\ndo you have a rewards scheme for regular customers",
        "answer": "Not yet: we keep prices low instead.", "category": "payments", "publish": "1"}, follow_redirects=False)
    assert created.status_code == 303
    assert [q.status for q in db.scalars(select(UnansweredQuestion).order_by(UnansweredQuestion.id))] == [
        QueueStatus.RESOLVED, QueueStatus.RESOLVED, QueueStatus.OPEN]
    answer = client.post("/v1/kb/ask", json={"question": "is there a loyalty points programme"}).json()
    assert answer["answered"] and answer["answer_markdown"] == "Not yet: we keep prices low instead."

    dismissed = client.post("/admin/kb/queue/dismiss", data={"csrf_token": csrf, "question_ids": str(ids[2])})
    assert dismissed.status_code == 200 and "Nothing waiting" in dismissed.text
    again = client.post("/admin/kb/queue/dismiss", data={"csrf_token": csrf, "question_ids": str(ids[2])})
    assert again.status_code == 409


def test_import_page_is_for_admins_and_reports_counts(client: TestClient) -> None:
    csrf = page_login(client)
    exported = client.get("/admin/kb/export.json")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("application/json")
    response = client.post("/admin/kb/import", data={"csrf_token": csrf},
                           files={"file": ("kb.json", exported.content, "application/json")})
    assert response.status_code == 200 and "0 created, 0 updated" in response.text
    csv_file = client.get("/admin/kb/export.csv").content
    response = client.post("/admin/kb/import", data={"csrf_token": csrf}, files={"file": ("kb.csv", csv_file, "text/csv")})
    assert response.status_code == 200 and "0 created, 0 updated" in response.text
