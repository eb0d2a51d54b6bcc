"""Rasa with every messaging channel switched on, each platform's API replaced by a fake on 127.0.0.1.

The credentials file is the one `python -m bot.credentials` writes from these variables; Rasa (and only
Rasa needs them, though Stack passes them to all three services) expands them when it reads that file."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bot import credentials
from tests.channels.platforms import FakePlatform, graph_api, slack_api, telegram_api, twilio_api

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from stack import prepare_database, stack_for_tests  # noqa: E402

TELEGRAM_BOT_NAME = "juniper_lane_bot"


@pytest.fixture(scope="session")
def platforms():
    fakes = {
        "telegram": FakePlatform("Telegram Bot API", telegram_api(TELEGRAM_BOT_NAME)),
        "slack": FakePlatform("Slack Web API", slack_api),
        "facebook": FakePlatform("Graph API", graph_api),
        "twilio": FakePlatform("Twilio REST API", twilio_api),
    }
    for fake in fakes.values():
        fake.start()
    yield fakes
    for fake in fakes.values():
        fake.stop()


@pytest.fixture(scope="session")
def channel_env(platforms) -> dict:
    return {
        "TELEGRAM_TOKEN": "7000001:AAH-fake-token-for-tests",
        "TELEGRAM_BOT_NAME": TELEGRAM_BOT_NAME,
        "TELEGRAM_WEBHOOK_URL": "https://shop.example/webhooks/telegram/webhook",
        "TELEGRAM_API_URL": platforms["telegram"].url,
        "SLACK_TOKEN": "xoxb-fake-token-for-tests",
        "SLACK_SIGNING_SECRET": "8f742231b10e8888abcd99yyyzzz85a5",
        "SLACK_API_URL": platforms["slack"].url + "/api/",
        "FACEBOOK_VERIFY": "juniper-lane-verify",
        "FACEBOOK_SECRET": "fb-app-secret-for-tests",
        "FACEBOOK_PAGE_ACCESS_TOKEN": "EAAG-fake-page-token",
        "FACEBOOK_API_URL": platforms["facebook"].url,
        "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
        "TWILIO_AUTH_TOKEN": "twilio-auth-token-for-tests",
        "TWILIO_NUMBER": "+15005550006",
        "TWILIO_API_URL": platforms["twilio"].url,
    }


@pytest.fixture(scope="session")
def stack(channel_env, tmp_path_factory):
    work = tmp_path_factory.mktemp("channels")
    database = work / "shop.db"
    prepare_database(f"sqlite:///{database}")
    credentials_file = work / "credentials.yml"
    credentials_file.write_text(credentials.render(channel_env), encoding="utf-8")
    with stack_for_tests(database, work / "logs", credentials=credentials_file, extra_env=channel_env) as running:
        yield running
