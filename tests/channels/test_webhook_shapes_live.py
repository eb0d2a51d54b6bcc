"""Webhook bodies that fit what we checked but broke inside Rasa's route (an HTTP 500), sent to the running stack:
each must get a 400 naming the field (or the platform's usual 200 where the platform really sends the shape and
there is nothing to answer), and the conversation must go on afterwards."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any, Optional
from urllib.parse import urlencode

import pytest
import requests

from tests.channels.platforms import Call, hub_signature, slack_signature_headers

TIMEOUT = 60


@pytest.fixture(autouse=True)
def nothing_died(stack):
    """After every test here, each process of the stack is still running (a body must never crash one)."""
    assert stack.dead() == [], "died before this test"
    yield
    assert stack.dead() == []


def webhook(stack, platform: str) -> str:
    return f"{stack.url('rasa')}/webhooks/{platform}/webhook"


def refused_with(resp: requests.Response, reason: str) -> None:
    """A 400 whose whole reason is `reason`: short, naming the field, not echoing what was sent."""
    assert resp.status_code == 400, (resp.status_code, resp.text[:300])
    assert resp.json() == {"error": reason}


# --- Slack ------------------------------------------------------------------------------------------------


def slack_dm(channel: str, text: str, **outer: Any) -> dict:
    ts = f"{time.time():.6f}"
    body = {"type": "event_callback", "team_id": "T0SHOP", "event_id": f"Ev{uuid.uuid4().hex[:10]}",
            "authorizations": [{"team_id": "T0SHOP", "user_id": "U0SHOPBOT", "is_bot": True}],
            "event": {"type": "message", "channel": channel, "user": "U0SHAPE", "text": text, "ts": ts,
                      "event_ts": ts, "channel_type": "im"}}
    body.update(outer)
    return body


def slack_button(where: str, value: str, **fields: Any) -> dict:
    """A block_actions payload for a button in a message the bot sent (Slack's documented shape, trimmed)."""
    ts = f"{time.time():.6f}"
    payload = {"type": "block_actions", "user": {"id": "U0SHAPE", "team_id": "T0SHOP"}, "team": {"id": "T0SHOP"},
               "container": {"type": "message", "message_ts": ts, "channel_id": where},
               "channel": {"id": where, "name": "directmessage"},
               "message": {"type": "message", "ts": ts, "text": "Anything else?"},
               "actions": [{"type": "button", "action_id": "a1", "block_id": "b1", "value": value}]}
    payload.update(fields)
    return payload


def post_slack(stack, env, body: bytes, content_type: str) -> requests.Response:
    headers = {"Content-Type": content_type, **slack_signature_headers(env["SLACK_SIGNING_SECRET"], body)}
    return requests.post(webhook(stack, "slack"), data=body, headers=headers, timeout=TIMEOUT)


def slack_event(stack, env, body: dict) -> requests.Response:
    return post_slack(stack, env, json.dumps(body).encode(), "application/json")


def slack_interactive(stack, env, payload: dict) -> requests.Response:
    body = urlencode({"payload": json.dumps(payload)}).encode()
    return post_slack(stack, env, body, "application/x-www-form-urlencoded")


def to_slack_channel(channel: str):
    return lambda call: call.json().get("channel") == channel


def new_slack_channel() -> str:
    return f"D{uuid.uuid4().hex[:9].upper()}"


@pytest.mark.parametrize("outer, reason", [
    ({"authorizations": None}, "authorizations must be a list"),
    ({"authorizations": "U0SHOPBOT"}, "authorizations must be a list"),
], ids=["null", "a-text"])
def test_slack_event_without_a_readable_authorization_is_refused(stack, platforms, channel_env, outer, reason):
    channel = new_slack_channel()
    refused_with(slack_event(stack, channel_env, slack_dm(channel, "hi", **outer)), reason)
    time.sleep(1)  # an accepted message would have been answered by now
    assert platforms["slack"].calls(to_slack_channel(channel)) == []
    assert slack_event(stack, channel_env, slack_dm(channel, "hi")).status_code == 200
    assert platforms["slack"].wait_for(to_slack_channel(channel), timeout=TIMEOUT).json()["text"]


def test_slack_event_with_null_authorizations_but_authed_users_still_answered(stack, platforms, channel_env):
    """Rasa reads `authed_users` first when the key is there (an older Slack field), so `authorizations` is unread."""
    channel = new_slack_channel()
    resp = slack_event(stack, channel_env, slack_dm(channel, "hi", authorizations=None, authed_users=["U0SHOPBOT"]))
    assert resp.status_code == 200, resp.text[:300]
    assert platforms["slack"].wait_for(to_slack_channel(channel), timeout=TIMEOUT).json()["text"]


@pytest.mark.parametrize("field", ["message", "channel"])
@pytest.mark.parametrize("value", [None, "C0SHOP", ["C0SHOP"], 7], ids=["null", "text", "list", "number"])
def test_slack_interactive_payload_with_a_non_object_message_or_channel_is_refused(
        stack, platforms, channel_env, field, value):
    channel = new_slack_channel()
    resp = slack_interactive(stack, channel_env, slack_button(channel, "/greet", **{field: value}))
    refused_with(resp, f"payload.{field} must be an object")
    assert "C0SHOP" not in resp.text


def test_slack_button_press_is_answered_after_refusals(stack, platforms, channel_env):
    channel = new_slack_channel()
    refused_with(slack_interactive(stack, channel_env, slack_button(channel, "/greet", message=None)),
                 "payload.message must be an object")
    resp = slack_interactive(stack, channel_env, slack_button(channel, "/greet"))
    assert resp.status_code == 200, resp.text[:300]
    assert platforms["slack"].wait_for(to_slack_channel(channel), timeout=TIMEOUT).json()["text"]
    # a button in a modal or the Home tab comes without `message` and `channel`: Rasa reads them as absent
    resp = slack_interactive(stack, channel_env, {k: v for k, v in slack_button(channel, "/greet").items()
                                                   if k not in ("message", "channel")})
    assert resp.status_code == 200, resp.text[:300]


def test_slack_menu_cleared_by_the_shopper_is_ignored(stack, platforms, channel_env):
    """Slack sends `selected_option: null` when a menu's choice is cleared; Rasa's route cannot read it."""
    channel = new_slack_channel()
    cleared = [{"type": "static_select", "action_id": "a1", "block_id": "b1", "selected_option": None}]
    resp = slack_interactive(stack, channel_env, slack_button(channel, "", actions=cleared))
    assert (resp.status_code, resp.text) == (200, "nothing was chosen")
    chosen = [{**cleared[0], "selected_option": {"text": {"type": "plain_text", "text": "Hi"}, "value": "/greet"}}]
    assert slack_interactive(stack, channel_env, slack_button(channel, "", actions=chosen)).status_code == 200
    assert platforms["slack"].wait_for(to_slack_channel(channel), timeout=TIMEOUT).json()["text"]


# --- Facebook Messenger -----------------------------------------------------------------------------------


def messenger_body(psid: str, message: Optional[dict]) -> bytes:
    now = int(time.time() * 1000)
    event = {"sender": {"id": psid}, "recipient": {"id": "1"}, "timestamp": now,
             "message": {"mid": f"m_{uuid.uuid4().hex}", **(message or {})}}
    return json.dumps({"object": "page", "entry": [{"id": "1", "time": now, "messaging": [event]}]}).encode()


def post_messenger(stack, env, body: bytes) -> requests.Response:
    headers = {"Content-Type": "application/json", "X-Hub-Signature": hub_signature(env["FACEBOOK_SECRET"], body)}
    return requests.post(webhook(stack, "facebook"), data=body, headers=headers, timeout=TIMEOUT)


def to_psid(psid: str):
    def matches(call: Call) -> bool:
        payload = call.json()
        return payload.get("recipient", {}).get("id") == psid and "message" in payload

    return matches


IMAGE = {"type": "image", "payload": {"url": "https://cdn.example/p/123.jpg"}}
PREFIX = "entry[0].messaging[0].message"


@pytest.mark.parametrize("message, reason", [
    ({"attachments": None}, f"{PREFIX}.attachments must be a list"),
    ({"attachments": [{"payload": {"url": "https://cdn.example/p/123.jpg"}}]},
     f"{PREFIX}.attachments[0].type is missing"),
    # Rasa itself ignores a `null` type, but Messenger always names the kind, so this is no Messenger body
    ({"attachments": [{"type": None, "payload": {"url": "https://cdn.example/p/123.jpg"}}]},
     f"{PREFIX}.attachments[0].type must be a text"),
    ({"attachments": [None, IMAGE]}, f"{PREFIX}.attachments[0] must be an object"),
    ({"attachments": [{"type": "audio", "payload": None}]}, f"{PREFIX}.attachments[0].payload must be an object"),
    ({"is_echo": True, "text": "hi", "attachments": None}, f"{PREFIX}.attachments must be a list"),
], ids=["null", "no-type", "null-type", "first-is-null", "audio-null-payload", "echo-with-null"])
def test_messenger_message_without_text_and_unreadable_attachments_is_refused(
        stack, platforms, channel_env, message, reason):
    psid = str(uuid.uuid4().int % 10**9 + 1)
    refused_with(post_messenger(stack, channel_env, messenger_body(psid, message)), reason)
    # Messenger messages are handled before the webhook answers, so nothing can still be on its way.
    assert platforms["facebook"].calls(to_psid(psid)) == []
    resp = post_messenger(stack, channel_env, messenger_body(psid, {"text": "hi"}))
    assert (resp.status_code, resp.text) == (200, "success")
    assert platforms["facebook"].wait_for(to_psid(psid), timeout=TIMEOUT).json()["message"]


@pytest.mark.parametrize("message, answered", [
    # a shared link: the text, with a fallback attachment whose payload may be null (Rasa reads only the text)
    ({"text": "https://shop.example/p/1", "attachments": [{"type": "fallback", "payload": None,
                                                          "title": "Shoes", "url": "https://shop.example/p/1"}]}, True),
    ({"text": "hi", "attachments": None}, True),  # Rasa reads the text and nothing else
    ({"attachments": [{"type": "fallback", "payload": None}]}, False),  # no text, nothing Rasa answers: ignored
    ({"attachments": [{"type": "location", "payload": {"coordinates": {"lat": 52.5, "long": 13.4}}}]}, False),
    ({"attachments": [IMAGE]}, True),  # Rasa passes the picture's URL on as the text
], ids=["link-with-fallback", "text-with-null-attachments", "fallback-only", "location-only", "image"])
def test_messenger_attachments_the_platform_sends_pass(stack, platforms, channel_env, message, answered):
    psid = str(uuid.uuid4().int % 10**9 + 1)
    resp = post_messenger(stack, channel_env, messenger_body(psid, message))
    assert (resp.status_code, resp.text) == (200, "success")
    assert bool(platforms["facebook"].calls(to_psid(psid))) is answered
