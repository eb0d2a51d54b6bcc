"""Browser tests: Debian's Chromium, driven headless by Playwright, against the three real processes.

Playwright's own browser download cannot work here, so the tests launch the system Chromium (CHROMIUM_PATH,
default /usr/bin/chromium; `make chromium` installs it). Each test saves screenshots to BROWSER_ARTIFACTS
(default var/test-artifacts/browser).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from stack import BACKEND_BIN, ROOT, free_port, http_ok, prepare_database, stack_for_tests  # noqa: E402

from tests.browser.pages import ARTIFACTS, Widget  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
BOT_TIMEOUT_MS = 30_000


@pytest.fixture(scope="session")
def database_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("browser") / "shop.db"
    prepare_database(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def db_engine(database_path) -> Iterator[Engine]:
    engine = create_engine(f"sqlite:///{database_path}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def stack(database_path, tmp_path_factory):
    with stack_for_tests(database_path, tmp_path_factory.mktemp("logs")) as running:
        yield running


@pytest.fixture(scope="session")
def shop_url(stack) -> str:
    return stack.url("backend")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make chromium` (apt-get install chromium)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, request) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.set_default_timeout(BOT_TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield page
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    page.screenshot(path=str(ARTIFACTS / f"{name}-final.png"), full_page=False)
    context.close()
    assert not errors, f"the page raised or opened a dialog: {errors}"


@pytest.fixture
def widget(page: Page, shop_url: str) -> Widget:
    page.goto(shop_url)
    return Widget(page)


@contextlib.contextmanager
def backend_alone(database_path: Path, tracker: Path, folder: Path) -> Iterator[str]:
    """Only the backend (uvicorn on a free port) on the session's shop database, reading the given Rasa tracker
    store: for the admin pages that need no bot. Yields its URL."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": f"sqlite:///{database_path}",
           "TRACKER_STORE_URL": f"sqlite:///{tracker}"}
    with open(folder / "backend.log", "wb") as log:
        process = subprocess.Popen([str(BACKEND_BIN / "uvicorn"), "commerce.main:app", "--host", "127.0.0.1",
                                    "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 180
            while not http_ok(f"http://127.0.0.1:{port}/health"):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the backend did not start: see {folder / 'backend.log'}")
                time.sleep(0.5)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
