"""The shape of what each messaging platform posts to its webhook, as JSON Schemas (draft 2020-12).

Each schema names only the fields Rasa's route for that platform reads, with the types it needs; anything else
a platform sends is left alone. The validators are built once, at import (as jsonschema advises for repeated
validation, and as bot/action_validation.py does). `problem` answers in one short sentence naming the field's
path, e.g. "message.chat.id must be an integer"; it never repeats the value, which may be huge. Two rules
plain JSON Schema does not have: "integer" here excludes 1.0 (as `isinstance(value, int)` did), and the
format "printable" is `str.isprintable`, which validation asserts.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from jsonschema import FormatChecker, ValidationError, validators
from jsonschema.protocols import Validator

Schema = Dict[str, Any]

MAX_ID_CHARS = 128


def _nullable(schema: Schema) -> Schema:
    """The same schema, but `null` counts as absent (as `value is None` did)."""
    return {**schema, "type": [schema["type"], "null"]}


TEXT: Schema = {"type": "string"}
NUMBER: Schema = {"type": "number"}
OBJECT: Schema = {"type": "object"}
# An id the platform gives as a number or as a short printable text (Messenger's sender).
AN_ID: Schema = {"type": ["integer", "string"], "minLength": 1, "maxLength": MAX_ID_CHARS, "format": "printable"}
# Slack's user ids are texts, and Rasa joins them with channel ids into conversation ids: a number fails there.
A_TEXT_ID: Schema = {**AN_ID, "type": "string"}

# --- Telegram: https://core.telegram.org/bots/api#update ------------------------------------------------------

_TELEGRAM_MESSAGE: Schema = {
    "type": "object",
    "required": ["chat"],
    "properties": {
        "chat": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
        "text": _nullable(TEXT),
        "location": _nullable(
            {"type": "object", "required": ["latitude", "longitude"], "properties": {"latitude": NUMBER, "longitude": NUMBER}}
        ),
    },
}

# Rasa reads a message, an edited message or a button press (whose `data` is the text); a `null` one is absent.
TELEGRAM_UPDATE: Schema = {
    "type": "object",
    "required": ["update_id"],
    "properties": {
        "update_id": {"type": "integer"},
        "message": _nullable(_TELEGRAM_MESSAGE),
        "edited_message": _nullable(_TELEGRAM_MESSAGE),
        "callback_query": _nullable(
            {"type": "object", "required": ["data", "message"], "properties": {"data": TEXT, "message": _TELEGRAM_MESSAGE}}
        ),
    },
}

# --- Slack: https://api.slack.com/apis/connections/events-api -------------------------------------------------

SLACK_EVENT: Schema = {
    "type": "object",
    "properties": {
        "event": {
            "type": "object",
            "properties": {key: _nullable(TEXT) for key in ("text", "user", "channel", "ts", "thread_ts", "type", "bot_id")},
        },
        "authed_users": _nullable({"type": "array"}),
        "authorizations": _nullable({"type": "array", "items": {"type": "object"}}),
    },
    # Rasa takes the bot's own user id from `authed_users` (an older field) when the key is there, else from
    # `authorizations`, which it then measures and indexes: there `null` is not absent. Slack sends a list.
    "if": {"not": {"required": ["authed_users"]}},
    "then": {"properties": {"authorizations": {"type": "array"}}},
}


def _when_type(kinds: list, properties: Schema) -> Schema:
    return {"if": {"required": ["type"], "properties": {"type": {"enum": kinds}}}, "then": {"properties": properties}}


# The action Rasa reads: a legacy menu's first choice, or a menu's one choice (`null` when the shopper cleared
# it, which Slack sends and messaging.py ignores).
_SLACK_ACTION: Schema = {
    "type": "object",
    "allOf": [
        _when_type(["select"], {"selected_options": {"type": "array", "minItems": 1, "prefixItems": [OBJECT]}}),
        _when_type(["static_select", "external_select", "overflow"], {"selected_option": _nullable(OBJECT)}),
    ],
}

# The JSON in the `payload` field of an interactive (form-encoded) request: a button press or a menu choice.
# Slack leaves out `message` and `channel` for a button in a modal or the Home tab; when there, they are objects.
SLACK_ACTION: Schema = {
    "type": "object",
    "required": ["user", "actions"],
    "properties": {
        "user": {"type": "object", "required": ["id"], "properties": {"id": A_TEXT_ID}},
        "actions": {"type": "array", "minItems": 1, "prefixItems": [_SLACK_ACTION], "items": {"type": "object"}},
        "message": {"type": "object"},
        "channel": {"type": "object", "properties": {"id": _nullable(TEXT)}},
    },
}

# --- Facebook Messenger: https://developers.facebook.com/docs/messenger-platform/webhooks ---------------------

MESSENGER_BODY: Schema = {
    "type": "object",
    "required": ["entry"],
    "properties": {
        "entry": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["messaging"],
                "properties": {"messaging": {"type": "array", "items": {"type": "object"}}},
            },
        }
    },
}

_FALSY: Schema = {"enum": [None, False, 0, "", [], {}]}
# Messenger names every attachment's kind; Rasa passes a recording's, picture's, video's or file's URL on as the
# text and ignores other kinds (a shared link's fallback, a location), whose payload may be null.
_AN_ATTACHMENT: Schema = {
    "type": "object",
    "required": ["type"],
    "properties": {"type": TEXT},
    "if": {"properties": {"type": {"enum": ["audio", "image", "video", "file"]}}},
    "then": {
        "required": ["payload"],
        "properties": {"payload": {"type": "object", "required": ["url"], "properties": {"url": TEXT}}},
    },
}
_MESSAGE: Schema = {
    "type": "object",
    "properties": {
        "quick_reply": _nullable({"type": "object", "properties": {"payload": _nullable(TEXT)}}),
        "text": TEXT,
    },
    # Rasa reads a user's text and nothing else; without one (or in an echo of the page's own message) it
    # reads the first attachment when the key is there, `null` included.
    "if": {"required": ["text"], "properties": {"is_echo": _FALSY}},
    "else": {"properties": {"attachments": {"type": "array", "minItems": 1, "prefixItems": [_AN_ATTACHMENT]}}},
}
_POSTBACK: Schema = {"type": "object", "required": ["payload"], "properties": {"payload": TEXT}}

# One event Rasa answers: it has a message or a postback. Rasa reads the message when there is one (a quick
# reply's payload, the text, or the first attachment's URL), otherwise the postback's payload.
MESSENGER_EVENT: Schema = {
    "type": "object",
    "required": ["sender"],
    "properties": {"sender": {"type": "object", "required": ["id"], "properties": {"id": AN_ID}}},
    "if": {"properties": {"message": _FALSY}},
    "then": {"properties": {"postback": _POSTBACK}},
    "else": {"properties": {"message": _MESSAGE}},
}

# --- Twilio: https://www.twilio.com/docs/messaging/guides/webhook-request -------------------------------------

# The form's fields are always texts. Twilio always sends Body (empty for a picture without text), except with
# a WhatsApp location, which comes as Latitude and Longitude.
TWILIO_FORM: Schema = {
    "type": "object",
    "required": ["From"],
    "properties": {"From": {"type": "string", "minLength": 1, "maxLength": 64, "format": "printable"}},
    "anyOf": [
        {"required": ["Body"]},
        {
            "required": ["Latitude", "Longitude"],
            "properties": {"Latitude": {"minLength": 1}, "Longitude": {"minLength": 1}},
        },
    ],
}

# --- validation -----------------------------------------------------------------------------------------------


def _strict_integer(_checker: Any, instance: Any) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool)


_Draft = validators.Draft202012Validator
_WebhookValidator = validators.extend(_Draft, type_checker=_Draft.TYPE_CHECKER.redefine("integer", _strict_integer))
_FORMATS = FormatChecker(formats=())
_FORMATS.checks("printable")(lambda value: not isinstance(value, str) or value.isprintable())


def _build(schema: Schema) -> Validator:
    _WebhookValidator.check_schema(schema)
    return _WebhookValidator(schema, format_checker=_FORMATS)


telegram_update = _build(TELEGRAM_UPDATE)
slack_event = _build(SLACK_EVENT)
slack_action = _build(SLACK_ACTION)
messenger_body = _build(MESSENGER_BODY)
messenger_event = _build(MESSENGER_EVENT)
twilio_form = _build(TWILIO_FORM)

_NOUNS = {"object": "an object", "array": "a list", "string": "a text", "integer": "an integer", "number": "a number"}


def _path(prefix: str, parts: Any) -> str:
    path = prefix
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f"{'.' if path else ''}{part}"
    return path


def _explain(error: ValidationError, prefix: str) -> str:
    where = _path(prefix, error.absolute_path) or "the body"
    keyword, value = error.validator, error.validator_value
    if keyword == "type":
        kinds = [value] if isinstance(value, str) else [kind for kind in value if kind != "null"]
        return f"{where} must be {' or '.join(_NOUNS.get(kind, kind) for kind in kinds)}"
    if keyword == "required":
        missing = next(key for key in value if key not in error.instance)
        return f"{_path(prefix, [*error.absolute_path, missing])} is missing"
    if keyword in ("minItems", "minLength") and value == 1:
        return f"{where} must not be empty"
    if keyword == "maxLength":
        return f"{where} must be at most {value} characters"
    if keyword == "format":
        return f"{where} must be {value} text"
    if keyword in ("anyOf", "oneOf") and error.context:  # the first alternative is the usual one: why it failed
        return _explain(next(e for e in error.context if e.relative_schema_path[0] == 0), prefix)
    return f"{where} is not valid ({keyword})"


def problem(validator: Validator, instance: Any, prefix: str = "") -> Optional[str]:
    """Why `instance` does not fit the validator's schema, as one sentence naming the field, or None.

    The first error in the schema's order is the one reported, so validation stops there."""
    error = next(iter(validator.iter_errors(instance)), None)
    return None if error is None else _explain(error, prefix)
