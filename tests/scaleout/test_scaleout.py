"""A conversation whose consecutive messages reach different Rasa instances carries on correctly."""

from __future__ import annotations

import uuid

import requests

DEMO_ORDER, DEMO_EMAIL = "SA-100001", "demo@example.com"


def say(stack, sender: str, text: str) -> tuple[str, str]:
    resp = requests.post(f"{stack.url('rasa')}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                         timeout=30)
    resp.raise_for_status()
    return " ".join(m.get("text", "") for m in resp.json()), resp.headers["X-Upstream"]


def test_the_order_form_continues_across_rasa_instances(stack):
    sender = f"scale-{uuid.uuid4().hex}"
    first, served_first = say(stack, sender, "where is my order?")
    second, served_second = say(stack, sender, DEMO_ORDER)
    third, served_third = say(stack, sender, DEMO_EMAIL)
    assert "order number" in first.lower() and "e-mail" in second.lower()
    assert served_first != served_second != served_third  # nginx alternates: every message on another instance
    assert DEMO_ORDER in third and "Expected delivery" in third


def test_every_instance_serves_and_shares_the_database(stack):
    upstreams = set()
    for _ in range(4):
        resp = requests.get(f"{stack.url('backend')}/v1/products", params={"q": "jacket"}, timeout=10)
        assert resp.status_code == 200 and resp.json()["total"] > 0
        upstreams.add(resp.headers["X-Upstream"])
    assert len(upstreams) == 2
    for name in ("rasa1", "rasa2", "actions1", "actions2", "backend1", "backend2"):
        assert stack.service(name).process.poll() is None, f"{name} stopped"
