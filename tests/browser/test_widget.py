"""The shopper's side: the chat widget on the demo shop's pages, in a real browser."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlalchemy import text

from tests.browser.pages import Widget, shot

DEMO_ORDER, DEMO_EMAIL, DEMO_PASSWORD = "SA-100001", "demo@example.com", "demo-password"


def test_order_tracking_conversation(widget: Widget) -> None:
    widget.open()
    widget.say("where is my order?", "order number")
    widget.say(DEMO_ORDER, "e-mail")
    widget.say(DEMO_EMAIL, DEMO_ORDER)
    shot(widget.page, "order-tracking")
    answer = widget.bot_messages().last.inner_text()
    assert re.search(r"on its way|delivered|being packed|placed|return|refund|cancelled", answer), answer


def test_product_cards_and_a_thumbs_down(widget: Widget, db_engine) -> None:
    widget.open()
    widget.say("do you have running shoes", re.compile(r"found|here|running", re.I))
    card = widget.root.locator(".sa-card").first
    expect(card).to_be_visible()
    expect(card.locator("img")).to_have_attribute("src", re.compile(r"/images/products/"))
    expect(card.locator("a.sa-card-title")).to_have_attribute("href", re.compile(r"/products/"))
    expect(card.locator(".sa-card-price")).to_have_text(re.compile(r"\d+\.\d{2} EUR"))
    shot(widget.page, "product-cards")

    widget.say("what packaging do you use", re.compile(r".+"))
    thumbs_down = widget.root.get_by_role("button", name="Not helpful").last
    expect(thumbs_down).to_be_visible()
    with db_engine.connect() as conn:
        before = conn.execute(text("select count(*) from kb_ratings where helpful = :no"), {"no": False}).scalar_one()
    thumbs_down.click()
    expect(widget.root.get_by_role("button", name="Not helpful").last).to_have_attribute("aria-pressed", "true")
    expect(widget.root.locator(".sa-rating-done").last).to_be_visible()
    shot(widget.page, "thumbs-down")
    # The rating reached the knowledge base's store, not only the page.
    widget.page.wait_for_timeout(200)
    for _ in range(50):
        with db_engine.connect() as conn:
            after = conn.execute(text("select count(*) from kb_ratings where helpful = :no"), {"no": False}).scalar_one()
        if after > before:
            break
        widget.page.wait_for_timeout(200)
    assert after == before + 1


def test_reload_keeps_the_conversation_and_its_place(widget: Widget) -> None:
    widget.open()
    widget.say("where is my order?", "order number")
    session = widget.session
    widget.page.reload()
    # The panel reopens with the transcript and the same session, and the form carries on where it was.
    expect(widget.root.get_by_role("dialog")).to_be_visible()
    expect(widget.root).to_have_attribute("data-session", session)
    expect(widget.root.locator(".sa-entry-user .sa-msg").first).to_have_text("where is my order?")
    widget.say(DEMO_ORDER, "e-mail")
    shot(widget.page, "after-reload")


def test_signed_in_shopper_is_known_without_an_email(page: Page, shop_url: str) -> None:
    page.goto(f"{shop_url}/account/sign-in")
    page.get_by_label("E-mail").fill(DEMO_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Hello,")).to_be_visible()
    widget = Widget(page).open()
    widget.say("where is my order?", "latest")
    choice = widget.root.locator(".sa-button", has_text=DEMO_ORDER)
    expect(choice).to_be_visible()
    choice.click()
    widget.expect_bot(re.compile(rf"Your order {DEMO_ORDER}"))
    assert not widget.bot_messages().filter(has_text=re.compile("which e-mail", re.I)).count()
    shot(page, "known-shopper")


def test_forged_customer_token_gets_the_usual_verification(page: Page, shop_url: str) -> None:
    page.goto(shop_url)
    widget = Widget(page).open()
    # A second socket on the same page sends what a tampered widget would: a token nobody signed.
    page.evaluate(
        """() => new Promise((resolve) => {
            const s = window.io(document.querySelector('script[data-rasa-url]').dataset.rasaUrl, {transports: ['websocket']});
            s.on('connect', () => s.emit('session_request', {session_id: null}));
            s.on('session_confirm', (id) => {
              s.emit('user_uttered', {message: 'track order SA-100001', session_id: id,
                                      metadata: {customer_token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.forged'}});
            });
            s.on('bot_uttered', (m) => { window.__forged = (window.__forged || []).concat([m.text]); resolve(); });
            setTimeout(resolve, 25000);
        })"""
    )
    replies = " ".join(page.evaluate("window.__forged || []"))
    assert "e-mail" in replies.lower() and "on its way" not in replies.lower(), replies
    assert widget.session  # the page's own widget kept working


def test_bot_and_shopper_text_is_never_html(widget: Widget) -> None:
    widget.open()
    payload = '<img src=x onerror="alert(1)"><b>bold</b>'
    widget.say(payload, re.compile(r".+"))
    expect(widget.root.locator(".sa-entry-user .sa-msg").last).to_have_text(payload)
    assert widget.root.locator(".sa-log img[src='x'], .sa-log b").count() == 0


def test_keyboard_only_and_phone_layout(browser, shop_url: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 700}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(shop_url)
        toggle = page.get_by_role("button", name=re.compile("Chat with us"))
        toggle.focus()
        page.keyboard.press("Enter")
        panel = page.get_by_role("dialog")
        expect(panel).to_be_visible()
        expect(page.get_by_role("textbox", name="Message")).to_be_focused()
        box = panel.bounding_box()
        assert box and box["width"] >= 370 and box["height"] >= 690  # full screen on a phone
        expect(page.locator(".sa-widget")).to_have_attribute("data-session", re.compile(r"\w{8,}"))
        page.keyboard.type("hello")
        page.keyboard.press("Enter")
        expect(page.locator(".sa-entry-bot .sa-msg").last).to_be_visible(timeout=30_000)
        shot(page, "phone-layout")
        page.keyboard.press("Escape")
        expect(panel).to_be_hidden()
        expect(toggle).to_be_focused()
    finally:
        context.close()


def test_reconnects_after_the_connection_drops(widget: Widget) -> None:
    widget.open()
    widget.say("hello", re.compile(r".+"))
    widget.page.context.set_offline(True)
    expect(widget.root).to_have_attribute("data-offline", "true", timeout=20_000)
    expect(widget.root.get_by_role("status").filter(has_text="Reconnecting")).to_be_visible()
    shot(widget.page, "offline")
    widget.page.context.set_offline(False)
    expect(widget.root).not_to_have_attribute("data-offline", "true", timeout=30_000)
    widget.say("where is my order?", "order number")


def test_a_click_on_a_recommended_product_is_recorded(widget: Widget, db_engine) -> None:
    widget.open()
    widget.say("recommend me something", re.compile(r"popular|picked|like|similar", re.I))
    link = widget.root.locator(".sa-card a.sa-card-title").first
    expect(link).to_be_visible()
    sku = link.get_attribute("href").rsplit("/", 1)[-1]
    link.click()
    widget.page.wait_for_url(re.compile(rf"/products/{sku}$"))
    query = text("select page from behaviour_events where page like :page")
    for _ in range(50):
        with db_engine.connect() as conn:
            pages = conn.execute(query, {"page": f"/products/{sku}?ref=recommendation&pos=1%"}).scalars().all()
        if pages:
            break
        widget.page.wait_for_timeout(200)
    assert pages, "the click on the recommendation was not recorded"
    assert "model=" in pages[0]
