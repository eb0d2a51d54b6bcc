"""A shopper talking to Rasa's REST channel."""

from __future__ import annotations

import uuid

import requests


class Shopper:
    def __init__(self, rasa_url: str) -> None:
        self.url = f"{rasa_url}/webhooks/rest/webhook"
        self.sender = f"e2e-{uuid.uuid4().hex}"

    def say(self, text: str) -> str:
        resp = requests.post(self.url, json={"sender": self.sender, "message": text}, timeout=30)
        resp.raise_for_status()
        return "\n".join(m.get("text", "") for m in resp.json())
