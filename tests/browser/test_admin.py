"""The admin's side: an editor changes a knowledge-base answer and the widget's next answer shows it."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from tests.browser.pages import Widget, shot

ADMIN_EMAIL, ADMIN_PASSWORD = "admin@juniperlane.example", "juniper-admin-dev"
QUESTION = "what packaging do you use"


def test_admin_edit_reaches_the_widget_at_once(page: Page, shop_url: str) -> None:
    page.goto(f"{shop_url}/admin/kb/login")
    page.get_by_label("E-mail").fill(ADMIN_EMAIL)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name=re.compile("Log in|Sign in", re.I)).click()
    expect(page).to_have_url(re.compile(r"/admin/kb"))

    # The shopper asks first and gets the answer as it was.
    widget = Widget(page)
    page.goto(shop_url)
    widget.open()
    widget.say(QUESTION, re.compile(r".+"))
    expect(widget.root.get_by_role("button", name="Helpful").last).to_be_visible()

    marker = f"Ask for gift paper at checkout ({uuid.uuid4().hex[:8]})."
    page.goto(f"{shop_url}/admin/kb?q={QUESTION.replace(' ', '+')}")
    page.get_by_role("link", name="What packaging do you use?").click()
    answer = page.get_by_label(re.compile("^Answer"))
    answer.fill(f"{answer.input_value()}\n\n{marker}")
    page.get_by_role("button", name=re.compile("Save as version")).click()
    expect(page.locator(".preview")).to_contain_text(marker)
    shot(page, "admin-edit")

    page.goto(shop_url)
    widget = Widget(page)
    expect(widget.root.get_by_role("dialog")).to_be_visible()  # still open after navigating: same session
    widget.say(QUESTION, marker)
    shot(page, "widget-after-edit")
