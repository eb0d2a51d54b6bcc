"""Conversation review (issue 11): find conversations worth reading, read them, and correct shopper messages.

Conversations are listed from the event trail (`conversation_turns`) with filters that narrow the list (all
checked ones apply): a fallback (a fallback action ran, or a message was classified `nlu_fallback`), a shopper
message under a confidence threshold, an unhelpful knowledge-base rating, a handoff (an `action_handoff` turn
or a handoff ticket); each within the period (whole UTC days) and, optionally, one input channel.

A reviewer corrects one shopper message at a time: its text (already redacted: placeholders such as [email]
must be replaced by made-up values, or the example dropped), its intent (one of the assistant's domain
intents, read from the domain/ YAML files, never from rasa) and entity spans over the text (entity names from
the domain). The decision is stored in `nlu_corrections`, one per message (a later review replaces the
earlier one), with who and when; only these reviewed rows become training examples (export_training).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from commerce.analytics.metrics import bounds
from commerce.analytics.models import ConversationTurn, CorrectionStatus, NluCorrection, TurnKind
from commerce.db import utcnow
from commerce.errors import Invalid, NotFound
from commerce.handoff.models import HandoffTicket
from knowledge_base.audit import Actor
from knowledge_base.models import Rating

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_THRESHOLD = 0.5
PER_PAGE = 50
MAX_TEXT = 1000
FALLBACK_INTENT = "nlu_fallback"
# What bot.redaction puts in place of personal data: a reviewed example must not contain them.
PLACEHOLDERS = ("[email]", "[order]", "[phone]", "[token]")

# Rasa 3's entity markup, exactly as rasa.shared.nlu.training_data.entities_parser.ENTITY_REGEX reads it.
ENTITY_REGEX = re.compile(
    r"\[(?P<entity_text>[^\]]+?)\](\((?P<entity>[^:)]+?)(?:\:(?P<value>[^)]+))?\)|\{(?P<entity_dict>[^}]+?)\}"
    r"|\[(?P<list_entity_dicts>.*?)\])"
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WORD = re.compile(r"\w")


class UnknownTurn(NotFound):
    code = "turn_not_found"
    detail = "There is no shopper message with this id in the conversation log."


class UnknownConversation(NotFound):
    code = "conversation_not_found"
    detail = "There is no conversation with this id in the conversation log."


# --- the assistant's domain: which intents and entities a correction may use -----------------------------

@dataclass(frozen=True)
class NluDomain:
    intents: tuple[str, ...]
    entities: tuple[str, ...]


def _names(items: Any) -> list[str]:
    """Names of a domain list: `- greet` or `- greet: {use_entities: …}`."""
    names = []
    for item in items or []:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict):
            names.extend(str(key) for key in item)
    return names


def load_domain(path: Path) -> NluDomain:
    """Intents and entities of a Rasa domain: one YAML file, or every .yml/.yaml file under a folder (as
    `rasa --domain domain` reads it)."""
    if not path.exists():
        raise Invalid(f"The assistant's domain is not at {path} (set SHOPASSIST_DOMAIN_PATH).", code="review_no_domain")
    files = sorted(p for p in path.rglob("*") if p.suffix in (".yml", ".yaml")) if path.is_dir() else [path]
    intents: list[str] = []
    entities: list[str] = []
    for file in files:
        document = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        if isinstance(document, dict):
            intents += [n for n in _names(document.get("intents")) if n not in intents]
            entities += [n for n in _names(document.get("entities")) if n not in entities]
    if not intents:
        raise Invalid(f"No intents found in the assistant's domain at {path}.", code="review_no_domain")
    return NluDomain(tuple(sorted(intents)), tuple(sorted(entities)))


def domain_path() -> Path:
    return Path(os.environ.get("SHOPASSIST_DOMAIN_PATH") or ROOT / "domain")


@lru_cache(maxsize=1)
def domain() -> NluDomain:
    """The domain, read once per process (the backend restarts when a new model is deployed)."""
    return load_domain(domain_path())


# --- entity markup, both ways -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Span:
    start: int
    end: int
    entity: str


def to_markup(text: str, spans: list[Span]) -> str:
    """`text` with Rasa's entity markup: "where is [SA-100001](order_number)"."""
    parts, at = [], 0
    for span in sorted(spans, key=lambda s: s.start):
        parts += [text[at:span.start], f"[{text[span.start:span.end]}]({span.entity})"]
        at = span.end
    parts.append(text[at:])
    return "".join(parts)


def parse_markup(markup: str) -> tuple[str, list[Span]]:
    """Plain text and spans of an example with entity markup, as Rasa reads it. Only the `[text](entity)` form
    is accepted (no synonym values, roles or groups)."""
    spans: list[Span] = []
    plain: list[str] = []
    at = 0
    length = 0
    for match in ENTITY_REGEX.finditer(markup):
        if match.group("entity") is None or match.group("value") is not None:
            raise Invalid(f"Mark an entity as [words](entity_name); \"{match.group(0)}\" is another form of Rasa's "
                          "markup (synonym value, role or group), which review does not write.",
                          code="review_bad_markup")
        plain.append(markup[at:match.start()])
        length += match.start() - at
        value = match.group("entity_text")
        spans.append(Span(length, length + len(value), match.group("entity").strip()))
        plain.append(value)
        length += len(value)
        at = match.end()
    plain.append(markup[at:])
    return "".join(plain), spans


# --- checking a correction -------------------------------------------------------------------------------

def check_example(text: str, intent: str, spans: list[Span], nlu: NluDomain) -> tuple[str, list[Span]]:
    """The example as it will be stored (text without surrounding spaces, spans moved with it), or Invalid
    (422) with a sentence saying what to change."""
    if intent not in nlu.intents:
        raise Invalid(f"Unknown intent '{intent}': choose one of the assistant's intents (domain/*.yml).",
                      code="review_unknown_intent")
    if _CONTROL.search(text):
        raise Invalid("The text must be one line (no line breaks or tabs).", code="review_bad_text")
    lead = len(text) - len(text.lstrip(" "))
    stripped = text.strip(" ")
    if not stripped:
        raise Invalid("The text is empty: write the example, or drop it.", code="review_bad_text")
    if len(stripped) > MAX_TEXT:
        raise Invalid(f"The text is longer than {MAX_TEXT} characters.", code="review_bad_text")
    for placeholder in PLACEHOLDERS:
        if placeholder in stripped:
            raise Invalid(f"Replace the placeholder {placeholder} with a made-up value (personal data was removed "
                          "there), or drop the example.", code="review_placeholder")
    moved: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if span.entity not in nlu.entities:
            raise Invalid(f"Unknown entity '{span.entity}': choose one of the assistant's entities "
                          f"({', '.join(nlu.entities)}).", code="review_unknown_entity")
        if not 0 <= span.start < span.end <= len(text):
            raise Invalid(f"The entity span {span.start}-{span.end} ({span.entity}) is outside the text, which has "
                          f"{len(text)} characters (spans are [start, end) character offsets, end after start).",
                          code="review_bad_span")
        value = text[span.start:span.end]
        if value != value.strip() or not value.strip():
            raise Invalid(f"The entity \"{value}\" ({span.entity}) starts or ends with a space; mark the words only.",
                          code="review_bad_span")
        start, end = span.start - lead, span.end - lead
        if moved and start < moved[-1].end:
            raise Invalid(f"The entities \"{stripped[moved[-1].start:moved[-1].end]}\" and \"{value}\" overlap.",
                          code="review_bad_span")
        if (start > 0 and _WORD.match(stripped[start - 1]) and _WORD.match(stripped[start])) or (
                end < len(stripped) and _WORD.match(stripped[end]) and _WORD.match(stripped[end - 1])):
            raise Invalid(f"The entity \"{value}\" ({span.entity}) cuts a word; mark whole words.",
                          code="review_bad_span")
        moved.append(Span(start, end, span.entity))
    # Whatever is written must read back the same: brackets in the text itself could look like markup.
    try:
        reads_back = parse_markup(to_markup(stripped, moved)) == (stripped, moved)
    except Invalid:
        reads_back = False
    if not reads_back:
        raise Invalid("The text contains square brackets that Rasa would read as entity markup; reword it.",
                      code="review_bad_text")
    return stripped, moved


# --- listing conversations -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    channel: str | None = None
    fallback: bool = False
    low_confidence: bool = False
    negative_rating: bool = False
    handoff: bool = False
    threshold: float = DEFAULT_THRESHOLD


@dataclass
class ConversationRow:
    conversation_id: str
    channel: str | None
    first_at: datetime
    last_at: datetime
    messages: int
    lowest_confidence: float | None
    fallback: bool = False
    low_confidence: bool = False
    negative_rating: bool = False
    handoff: bool = False
    reviewed: int = 0


def _period(column, since: datetime, until: datetime):  # type: ignore[no-untyped-def]
    return (column >= since) & (column < until)


def _flag_queries(filters: Filters) -> dict[str, Any]:
    """Per flag, a selectable of the conversation ids that have it in the period."""
    since, until = bounds(filters.start, filters.end)
    turns = ConversationTurn
    in_period = _period(turns.occurred_at, since, until)
    return {
        "fallback": select(turns.conversation_id).where(
            in_period, (turns.kind == TurnKind.FALLBACK) | ((turns.kind == TurnKind.USER) & (turns.intent == FALLBACK_INTENT))),
        "low_confidence": select(turns.conversation_id).where(
            in_period, turns.kind == TurnKind.USER, turns.confidence < filters.threshold),
        "negative_rating": select(Rating.conversation_id).where(
            _period(Rating.created_at, since, until), Rating.helpful.is_(False)),
        "handoff": select(turns.conversation_id).where(in_period, turns.kind == TurnKind.HANDOFF).union(
            select(HandoffTicket.conversation_id).where(_period(HandoffTicket.created_at, since, until))),
    }


def conversations(session: Session, filters: Filters, page: int = 1,
                  per_page: int = PER_PAGE) -> tuple[list[ConversationRow], int]:
    """The page of conversations (latest message first) and how many match in all."""
    if not 0 < filters.threshold <= 1:
        raise Invalid("The confidence threshold is a number above 0 and at most 1.", code="review_bad_threshold")
    since, until = bounds(filters.start, filters.end)
    turns = ConversationTurn
    conditions = [turns.kind == TurnKind.USER, _period(turns.occurred_at, since, until)]
    if filters.channel:
        conditions.append(turns.channel == filters.channel)
    flags = _flag_queries(filters)
    for name, query in flags.items():
        if getattr(filters, name):
            conditions.append(turns.conversation_id.in_(query))
    grouped = (select(turns.conversation_id, func.min(turns.occurred_at).label("first_at"),
                      func.max(turns.occurred_at).label("last_at"), func.count().label("messages"),
                      func.min(turns.confidence).label("lowest"), func.max(turns.channel).label("channel"))
               .where(*conditions).group_by(turns.conversation_id))
    total = session.scalar(select(func.count()).select_from(grouped.subquery())) or 0
    rows = session.execute(grouped.order_by(func.max(turns.occurred_at).desc(), turns.conversation_id)
                           .limit(per_page).offset((max(page, 1) - 1) * per_page)).all()
    found = [ConversationRow(r.conversation_id, r.channel, r.first_at, r.last_at, r.messages, r.lowest) for r in rows]
    ids = [r.conversation_id for r in found]
    if ids:
        for name, query in flags.items():
            sub = query.subquery()
            having = set(session.scalars(select(sub.c[0]).where(sub.c[0].in_(ids))))
            for row in found:
                setattr(row, name, row.conversation_id in having)
        reviewed = dict(session.execute(
            select(NluCorrection.conversation_id, func.count()).where(NluCorrection.conversation_id.in_(ids))
            .group_by(NluCorrection.conversation_id)).all())
        for row in found:
            row.reviewed = reviewed.get(row.conversation_id, 0)
    return found, total


def transcript(session: Session, conversation_id: str) -> tuple[list[ConversationTurn], dict[int, NluCorrection]]:
    """Every turn of a conversation in order, and the corrections of its messages by turn id."""
    turns = list(session.scalars(select(ConversationTurn).where(ConversationTurn.conversation_id == conversation_id)
                                 .order_by(ConversationTurn.occurred_at, ConversationTurn.event_id, ConversationTurn.id)))
    if not turns:
        raise UnknownConversation()
    corrections = {c.turn_id: c for c in session.scalars(
        select(NluCorrection).where(NluCorrection.turn_id.in_([t.id for t in turns])))}
    return turns, corrections


def conversation_facts(session: Session, conversation_id: str) -> dict[str, int]:
    """Ratings and tickets of a conversation (they are not turns)."""
    return {
        "unhelpful_ratings": session.scalar(select(func.count()).select_from(Rating).where(
            Rating.conversation_id == conversation_id, Rating.helpful.is_(False))) or 0,
        "helpful_ratings": session.scalar(select(func.count()).select_from(Rating).where(
            Rating.conversation_id == conversation_id, Rating.helpful.is_(True))) or 0,
        "tickets": session.scalar(select(func.count()).select_from(HandoffTicket).where(
            HandoffTicket.conversation_id == conversation_id)) or 0,
    }


def shopper_message(session: Session, turn_id: int) -> tuple[ConversationTurn, NluCorrection | None]:
    turn = session.get(ConversationTurn, turn_id)
    if turn is None or turn.kind != TurnKind.USER:
        raise UnknownTurn()
    correction = session.scalars(select(NluCorrection).where(NluCorrection.turn_id == turn_id)).first()
    return turn, correction


# --- saving a review -------------------------------------------------------------------------------------

def save(session: Session, turn_id: int, actor: Actor, *, drop: bool = False, text: str | None = None,
         intent: str | None = None, spans: list[Span] | None = None, nlu: NluDomain | None = None) -> NluCorrection:
    """Store the reviewer's decision on a shopper message (replacing an earlier one) and commit."""
    turn, existing = shopper_message(session, turn_id)
    values: dict[str, Any]
    if drop:
        values = {"status": CorrectionStatus.DROPPED, "text": None, "intent": None, "entities": []}
    else:
        if text is None or not intent:
            raise Invalid("Give the example's text and intent, or drop the message.", code="review_incomplete")
        clean, moved = check_example(text, intent, spans or [], nlu or domain())
        values = {"status": CorrectionStatus.EXAMPLE, "text": clean, "intent": intent,
                  "entities": [{"start": s.start, "end": s.end, "entity": s.entity} for s in moved]}
    values.update(reviewer_id=actor.id, reviewer_email=actor.email, reviewed_at=utcnow())
    if existing is None:
        try:
            with session.begin_nested():
                existing = NluCorrection(turn_id=turn.id, conversation_id=turn.conversation_id,
                                         original_intent=turn.intent, original_confidence=turn.confidence, **values)
                session.add(existing)
        except IntegrityError:  # another reviewer saved this message at the same moment: theirs is replaced
            existing = session.scalars(select(NluCorrection).where(NluCorrection.turn_id == turn_id)).one()
    for key, value in values.items():
        setattr(existing, key, value)
    session.commit()
    return existing


def spans_of(correction: NluCorrection) -> list[Span]:
    return [Span(int(e["start"]), int(e["end"]), str(e["entity"])) for e in correction.entities or []]


def markup_of(correction: NluCorrection) -> str | None:
    if correction.status != CorrectionStatus.EXAMPLE or correction.text is None:
        return None
    return to_markup(correction.text, spans_of(correction))
