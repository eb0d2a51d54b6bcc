"""Rasa 3.6 checks every action server response with `jsonschema.validate(result, schema)`, which first
validates the schema itself against the draft 2020-12 meta-schema, on every call. Under load that was a third
of Rasa's CPU per message (py-spy, docs/benchmarks.md "Load"). `install` keeps the same check with the
validator built once, as jsonschema's documentation advises for repeated validation."""

from __future__ import annotations

from typing import Any, Dict, Text

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


def install() -> None:
    if getattr(RemoteAction._validate_action_result, "built_once", False):
        return
    spec = RemoteAction.action_response_format_spec()
    validator_class = validator_for(spec)
    validator_class.check_schema(spec)
    validator = validator_class(spec)

    def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
        try:
            validator.validate(result)
            return True
        except ValidationError as e:
            e.message += (  # Rasa's own wording
                f". Failed to validate Action server response from API, "
                f"make sure your response from the Action endpoint is valid. "
                f"For more information about the format visit "
                f"{DOCS_BASE_URL}/custom-actions"
            )
            raise e

    _validate_action_result.built_once = True  # type: ignore[attr-defined]
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
