"""Conversation review over HTTP: the JSON API (/v1/admin/analytics/review) and the pages
(/admin/analytics/review): editors may review, strangers may not, changes need the CSRF token, bad corrections
get a clear 422, and a saved correction is in the YAML download."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import yaml
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from knowledge_base.models import Role
from tests.commerce.analytics import story

API = "/v1/admin/analytics/review"
PAGE = "/admin/analytics/review"
PERIOD = {"start": "2026-11-02", "end": "2026-11-03"}


def user_turn(client: TestClient, conversation_id: str, text_start: str) -> dict:
    body = client.get(f"{API}/conversations/{conversation_id}").json()
    return next(t for t in body["turns"] if t["kind"] == "user" and (t["text"] or "").startswith(text_start))


def test_strangers_get_401_and_editors_may_review(client: TestClient, db: Session, login: Callable[..., str],
                                                  tracker_path: Path) -> None:
    known = story.build(db, tracker_path)
    assert client.get(f"{API}/conversations").status_code == 401
    assert client.get(f"{API}/conversations/{known.c1}").status_code == 401
    assert client.get(f"{API}/export.yml").status_code == 401
    anonymous = client.put(f"{API}/turns/1/correction", json={"text": "hi", "intent": "greet"})
    assert anonymous.status_code == 401 and anonymous.json()["error"] == "not_authenticated"

    login(Role.EDITOR)
    listed = client.get(f"{API}/conversations", params={**PERIOD, "fallback": "true"})
    assert listed.status_code == 200
    assert [c["conversation_id"] for c in listed.json()["conversations"]] == [known.c3]


def test_the_list_filters_and_the_transcript(client: TestClient, db: Session, login: Callable[..., str],
                                             tracker_path: Path) -> None:
    known = story.build(db, tracker_path)
    login(Role.EDITOR)

    def listed(**params: object) -> set[str]:
        body = client.get(f"{API}/conversations", params={**PERIOD, **params}).json()
        assert body["total"] == len(body["conversations"])
        return {c["conversation_id"] for c in body["conversations"]}

    assert listed() == {known.c1, known.c2, known.c3, known.c4}  # copied from the tracker store on the way
    assert listed(handoff="true") == {known.c2}
    assert listed(negative_rating="true") == {known.c3}
    assert listed(low_confidence="true", threshold=0.85) == {known.c1, known.c3}
    assert listed(channel="socketio") == {known.c1, known.c2}
    assert client.get(f"{API}/conversations", params={"threshold": 0}).status_code == 422

    body = client.get(f"{API}/conversations", params={**PERIOD, "fallback": "true"}).json()
    summary = body["conversations"][0]
    assert (summary["fallback"], summary["low_confidence"], summary["negative_rating"], summary["handoff"]) == (
        True, True, True, False)
    transcript = client.get(f"{API}/conversations/{known.c3}").json()
    assert transcript["unhelpful_ratings"] == 1 and transcript["channel"] == "rest"
    assert [(t["kind"], t["intent"], t["confidence"]) for t in transcript["turns"]][:2] == [
        ("user", "nlu_fallback", 0.1), ("fallback", None, 1.0)]
    assert client.get(f"{API}/conversations/nobody").status_code == 404
    domain = client.get(f"{API}/domain").json()
    assert "track_order" in domain["intents"] and "order_number" in domain["entities"]


def test_a_correction_through_the_api(client: TestClient, db: Session, login: Callable[..., str],
                                      tracker_path: Path) -> None:
    known = story.build(db, tracker_path)
    csrf = login(Role.EDITOR)
    turn = user_turn(client, known.c1, "recommend a tent")
    url = f"{API}/turns/{turn['id']}/correction"
    body = {"text": "recommend a tent, mail me at sam@example.net", "intent": "product_search",
            "entities": [{"start": 12, "end": 16, "entity": "product"}, {"start": 29, "end": 44, "entity": "email"}]}

    assert client.put(url, json=body).status_code == 403  # no CSRF token
    assert client.put(url, json=body, headers={"X-CSRF-Token": "forged"}).json()["error"] == "csrf_failed"
    saved = client.put(url, json=body, headers={"X-CSRF-Token": csrf})
    assert saved.status_code == 200, saved.text
    assert saved.json()["markup"] == "recommend a [tent](product), mail me at [sam@example.net](email)"
    assert saved.json()["reviewer_email"].startswith("editor.") and saved.json()["original_intent"] == "recommend"

    again = user_turn(client, known.c1, "recommend a tent")
    assert again["correction"]["intent"] == "product_search"
    export = client.get(f"{API}/export.yml")
    assert export.status_code == 200 and export.headers["content-type"].startswith("application/x-yaml")
    assert 'filename="reviewed.yml"' in export.headers["content-disposition"]
    assert {"intent": "product_search",
            "examples": "- recommend a [tent](product), mail me at [sam@example.net](email)\n"} in \
        yaml.safe_load(export.text)["nlu"]

    dropped = client.put(url, json={"drop": True}, headers={"X-CSRF-Token": csrf}).json()
    assert (dropped["status"], dropped["markup"], dropped["id"]) == ("dropped", None, saved.json()["id"])


def test_bad_corrections_get_a_clear_422(client: TestClient, db: Session, login: Callable[..., str],
                                         tracker_path: Path) -> None:
    known = story.build(db, tracker_path)
    csrf = login(Role.EDITOR)
    turn = user_turn(client, known.c4, "how long")
    url, headers = f"{API}/turns/{turn['id']}/correction", {"X-CSRF-Token": csrf}

    unknown = client.put(url, json={"text": "how long is delivery", "intent": "teleport"}, headers=headers)
    assert unknown.status_code == 422 and unknown.json()["error"] == "review_unknown_intent"
    assert "Unknown intent 'teleport'" in unknown.json()["detail"]
    outside = client.put(url, json={"text": "how long is delivery", "intent": "delivery_period",
                                    "entities": [{"start": 12, "end": 40, "entity": "product"}]}, headers=headers)
    assert outside.status_code == 422 and outside.json()["error"] == "review_bad_span"
    assert "12-40 (product) is outside the text, which has 20 characters" in outside.json()["detail"]
    entity = client.put(url, json={"text": "how long is delivery", "intent": "delivery_period",
                                   "entities": [{"start": 0, "end": 3, "entity": "planet"}]}, headers=headers)
    assert entity.status_code == 422 and entity.json()["error"] == "review_unknown_entity"
    placeholder = client.put(url, json={"text": "mail [email] please", "intent": "delivery_period"}, headers=headers)
    assert placeholder.status_code == 422 and "[email]" in placeholder.json()["detail"]
    incomplete = client.put(url, json={"text": "how long"}, headers=headers)
    assert incomplete.status_code == 422 and incomplete.json()["error"] == "review_incomplete"
    assert client.put(f"{API}/turns/999999999/correction", json={"drop": True}, headers=headers).status_code == 404
    assert client.get(f"{API}/export.yml").text.endswith("nlu: []\n")  # nothing was saved


def test_the_pages_list_show_and_correct(client: TestClient, db: Session, login: Callable[..., str],
                                         tracker_path: Path) -> None:
    known = story.build(db, tracker_path)
    csrf = login(Role.EDITOR)

    listing = client.get(PAGE, params={**PERIOD, "fallback": "1"})
    assert listing.status_code == 200
    assert f'data-conversation="{known.c3}"' in listing.text and f'data-conversation="{known.c1}"' not in listing.text
    assert 'data-flag="negative_rating"' in listing.text and 'data-total="1"' in listing.text

    page = client.get(f"{PAGE}/conversations/{known.c3}")
    assert page.status_code == 200
    assert 'data-intent="nlu_fallback"' in page.text and ">0.10<" in page.text and "blorp" in page.text
    turn_id = int(re.search(r'href="/admin/analytics/review/turns/(\d+)">Correct', page.text).group(1))

    form = client.get(f"{PAGE}/turns/{turn_id}")
    assert form.status_code == 200 and '<option value="track_order">' in form.text
    assert 'value="blorp"' in form.text  # the text to edit starts as the shopper wrote it (redacted)

    refused = client.post(f"{PAGE}/turns/{turn_id}", data={"csrf_token": "forged", "example": "x", "intent": "greet"})
    assert refused.status_code == 403
    bad = client.post(f"{PAGE}/turns/{turn_id}", data={"csrf_token": csrf, "intent": "track_order",
                                                       "example": "where is [SA-100001](planet)"})
    assert bad.status_code == 422 and "Unknown entity &#39;planet&#39;" in bad.text
    assert 'value="where is [SA-100001](planet)"' in bad.text  # what was typed is kept
    saved = client.post(f"{PAGE}/turns/{turn_id}", data={"csrf_token": csrf, "intent": "track_order",
                                                         "example": "where is [SA-100001](order_number)"},
                        follow_redirects=False)
    assert saved.status_code == 303
    assert saved.headers["location"] == f"{PAGE}/conversations/{known.c3}?notice=saved#turn-{turn_id}"
    shown = client.get(f"{PAGE}/conversations/{known.c3}", params={"notice": "saved"})
    assert "where is [SA-100001](order_number)" in shown.text and "Saved: the example" in shown.text

    export = client.get(f"{PAGE}/export.yml")
    assert export.status_code == 200
    assert {"intent": "track_order", "examples": "- where is [SA-100001](order_number)\n"} in \
        yaml.safe_load(export.text)["nlu"]
    preview = client.get(f"{PAGE}/export")
    assert "where is [SA-100001](order_number)" in preview.text


def test_the_pages_send_strangers_to_log_in_and_back(client: TestClient, login: Callable[..., str],
                                                     tracker_path: Path) -> None:
    response = client.get(f"{PAGE}/conversations/abc?back=x", follow_redirects=False)
    assert response.status_code == 303
    back = quote("/admin/kb/review/conversations/abc?back=x", safe="")
    assert response.headers["location"] == f"/admin/kb/login?next={back}"
    forward = client.get("/admin/kb/review/conversations/abc?back=x", follow_redirects=False)
    assert forward.headers["location"] == f"{PAGE}/conversations/abc?back=x"
    assert client.post(f"{PAGE}/turns/1", data={"csrf_token": "x"}, follow_redirects=False).status_code == 303
    login(Role.ADMIN)  # admins review too
    assert client.get(PAGE).status_code == 200
    assert client.get(f"{PAGE}/conversations/abc").status_code == 404
