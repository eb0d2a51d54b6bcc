"""Bad input to every chat entrance of the running stack: Rasa's REST webhook, the widget's socket.io, and the
Telegram, Slack, Messenger and Twilio webhooks (validly signed, so the input itself is what is tested).

What must hold: never a 5xx; a 4xx with a reason for a request that is malformed; a sentence (not silence, and
not the shopper's HTML echoed back) for an odd but valid message; text over the limit refused with the "too
long" sentence; and afterwards the bot still greets a shopper who says "hi", and no process has died.
The random part is seeded (CHAT_FUZZ_SEED) and bounded in time, so a failure can be replayed."""

from __future__ import annotations

import json
import os
import random
import time
import unicodedata
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List, Optional

import pytest
import requests
import socketio
import yaml
from twilio.request_validator import RequestValidator

from bot.channels import MAX_MESSAGE_CHARS
from tests.channels.platforms import Call, hub_signature, slack_signature_headers

ROOT = Path(__file__).resolve().parents[2]
TOO_LONG = f"That message is too long for me; please keep it under {MAX_MESSAGE_CHARS} characters."
REPLY_TIMEOUT = float(os.environ.get("CHAT_FUZZ_REPLY_TIMEOUT", "60"))

# --- what is sent ------------------------------------------------------------------------------------------

SQL = ["'; DROP TABLE orders; --", "1' OR '1'='1", "\" UNION SELECT email, password FROM users --",
       "order #1; DELETE FROM products WHERE 1=1"]
HTML = ["<script>alert('pwned')</script>", "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">track my order</a>", "</textarea><svg onload=alert(1)>"]

# Odd but valid messages: each must be answered with at least one sentence.
ODD: Dict[str, str] = {
    "empty": "",
    "whitespace": " \t\n\u00a0\u3000 ",
    "control-and-nul": "hi\x00 there\x01\x07\x08\x1b[31m\x7f\x9b",
    "nul-only": "\x00\x00",
    "emoji": "\U0001F44B\U0001F3FD do you have \U0001F9E6 socks? \U0001F468\u200D\U0001F469\u200D\U0001F467",
    "combining": "Z\u0334\u0321\u0322a\u0338l\u0337g\u0336o\u0335 shoes" + "\u0301" * 200,
    "zero-width": "\u200b\ufeff\u2060hello\u200b",
    "rtl": "\u0645\u0631\u062d\u0628\u0627\u060c \u0623\u064a\u0646 \u0637\u0644\u0628\u064a\u061f",
    "rtl-override": "\u202eredro ym si erehw\u202c \u2067\u05e9\u05dc\u05d5\u05dd\u2069 \u200f",
    "sql": SQL[0],
    "sql-union": SQL[2],
    "html-script": HTML[0],
    "html-img": HTML[1],
    "long-single-word": "x" * (MAX_MESSAGE_CHARS - 1),
    "exactly-the-limit": ("ab " * MAX_MESSAGE_CHARS)[:MAX_MESSAGE_CHARS],
}
TOO_BIG: Dict[str, str] = {
    "one-over-the-limit": "y" * (MAX_MESSAGE_CHARS + 1),
    "100KB": "where is my order " * (100_000 // 18),
    "100KB-emoji": "\U0001F600" * 25_000,
}
# A subset for the messaging platforms (each message there is one more webhook and one more fake API call).
PLATFORM_ODD = ["whitespace", "control-and-nul", "emoji", "combining", "rtl-override", "sql", "html-script",
                "long-single-word"]


def greetings() -> List[str]:
    domain = yaml.safe_load((ROOT / "domain" / "core.yml").read_text(encoding="utf-8"))
    return [variant["text"] for variant in domain["responses"]["utter_greet"]]


def check_sentences(texts: List[str], sent: str) -> None:
    """At least one reply, each a non-empty text; none repeats the shopper's markup."""
    assert texts, f"no reply to {sent[:80]!r}"
    assert all(isinstance(t, str) and t.strip() for t in texts), texts
    for text in texts:
        lowered = text.lower()
        for needle in ("<script", "onerror", "onload", "javascript:", "<img", "<svg"):
            assert needle not in lowered, f"the reply echoes markup: {text[:200]!r}"


def sender() -> str:
    return f"fuzz-{uuid.uuid4().hex}"


def parallel(fn, items, workers: int = 4) -> list:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, items))


@pytest.fixture(scope="module")
def rest(stack) -> str:
    return f"{stack.url('rasa')}/webhooks/rest/webhook"


def say(rest_url: str, text: str, who: Optional[str] = None) -> List[str]:
    resp = requests.post(rest_url, json={"sender": who or sender(), "message": text}, timeout=REPLY_TIMEOUT)
    assert resp.status_code == 200, (resp.status_code, resp.text[:300])
    return [m.get("text", "") for m in resp.json() if "text" in m or not m.get("custom")]


# --- REST -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(ODD))
def test_rest_answers_odd_messages_with_a_sentence(rest, name):
    check_sentences(say(rest, ODD[name]), ODD[name])


@pytest.mark.parametrize("name", list(TOO_BIG))
def test_rest_refuses_oversized_text_with_the_too_long_sentence(rest, name):
    assert say(rest, TOO_BIG[name]) == [TOO_LONG]


def raw(rest_url: str, body: bytes, content_type: Optional[str] = "application/json") -> requests.Response:
    headers = {"Content-Type": content_type} if content_type else {}
    return requests.post(rest_url, data=body, headers=headers, timeout=REPLY_TIMEOUT)


def j(value) -> bytes:
    return json.dumps(value).encode("utf-8")


MALFORMED_REST = {
    "invalid-json": b'{"sender": "a", "message": ',
    "not-json": b"hello there",
    "empty-body": b"",
    "invalid-utf8": b'{"sender": "fuzz-utf8-sender", "message": "caf\xe9 \xff\xfe"}',
    "list": j([{"sender": "fuzz-list-sender", "message": "hi"}]),
    "number": b"42",
    "null": b"null",
    "string": j("hi"),
    "empty-object": b"{}",
    "missing-sender": j({"message": "hi"}),
    "missing-message": j({"sender": "fuzz-missing-message"}),
    "sender-number": j({"sender": 12345678901, "message": "hi"}),
    "sender-object": j({"sender": {"id": "x"}, "message": "hi"}),
    "sender-empty": j({"sender": "", "message": "hi"}),
    "sender-10KB": j({"sender": "s" * 10_000, "message": "hi"}),
    "message-number": j({"sender": "fuzz-message-number", "message": 7}),
    "message-null": j({"sender": "fuzz-message-null", "message": None}),
    "message-list": j({"sender": "fuzz-message-list", "message": ["hi"]}),
    "message-object": j({"sender": "fuzz-message-object", "message": {"text": "hi"}}),
    "metadata-list": j({"sender": "fuzz-metadata-list", "message": "hi", "metadata": [1, 2]}),
    "metadata-string": j({"sender": "fuzz-metadata-str", "message": "hi", "metadata": "x"}),
    "metadata-huge": j({"sender": "fuzz-metadata-huge", "message": "hi",
                        "metadata": {f"k{i}": "v" * 100 for i in range(2000)}}),
    "lone-surrogate": b'{"sender": "fuzz-surrogate", "message": "hi \\ud800 there"}',
    "body-2MB": j({"sender": "fuzz-2mb", "message": "hi", "pad": "p" * 2_000_000}),
}


@pytest.mark.parametrize("name", list(MALFORMED_REST))
def test_rest_refuses_malformed_requests_with_a_4xx(rest, name):
    resp = raw(rest, MALFORMED_REST[name])
    if name == "lone-surrogate":  # valid JSON; the broken character is dropped and the rest answered
        assert resp.status_code == 200, resp.text[:300]
        check_sentences([m.get("text", "") for m in resp.json()], "hi there")
        return
    assert 400 <= resp.status_code < 500, (resp.status_code, resp.text[:300])
    assert resp.json().get("error"), resp.text[:300]


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", "application/xml"])
def test_rest_refuses_a_body_that_is_not_json(rest, content_type):
    body = j({"sender": sender(), "message": "hi"})
    if content_type == "application/x-www-form-urlencoded":
        body = f"sender={sender()}&message=hi".encode()
    resp = raw(rest, body, content_type)
    assert resp.status_code == 415, (resp.status_code, resp.text[:300])
    assert resp.json().get("error")


def test_rest_accepts_json_with_a_charset(rest):
    resp = raw(rest, j({"sender": sender(), "message": "hi"}), "application/json; charset=utf-8")
    assert resp.status_code == 200
    assert [m["text"] for m in resp.json()][0] in greetings()


def test_rest_keeps_the_conversation_on_the_rest_channel(rest, stack):
    """`input_channel` in the body must not let a caller pose as another channel."""
    resp = requests.post(rest, json={"sender": sender(), "message": "hi", "input_channel": "telegram"}, timeout=60)
    assert resp.status_code == 200 and resp.json()


def test_random_unicode_messages_over_rest(rest):
    """50-100 seeded random messages from all of Unicode's planes; each answered with a sentence or the too
    long one, within a time budget."""
    seed = int(os.environ.get("CHAT_FUZZ_SEED", "20261203"))
    rng = random.Random(seed)
    count = rng.randint(50, 100)
    budget = time.monotonic() + 75

    def char() -> str:
        pick = rng.random()
        if pick < 0.35:
            return chr(rng.randint(0x20, 0x7E))
        if pick < 0.45:
            return chr(rng.randint(0, 0x1F))
        if pick < 0.85:
            return chr(rng.randint(0x80, 0xFFFF))
        return chr(rng.randint(0x10000, 0x10FFFF))

    messages = []
    for _ in range(count):
        size = rng.choice([0, 1, 2, 5, 20, 80, 400, 3000, MAX_MESSAGE_CHARS + rng.randint(1, 3000)])
        text = "".join(char() for _ in range(size))
        messages.append(text.encode("utf-16", "surrogatepass").decode("utf-16", "replace"))

    def one(text: str):
        if time.monotonic() > budget:
            return None
        return text, say(rest, text)

    done = [r for r in parallel(one, messages) if r is not None]
    assert len(done) >= 50, f"only {len(done)} of {count} random messages in the time budget (seed {seed})"
    for text, replies in done:
        if len(text) > MAX_MESSAGE_CHARS:
            assert replies == [TOO_LONG], (seed, text[:80])
        else:
            check_sentences(replies, text)


# --- socket.io (the chat widget) ----------------------------------------------------------------------------


class Widget:
    def __init__(self, rasa_url: str) -> None:
        self.client = socketio.Client(reconnection=False)
        self.replies: List[dict] = []
        self.session = uuid.uuid4().hex
        self.client.on("bot_uttered", lambda data: self.replies.append(data or {}))
        self.confirmed = False
        self.client.on("session_confirm", self._confirm)
        self.client.connect(rasa_url, socketio_path="/socket.io", transports=["polling"], wait_timeout=30)

    def _confirm(self, *_: object) -> None:
        self.confirmed = True

    def open_session(self) -> None:
        self.client.emit("session_request", {"session_id": self.session})
        self.wait(lambda: self.confirmed, "session_confirm")

    def wait(self, condition, what: str, timeout: float = REPLY_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, f"no {what} in {timeout:.0f}s"
            time.sleep(0.05)

    def say(self, payload) -> List[str]:
        before = len(self.replies)
        self.client.emit("user_uttered", payload)
        self.wait(lambda: len(self.replies) > before, "bot_uttered")
        time.sleep(0.3)  # later parts of the same turn
        return [r.get("text", "") for r in self.replies[before:]]

    def close(self) -> None:
        # A graceful disconnect waits for the long-poll in flight (up to Rasa's ping interval, 25 s).
        self.client.eio.disconnect(abort=True)


@pytest.fixture
def widget(stack):
    widget = Widget(stack.url("rasa"))
    widget.open_session()
    yield widget
    widget.close()


def test_widget_answers_odd_messages_and_refuses_oversized_text(widget):
    for name in ["empty", "whitespace", "control-and-nul", "emoji", "combining", "rtl-override", "sql",
                 "html-script", "html-img", "long-single-word"]:
        widget.session = uuid.uuid4().hex  # one conversation each, under the per-conversation rate limit
        widget.open_session()
        check_sentences(widget.say({"session_id": widget.session, "message": ODD[name]}), name)
    for text in TOO_BIG.values():
        widget.session = uuid.uuid4().hex
        widget.open_session()
        assert widget.say({"session_id": widget.session, "message": text}) == [TOO_LONG]


def test_widget_answers_malformed_messages_with_a_sentence(widget):
    """socket.io has no status code; a payload the widget would never send gets one sentence back, on the
    connection it came from, instead of silence (or an exception in Rasa)."""
    session = widget.session
    for payload in [None, 42, "hi", ["hi"], {}, {"message": "hi"}, {"session_id": session},
                    {"session_id": session, "message": 7}, {"session_id": session, "message": None},
                    {"session_id": session, "message": {"text": "hi"}}, {"session_id": "x", "message": "hi"},
                    {"session_id": "s" * 10_000, "message": "hi"}]:
        replies = widget.say(payload)
        assert replies and all(r.strip() for r in replies), (payload, replies)
    widget.client.emit("session_request", "not a dict")
    widget.client.emit("session_request", None)
    # huge and malformed metadata is dropped, the message itself answered
    for metadata in [{f"k{i}": "v" * 100 for i in range(2000)}, "{not json", [1, 2], 42]:
        widget.session = uuid.uuid4().hex
        widget.open_session()
        check_sentences(widget.say({"session_id": widget.session, "message": "hi", "metadata": metadata}), "hi")
    assert widget.say({"session_id": widget.session, "message": "hi"})[0].strip()


# --- messaging platforms ----------------------------------------------------------------------------------


def webhook(stack, platform: str) -> str:
    return f"{stack.url('rasa')}/webhooks/{platform}/webhook"


def number() -> int:
    return int(uuid.uuid4().int % 10**9) + 1


def telegram_update(chat_id: int, text: str) -> dict:
    return {
        "update_id": number(),
        "message": {"message_id": 1, "date": int(time.time()), "chat": {"id": chat_id, "type": "private"},
                    "from": {"id": chat_id, "is_bot": False, "first_name": "Fuzz"}, "text": text},
    }


def slack_event(channel: str, text: str) -> dict:
    ts = f"{time.time():.6f}"
    return {"type": "event_callback", "team_id": "T0SHOP", "event_id": f"Ev{uuid.uuid4().hex[:10]}",
            "authorizations": [{"team_id": "T0SHOP", "user_id": "U0SHOPBOT", "is_bot": True}],
            "event": {"type": "message", "channel": channel, "user": "U0FUZZ", "text": text, "ts": ts,
                      "event_ts": ts, "channel_type": "im"}}


def messenger_event(psid: str, text) -> dict:
    now = int(time.time() * 1000)
    return {"object": "page", "entry": [{"id": "1", "time": now, "messaging": [
        {"sender": {"id": psid}, "recipient": {"id": "1"}, "timestamp": now,
         "message": {"mid": f"m_{uuid.uuid4().hex}", "text": text}}]}]}


def twilio_form(env: dict, sender_number: str, body: str) -> dict:
    return {"MessageSid": f"SM{uuid.uuid4().hex}", "AccountSid": env["TWILIO_ACCOUNT_SID"], "From": sender_number,
            "To": env["TWILIO_NUMBER"], "Body": body, "NumMedia": "0", "ApiVersion": "2010-04-01"}


class Platform:
    """Sends one message to a platform's webhook the way the platform would, and finds the bot's replies."""

    def __init__(self, name: str, stack, platforms, env) -> None:
        self.name, self.stack, self.fake, self.env = name, stack, platforms[name], env
        self.url = webhook(stack, name)

    def post(self, body: bytes, content_type: str = "application/json", sign: bool = True) -> requests.Response:
        headers = {"Content-Type": content_type}
        if sign and self.name == "slack":
            headers.update(slack_signature_headers(self.env["SLACK_SIGNING_SECRET"], body))
        if sign and self.name == "facebook":
            headers["X-Hub-Signature"] = hub_signature(self.env["FACEBOOK_SECRET"], body)
        return requests.post(self.url, data=body, headers=headers, timeout=REPLY_TIMEOUT)

    def send(self, text: str):
        """Posts `text`; returns the webhook's response and a predicate for the replies to this conversation."""
        if self.name == "twilio":
            who = f"+1555{number() % 10**7:07d}"
            form = twilio_form(self.env, who, text)
            signature = RequestValidator(self.env["TWILIO_AUTH_TOKEN"]).compute_signature(self.url, form)
            resp = requests.post(self.url, data=form, headers={"X-Twilio-Signature": signature}, timeout=REPLY_TIMEOUT)
            return resp, lambda c: c.method == "POST" and c.form().get("To") == who
        if self.name == "telegram":
            chat = number()
            resp = self.post(j(telegram_update(chat, text)))
            return resp, lambda c: c.path.endswith("/sendMessage") and c.form().get("chat_id") == str(chat)
        if self.name == "slack":
            channel = f"D{uuid.uuid4().hex[:9].upper()}"
            resp = self.post(j(slack_event(channel, text)))
            return resp, lambda c: c.json().get("channel") == channel
        psid = str(number())
        resp = self.post(j(messenger_event(psid, text)))
        return resp, lambda c: c.json().get("recipient", {}).get("id") == psid and "message" in c.json()

    def reply_text(self, call: Call) -> str:
        if self.name == "twilio":
            return call.form()["Body"]
        if self.name == "telegram":
            return call.form()["text"]
        if self.name == "slack":
            return call.json()["text"]
        message = call.json()["message"]  # text, or a button template with its text in the payload
        return message.get("text") or message.get("attachment", {}).get("payload", {}).get("text", "")

    def replies(self, text: str) -> List[str]:
        resp, to_them = self.send(text)
        assert resp.status_code < 300, (self.name, resp.status_code, resp.text[:300])
        self.fake.wait_for(to_them, timeout=REPLY_TIMEOUT)
        time.sleep(0.5)  # later parts of the same turn
        return [self.reply_text(c) for c in self.fake.calls(to_them)]


PLATFORMS = ["telegram", "slack", "facebook", "twilio"]


@pytest.mark.parametrize("name", PLATFORMS)
def test_platform_answers_odd_messages_and_refuses_oversized_text(stack, platforms, channel_env, name):
    platform = Platform(name, stack, platforms, channel_env)
    texts = [ODD[k] for k in PLATFORM_ODD]
    for text, replies in zip(texts, parallel(platform.replies, texts)):
        check_sentences(replies, text)
    assert platform.replies(TOO_BIG["100KB"]) == [TOO_LONG]


MALFORMED_PLATFORM = {
    "invalid-json": b'{"update_id": 1, "message": ',
    "invalid-utf8": b'{"message": "caf\xe9 \xff"}',
    "empty-body": b"",
    "list": b"[1, 2, 3]",
    "number": b"42",
    "null": b"null",
    "string": b'"hello"',
}


def wrong_shapes(name: str) -> Dict[str, bytes]:
    chat = number()
    if name == "telegram":
        good = telegram_update(chat, "hi")
        return {
            "message-is-a-list": j({**good, "message": [1]}),
            "text-is-a-number": j({**good, "message": {**good["message"], "text": 5}}),
            "chat-missing": j({**good, "message": {k: v for k, v in good["message"].items() if k != "chat"}}),
            "chat-id-is-text": j({**good, "message": {**good["message"], "chat": {"id": "x" * 5000}}}),
            "update-id-missing": j({"message": good["message"]}),
            "unknown-field-types": j({"update_id": "one", "message": "two"}),
        }
    if name == "slack":
        good = slack_event("D0FUZZ", "hi")
        return {
            "event-is-a-list": j({**good, "event": [1]}),
            "event-is-a-string": j({**good, "event": "message"}),
            "text-is-a-number": j({**good, "event": {**good["event"], "text": 5}}),
            "channel-is-an-object": j({**good, "event": {**good["event"], "channel": {"id": 1}}}),
            "authorizations-is-a-number": j({**good, "authorizations": 3}),
        }
    if name == "facebook":
        good = messenger_event("123", "hi")
        return {
            "no-entry": j({"object": "page"}),
            "entry-is-a-dict": j({"object": "page", "entry": {"messaging": []}}),
            "messaging-is-a-string": j({"object": "page", "entry": [{"messaging": "hi"}]}),
            "no-sender": j({"object": "page", "entry": [{"messaging": [{"message": {"text": "hi"}}]}]}),
            "text-is-a-number": j(messenger_event("123", 5)),
            "message-is-a-list": j({"object": "page", "entry": [{"messaging": [
                {"sender": {"id": "1"}, "message": ["hi"]}]}]}),
            "attachments-empty": j({"object": "page", "entry": [{"messaging": [
                {"sender": {"id": "1"}, "message": {"attachments": []}}]}]}),
            **{"wrapped-in-a-list": j([good])},
        }
    return {}


@pytest.mark.parametrize("name", ["telegram", "slack", "facebook"])
def test_platform_refuses_malformed_bodies_with_a_4xx(stack, platforms, channel_env, name):
    platform = Platform(name, stack, platforms, channel_env)
    cases = {**MALFORMED_PLATFORM, **wrong_shapes(name)}
    for case, body in cases.items():
        resp = platform.post(body)
        assert 400 <= resp.status_code < 500, (name, case, resp.status_code, resp.text[:300])
    for content_type in ["text/plain", "application/xml"]:
        resp = platform.post(j({"hello": "there"}), content_type)
        assert resp.status_code < 500, (name, content_type, resp.status_code, resp.text[:300])


def test_twilio_refuses_malformed_forms_with_a_4xx(stack, channel_env):
    url = webhook(stack, "twilio")
    validator = RequestValidator(channel_env["TWILIO_AUTH_TOKEN"])

    def signed(form: dict) -> requests.Response:
        return requests.post(url, data=form, headers={"X-Twilio-Signature": validator.compute_signature(url, form)},
                             timeout=REPLY_TIMEOUT)

    good = twilio_form(channel_env, "+15550001111", "hi")
    for case, form in {"no-from": {k: v for k, v in good.items() if k != "From"},
                       "no-body": {k: v for k, v in good.items() if k != "Body"},
                       "empty-form": {}, "from-is-huge": {**good, "From": "+1" + "5" * 5000}}.items():
        resp = signed(form)
        assert 400 <= resp.status_code < 500, (case, resp.status_code, resp.text[:300])
    for body, content_type in [(b"From=%2B1555&Body=caf\xe9\xff", "application/x-www-form-urlencoded"),
                               (j({"From": "+1555", "Body": "hi"}), "application/json"), (b"\x00\x01", "text/plain")]:
        resp = requests.post(url, data=body, headers={"Content-Type": content_type,
                                                      "X-Twilio-Signature": validator.compute_signature(url, {})},
                             timeout=REPLY_TIMEOUT)
        assert 400 <= resp.status_code < 500, (body[:40], resp.status_code, resp.text[:300])


@pytest.mark.parametrize("name", ["twilio", "facebook"])
def test_platform_answers_an_empty_text_with_a_sentence(stack, platforms, channel_env, name):
    """A picture sent by SMS without text comes as `Body=`; Messenger can send an empty text."""
    check_sentences(Platform(name, stack, platforms, channel_env).replies(""), "")


def test_telegram_ignores_updates_it_does_not_handle_and_refuses_get(stack):
    url = webhook(stack, "telegram")
    member_update = {"update_id": number(), "my_chat_member": {"chat": {"id": 1, "type": "private"}}}
    resp = requests.post(url, json=member_update, timeout=REPLY_TIMEOUT)
    assert (resp.status_code, resp.text) == (200, "success")
    assert requests.get(url, timeout=REPLY_TIMEOUT).status_code == 405


# --- afterwards --------------------------------------------------------------------------------------------


def test_zz_after_the_barrage_the_bot_still_greets_and_nothing_died(stack, rest, platforms, channel_env):
    assert stack.dead() == []
    assert say(rest, "hi")[0] in greetings()
    platform = Platform("telegram", stack, platforms, channel_env)
    assert platform.replies("hi")[0] in greetings()
    assert stack.dead() == []


def test_unicode_cases_are_what_they_claim():
    """Guards the table above against an editor normalising it away."""
    assert any(unicodedata.category(c) == "Mn" for c in ODD["combining"])
    assert "\u202e" in ODD["rtl-override"] and "\x00" in ODD["control-and-nul"]
    assert len(TOO_BIG["100KB"].encode()) >= 99_000


# --- the gate itself, without a stack ------------------------------------------------------------------------


def test_the_gate_cleans_text_and_refuses_what_the_nlu_cannot_read():
    from bot import turns

    assert turns.clean_text("hi\x00 there\x01\x1b[31m\u202e!\u202c\u200b \ud800") == "hi there[31m!"
    assert turns.clean_text("e\u0301 \U0001F468\u200D\U0001F469 \u0645\u0631\u062d\u0628\u0627") == (
        "\u00e9 \U0001F468\u200D\U0001F469 \u0645\u0631\u062d\u0628\u0627")
    assert turns.clean_text("line one\nline two\t!") == "line one line two !"
    for nothing in ["", " \t\n", "\x00\x00", "\u202e\u202c", "\U0001F44D", "?!", None]:
        assert turns.refusal(nothing) == turns.NOTHING_TO_READ, repr(nothing)
    for not_text in [5, ["hi"], {"text": "hi"}]:
        assert turns.refusal(not_text) == turns.UNREADABLE
    assert turns.refusal("x" * (MAX_MESSAGE_CHARS + 1)) == TOO_LONG == turns.TOO_LONG
    for fine in ["hi", "/restart", "x" * MAX_MESSAGE_CHARS, "\u0645\u0631\u062d\u0628\u0627", "SA-123456"]:
        assert turns.refusal(fine) is None
