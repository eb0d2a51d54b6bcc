"""An admin account for the campaign API tests (the shop's staff accounts are the knowledge base's)."""
from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from knowledge_base import auth
from knowledge_base.audit import SYSTEM
from knowledge_base.models import Role

PASSWORD = "promo-admin-password"


def login(client: TestClient, db: Session) -> str:
    auth.create_user(db, SYSTEM, "promo.admin@example.com", PASSWORD, Role.ADMIN)
    db.commit()
    response = client.post("/v1/kb/admin/login", json={"email": "promo.admin@example.com", "password": PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()["csrf_token"]
