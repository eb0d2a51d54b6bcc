"""The messaging webhooks' shape checks (bot/webhook_schemas.py through bot/messaging.py), without a stack: what
passes on to Rasa's route, what is ignored with the platform's usual 200, and the 400's one-sentence reason."""

from __future__ import annotations

import json
from typing import Any, Optional

import pytest

from bot import messaging, webhook_schemas

HUGE = "x" * 5000


def outcome(check, payload: Any) -> Optional[tuple]:
    """None when the payload goes on to Rasa's route, else (status, text or error reason)."""
    resp = check(payload)
    if resp is None:
        return None
    body = resp.body.decode()
    return resp.status, json.loads(body)["error"] if resp.status == 400 else body


def telegram(message: Optional[dict] = None, **update: Any) -> dict:
    chat_message = {"message_id": 1, "chat": {"id": 42, "type": "private"}, "text": "hi"}
    return {"update_id": 7, "message": {**chat_message, **(message or {})}, **update}


def slack(**event: Any) -> dict:
    return {"type": "event_callback", "authorizations": [{"user_id": "U0BOT"}],
            "event": {"type": "message", "channel": "D1", "user": "U1", "text": "hi", "ts": "1.0", **event}}


def messenger(*events: dict) -> dict:
    return {"object": "page", "entry": [{"id": "1", "messaging": list(events)}]}


def fb_message(**message: Any) -> dict:
    return {"sender": {"id": "123"}, "recipient": {"id": "1"}, "message": {"mid": "m_1", **message}}


class SlackForm:
    """The little of a Sanic request that slack_payload_problem reads."""

    def __init__(self, payload: Any) -> None:
        self.form = {"payload": payload if isinstance(payload, str) else json.dumps(payload)}


# --- what passes on to Rasa's route -----------------------------------------------------------------------------


@pytest.mark.parametrize("update", [
    telegram(),
    telegram({"text": None, "location": {"latitude": 52.5, "longitude": 13}}),
    telegram({"text": None}),  # a sticker or a photo: Rasa's route answers "success" itself
    {"update_id": 7, "callback_query": {"id": "9", "data": "/buy", "message": {"chat": {"id": 42}}}},
    {"update_id": 7, "edited_message": {"chat": {"id": 42}, "text": "hi again"}},
    {"update_id": 7, "message": None, "edited_message": {"chat": {"id": 42}, "text": "hi"}},
])
def test_telegram_updates_rasa_reads_pass(update):
    assert outcome(messaging.telegram_problem, update) is None


@pytest.mark.parametrize("update", [
    {"update_id": 7, "my_chat_member": {"chat": {"id": 1}}},
    {"update_id": 7, "channel_post": "anything", "message": None},
    {"update_id": 7, "edited_message": {"chat": {"id": 42}, "caption": "new caption"}},
])
def test_telegram_updates_the_bot_does_not_handle_are_ignored_with_success(update):
    assert outcome(messaging.telegram_problem, update) == (200, "success")


@pytest.mark.parametrize("body", [
    slack(),
    slack(bot_id="B1", subtype="bot_message"),  # the bot's own message: Rasa's route skips it
    slack(type="reaction_added", text=None, thread_ts=None),
    {"token": "t", "challenge": "abc", "type": "url_verification"},
    {**slack(), "authed_users": None, "authorizations": None},  # Rasa reads authed_users when the key is there
    {**slack(), "authed_users": ["U0BOT"], "authorizations": None},
    {k: v for k, v in slack().items() if k != "authorizations"},
    {**slack(), "authorizations": []},
])
def test_slack_events_pass_for_rasa_to_answer_or_skip(body):
    assert outcome(messaging.slack_event_problem, body) is None


def slack_action(**fields: Any) -> dict:
    return {"type": "block_actions", "user": {"id": "U1"}, "actions": [{"type": "button", "value": "/yes"}],
            "channel": {"id": "D1", "name": "directmessage"}, "message": {"ts": "1.0", "text": "Buy?"}, **fields}


@pytest.mark.parametrize("payload", [
    slack_action(),
    {k: v for k, v in slack_action().items() if k not in ("message", "channel")},  # from a modal or the Home tab
    slack_action(channel={"id": None}),
    slack_action(actions=[{"type": "static_select", "selected_option": {"value": "/buy"}}]),
    slack_action(actions=[{"type": "select", "selected_options": [{"value": "/buy"}]}]),
    slack_action(actions=[{"type": "users_select", "selected_user": "U2"}]),
])
def test_slack_button_press_or_menu_choice_passes(payload):
    assert messaging.slack_payload_problem(SlackForm(payload)) is None


@pytest.mark.parametrize("action", [
    {"type": "static_select", "selected_option": None},  # the shopper cleared the menu
    {"type": "overflow"},
    {"type": "users_select", "selected_user": None},
])
def test_slack_menu_action_without_a_choice_is_ignored(action):
    assert outcome(lambda p: messaging.slack_payload_problem(SlackForm(p)), slack_action(actions=[action])) == (
        200, "nothing was chosen")


@pytest.mark.parametrize("body", [
    messenger(fb_message(text="hi")),
    messenger(fb_message(text="", quick_reply={"payload": "/buy"})),
    messenger(fb_message(attachments=[{"type": "image", "payload": {"url": "https://x.example/a.jpg"}}])),
    messenger({"sender": {"id": 123}, "postback": {"title": "Buy", "payload": "/buy"}}),
    messenger({"sender": {"id": "1"}, "delivery": {"mids": ["m_1"]}}, {"sender": "?", "read": {}}),  # receipts
    # Rasa answers only the first event with a message or a postback, so only that one is checked
    messenger(fb_message(text="hi"), {"sender": None, "message": {"text": 5}}),
    messenger(fb_message(text="hi", is_echo=True), {"postback": 1}),
    messenger(fb_message(text="hi"), fb_message(attachments=[{"type": "fallback", "payload": None}])),
    # Rasa reads the text and not the attachments: a shared link's fallback, or anything else
    messenger(fb_message(text="https://x.example", attachments=[{"type": "fallback", "payload": None}])),
    messenger(fb_message(text="hi", attachments=None)),
    # no text: Rasa passes on a picture's URL, and ignores other kinds and a message without attachments
    messenger(fb_message(attachments=[{"type": "fallback", "payload": None, "url": "https://x.example"}])),
    messenger(fb_message(attachments=[{"type": "location", "payload": {"coordinates": {"lat": 1, "long": 2}}}])),
    messenger(fb_message(sticker_id=369239263222822)),
])
def test_messenger_bodies_rasa_reads_pass(body):
    assert outcome(messaging.messenger_problem, body) is None


@pytest.mark.parametrize("form", [
    {"From": "+15550001111", "Body": "hi", "NumMedia": "0"},
    {"From": "+15550001111", "Body": "", "NumMedia": "1"},  # a picture without text
    {"From": "whatsapp:+15550001111", "Latitude": "52.5", "Longitude": "13.4"},
])
def test_twilio_forms_rasa_reads_pass(form):
    assert outcome(messaging.twilio_problem, form) is None


# --- what is refused, and why ---------------------------------------------------------------------------------


@pytest.mark.parametrize("update, reason", [
    ({"message": telegram()["message"]}, "update_id is missing"),
    (telegram(update_id="7"), "update_id must be an integer"),
    (telegram(update_id=True), "update_id must be an integer"),
    ({"update_id": 7, "message": [1]}, "message must be an object"),
    ({"update_id": 7, "message": {"text": "hi"}}, "message.chat is missing"),
    (telegram({"chat": {"id": HUGE}}), "message.chat.id must be an integer"),
    (telegram({"text": 5}), "message.text must be a text"),
    (telegram({"location": {"latitude": 1.5}}), "message.location.longitude is missing"),
    (telegram({"location": {"latitude": "1", "longitude": 2}}), "message.location.latitude must be a number"),
    ({"update_id": 7, "edited_message": {"chat": "42"}}, "edited_message.chat must be an object"),
    ({"update_id": 7, "callback_query": {"data": "/buy"}}, "callback_query.message is missing"),
    ({"update_id": 7, "callback_query": {"data": 1, "message": {}}}, "callback_query.data must be a text"),
    ({"update_id": 7, "callback_query": {"data": "/b", "message": {"chat": {}}}}, "callback_query.message.chat.id is missing"),
])
def test_telegram_refusals_name_the_field(update, reason):
    assert outcome(messaging.telegram_problem, update) == (400, reason)


@pytest.mark.parametrize("body, reason", [
    ({**slack(), "event": [1]}, "event must be an object"),
    ({**slack(), "event": None}, "event must be an object"),
    (slack(text=5), "event.text must be a text"),
    (slack(channel={"id": HUGE}), "event.channel must be a text"),
    (slack(bot_id=1), "event.bot_id must be a text"),
    ({**slack(), "authed_users": "U1"}, "authed_users must be a list"),
    ({**slack(), "authorizations": 3}, "authorizations must be a list"),
    ({**slack(), "authorizations": [{}, "U0BOT"]}, "authorizations[1] must be an object"),
    ({**slack(), "authorizations": None}, "authorizations must be a list"),  # no authed_users: Rasa reads it
])
def test_slack_event_refusals_name_the_field(body, reason):
    assert outcome(messaging.slack_event_problem, body) == (400, reason)


@pytest.mark.parametrize("payload, reason", [
    ("{not json", "payload must be a JSON object"),
    ([1], "payload must be an object"),
    ({"actions": [{"type": "button"}]}, "payload.user is missing"),
    ({"user": {"id": HUGE}, "actions": [{"type": "button"}]}, "payload.user.id must be at most 128 characters"),
    ({"user": {"id": 42}, "actions": [{"type": "button"}]}, "payload.user.id must be a text"),
    ({"user": {"id": "U1"}, "actions": []}, "payload.actions must not be empty"),
    ({"user": {"id": "U1"}, "actions": ["button"]}, "payload.actions[0] must be an object"),
    ({"user": {"id": "U1"}, "actions": [{"type": "rich_text_input"}]},
     "only interactive messages (buttons, menus) are handled here"),
    (slack_action(message=None), "payload.message must be an object"),
    (slack_action(message=HUGE), "payload.message must be an object"),
    (slack_action(channel=None), "payload.channel must be an object"),
    (slack_action(channel=["D1"]), "payload.channel must be an object"),
    (slack_action(channel={"id": 7}), "payload.channel.id must be a text"),
    (slack_action(actions=[{"type": "static_select", "selected_option": "/buy"}]),
     "payload.actions[0].selected_option must be an object"),
    (slack_action(actions=[{"type": "select", "selected_options": []}]),
     "payload.actions[0].selected_options must not be empty"),
    (slack_action(actions=[{"type": "select", "selected_options": None}]),
     "payload.actions[0].selected_options must be a list"),
    (slack_action(actions=[{"type": "select", "selected_options": ["/buy"]}]),
     "payload.actions[0].selected_options[0] must be an object"),
])
def test_slack_interactive_refusals_name_the_field(payload, reason):
    assert outcome(lambda p: messaging.slack_payload_problem(SlackForm(p)), payload) == (400, reason)


@pytest.mark.parametrize("body, reason", [
    ({"object": "page"}, "entry is missing"),
    ({"object": "page", "entry": {"messaging": []}}, "entry must be a list"),
    ({"object": "page", "entry": [{"messaging": "hi"}]}, "entry[0].messaging must be a list"),
    ({"object": "page", "entry": [{"messaging": [{}]}, {"id": "2"}]}, "entry[1].messaging is missing"),
    (messenger({"message": {"text": "hi"}}), "entry[0].messaging[0].sender is missing"),
    (messenger({**fb_message(text="hi"), "sender": {"id": HUGE}}),
     "entry[0].messaging[0].sender.id must be at most 128 characters"),
    (messenger({**fb_message(text="hi"), "sender": {"id": "1\n2"}}), "entry[0].messaging[0].sender.id must be printable text"),
    (messenger({"read": {}}, fb_message(text=5)), "entry[0].messaging[1].message.text must be a text"),
    (messenger({**fb_message(text="hi"), "message": ["hi"]}), "entry[0].messaging[0].message must be an object"),
    (messenger(fb_message(quick_reply={"payload": 1})), "entry[0].messaging[0].message.quick_reply.payload must be a text"),
    (messenger(fb_message(attachments=[])), "entry[0].messaging[0].message.attachments must not be empty"),
    (messenger(fb_message(attachments=[{"type": "image", "payload": {}}])),
     "entry[0].messaging[0].message.attachments[0].payload.url is missing"),
    (messenger(fb_message(attachments=None)), "entry[0].messaging[0].message.attachments must be a list"),
    (messenger(fb_message(attachments=[{"payload": {"url": "https://x.example/a.jpg"}}])),
     "entry[0].messaging[0].message.attachments[0].type is missing"),
    (messenger(fb_message(attachments=[{"type": 1}])),
     "entry[0].messaging[0].message.attachments[0].type must be a text"),
    (messenger(fb_message(attachments=[None])), "entry[0].messaging[0].message.attachments[0] must be an object"),
    (messenger(fb_message(attachments=[{"type": "video"}])),
     "entry[0].messaging[0].message.attachments[0].payload is missing"),
    (messenger(fb_message(text="hi", is_echo=True, attachments=None)),
     "entry[0].messaging[0].message.attachments must be a list"),  # an echo's text is not read
    (messenger({"sender": {"id": "1"}, "postback": {"title": "Buy"}}), "entry[0].messaging[0].postback.payload is missing"),
    (messenger({"sender": {"id": "1"}, "postback": "Buy"}), "entry[0].messaging[0].postback must be an object"),
])
def test_messenger_refusals_name_the_field(body, reason):
    assert outcome(messaging.messenger_problem, body) == (400, reason)


@pytest.mark.parametrize("form, reason", [
    (None, "the form is not valid UTF-8"),
    ({}, "From is missing"),
    ({"From": "", "Body": "hi"}, "From must not be empty"),
    ({"From": "+1" + "5" * 5000, "Body": "hi"}, "From must be at most 64 characters"),
    ({"From": "+1555\x00", "Body": "hi"}, "From must be printable text"),
    ({"From": "+15550001111"}, "Body is missing"),
    ({"From": "+15550001111", "Latitude": "52.5", "Longitude": ""}, "Body is missing"),
])
def test_twilio_refusals_name_the_field(form, reason):
    assert outcome(messaging.twilio_problem, form) == (400, reason)


def test_a_refusal_never_repeats_the_value_it_refuses():
    refusals = [
        messaging.telegram_problem(telegram({"chat": {"id": HUGE}, "text": HUGE})),
        messaging.telegram_problem(telegram(update_id=HUGE)),
        messaging.slack_event_problem(slack(user=[HUGE])),
        messaging.slack_event_problem({**slack(), "authorizations": None, "event": {"text": HUGE}}),
        messaging.slack_payload_problem(SlackForm(slack_action(message=HUGE, channel={"id": HUGE}))),
        messaging.messenger_problem(messenger(fb_message(attachments=[{"payload": {"url": HUGE}}], mid=HUGE))),
        messaging.messenger_problem(messenger({**fb_message(text=HUGE), "sender": {"id": HUGE}})),
        messaging.twilio_problem({"From": HUGE, "Body": HUGE}),
    ]
    for refusal in refusals:
        assert refusal.status == 400
        assert len(refusal.body) < 200 and b"xxxxxxxxxx" not in refusal.body
