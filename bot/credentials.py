"""Write Rasa's credentials file: the channels ShopAssist always serves, plus each messaging platform whose
environment variables are set.

    python -m bot.credentials --out var/credentials.yml
    rasa run --credentials var/credentials.yml ...

The file holds `${VAR}` references, not the values: Rasa expands them when it reads the file, so tokens and
secrets stay in the environment of the Rasa process and never reach the disk. Rasa refuses a reference to
an unset variable, which is why a platform is written only when its variables are set, and why a platform
with some but not all of its required variables is an error rather than silently left out.
docs/channels.md describes each platform's variables and webhook.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Mapping, Optional

BASE_CREDENTIALS = Path(__file__).resolve().parent / "credentials.yml"


@dataclass(frozen=True)
class Platform:
    name: str
    channel: str  # the input channel's module path, which is its key in the credentials file
    required: Dict[str, str]  # credentials option -> environment variable
    optional: Dict[str, str] = field(default_factory=dict)

    def variables(self) -> List[str]:
        return [*self.required.values(), *self.optional.values()]


PLATFORMS = (
    Platform(
        "Telegram",
        "bot.messaging.TelegramInput",
        {"access_token": "TELEGRAM_TOKEN", "verify": "TELEGRAM_BOT_NAME", "webhook_url": "TELEGRAM_WEBHOOK_URL"},
        {"api_url": "TELEGRAM_API_URL"},
    ),
    Platform(
        "Slack",
        "bot.messaging.SlackInput",
        {"slack_token": "SLACK_TOKEN", "slack_signing_secret": "SLACK_SIGNING_SECRET"},
        {"slack_channel": "SLACK_CHANNEL", "api_url": "SLACK_API_URL"},
    ),
    Platform(
        "Facebook Messenger",
        "bot.messaging.FacebookInput",
        {"verify": "FACEBOOK_VERIFY", "secret": "FACEBOOK_SECRET", "page-access-token": "FACEBOOK_PAGE_ACCESS_TOKEN"},
        {"api_url": "FACEBOOK_API_URL"},
    ),
    Platform(
        "Twilio",
        "bot.messaging.TwilioInput",
        {"account_sid": "TWILIO_ACCOUNT_SID", "auth_token": "TWILIO_AUTH_TOKEN", "twilio_number": "TWILIO_NUMBER"},
        {"api_url": "TWILIO_API_URL", "webhook_url": "TWILIO_WEBHOOK_URL"},
    ),
)


class ConfigurationError(ValueError):
    pass


def _is_set(env: Mapping[str, str], name: str) -> bool:
    return bool(env.get(name, "").strip())


def enabled_platforms(env: Mapping[str, str]) -> List[Platform]:
    """The platforms configured in `env`; raises ConfigurationError for any that is half configured."""
    enabled, problems = [], []
    for platform in PLATFORMS:
        given = [name for name in platform.variables() if _is_set(env, name)]
        if not given:
            continue
        missing = [name for name in platform.required.values() if not _is_set(env, name)]
        if missing:
            problems.append(
                f"{platform.name}: {', '.join(given)} {'is' if len(given) == 1 else 'are'} set "
                f"but {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not"
            )
        else:
            enabled.append(platform)
    if problems:
        raise ConfigurationError(
            "Half-configured messaging channels (set all of a platform's variables, or none):\n  "
            + "\n  ".join(problems)
        )
    return enabled


def render(env: Mapping[str, str], base: Optional[str] = None) -> str:
    """bot/credentials.yml as it is, followed by one entry per configured platform."""
    text = base if base is not None else BASE_CREDENTIALS.read_text(encoding="utf-8")
    blocks = [
        "# Written by `python -m bot.credentials` from bot/credentials.yml and the environment: edit those.\n",
        text.rstrip("\n") + "\n",
    ]
    for platform in enabled_platforms(env):
        options = {**platform.required, **{k: v for k, v in platform.optional.items() if _is_set(env, v)}}
        lines = [f"\n# {platform.name}: written by bot/credentials.py from the environment", f"{platform.channel}:"]
        lines += [f"  {option}: ${{{variable}}}" for option, variable in options.items()]
        blocks.append("\n".join(lines) + "\n")
    return "".join(blocks)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="where to write the credentials file")
    args = parser.parse_args(argv)
    try:
        text = render(os.environ)
    except ConfigurationError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    names = [p.name for p in enabled_platforms(os.environ)] or ["no messaging platform"]
    print(f"wrote {args.out}: rest, socket.io widget, {', '.join(names)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
