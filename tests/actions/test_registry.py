"""The action server must start: every custom action the domain names is registered, and nothing breaks
registration (rasa_sdk registers every concrete Action subclass it finds)."""

from pathlib import Path

import yaml
from rasa_sdk.executor import ActionExecutor

ROOT = Path(__file__).resolve().parents[2]


def domain_actions():
    names = set()
    for path in (ROOT / "domain").glob("*.yml"):
        data = yaml.safe_load(path.read_text()) or {}
        names.update(a for a in data.get("actions") or [] if isinstance(a, str))
        names.update(f"validate_{form}" for form in data.get("forms") or {})
    return {n for n in names if not n.startswith("utter_")}


def test_every_domain_action_is_registered_by_the_action_server():
    executor = ActionExecutor()
    executor.register_package("actions")
    registered = set(executor.actions)
    assert domain_actions() <= registered, sorted(domain_actions() - registered)
    assert "validate_" not in registered
