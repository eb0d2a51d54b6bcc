"""How the widget draws what the bot sends, including hostile payloads, in a real browser.

The page gets a stand-in for the socket.io client (window.io, which the widget uses when a page already has
one), so the bot's messages here are exactly the payloads under test; what the real channel sends is covered
by the other browser tests.
"""

from __future__ import annotations

import json
import re

from playwright.sync_api import Page, expect

from tests.browser.pages import Widget, shot

FAKE_SOCKET = """
window.__sent = [];
window.__replies = %s;
window.io = function () {
  const handlers = {};
  const fire = (name, value) => handlers[name] && handlers[name](value);
  setTimeout(() => fire('connect'), 0);
  return {
    on(name, fn) { handlers[name] = fn; },
    emit(name, data) {
      window.__sent.push([name, data]);
      if (name === 'session_request') setTimeout(() => fire('session_confirm', 'standinsession01'), 0);
      if (name === 'user_uttered') setTimeout(() => (window.__replies.shift() || []).forEach((m) => fire('bot_uttered', m)), 0);
    },
  };
};
"""

REPLIES = [
    [{"text": "Good news: 10% off your next order with the code JL7Q2K9XWA.",
      "custom": {"type": "offer", "headline": "10% off your next order", "code": "JL7Q2K9XWA",
                 "expires_at": "2026-12-03T18:00:00+00:00"}}],
    [{"text": "Here's what I found (1 in total):\n• <b>x</b> (Evil): 9.99 EUR",
      "custom": {"type": "product_cards", "products": [
          {"sku": "X-1", "title": '<img src=x onerror="alert(1)">Lamp', "brand": "<script>alert(2)</script>",
           "price": "9.99", "currency": "EUR", "in_stock": False, "image_url": "javascript:alert(3)",
           "url": "javascript:alert(4)"}]}}],
    [{"text": "See [our policy](https://shop.example/returns) or [this](javascript:alert(5)). **30 days** it is."},
     {"text": "Was this helpful?", "quick_replies": [{"title": "👍 Yes", "payload": "/rate_answer_helpful"},
                                                     {"title": "👎 No", "payload": "/rate_answer_unhelpful"}]}],
]


def _widget(page: Page, shop_url: str) -> Widget:
    page.add_init_script(FAKE_SOCKET % json.dumps(REPLIES))
    page.goto(shop_url)
    return Widget(page).open()


def test_offer_banner_shows_the_code(page: Page, shop_url: str) -> None:
    widget = _widget(page, shop_url)
    widget.say("any discounts?", "JL7Q2K9XWA")
    banner = widget.root.locator(".sa-offer")
    expect(banner).to_contain_text("10% off your next order")
    expect(banner.locator("code")).to_have_text("JL7Q2K9XWA")
    expect(banner).to_contain_text("valid until 2026-12-03 18:00")
    expect(banner.get_by_role("button", name="Copy code")).to_be_visible()
    shot(page, "offer-banner")


def test_hostile_product_data_stays_text(page: Page, shop_url: str) -> None:
    widget = _widget(page, shop_url)
    widget.say("any discounts?", "JL7Q2K9XWA")
    widget.say("lamps", "Here's what I found")
    card = widget.root.locator(".sa-card")
    expect(card.locator(".sa-card-title")).to_have_text('<img src=x onerror="alert(1)">Lamp')
    expect(card.locator(".sa-card-brand")).to_have_text("<script>alert(2)</script>")
    expect(card.locator(".sa-card-stock")).to_be_visible()
    assert card.locator("a").count() == 0 and card.locator("img").count() == 0  # javascript: URLs dropped
    # The cards replace the text list other channels get: only its first line is shown.
    assert "•" not in widget.bot_messages().last.inner_text()
    shot(page, "hostile-card")


def test_answer_markdown_links_and_bold_but_no_script_urls(page: Page, shop_url: str) -> None:
    widget = _widget(page, shop_url)
    widget.say("any discounts?", "JL7Q2K9XWA")
    widget.say("lamps", "Here's what I found")
    widget.say("returns?", "Was this helpful?")
    answer = widget.bot_messages().filter(has_text="our policy")
    expect(answer.locator("a")).to_have_count(1)
    expect(answer.locator("a")).to_have_attribute("href", "https://shop.example/returns")
    expect(answer.locator("strong")).to_have_text("30 days")
    expect(answer).to_contain_text("[this](javascript:alert(5))")
    thumbs_up = widget.root.get_by_role("button", name="Helpful", exact=True)
    thumbs_up.click()
    expect(thumbs_up).to_have_attribute("aria-pressed", "true")
    sent = page.evaluate("window.__sent")
    assert ["user_uttered", "/rate_answer_helpful"] == [sent[-1][0], sent[-1][1]["message"]]
    assert re.fullmatch(r"standinsession01", sent[-1][1]["session_id"])
