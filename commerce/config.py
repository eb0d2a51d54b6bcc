"""Service settings: the only module that reads environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER_SECRET = "changethis"
# Signs the known-shopper tokens (commerce/customers/tokens.py). The shop's own platform mints them too, so it
# is a secret of its own, never SECRET_KEY (which guards admin sessions).
DEV_CUSTOMER_TOKEN_SECRET = "development-only-customer-token-secret"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=REPO_ROOT / ".env", env_ignore_empty=True, extra="ignore")

    DATABASE_URL: str = f"sqlite:///{REPO_ROOT / 'var' / 'shopassist.db'}"
    RASA_URL: str = "http://localhost:5005"
    # Rasa's SQL tracker store (bot/endpoints.yml), read by the analytics ingester; scripts/stack.py's default.
    TRACKER_STORE_URL: str = f"sqlite:///{REPO_ROOT / 'var' / 'tracker.db'}"
    SHOP_NAME: str = "Juniper Lane"
    ENVIRONMENT: Literal["development", "test", "staging", "production"] = "development"
    SECRET_KEY: str = PLACEHOLDER_SECRET
    CUSTOMER_TOKEN_SECRET: str = Field(DEV_CUSTOMER_TOKEN_SECRET, min_length=32)
    WIDGET_DIR: Path = REPO_ROOT / "widget"
    # Where trained models live (intent/, uplift/, …); the running service picks up new versions there.
    MODELS_DIR: Path = REPO_ROOT / "var" / "models"
    # The shop's average gross margin on a basket: what an extra sale is worth to a promo campaign's bid.
    PROMO_MARGIN_RATE: float = Field(0.4, gt=0, lt=1)
    # Echo SQL statements (debugging only).
    SQL_ECHO: bool = False

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> Settings:
        if self.SECRET_KEY == PLACEHOLDER_SECRET and self.ENVIRONMENT not in ("development", "test"):
            raise ValueError(
                f"SECRET_KEY is the placeholder {PLACEHOLDER_SECRET!r}; set a real secret for {self.ENVIRONMENT}."
            )
        if self.CUSTOMER_TOKEN_SECRET == DEV_CUSTOMER_TOKEN_SECRET and self.ENVIRONMENT not in ("development", "test"):
            raise ValueError(f"CUSTOMER_TOKEN_SECRET is the development default; set a real secret for {self.ENVIRONMENT}.")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.DATABASE_URL.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
