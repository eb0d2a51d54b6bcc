"""Rasa's Telegram, Slack, Messenger and Twilio connectors, with the platform's API address configurable.

Each connector hard-codes the address of its platform's API (api.telegram.org, slack.com/api,
graph.facebook.com, api.twilio.com). A shop may legitimately send through something else: a local Telegram
Bot API server, an egress proxy, or, in our tests, a fake platform on 127.0.0.1. These subclasses read one
more credentials option, `api_url`, and behave exactly like Rasa's connectors when it is absent.
Credentials name them by module path, e.g. `bot.messaging.TelegramInput:` (see bot/credentials.py), and
each keeps its platform's name, so the webhooks stay at /webhooks/<platform>/webhook.
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable, Dict, Optional, Text
from urllib.parse import urlsplit, urlunsplit

from aiogram.bot.api import TelegramAPIServer
from aiogram.utils.exceptions import TelegramAPIError
from fbmessenger import MessengerClient
from rasa.core.channels import facebook, slack, telegram, twilio
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.web.async_client import AsyncWebClient
from twilio.request_validator import RequestValidator

from bot.turns import GuardedTurns


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


class TelegramInput(GuardedTurns, _ApiUrlOption, telegram.TelegramInput):
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


class SlackInput(GuardedTurns, _ApiUrlOption, slack.SlackInput):
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


class FacebookInput(GuardedTurns, _ApiUrlOption, facebook.FacebookInput):
    """Rasa's Messenger channel; it builds its API client inside the webhook route, so the routes are ours.

    They match Rasa's, except that a request with a wrong signature or verify token is answered 403
    rather than 200, which makes a misconfigured app secret visible in Facebook's webhook log.
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
            messenger = facebook.Messenger(self.fb_access_token, on_new_message)
            messenger.client = _messenger_client(self.fb_access_token, self.api_url)
            await messenger.handle(request.json, self.get_metadata(request))
            return response.text("success")

        return fb_webhook


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
            form = {key: values[0] for key, values in request.form.items()}
            url = self.webhook_url or request.url
            if not validator.validate(url, form, request.headers.get("X-Twilio-Signature", "")):
                return response.text("invalid signature", status=403)
            return None

        return blueprint
