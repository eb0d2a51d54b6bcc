"""Rasa's Telegram, Slack, Messenger and Twilio connectors, with the platform's API address configurable.

Each connector hard-codes the address of its platform's API (api.telegram.org, slack.com/api,
graph.facebook.com, api.twilio.com). A shop may legitimately send through something else: a local Telegram
Bot API server, an egress proxy, or, in our tests, a fake platform on 127.0.0.1. These subclasses read one
more credentials option, `api_url`, and behave exactly like Rasa's connectors when it is absent.
Credentials name them by module path, e.g. `bot.messaging.TelegramInput:` (see bot/credentials.py), and
each keeps its platform's name, so the webhooks stay at /webhooks/<platform>/webhook.

Each webhook also checks the shape of what it is sent before Rasa's route reads it: Rasa's routes index into
the body unchecked, so a list, `null`, a missing field or a field of the wrong type raised inside them
(HTTP 500, which the platforms answer by sending the same update again and again). A body that does not fit
the platform's JSON Schema (bot/webhook_schemas.py) gets a 400 naming the field; an update of a kind the bot
does not handle (a Telegram member update, a Messenger delivery receipt) gets the platform's usual 200 and
is ignored. Text limits and odd text are handled for every channel alike in bot/turns.py.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Awaitable, Callable, Dict, Optional, Text
from urllib.parse import parse_qs, urlsplit, urlunsplit

from aiogram.bot.api import TelegramAPIServer
from aiogram.utils.exceptions import TelegramAPIError
from fbmessenger import MessengerClient
from jsonschema.protocols import Validator
from rasa.core.channels import facebook, slack, telegram, twilio
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request, RequestParameters
from sanic.response import HTTPResponse
from slack_sdk.web.async_client import AsyncWebClient
from twilio.request_validator import RequestValidator

from bot import webhook_schemas as schemas
from bot.channels import json_object, oversized, refuse
from bot.turns import GuardedTurns


def _bad(reason: str) -> HTTPResponse:
    return refuse(400, reason)


def _misshapen(validator: Validator, instance: Any, prefix: str = "") -> Optional[HTTPResponse]:
    """A 400 naming the first field that does not fit the platform's schema (bot/webhook_schemas.py), or None."""
    reason = schemas.problem(validator, instance, prefix)
    return None if reason is None else _bad(reason)


# Payloads only the chat widget draws (actions/catalog.py, actions/offers.py). Every message that carries one
# also carries text saying the same, which is what the messaging platforms get.
WIDGET_PAYLOADS = frozenset({"product_cards", "offer"})


class _WidgetPayloadsAsText:
    """Skips widget-only custom payloads, which the platforms' APIs would reject (Rasa passes a custom payload
    straight to each platform's send call)."""

    async def send_custom_json(self, recipient_id: Text, json_message: Any, **kwargs: Any) -> None:
        if isinstance(json_message, dict) and json_message.get("type") in WIDGET_PAYLOADS:
            return
        await super().send_custom_json(recipient_id, json_message, **kwargs)  # type: ignore[misc]


class _ApiUrlOption:
    """Adds the `api_url` credentials option to a Rasa input channel."""

    api_url: Optional[Text] = None

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        channel = super().from_credentials(credentials)  # type: ignore[misc]
        channel.api_url = (credentials or {}).get("api_url") or None
        return channel


# --- Telegram ---------------------------------------------------------------------------------------------


class TelegramOutput(_WidgetPayloadsAsText, telegram.TelegramOutput):
    def __init__(self, access_token: Optional[Text], api_url: Optional[Text] = None) -> None:
        super().__init__(access_token)
        if api_url:
            self.server = TelegramAPIServer.from_base(api_url)


def telegram_problem(update: Dict[str, Any]) -> Optional[HTTPResponse]:
    """Why a Telegram update would break Rasa's route (400), or a 200 for a kind it does not handle."""
    misshapen = _misshapen(schemas.telegram_update, update)
    if misshapen is not None:
        return misshapen
    kind = next((key for key in ("message", "edited_message", "callback_query") if update.get(key) is not None), None)
    if kind is None:
        return response.text("success")  # e.g. my_chat_member, channel_post: nothing to answer
    if kind == "edited_message" and update[kind].get("text") is None:
        return response.text("success")  # an edited caption or location: nothing to answer
    return None


class TelegramInput(GuardedTurns, _ApiUrlOption, telegram.TelegramInput):
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)

        @blueprint.middleware("request")
        async def check_update(request: Request) -> Optional[HTTPResponse]:
            if not request.path.rstrip("/").endswith("/webhook"):
                return None
            if request.method != "POST":  # Rasa's route answers GET with nothing at all (HTTP 500)
                return response.text("POST Telegram updates here", status=405, headers={"Allow": "POST"})
            update = json_object(request)
            return update if isinstance(update, HTTPResponse) else telegram_problem(update)

        return blueprint

    def get_output_channel(self) -> TelegramOutput:
        channel = TelegramOutput(self.access_token, self.api_url)
        try:
            asyncio.run(_register_webhook(channel, self.webhook_url))
        except TelegramAPIError as error:
            raise RasaException(f"Failed to set channel webhook: {error}") from error
        return channel


async def _register_webhook(bot: TelegramOutput, url: Optional[Text]) -> None:
    # Rasa registers the webhook in a throw-away event loop (asyncio.run) before Sanic starts its own. The
    # bot's HTTP session is bound to the loop that opened it, so close it here and let the first update open
    # a new one; otherwise every update fails with "Event loop is closed" (HTTP 500).
    try:
        await bot.set_webhook(url=url)
    finally:
        await bot.session.close()


# --- Slack ------------------------------------------------------------------------------------------------


class SlackBot(_WidgetPayloadsAsText, slack.SlackBot):
    def __init__(
        self,
        token: Text,
        slack_channel: Optional[Text] = None,
        thread_id: Optional[Text] = None,
        proxy: Optional[Text] = None,
        api_url: Optional[Text] = None,
    ) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        if api_url:
            self.client = AsyncWebClient(token, proxy=proxy, base_url=api_url)


def slack_event_problem(body: Dict[str, Any]) -> Optional[HTTPResponse]:
    """Why a JSON body from Slack would break Rasa's route (400), or None. Retries, the bot's own messages and
    events that are not user messages pass, for Rasa's route to skip."""
    return _misshapen(schemas.slack_event, body)


def slack_payload_problem(request: Request) -> Optional[HTTPResponse]:
    """Why an interactive (form-encoded) request from Slack would break Rasa's route (400), a 200 for a menu
    action without a choice, or None."""
    try:
        payload = json.loads(request.form.get("payload") or "")
    except (ValueError, TypeError):
        return _bad("payload must be a JSON object")
    misshapen = _misshapen(schemas.slack_action, payload, "payload")
    if misshapen is not None:
        return misshapen
    if not slack.SlackInput._is_interactive_message(payload):
        return _bad("only interactive messages (buttons, menus) are handled here")
    action = payload["actions"][0]
    if action["type"] != "button" and _chosen(action) is None:  # Rasa's route would answer 500
        return response.text("nothing was chosen")
    return None


def _chosen(action: Dict[str, Any]) -> Any:
    """What Rasa's route takes as the text of a menu action; None when the menu was cleared (Slack then sends
    `selected_option: null`, which Rasa's route cannot read) or the action carries no choice."""
    one_choice = action["type"] in ("static_select", "external_select", "overflow")
    if one_choice and action.get("selected_option", {}) is None:
        return None
    return slack.SlackInput._get_interactive_response(action)


class SlackInput(GuardedTurns, _ApiUrlOption, slack.SlackInput):
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)

        @blueprint.middleware("request")
        async def check_event(request: Request) -> Optional[HTTPResponse]:
            if request.method != "POST" or not request.path.rstrip("/").endswith("/webhook"):
                return None
            try:
                authentic = self.is_request_from_slack_authentic(request)
            except Exception:  # noqa: BLE001 (headers Rasa's check does not expect)
                authentic = False
            if not authentic:  # Rasa's route says so too; checked first so nothing unsigned is parsed
                return response.text("Message is not properly signed with a valid X-Slack-Signature header",
                                     status=400)
            content_type = request.headers.get("content-type")
            if content_type == "application/json":
                body = json_object(request)
                return body if isinstance(body, HTTPResponse) else slack_event_problem(body)
            if content_type == "application/x-www-form-urlencoded":
                try:
                    return slack_payload_problem(request)
                except UnicodeDecodeError:
                    return _bad("the form is not valid UTF-8")
            return None  # Rasa's route ignores other bodies

        return blueprint

    def get_output_channel(self, channel: Optional[Text] = None, thread_id: Optional[Text] = None) -> SlackBot:
        return SlackBot(self.slack_token, channel or self.slack_channel, thread_id, self.proxy, self.api_url)


# --- Facebook Messenger -----------------------------------------------------------------------------------


class _MessengerClient(MessengerClient):
    """Rasa's Messenger channel sends text and custom payloads through `send`; widget-only payloads stop here
    (Rasa builds its MessengerBot inside the webhook, so the client is where we can step in)."""

    def send(self, payload: Any, recipient_id: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(payload, dict) and payload.get("type") in WIDGET_PAYLOADS:
            return {}
        return super().send(payload, recipient_id, *args, **kwargs)


def _messenger_client(page_access_token: Text, api_url: Optional[Text]) -> MessengerClient:
    client = _MessengerClient(page_access_token)
    if api_url:
        client.graph_url = f"{api_url.rstrip('/')}/v{client.api_version}"
    return client


def messenger_problem(body: Dict[str, Any]) -> Optional[HTTPResponse]:
    """Why a Messenger webhook body would break Rasa's handler (400), or None.

    Rasa handles the first event that has a message or a postback; the first such event of each entry is
    checked. Others (delivery and read receipts, later events) are not read, so they are not checked."""
    misshapen = _misshapen(schemas.messenger_body, body)
    if misshapen is not None:
        return misshapen
    for i, entry in enumerate(body["entry"]):
        for j, event in enumerate(entry["messaging"]):
            if event.get("message") or event.get("postback"):
                misshapen = _misshapen(schemas.messenger_event, event, f"entry[{i}].messaging[{j}]")
                if misshapen is not None:
                    return misshapen
                break
    return None


class _FacebookRoutes(_ApiUrlOption, facebook.FacebookInput):
    """Rasa's Messenger channel; it builds its API client inside the webhook route, so the routes are ours.

    They match Rasa's, except that a request with a wrong signature or verify token is answered 403
    rather than 200, which makes a misconfigured app secret visible in Facebook's webhook log, and that a
    body of the wrong shape is answered 400 (messenger_problem).
    """

    def get_output_channel(self) -> facebook.MessengerBot:
        return facebook.MessengerBot(_messenger_client(self.fb_access_token, self.api_url))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        fb_webhook = Blueprint("fb_webhook", __name__)

        @fb_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @fb_webhook.route("/webhook", methods=["GET"])
        async def token_verification(request: Request) -> HTTPResponse:
            if request.args.get("hub.verify_token") == self.fb_verify:
                return response.text(request.args.get("hub.challenge"))
            return response.text("failure, invalid token", status=403)

        @fb_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            signature = request.headers.get("X-Hub-Signature") or ""
            if not self.validate_hub_signature(self.fb_secret, request.body, signature):
                return response.text("not validated", status=403)
            body = json_object(request)
            if isinstance(body, HTTPResponse):
                return body
            problem = messenger_problem(body)
            if problem is not None:
                return problem
            messenger = facebook.Messenger(self.fb_access_token, on_new_message)
            messenger.client = _messenger_client(self.fb_access_token, self.api_url)
            await messenger.handle(request.json, self.get_metadata(request))
            return response.text("success")

        return fb_webhook


class FacebookInput(GuardedTurns, _FacebookRoutes):
    """GuardedTurns first, so the routes above get the guarded message handler (while the routes were defined
    on this class, its `blueprint` shadowed GuardedTurns' and Messenger turns went unguarded)."""


# --- Twilio -----------------------------------------------------------------------------------------------


class TwilioOutput(_WidgetPayloadsAsText, twilio.TwilioOutput):
    def __init__(
        self,
        account_sid: Optional[Text],
        auth_token: Optional[Text],
        twilio_number: Optional[Text],
        api_url: Optional[Text] = None,
    ) -> None:
        super().__init__(account_sid, auth_token, twilio_number)
        self.api_url = api_url

    def get_hostname(self, uri: str) -> str:
        """The twilio client's hook for choosing the host of each request; we keep the path."""
        uri = super().get_hostname(uri)
        if not self.api_url:
            return uri
        base, target = urlsplit(self.api_url), urlsplit(uri)
        return urlunsplit((base.scheme, base.netloc, base.path.rstrip("/") + target.path, target.query, ""))


def _twilio_form(request: Request) -> Optional[Dict[str, str]]:
    """The webhook's form with its blank fields, or None when it is not UTF-8.

    Sanic's `request.form` drops blank fields, but Twilio signs them: a picture sent without text comes with
    `Body=` and failed the signature check. So the form is parsed here, and Rasa's route gets this one."""
    media_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if media_type != "application/x-www-form-urlencoded":
        return {key: values[0] for key, values in request.form.items()}
    try:
        fields = parse_qs(request.body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        return None
    request.parsed_form = RequestParameters(fields)
    return {key: values[0] for key, values in fields.items()}


def twilio_problem(form: Optional[Dict[str, str]]) -> Optional[HTTPResponse]:
    """Why a (signed) Twilio webhook would leave Rasa's route without a message to handle (400), or None."""
    if form is None:
        return _bad("the form is not valid UTF-8")
    return _misshapen(schemas.twilio_form, form)


class TwilioInput(GuardedTurns, _ApiUrlOption, twilio.TwilioInput):
    """Rasa's Twilio channel, which checks that each webhook call really comes from Twilio.

    Rasa 3.6 accepts any POST, so whoever knows the URL could make the bot send SMS at the shop's cost to
    any number. We require a valid X-Twilio-Signature (HMAC-SHA1 of the public URL and the form, keyed with
    the auth token). Behind a proxy the URL Twilio signed differs from the one Rasa sees: set
    `webhook_url` (TWILIO_WEBHOOK_URL) to the public address.
    """

    webhook_url: Optional[Text] = None

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        channel = super().from_credentials(credentials)
        channel.webhook_url = (credentials or {}).get("webhook_url") or None
        return channel

    def get_output_channel(self) -> TwilioOutput:
        return TwilioOutput(self.account_sid, self.auth_token, self.twilio_number, self.api_url)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        validator = RequestValidator(self.auth_token)

        @blueprint.middleware("request")
        async def check_signature(request: Request) -> Optional[HTTPResponse]:
            if request.method != "POST":
                return None
            too_big = oversized(request)
            if too_big is not None:
                return too_big
            form = _twilio_form(request)
            url = self.webhook_url or request.url
            if not validator.validate(url, form or {}, request.headers.get("X-Twilio-Signature", "")):
                return response.text("invalid signature", status=403)
            return twilio_problem(form)

        return blueprint
