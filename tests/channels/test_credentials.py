"""bot/credentials.py: the file it writes, read back the way `rasa run --credentials` reads it."""

from __future__ import annotations

import pytest
import rasa.shared.utils.io

from bot import credentials

TELEGRAM = {"TELEGRAM_TOKEN": "123:abc", "TELEGRAM_BOT_NAME": "shop_bot", "TELEGRAM_WEBHOOK_URL": "https://s.example/w"}
SLACK = {"SLACK_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s3cret"}
FACEBOOK = {"FACEBOOK_VERIFY": "fb-verify-token", "FACEBOOK_SECRET": "app-secret", "FACEBOOK_PAGE_ACCESS_TOKEN": "EAAG"}
TWILIO = {"TWILIO_ACCOUNT_SID": "AC0123456789", "TWILIO_AUTH_TOKEN": "twilio-auth-token", "TWILIO_NUMBER": "+15005550006"}


def read_as_rasa(text: str, tmp_path, monkeypatch, env: dict) -> dict:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    path = tmp_path / "credentials.yml"
    path.write_text(text, encoding="utf-8")
    return rasa.shared.utils.io.read_config_file(path)


@pytest.fixture(autouse=True)
def no_channel_variables(monkeypatch):
    for platform in credentials.PLATFORMS:
        for name in platform.variables():
            monkeypatch.delenv(name, raising=False)


def test_without_messaging_variables_it_is_the_default_file(tmp_path, monkeypatch):
    written = read_as_rasa(credentials.render({}), tmp_path, monkeypatch, {})
    assert written == rasa.shared.utils.io.read_config_file(credentials.BASE_CREDENTIALS)
    assert "bot.channels.ShopRestInput" in written and "bot.channels.WidgetSocketIOInput" in written


def test_each_configured_platform_gets_its_channel_with_values_from_the_environment(tmp_path, monkeypatch):
    env = {**TELEGRAM, **SLACK, **FACEBOOK, **TWILIO, "SLACK_CHANNEL": "C0SHOP", "TWILIO_API_URL": "http://127.0.0.1:9"}
    text = credentials.render(env)
    for value in env.values():
        assert value not in text, "secrets belong in the environment, not in the file"

    written = read_as_rasa(text, tmp_path, monkeypatch, env)
    assert written["bot.messaging.TelegramInput"] == {
        "access_token": "123:abc",
        "verify": "shop_bot",
        "webhook_url": "https://s.example/w",
    }
    assert written["bot.messaging.SlackInput"] == {
        "slack_token": "xoxb-1",
        "slack_signing_secret": "s3cret",
        "slack_channel": "C0SHOP",
    }
    assert written["bot.messaging.FacebookInput"] == {
        "verify": "fb-verify-token",
        "secret": "app-secret",
        "page-access-token": "EAAG",
    }
    assert written["bot.messaging.TwilioInput"] == {
        "account_sid": "AC0123456789",
        "auth_token": "twilio-auth-token",
        "twilio_number": "+15005550006",
        "api_url": "http://127.0.0.1:9",
    }


def test_only_the_configured_platforms_are_written(tmp_path, monkeypatch):
    written = read_as_rasa(credentials.render(TWILIO), tmp_path, monkeypatch, TWILIO)
    assert [key for key in written if key.startswith("bot.messaging.")] == ["bot.messaging.TwilioInput"]


@pytest.mark.parametrize(
    "env, named",
    [
        ({"TELEGRAM_TOKEN": "123:abc"}, ["TELEGRAM_BOT_NAME", "TELEGRAM_WEBHOOK_URL"]),
        ({**SLACK, "SLACK_SIGNING_SECRET": " "}, ["SLACK_SIGNING_SECRET"]),
        ({"SLACK_CHANNEL": "C0SHOP"}, ["SLACK_TOKEN", "SLACK_SIGNING_SECRET"]),
        ({**TWILIO, "FACEBOOK_API_URL": "http://127.0.0.1:9"}, ["FACEBOOK_VERIFY", "FACEBOOK_SECRET"]),
    ],
)
def test_a_half_configured_platform_is_refused(env, named):
    with pytest.raises(credentials.ConfigurationError) as refused:
        credentials.render(env)
    for name in named:
        assert name in str(refused.value)


def test_the_command_writes_the_file_or_explains_why_not(tmp_path, monkeypatch, capsys):
    out = tmp_path / "var" / "credentials.yml"
    for name, value in TELEGRAM.items():
        monkeypatch.setenv(name, value)
    assert credentials.main(["--out", str(out)]) == 0
    assert "bot.messaging.TelegramInput:" in out.read_text(encoding="utf-8")

    monkeypatch.delenv("TELEGRAM_WEBHOOK_URL")
    out.unlink()
    assert credentials.main(["--out", str(out)]) == 2
    assert "TELEGRAM_WEBHOOK_URL" in capsys.readouterr().err
    assert not out.exists()
