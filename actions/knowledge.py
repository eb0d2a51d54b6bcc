"""Questions answered from the knowledge base, and shoppers' ratings of those answers.

The answer comes from the backend on every question, so an editor's change is used at once, without
retraining. Each answer carries an id (slot kb_answer_id) that the "Was this helpful?" buttons rate.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import experiments, outbox
from actions.clients.backend import BackendClient, BackendError

logger = logging.getLogger(__name__)

MAX_QUESTION = 500
MAX_CONVERSATION_ID = 128
RATING_BUTTONS = [
    {"title": "👍 Yes", "payload": "/rate_answer_helpful"},
    {"title": "👎 No", "payload": "/rate_answer_unhelpful"},
]
HUMAN_BUTTON = {"title": "Talk to a person", "payload": "/contact_human_agent"}


def _conversation_id(tracker: Tracker) -> str:
    return tracker.sender_id[:MAX_CONVERSATION_ID]


def _typed_text(tracker: Tracker) -> Optional[str]:
    """What the shopper wrote, or None when the message was a button payload (/intent...)."""
    text = (tracker.latest_message.get("text") or "").strip()
    return None if not text or text.startswith("/") else text


def _with_links(answer: Dict[str, Any]) -> str:
    lines = [answer["answer_markdown"]]
    lines += [f"[{link['label']}]({link['url']})" for link in answer.get("links") or []]
    return "\n\n".join(lines)


class ActionAnswerFaq(Action):
    def name(self) -> Text:
        return "action_answer_faq"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        question = _typed_text(tracker)
        if question is None:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        try:
            answer = await BackendClient().ask_knowledge_base(question[:MAX_QUESTION], _conversation_id(tracker))
        except BackendError as exc:
            logger.warning("knowledge base unavailable: %r", exc)
            dispatcher.utter_message(
                text="Sorry, I can't look that up right now. Please try again in a moment, or ask me for a person.",
                buttons=[HUMAN_BUTTON],
            )
            return [SlotSet("kb_answer_id", None)]

        if not answer.get("answered"):
            suggestions = [s["question"] for s in answer.get("suggestions") or []]
            text = "I don't have a good answer to that yet, so I've noted your question for our team."
            if suggestions:
                text += " Was it one of these?"
            buttons = [{"title": s, "payload": s} for s in suggestions] + [HUMAN_BUTTON]
            dispatcher.utter_message(text=text, buttons=buttons)
            return [SlotSet("kb_answer_id", None)] + experiments.seen(tracker, answer)

        dispatcher.utter_message(text=_with_links(answer))
        dispatcher.utter_message(text="Was this helpful?", buttons=RATING_BUTTONS)
        return [SlotSet("kb_answer_id", answer["answer_id"])] + experiments.seen(tracker, answer)


class ActionRateAnswer(Action):
    def name(self) -> Text:
        return "action_rate_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        helpful = (tracker.latest_message.get("intent") or {}).get("name") == "rate_answer_helpful"
        answer_id = tracker.get_slot("kb_answer_id")
        if answer_id:
            body = {"answer_id": answer_id, "conversation_id": _conversation_id(tracker), "helpful": helpful,
                    "comment": _typed_text(tracker)}
            try:
                # Kept in the outbox while the backend is away; a repeated rating replaces the first.
                await outbox.send("rating", "/v1/kb/ratings", body)
            except BackendError as exc:
                # Refused (rate limit, unknown answer): that must not spoil the conversation either.
                logger.warning("rating of answer %s not recorded: %r", answer_id, exc)
        if helpful:
            dispatcher.utter_message(text="Glad that helped! Anything else I can do for you?")
            return []
        dispatcher.utter_message(text="Sorry that didn't help.")
        # utter_offer_human asks "Would you like me to pass this to a person?"; the handoff rules take the reply.
        return [FollowupAction("utter_offer_human")]
