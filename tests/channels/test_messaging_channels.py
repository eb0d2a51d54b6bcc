"""Each messaging platform calls Rasa's webhook the way the platform does, and its (fake) API must then
receive the bot's answer, addressed to the chat or user who wrote; forged webhooks must be refused."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import pytest
import requests
import yaml

from twilio.request_validator import RequestValidator

from tests.channels.platforms import Call, hub_signature, slack_signature_headers

ROOT = Path(__file__).resolve().parents[2]


def answers(response: str) -> list:
    """The texts the bot may send for one of its responses."""
    domain = yaml.safe_load((ROOT / "domain" / "core.yml").read_text(encoding="utf-8"))
    return [variant["text"] for variant in domain["responses"][response]]


@pytest.fixture(scope="module")
def greetings() -> list:
    return answers("utter_greet")


@pytest.fixture(scope="module")
def thanks_answers() -> list:
    return answers("utter_you_are_welcome")


def webhook(stack, platform: str) -> str:
    return f"{stack.url('rasa')}/webhooks/{platform}/webhook"


def unique_number() -> int:
    return int(uuid.uuid4().int % 10**9)


# --- Telegram ---------------------------------------------------------------------------------------------


def test_telegram_webhook_is_registered_at_start_up(stack, platforms, channel_env):
    call = platforms["telegram"].wait_for(lambda c: c.path.endswith("/setWebhook"))
    assert call.path == f"/bot{channel_env['TELEGRAM_TOKEN']}/setWebhook"
    assert call.form()["url"] == channel_env["TELEGRAM_WEBHOOK_URL"]


def test_telegram_update_is_answered_in_the_same_chat(stack, platforms, channel_env, greetings):
    chat_id = unique_number()
    update = {
        "update_id": unique_number(),
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "from": {"id": chat_id, "is_bot": False, "first_name": "Ada", "language_code": "en"},
            "chat": {"id": chat_id, "first_name": "Ada", "type": "private"},
            "text": "hello",
        },
    }
    resp = requests.post(webhook(stack, "telegram"), json=update, timeout=60)
    assert resp.status_code == 200, resp.text
    assert resp.text == "success"

    def reply_to_chat(call: Call) -> bool:
        return call.path.endswith("/sendMessage") and call.form().get("chat_id") == str(chat_id)

    reply = platforms["telegram"].wait_for(reply_to_chat)
    assert reply.path == f"/bot{channel_env['TELEGRAM_TOKEN']}/sendMessage"
    assert reply.form()["text"] in greetings


# --- Slack ------------------------------------------------------------------------------------------------


def slack_direct_message(user: str, channel: str, text: str) -> bytes:
    ts = f"{time.time():.6f}"
    event = {
        "token": "verification-token-unused",
        "team_id": "T0SHOP",
        "api_app_id": "A0SHOP",
        "event": {
            "type": "message",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": ts,
            "event_ts": ts,
            "channel_type": "im",
        },
        "type": "event_callback",
        "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": "T0SHOP", "user_id": "U0SHOPBOT", "is_bot": True}],
    }
    return json.dumps(event).encode("utf-8")


def post_to_slack(stack, body: bytes, headers: dict) -> requests.Response:
    return requests.post(
        webhook(stack, "slack"), data=body, headers={"Content-Type": "application/json", **headers}, timeout=60
    )


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda body, secret: slack_signature_headers("not-the-signing-secret", body), id="wrong-secret"),
        pytest.param(lambda body, secret: slack_signature_headers(secret, body + b" "), id="body-altered"),
        pytest.param(
            lambda body, secret: slack_signature_headers(secret, body, int(time.time()) - 600), id="replayed-old-request"
        ),
    ],
)
def test_slack_refuses_a_request_without_a_valid_signature(stack, platforms, channel_env, forge, thanks_answers):
    user, channel = f"U{uuid.uuid4().hex[:9].upper()}", f"D{uuid.uuid4().hex[:9].upper()}"
    forged = slack_direct_message(user, channel, "hello")
    resp = post_to_slack(stack, forged, forge(forged, channel_env["SLACK_SIGNING_SECRET"]))
    assert resp.status_code == 400
    # Rasa answers Slack before it handles a message, so the 400 alone does not show the message was dropped.
    # Rasa handles one conversation's messages in the order they arrive: had the forged "hello" been taken,
    # the first answer in this conversation would be the greeting, not the answer to this signed "thank you".
    signed = slack_direct_message(user, channel, "thank you")
    assert post_to_slack(stack, signed, slack_signature_headers(channel_env["SLACK_SIGNING_SECRET"], signed)).ok
    first_answer = platforms["slack"].wait_for(lambda c: c.json().get("channel") == channel)
    assert first_answer.json()["text"] in thanks_answers


def test_slack_direct_message_is_answered_in_the_same_conversation(stack, platforms, channel_env, greetings):
    channel = f"D{uuid.uuid4().hex[:9].upper()}"
    body = slack_direct_message("U0ADA", channel, "hello")
    resp = post_to_slack(stack, body, slack_signature_headers(channel_env["SLACK_SIGNING_SECRET"], body))
    assert resp.status_code == 200, resp.text

    reply = platforms["slack"].wait_for(lambda c: c.json().get("channel") == channel)
    assert reply.path == "/api/chat.postMessage"
    assert reply.headers["authorization"] == f"Bearer {channel_env['SLACK_TOKEN']}"
    assert reply.json()["text"] in greetings


# --- Facebook Messenger -----------------------------------------------------------------------------------


def messenger_event(psid: str, text: str) -> bytes:
    now = int(time.time() * 1000)
    event = {
        "object": "page",
        "entry": [
            {
                "id": "1000000000000001",
                "time": now,
                "messaging": [
                    {
                        "sender": {"id": psid},
                        "recipient": {"id": "1000000000000001"},
                        "timestamp": now,
                        "message": {"mid": f"m_{uuid.uuid4().hex}", "text": text},
                    }
                ],
            }
        ],
    }
    return json.dumps(event).encode("utf-8")


def post_to_messenger(stack, body: bytes, signature: str) -> requests.Response:
    headers = {"Content-Type": "application/json", "X-Hub-Signature": signature}
    return requests.post(webhook(stack, "facebook"), data=body, headers=headers, timeout=60)


def text_to(psid: str):
    def matches(call: Call) -> bool:
        payload = call.json()
        return payload.get("recipient", {}).get("id") == psid and "message" in payload

    return matches


def test_messenger_answers_the_webhook_verification_challenge(stack, channel_env):
    params = {"hub.mode": "subscribe", "hub.challenge": "1158201444", "hub.verify_token": channel_env["FACEBOOK_VERIFY"]}
    resp = requests.get(webhook(stack, "facebook"), params=params, timeout=30)
    assert (resp.status_code, resp.text) == (200, "1158201444")

    resp = requests.get(webhook(stack, "facebook"), params={**params, "hub.verify_token": "guess"}, timeout=30)
    assert resp.status_code == 403
    assert "1158201444" not in resp.text


def test_messenger_message_is_answered_to_the_sender(stack, platforms, channel_env, greetings):
    psid = str(unique_number())
    body = messenger_event(psid, "hello")
    resp = post_to_messenger(stack, body, hub_signature(channel_env["FACEBOOK_SECRET"], body))
    assert (resp.status_code, resp.text) == (200, "success")

    reply = platforms["facebook"].wait_for(text_to(psid))
    assert reply.path.endswith("/me/messages")
    assert reply.query["access_token"] == channel_env["FACEBOOK_PAGE_ACCESS_TOKEN"]
    assert reply.json()["message"]["text"] in greetings


@pytest.mark.parametrize(
    "signature",
    [
        pytest.param(lambda body: hub_signature("not-the-app-secret", body), id="wrong-secret"),
        pytest.param(lambda body: "", id="missing"),
    ],
)
def test_messenger_refuses_a_request_without_a_valid_signature(stack, platforms, signature):
    psid = str(unique_number())
    body = messenger_event(psid, "hello")
    resp = post_to_messenger(stack, body, signature(body))
    assert resp.status_code == 403
    # Messenger messages are handled before the webhook answers, so nothing can still be on its way.
    assert platforms["facebook"].calls(lambda c: c.json().get("recipient", {}).get("id") == psid) == []


# --- Twilio -----------------------------------------------------------------------------------------------


def twilio_form(channel_env, sender: str) -> dict:
    return {
        "ToCountry": "US",
        "SmsMessageSid": f"SM{uuid.uuid4().hex}",
        "NumMedia": "0",
        "SmsSid": f"SM{uuid.uuid4().hex}",
        "SmsStatus": "received",
        "Body": "hi",
        "To": channel_env["TWILIO_NUMBER"],
        "NumSegments": "1",
        "MessageSid": f"SM{uuid.uuid4().hex}",
        "AccountSid": channel_env["TWILIO_ACCOUNT_SID"],
        "From": sender,
        "ApiVersion": "2010-04-01",
    }


def test_twilio_sms_is_answered_to_the_sender(stack, platforms, channel_env, greetings):
    sender = f"+1555{unique_number() % 10**7:07d}"
    form = twilio_form(channel_env, sender)
    url = webhook(stack, "twilio")
    signature = RequestValidator(channel_env["TWILIO_AUTH_TOKEN"]).compute_signature(url, form)
    resp = requests.post(url, data=form, headers={"X-Twilio-Signature": signature}, timeout=60)
    assert resp.status_code == 204, resp.text

    reply = platforms["twilio"].wait_for(lambda c: c.form().get("To") == sender)
    assert reply.path == f"/2010-04-01/Accounts/{channel_env['TWILIO_ACCOUNT_SID']}/Messages.json"
    assert reply.form()["From"] == channel_env["TWILIO_NUMBER"]
    assert reply.form()["Body"] in greetings


@pytest.mark.parametrize("signature", [None, "c2lnbmVkIGJ5IHNvbWVvbmUgZWxzZQ=="], ids=["unsigned", "forged"])
def test_twilio_refuses_requests_twilio_did_not_sign(stack, platforms, channel_env, signature):
    sender = f"+1555{unique_number() % 10**7:07d}"
    headers = {"X-Twilio-Signature": signature} if signature else {}
    resp = requests.post(webhook(stack, "twilio"), data=twilio_form(channel_env, sender), headers=headers, timeout=60)
    assert resp.status_code == 403
    time.sleep(1)  # an accepted message would have been answered by now
    assert platforms["twilio"].calls(lambda c: c.form().get("To") == sender) == []


# --- product cards: the widget draws them, the platforms get the same products as text ----------------------


def test_slack_gets_product_results_as_text_only(stack, platforms, channel_env):
    channel = f"D{uuid.uuid4().hex[:9].upper()}"
    body = slack_direct_message("U0ADA", channel, "do you have running shoes")
    assert post_to_slack(stack, body, slack_signature_headers(channel_env["SLACK_SIGNING_SECRET"], body)).ok
    reply = platforms["slack"].wait_for(lambda c: c.json().get("channel") == channel and "•" in c.json().get("text", ""))
    assert "EUR" in reply.json()["text"]
    time.sleep(1)  # a widget payload would follow the text at once
    sent = platforms["slack"].calls(lambda c: c.json().get("channel") == channel)
    assert all("products" not in c.json() and c.json().get("text") for c in sent), [c.json() for c in sent]


def test_messenger_gets_product_results_as_text_only(stack, platforms, channel_env):
    psid = str(unique_number())
    body = messenger_event(psid, "do you have running shoes")
    assert post_to_messenger(stack, body, hub_signature(channel_env["FACEBOOK_SECRET"], body)).ok
    sent = platforms["facebook"].calls(lambda c: c.json().get("recipient", {}).get("id") == psid and "message" in c.json())
    assert any("•" in c.json()["message"].get("text", "") for c in sent), [c.json() for c in sent]
    assert all("products" not in json.dumps(c.json()) for c in sent), [c.json() for c in sent]
