import pytest
from aioresponses import aioresponses
from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet

from actions.knowledge import ActionAnswerFaq, ActionRateAnswer

ASK = "http://backend.test/v1/kb/ask"
RATE = "http://backend.test/v1/kb/ratings"

ANSWERED = {
    "answered": True, "confidence": 0.93, "answer_id": "a1b2", "entry_id": 1,
    "question": "How much does delivery cost?", "answer_markdown": "Delivery costs **4.95 EUR**.",
    "answer_html": "<p>Delivery costs <strong>4.95 EUR</strong>.</p>", "suggestions": [],
    "links": [{"label": "Departments", "url": "/#departments"}],
}


def tracker(text: str, intent: str = "faq", slots: dict = None) -> Tracker:
    return Tracker(
        sender_id="conversation-7", slots=slots or {},
        latest_message={"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": []},
        events=[], paused=False, followup_action=None, active_loop={}, latest_action_name="action_listen",
    )


def sent_json(mocked: aioresponses) -> dict:
    return next(iter(mocked.requests.values()))[0].kwargs["json"]


@pytest.mark.asyncio
async def test_answer_is_shown_with_rating_buttons_and_its_id_kept(dispatcher):
    with aioresponses() as mocked:
        mocked.post(ASK, payload=ANSWERED)
        events = await ActionAnswerFaq().run(dispatcher, tracker("how much is shipping?"), {})
        assert sent_json(mocked) == {"question": "how much is shipping?", "conversation_id": "conversation-7"}
    assert events == [SlotSet("kb_answer_id", "a1b2")]
    answer, prompt = dispatcher.messages
    assert answer["text"] == "Delivery costs **4.95 EUR**.\n\n[Departments](/#departments)"
    assert prompt["text"] == "Was this helpful?"
    assert [b["payload"] for b in prompt["buttons"]] == ["/rate_answer_helpful", "/rate_answer_unhelpful"]


@pytest.mark.asyncio
async def test_abstention_offers_related_questions_and_a_person(dispatcher):
    abstained = {"answered": False, "confidence": 0.2, "suggestions": [{"entry_id": 4, "question": "Which countries do you deliver to?"}]}
    with aioresponses() as mocked:
        mocked.post(ASK, payload=abstained)
        events = await ActionAnswerFaq().run(dispatcher, tracker("do you ship to Mars"), {})
    assert events == [SlotSet("kb_answer_id", None)]
    message = dispatcher.messages[0]
    assert "noted your question" in message["text"]
    assert [b["payload"] for b in message["buttons"]] == ["Which countries do you deliver to?", "/contact_human_agent"]


@pytest.mark.asyncio
async def test_backend_down_is_said_honestly(dispatcher):
    with aioresponses() as mocked:
        mocked.post(ASK, status=503, repeat=True)
        events = await ActionAnswerFaq().run(dispatcher, tracker("how much is shipping?"), {})
    assert events == [SlotSet("kb_answer_id", None)]
    assert "can't look that up" in dispatcher.messages[0]["text"]


@pytest.mark.asyncio
async def test_button_payload_alone_is_not_sent_as_a_question(dispatcher):
    with aioresponses() as mocked:
        events = await ActionAnswerFaq().run(dispatcher, tracker("/faq"), {})
        assert not mocked.requests
    assert events == [] and dispatcher.messages[0]["response"] == "utter_ask_rephrase"


@pytest.mark.asyncio
async def test_helpful_rating_is_recorded_for_this_conversation(dispatcher):
    with aioresponses() as mocked:
        mocked.post(RATE, payload={"answer_id": "a1b2", "helpful": True, "replaced_earlier_vote": False})
        events = await ActionRateAnswer().run(
            dispatcher, tracker("/rate_answer_helpful", "rate_answer_helpful", {"kb_answer_id": "a1b2"}), {})
        assert sent_json(mocked) == {"answer_id": "a1b2", "conversation_id": "conversation-7", "helpful": True,
                                     "comment": None}
    assert events == [] and "Glad" in dispatcher.messages[0]["text"]


@pytest.mark.asyncio
async def test_unhelpful_rating_keeps_the_typed_comment_and_offers_a_person(dispatcher):
    with aioresponses() as mocked:
        mocked.post(RATE, payload={"answer_id": "a1b2", "helpful": False, "replaced_earlier_vote": False})
        events = await ActionRateAnswer().run(
            dispatcher, tracker("no, I asked about Ireland", "rate_answer_unhelpful", {"kb_answer_id": "a1b2"}), {})
        assert sent_json(mocked)["comment"] == "no, I asked about Ireland"
        assert sent_json(mocked)["helpful"] is False
    assert events == [FollowupAction("utter_offer_human")]


@pytest.mark.asyncio
async def test_rating_failure_or_missing_answer_still_continues(dispatcher):
    with aioresponses() as mocked:
        mocked.post(RATE, status=429, payload={"error": "rate_limited", "detail": "Too many"})
        events = await ActionRateAnswer().run(
            dispatcher, tracker("/rate_answer_unhelpful", "rate_answer_unhelpful", {"kb_answer_id": "a1b2"}), {})
    assert events == [FollowupAction("utter_offer_human")]
    with aioresponses() as mocked:
        events = await ActionRateAnswer().run(dispatcher, tracker("/rate_answer_helpful", "rate_answer_helpful"), {})
        assert not mocked.requests
    assert events == []


@pytest.mark.asyncio
async def test_rating_while_the_backend_is_down_is_kept_for_later(dispatcher, outbox):
    with aioresponses() as mocked:
        mocked.post(RATE, status=503, repeat=True)
        events = await ActionRateAnswer().run(
            dispatcher, tracker("/rate_answer_helpful", "rate_answer_helpful", {"kb_answer_id": "a1b2"}), {})
    assert events == [] and "Glad" in dispatcher.messages[0]["text"]
    [kept] = outbox.pending()
    assert kept.kind == "rating" and kept.body["answer_id"] == "a1b2" and kept.body["helpful"] is True
