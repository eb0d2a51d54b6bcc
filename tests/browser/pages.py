"""The chat widget as a shopper sees it, and screenshots saved as test artefacts."""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS") or ROOT / "var" / "test-artifacts" / "browser")


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


class Widget:
    """The chat widget on a page, seen the way a shopper sees it."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.root = page.locator(".sa-widget")

    def open(self) -> "Widget":
        self.page.get_by_role("button", name=re.compile("Chat with us")).click()
        expect(self.page.get_by_role("dialog")).to_be_visible()
        expect(self.root).to_have_attribute("data-session", re.compile(r"\w{8,}"))
        return self

    def bot_messages(self):
        return self.root.locator(".sa-entry-bot .sa-msg")

    def say(self, text: str, expect_reply: str | re.Pattern) -> None:
        before = self.bot_messages().count()
        self.page.get_by_role("textbox", name="Message").fill(text)
        self.page.get_by_role("textbox", name="Message").press("Enter")
        expect(self.bot_messages().nth(before)).to_be_visible()
        self.expect_bot(expect_reply)

    def expect_bot(self, pattern: str | re.Pattern) -> None:
        pattern = pattern if isinstance(pattern, re.Pattern) else re.compile(re.escape(pattern), re.I)
        expect(self.bot_messages().filter(has_text=pattern).last).to_be_visible()

    @property
    def session(self) -> str | None:
        return self.root.get_attribute("data-session")
