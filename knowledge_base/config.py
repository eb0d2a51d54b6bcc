"""Knowledge-base settings: the only module of knowledge_base/ that reads environment variables.

The demo admin account has a development default (admin@juniperlane.example / juniper-admin-dev); outside
development KB_ADMIN_PASSWORD must be set, as commerce's SECRET_KEY must.
"""
from __future__ import annotations

from functools import lru_cache

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from commerce.config import REPO_ROOT, get_settings as commerce_settings

DEV_ADMIN_PASSWORD = "juniper-admin-dev"


class KnowledgeBaseSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="KB_", env_file=REPO_ROOT / ".env", env_ignore_empty=True, extra="ignore"
    )

    ADMIN_EMAIL: str = "admin@juniperlane.example"
    ADMIN_PASSWORD: str = DEV_ADMIN_PASSWORD
    # Answers below this calibrated confidence are withheld and queued for an editor.
    ABSTAIN_BELOW: float = 0.5
    # Answers below this one are given but also queued ("low confidence").
    QUEUE_BELOW: float = 0.7
    SESSION_HOURS: int = 12
    # Ballot stuffing bounds: ratings per conversation and per client address in RATE_WINDOW_MINUTES.
    RATE_WINDOW_MINUTES: int = 60
    RATINGS_PER_CONVERSATION: int = 20
    RATINGS_PER_CLIENT: int = 60
    # Addresses exempt from the per-client limit: the action server, which rates for every shopper.
    TRUSTED_CLIENTS: list[str] = ["127.0.0.1", "::1"]
    # Failed log-ins per e-mail address in RATE_WINDOW_MINUTES before further attempts are refused.
    LOGIN_ATTEMPTS: int = 10

    @model_validator(mode="after")
    def _refuse_default_password(self) -> "KnowledgeBaseSettings":
        environment = commerce_settings().ENVIRONMENT
        if self.ADMIN_PASSWORD == DEV_ADMIN_PASSWORD and environment not in ("development", "test"):
            raise ValueError(f"KB_ADMIN_PASSWORD is the development default; set a real one for {environment}.")
        if not 0 <= self.ABSTAIN_BELOW <= self.QUEUE_BELOW <= 1:
            raise ValueError("need 0 <= KB_ABSTAIN_BELOW <= KB_QUEUE_BELOW <= 1")
        return self

    @property
    def secure_cookies(self) -> bool:
        return commerce_settings().ENVIRONMENT not in ("development", "test")


@lru_cache
def get_kb_settings() -> KnowledgeBaseSettings:
    return KnowledgeBaseSettings()
