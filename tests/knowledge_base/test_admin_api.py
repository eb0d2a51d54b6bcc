"""The admin JSON API: log-in, roles, CSRF, editing with versions, import / export, audit."""
from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge_base import auth
from knowledge_base.audit import SYSTEM
from knowledge_base.models import AuditEvent, Role, User
from tests.knowledge_base.conftest import ADMIN_PASSWORD, login

NEW = {"question": "Do you sell gift cards?", "answer": "Yes: **digital gift cards** from 10 EUR.",
       "category": "payments", "phrasings": ["Can I buy a voucher?"], "tags": ["gift"]}


def editor(db: Session, client: TestClient) -> str:
    auth.create_user(db, SYSTEM, "editor@juniperlane.example", "editor-password-1", Role.EDITOR)
    return login(client, "editor@juniperlane.example", "editor-password-1")


def actions(db: Session) -> list[str]:
    return list(db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_passwords_are_argon2_hashed(db: Session) -> None:
    admin = db.scalar(select(User).where(User.role == Role.ADMIN))
    assert admin is not None and admin.password_hash.startswith("$argon2id$")
    assert ADMIN_PASSWORD not in admin.password_hash


def test_wrong_password_is_refused_audited_and_throttled(client: TestClient, db: Session, kb_settings, monkeypatch) -> None:
    monkeypatch.setattr(kb_settings, "LOGIN_ATTEMPTS", 3)
    bad = {"email": "admin@juniperlane.example", "password": "guess"}
    assert [client.post("/v1/kb/admin/login", json=bad).status_code for _ in range(4)] == [401, 401, 401, 429]
    assert actions(db).count("login_failed") == 3
    unknown = client.post("/v1/kb/admin/login", json={"email": "nobody@example.com", "password": "x"})
    assert unknown.status_code == 401 and unknown.json()["error"] == "invalid_credentials"


def test_everything_needs_a_session_and_changes_need_the_csrf_token(client: TestClient) -> None:
    assert client.get("/v1/kb/admin/entries").status_code == 401
    token = login(client)
    assert client.get("/v1/kb/admin/entries").status_code == 200
    assert client.post("/v1/kb/admin/entries", json=NEW).json()["error"] == "csrf_failed"
    assert client.post("/v1/kb/admin/entries", json=NEW, headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert client.post("/v1/kb/admin/entries", json=NEW, headers={"X-CSRF-Token": token}).status_code == 201
    assert client.post("/v1/kb/admin/logout", headers={"X-CSRF-Token": token}).status_code == 204
    assert client.get("/v1/kb/admin/entries").status_code == 401


def test_editors_cannot_import_read_the_audit_log_or_create_accounts(client: TestClient, db: Session) -> None:
    token = editor(db, client)
    headers = {"X-CSRF-Token": token}
    assert client.post("/v1/kb/admin/import", json=[], headers=headers).status_code == 403
    assert client.get("/v1/kb/admin/audit").status_code == 403
    body = {"email": "x@example.com", "password": "long-enough-pass", "role": "admin"}
    assert client.post("/v1/kb/admin/users", json=body, headers=headers).status_code == 403
    assert client.post("/v1/kb/admin/entries", json=NEW, headers=headers).status_code == 201


def test_edit_publish_diff_restore_with_versions_and_audit(client: TestClient, db: Session) -> None:
    headers = {"X-CSRF-Token": login(client)}
    created = client.post("/v1/kb/admin/entries", json=NEW, headers=headers).json()
    entry_id = created["id"]
    assert (created["status"], created["version"], created["slug"]) == ("draft", 1, "do-you-sell-gift-cards")
    assert client.post("/v1/kb/ask", json={"question": "do you sell gift cards"}).json().get("entry_id") != entry_id

    published = client.post(f"/v1/kb/admin/entries/{entry_id}/publish", json={"expected_version": 1}, headers=headers).json()
    assert published["status"] == "published"
    assert client.post("/v1/kb/ask", json={"question": "do you sell gift cards"}).json()["entry_id"] == entry_id

    edited = client.patch(f"/v1/kb/admin/entries/{entry_id}", headers=headers,
                          json={"expected_version": 2, "answer": "Not any more.", "note": "discontinued"}).json()
    assert edited["version"] == 3 and edited["answer_html"] == "<p>Not any more.</p>\n"
    stale = client.patch(f"/v1/kb/admin/entries/{entry_id}", headers=headers, json={"expected_version": 2, "answer": "x"})
    assert stale.status_code == 409 and stale.json()["error"] == "stale_version"

    diff = client.get(f"/v1/kb/admin/entries/{entry_id}/diff?from_version=1&to_version=3").json()
    changed = {c["field"]: c["diff"] for c in diff["changes"]}
    assert set(changed) == {"answer", "status"}
    assert "-Yes: **digital gift cards** from 10 EUR." in changed["answer"] and "+Not any more." in changed["answer"]

    restored = client.post(f"/v1/kb/admin/entries/{entry_id}/versions/1/restore", json={"expected_version": 3},
                           headers=headers).json()
    assert restored["version"] == 4 and restored["answer"] == NEW["answer"] and restored["status"] == "published"
    assert [v["version"] for v in restored["versions"]] == [4, 3, 2, 1]
    assert restored["versions"][0]["author_email"] == "admin@juniperlane.example"
    assert actions(db)[-4:] == ["entry_created", "entry_published", "entry_updated", "entry_restored"]


def test_search_and_helpfulness_in_the_listing(client: TestClient) -> None:
    login(client)
    page = client.get("/v1/kb/admin/entries", params={"q": "refund", "status": "published", "limit": 5}).json()
    assert page["total"] >= 2 and len(page["items"]) <= 5
    assert all(item["helpfulness"]["helpful"] == 0 for item in page["items"])
    assert client.get("/v1/kb/admin/entries", params={"category": "privacy"}).json()["total"] >= 5


def test_export_import_round_trip_json_and_csv(client: TestClient) -> None:
    headers = {"X-CSRF-Token": login(client)}
    exported = client.get("/v1/kb/admin/export").json()
    assert len(exported) >= 60 and {"slug", "question", "answer", "phrasings", "links", "status"} <= set(exported[0])
    assert client.post("/v1/kb/admin/import", json=exported, headers=headers).json() == {
        "created": 0, "updated": 0, "unchanged": len(exported)}

    rows = list(csv.DictReader(io.StringIO(client.get("/v1/kb/admin/export?format=csv").text)))
    assert len(rows) == len(exported)
    changed = [dict(exported[0], answer="A changed answer."), dict(exported[1], slug="brand-new-entry")]
    assert client.post("/v1/kb/admin/import", json=changed, headers=headers).json() == {
        "created": 1, "updated": 1, "unchanged": 0}


def test_an_invalid_row_rejects_the_whole_import(client: TestClient) -> None:
    headers = {"X-CSRF-Token": login(client)}
    rows = [dict(NEW, slug="fine-one"), dict(NEW, slug="Bad Slug")]
    response = client.post("/v1/kb/admin/import", json=rows, headers=headers)
    assert response.status_code == 422 and "row 2" in response.json()["detail"]
    assert client.get("/v1/kb/admin/entries", params={"q": "fine-one"}).json()["total"] == 0


def test_admin_creates_accounts(client: TestClient) -> None:
    headers = {"X-CSRF-Token": login(client)}
    body = {"email": "New.Editor@Example.com", "password": "a-long-password", "role": "editor"}
    assert client.post("/v1/kb/admin/users", json=body, headers=headers).status_code == 201
    assert client.post("/v1/kb/admin/users", json=body, headers=headers).status_code == 409
    emails = [u["email"] for u in client.get("/v1/kb/admin/users").json()]
    assert "new.editor@example.com" in emails
    assert client.post("/v1/kb/admin/login", json={"email": "new.editor@example.com", "password": "a-long-password"}).status_code == 200
