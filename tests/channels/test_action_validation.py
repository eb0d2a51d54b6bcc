"""Action server responses are still checked against Rasa's schema once the validator is built only once."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot import action_validation
from bot.channels import ShopRestInput

RASAS_OWN = RemoteAction._validate_action_result  # captured at import, before any channel is built


def test_valid_responses_pass_and_invalid_ones_fail_with_rasas_message():
    action_validation.install()
    action_validation.install()  # idempotent
    action = RemoteAction.__new__(RemoteAction)
    good = {"events": [{"event": "slot", "name": "order_number", "value": "SA-100001"}],
            "responses": [{"text": "On its way", "buttons": []}]}
    assert action._validate_action_result(good) is True
    for bad in ({"events": "not a list"}, {"events": [{"event": "no_such_event"}]}, {"responses": ["text"]}):
        with pytest.raises(ValidationError, match="Failed to validate Action server response"):
            action._validate_action_result(bad)


def test_building_a_channel_installs_it(monkeypatch):
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RASAS_OWN)
    assert not getattr(RemoteAction._validate_action_result, "built_once", False)
    ShopRestInput().blueprint(lambda message: None)
    assert getattr(RemoteAction._validate_action_result, "built_once", False)

