import pytest
from pydantic import ValidationError

from commerce.config import PLACEHOLDER_SECRET, Settings


def test_placeholder_secret_is_refused_in_production() -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(ENVIRONMENT="production", SECRET_KEY=PLACEHOLDER_SECRET)


def test_placeholder_secret_is_fine_in_development() -> None:
    assert Settings(ENVIRONMENT="development", SECRET_KEY=PLACEHOLDER_SECRET).SECRET_KEY == PLACEHOLDER_SECRET


def test_database_url_defaults_to_sqlite_in_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = Settings(_env_file=None)
    assert settings.DATABASE_URL.startswith("sqlite:///") and settings.DATABASE_URL.endswith("var/shopassist.db")
