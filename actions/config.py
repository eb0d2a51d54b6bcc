"""Action-server settings: the only place the actions read environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse


@dataclass(frozen=True)
class Settings:
    backend_url: str
    backend_timeout_s: float
    backend_retries: int
    breaker_cooldown_s: float = 15.0  # how long a backend that kept failing is left alone
    outbox_path: Path = Path(__file__).resolve().parents[1] / "var" / "outbox.db"
    outbox_retry_s: float = 5.0  # pause between delivery rounds while the backend is away

    @classmethod
    def from_env(cls) -> "Settings":
        url = os.environ.get("BACKEND_URL", "http://localhost:8000").rstrip("/")
        if urlparse(url).scheme not in ("http", "https"):
            raise ValueError(f"BACKEND_URL must be an http(s) URL, got {url!r}")
        timeout = float(os.environ.get("BACKEND_TIMEOUT_S", "2.0"))
        if not 0 < timeout <= 2.0:
            raise ValueError("BACKEND_TIMEOUT_S must be in (0, 2]: the bot must never keep a shopper waiting")
        retries = int(os.environ.get("BACKEND_RETRIES", "1"))
        cooldown = float(os.environ.get("BACKEND_BREAKER_COOLDOWN_S", "15"))
        outbox = os.environ.get("OUTBOX_PATH")
        retry = float(os.environ.get("OUTBOX_RETRY_S", "5"))
        return cls(backend_url=url, backend_timeout_s=timeout, backend_retries=max(0, retries),
                   breaker_cooldown_s=max(0.0, cooldown),
                   outbox_path=Path(outbox) if outbox else cls.outbox_path, outbox_retry_s=max(0.1, retry))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()
