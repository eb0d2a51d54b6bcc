"""A/B tests reach the conversation (issue 11): an admin starts a kb_retrieval test, with no redeploy, and the
assistant's answers come from the shopper's variant, which the conversation's tracker records as the backend
assigns it."""

from __future__ import annotations

import json
import sqlite3
import uuid

import requests

from tests.e2e.chat import Shopper

QUESTION = "how long does delivery take?"


def admin(backend: str) -> requests.Session:
    session = requests.Session()
    response = session.post(f"{backend}/v1/kb/admin/login", timeout=10,
                            json={"email": "admin@juniperlane.example", "password": "juniper-admin-dev"})
    response.raise_for_status()
    session.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return session


def recorded_arms(tracker_db, sender: str) -> dict:
    with sqlite3.connect(tracker_db) as conn:
        rows = conn.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'slot' ORDER BY id",
                            (sender,)).fetchall()
    values = [json.loads(data)["value"] for (data,) in rows if json.loads(data)["name"] == "experiments"]
    return values[-1] if values else {}


def test_the_conversation_records_the_variant_the_backend_assigned(stack, database_path):
    backend = stack.url("backend")
    staff = admin(backend)
    key = f"kb-e2e-{uuid.uuid4().hex[:8]}"
    created = staff.post(f"{backend}/v1/admin/experiments", timeout=10, json={
        "key": key, "name": "Hybrid or keywords only", "subject": "kb_retrieval", "metric": "helpful",
        "horizon_per_arm": 1000,
        "variants": [{"name": "hybrid", "weight": 50, "config": {"semantic_weight": 0.7}},
                     {"name": "keywords", "weight": 50, "config": {"semantic_weight": 0.0}}]})
    assert created.status_code == 201, created.text
    before = Shopper(stack.url("rasa"))
    assert before.say(QUESTION)
    assert recorded_arms(database_path.parent / "tracker.db", before.sender) == {}  # a draft changes nothing

    started = staff.patch(f"{backend}/v1/admin/experiments/{key}", json={"status": "running"}, timeout=10)
    assert started.status_code == 200, started.text
    try:
        seen = {}
        for _ in range(6):  # conversations of both variants, with overwhelming probability
            shopper = Shopper(stack.url("rasa"))
            assert shopper.say(QUESTION)
            assigned = requests.get(f"{backend}/v1/experiments/{key}/assignment", params={"unit": shopper.sender},
                                    timeout=10).json()
            assert recorded_arms(database_path.parent / "tracker.db", shopper.sender) == {key: assigned["variant"]}
            seen[assigned["variant"]] = seen.get(assigned["variant"], 0) + 1
        report = staff.get(f"{backend}/v1/admin/experiments/{key}/report", timeout=10).json()
        assert {arm["variant"]: arm["units"] for arm in report["arms"]} == {v: seen.get(v, 0) for v in
                                                                             ("hybrid", "keywords")}
    finally:
        staff.patch(f"{backend}/v1/admin/experiments/{key}", json={"status": "stopped"}, timeout=10)
