"""Faults injected for real into the running stack: what the shopper sees, and that nothing hangs.

The backend is killed (connections refused) or frozen with SIGSTOP (connections accepted, nothing answers, the
way a stuck process or a dead network path looks); Rasa is killed and restarted in the middle of a form.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from tests.e2e.chat import Shopper
from tests.faults.conftest import BREAKER_COOLDOWN_S, OUTBOX_RETRY_S

DEMO_ORDER, DEMO_EMAIL = "SA-100001", "demo@example.com"
TIMEOUT_S = 2.0  # the actions' deadline for one backend call (actions/config.py)
RASA_OVERHEAD_S = 1.5  # NLU, policies and the action round trip on a busy 2-core machine


def timed(shopper: Shopper, text: str) -> tuple[str, float]:
    started = time.monotonic()
    answer = shopper.say(text)
    return answer, time.monotonic() - started


def search(stack) -> tuple[str, float]:
    """A product search as the first message of a new conversation (no earlier turn to shape it)."""
    return timed(Shopper(stack.url("rasa")), "do you have running shoes")


def search_works(stack) -> bool:
    answer = search(stack)[0]
    assert "What are you looking for" not in answer, answer  # the search must reach the backend
    return "can't search" not in answer


@pytest.fixture
def restore(stack):
    """Whatever a test does to the services, the next one finds them running and the breaker closed."""
    yield
    stack.freeze("backend", False)
    if stack.service("backend").process.poll() is not None:
        stack.restart("backend")
    time.sleep(BREAKER_COOLDOWN_S + 0.5)
    assert search_works(stack) or search_works(stack)  # the first call after the cooldown is the trial


def test_backend_down_the_order_form_apologises_and_offers_a_person(stack, restore):
    stack.kill("backend")
    shopper = Shopper(stack.url("rasa"))
    assert "order number" in shopper.say("where is my order?").lower()
    shopper.say(DEMO_ORDER)
    answer, seconds = timed(shopper, DEMO_EMAIL)
    assert "can't reach our order system" in answer and "person" in answer
    assert seconds < TIMEOUT_S + RASA_OVERHEAD_S
    # Asking for a person still works: with the backend down the handoff says how else to reach the team.
    assert "help@juniperlane.example" in shopper.say("I want to talk to a human")


def test_frozen_backend_times_out_then_the_breaker_answers_at_once(stack, restore):
    assert search_works(stack)
    stack.freeze("backend")
    slow = []
    for _ in range(5):  # five failed calls open the breaker (actions/clients/breaker.py)
        answer, seconds = search(stack)
        assert "can't search the shop right now" in answer
        slow.append(seconds)
    assert min(slow) > TIMEOUT_S * 0.8, slow  # each waited for the deadline...
    assert max(slow) < TIMEOUT_S + RASA_OVERHEAD_S, slow  # ...and no longer
    answer, seconds = search(stack)
    assert "can't search the shop right now" in answer
    assert seconds < 1.0, seconds  # open: no call, no wait

    stack.freeze("backend", False)
    time.sleep(BREAKER_COOLDOWN_S + 0.5)
    assert search_works(stack)  # the trial call goes through and closes the breaker
    assert search_works(stack)


def test_rasa_restart_in_the_middle_of_a_form_resumes_the_conversation(stack):
    shopper = Shopper(stack.url("rasa"))
    assert "order number" in shopper.say("where is my order?").lower()
    assert "e-mail" in shopper.say(DEMO_ORDER).lower()
    stack.restart("rasa")  # killed with SIGKILL: nothing is flushed on the way out
    answer = shopper.say(DEMO_EMAIL)
    assert DEMO_ORDER in answer and "Expected delivery" in answer


def test_action_server_down_the_shopper_still_gets_an_answer(stack):
    stack.kill("actions")
    try:
        answer, seconds = search(stack)
        assert answer.strip(), "the shopper got no reply at all"
        assert "sorry" in answer.lower()
        assert seconds < TIMEOUT_S + RASA_OVERHEAD_S
    finally:
        stack.restart("actions")
    assert search_works(stack)


def test_no_log_line_holds_the_shoppers_email_or_order_number(stack):
    """Run last: the conversations above gave the stack an e-mail address and order numbers to log."""
    logs = "".join(path.read_text(errors="replace") for path in stack.log_to.glob("*.log"))
    assert "[email]" in logs and "[order]" in logs, "Rasa's DEBUG log should have shown the redacted messages"
    assert DEMO_EMAIL not in logs and DEMO_ORDER not in logs


def shop_rows(stack, query: str, *params: object) -> list:
    database = Path(stack.service("backend").env["DATABASE_URL"].removeprefix("sqlite:///"))
    with sqlite3.connect(database) as db:
        return db.execute(query, params).fetchall()


def test_a_rating_and_a_ticket_made_while_the_backend_is_down_arrive_once_it_is_back(stack, restore):
    shopper = Shopper(stack.url("rasa"))
    assert "Was this helpful?" in shopper.say("how many days do I have to send something back?")
    stack.kill("backend")
    assert "Glad that helped" in shopper.say("/rate_answer_helpful")
    answer = shopper.say("I want to talk to a human")
    assert "kept your request" in answer, answer
    stack.restart("backend")
    deadline = time.monotonic() + BREAKER_COOLDOWN_S + 10 * OUTBOX_RETRY_S
    while time.monotonic() < deadline:
        tickets = shop_rows(stack, "SELECT transcript FROM handoff_tickets WHERE conversation_id = ?", shopper.sender)
        ratings = shop_rows(stack, "SELECT helpful FROM kb_ratings WHERE conversation_id = ?", shopper.sender)
        if tickets and ratings:
            break
        time.sleep(0.5)
    time.sleep(2 * OUTBOX_RETRY_S)  # a second delivery, if there were one, would have landed by now
    tickets = shop_rows(stack, "SELECT transcript FROM handoff_tickets WHERE conversation_id = ?", shopper.sender)
    ratings = shop_rows(stack, "SELECT helpful FROM kb_ratings WHERE conversation_id = ?", shopper.sender)
    assert len(tickets) == 1 and "talk to a human" in tickets[0][0]
    assert ratings == [(1,)]
