"""Conversation review, the service: filters over a known story, corrections checked against the domain, and
the reviewed examples as Rasa NLU YAML (the story: tests/commerce/analytics/story.py)."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from commerce.analytics import export_training, ingest, review
from commerce.analytics.models import ConversationTurn, CorrectionStatus, NluCorrection, TurnKind
from commerce.errors import Invalid
from knowledge_base.audit import Actor
from knowledge_base.models import Role
from tests.commerce.analytics import story

EDITOR = Actor(7, "editor@example.com", Role.EDITOR)
OTHER = Actor(8, "other.editor@example.com", Role.EDITOR)
ROOT = Path(__file__).resolve().parents[3]


def ids(rows: list[review.ConversationRow]) -> list[str]:
    return [r.conversation_id for r in rows]


def message(db: Session, conversation_id: str, text_start: str) -> ConversationTurn:
    return db.scalars(select(ConversationTurn).where(
        ConversationTurn.conversation_id == conversation_id, ConversationTurn.kind == TurnKind.USER,
        ConversationTurn.text.startswith(text_start))).one()


@pytest.fixture
def known(db: Session, tracker_path: Path) -> story.Story:
    built = story.build(db, tracker_path)
    ingest.ingest(db)
    return built


def find(db: Session, **flags: object) -> set[str]:
    rows, total = review.conversations(db, review.Filters(story.DAY1, story.DAY2, **flags))  # type: ignore[arg-type]
    assert total == len(rows)
    return set(ids(rows))


def test_filters_find_the_right_conversations(db: Session, known: story.Story) -> None:
    k = known
    assert find(db) == {k.c1, k.c2, k.c3, k.c4}  # c5 talked before the period
    assert find(db, fallback=True) == {k.c3}
    assert find(db, low_confidence=True) == {k.c3}  # "blorp" at 0.1; c3's 0.6 and c1's 0.8 are above 0.5
    assert find(db, low_confidence=True, threshold=0.85) == {k.c1, k.c3}
    assert find(db, negative_rating=True) == {k.c3}  # c5's unhelpful rating is outside the period
    assert find(db, handoff=True) == {k.c2}
    assert find(db, channel="rest") == {k.c3, k.c4}
    assert find(db, fallback=True, handoff=True) == set()  # checked filters all apply
    assert find(db, fallback=True, negative_rating=True, low_confidence=True, channel="rest") == {k.c3}
    one_day, _ = review.conversations(db, review.Filters(story.DAY1, story.DAY1))
    assert set(ids(one_day)) == {k.c1, k.c2}

    rows, _ = review.conversations(db, review.Filters(story.DAY1, story.DAY2))
    assert ids(rows) == [k.c4, k.c3, k.c2, k.c1]  # latest message first
    c3 = rows[1]
    assert (c3.channel, c3.messages, c3.lowest_confidence) == ("rest", 2, 0.1)
    assert (c3.fallback, c3.low_confidence, c3.negative_rating, c3.handoff) == (True, True, True, False)
    assert (rows[2].handoff, rows[2].fallback) == (True, False)

    first_page, total = review.conversations(db, review.Filters(story.DAY1, story.DAY2), page=2, per_page=3)
    assert (ids(first_page), total) == ([k.c1], 4)


def test_the_transcript_is_in_order_with_intents(db: Session, known: story.Story) -> None:
    turns, corrections = review.transcript(db, known.c3)
    assert [(t.kind, t.intent, t.confidence) for t in turns if t.kind == TurnKind.USER] == [
        (TurnKind.USER, "nlu_fallback", 0.1), (TurnKind.USER, "faq", 0.6)]
    assert [t.kind for t in turns] == [TurnKind.USER, TurnKind.FALLBACK, TurnKind.BOT, TurnKind.USER,
                                       TurnKind.ACTION, TurnKind.BOT]
    assert corrections == {}
    assert review.conversation_facts(db, known.c3) == {"unhelpful_ratings": 1, "helpful_ratings": 0, "tickets": 0}
    with pytest.raises(review.UnknownConversation):
        review.transcript(db, "no-such-conversation")


def test_a_correction_becomes_a_yaml_example_with_entity_markup(db: Session, known: story.Story) -> None:
    turn = message(db, known.c1, "recommend a tent")
    assert turn.text == "recommend a tent, mail me at [email]"  # redacted when copied
    text = "recommend a tent, mail me at sam@example.net"
    spans = [review.Span(12, 16, "product"), review.Span(29, 44, "email")]

    saved = review.save(db, turn.id, EDITOR, text=text, intent="product_search", spans=spans)

    assert (saved.status, saved.intent, saved.reviewer_email, saved.original_intent) == (
        CorrectionStatus.EXAMPLE, "product_search", "editor@example.com", "recommend")
    assert saved.entities == [{"start": 12, "end": 16, "entity": "product"},
                              {"start": 29, "end": 44, "entity": "email"}]
    document, written, skipped = export_training.export(db, training_dir=None)
    assert skipped == [] and [e.intent for e in written] == ["product_search"]
    assert "- intent: product_search\n  examples: |\n    - recommend a [tent](product), mail me at " \
           "[sam@example.net](email)\n" in document
    assert yaml.safe_load(document) == {"version": "3.1", "nlu": [{
        "intent": "product_search",
        "examples": "- recommend a [tent](product), mail me at [sam@example.net](email)\n"}]}


def test_a_later_review_of_the_same_message_replaces_the_earlier(db: Session, known: story.Story) -> None:
    turn = message(db, known.c3, "do you ship")
    first = review.save(db, turn.id, EDITOR, text="do you ship to mars", intent="delivery_options")
    second = review.save(db, turn.id, OTHER, text="do you ship to Mars", intent="faq")
    assert second.id == first.id and db.query(NluCorrection).filter_by(turn_id=turn.id).count() == 1
    assert (second.intent, second.text, second.reviewer_email) == ("faq", "do you ship to Mars", OTHER.email)
    examples = export_training.reviewed_examples(db)
    assert [(e.intent, e.markup) for e in examples] == [("faq", "do you ship to Mars")]

    review.save(db, turn.id, EDITOR, drop=True)  # dropped: no longer exported
    assert export_training.reviewed_examples(db) == []
    assert db.query(NluCorrection).filter_by(turn_id=turn.id).one().status == CorrectionStatus.DROPPED


def test_equal_texts_of_two_messages_are_exported_once_latest_wins(db: Session, known: story.Story) -> None:
    hello = message(db, known.c1, "hello")
    thanks = message(db, known.c1, "thanks")
    review.save(db, hello.id, EDITOR, text="hello there", intent="greet")
    review.save(db, thanks.id, EDITOR, text="hello there", intent="thanks")
    assert [(e.intent, e.text) for e in export_training.reviewed_examples(db)] == [("thanks", "hello there")]


@pytest.mark.parametrize(("text", "intent", "spans", "code", "words"), [
    ("where is my order", "where_is_it", [], "review_unknown_intent", "Unknown intent 'where_is_it'"),
    ("where is my order", "track_order", [review.Span(9, 40, "product")], "review_bad_span", "outside the text"),
    ("where is my order", "track_order", [review.Span(-1, 3, "product")], "review_bad_span", "outside the text"),
    ("where is my order", "track_order", [review.Span(5, 5, "product")], "review_bad_span", "outside the text"),
    ("where is my order", "track_order", [review.Span(0, 5, "planet")], "review_unknown_entity", "Unknown entity"),
    ("where is my order", "track_order", [review.Span(1, 5, "product")], "review_bad_span", "cuts a word"),
    ("where is my order", "track_order", [review.Span(5, 9, "product")], "review_bad_span", "starts or ends with a space"),
    ("my order", "track_order", [review.Span(0, 8, "product"), review.Span(3, 8, "order_number")],
     "review_bad_span", "overlap"),
    ("where is [order]", "track_order", [], "review_placeholder", "Replace the placeholder [order]"),
    ("where is\nmy order", "track_order", [], "review_bad_text", "one line"),
    ("   ", "track_order", [], "review_bad_text", "empty"),
    ("see [this](link) please", "track_order", [], "review_bad_text", "square brackets"),
])
def test_bad_corrections_are_refused_clearly(db: Session, known: story.Story, text: str, intent: str,
                                             spans: list[review.Span], code: str, words: str) -> None:
    turn = message(db, known.c4, "how long")
    with pytest.raises(Invalid) as refused:
        review.save(db, turn.id, EDITOR, text=text, intent=intent, spans=spans)
    assert refused.value.status_code == 422 and refused.value.code == code and words in refused.value.detail
    assert db.query(NluCorrection).filter_by(turn_id=turn.id).count() == 0


def test_only_shopper_messages_can_be_reviewed(db: Session, known: story.Story) -> None:
    turns, _ = review.transcript(db, known.c2)
    handoff = next(t for t in turns if t.kind == TurnKind.HANDOFF)
    with pytest.raises(review.UnknownTurn):
        review.save(db, handoff.id, EDITOR, text="hi", intent="greet")


def test_surrounding_spaces_are_trimmed_and_spans_follow(db: Session, known: story.Story) -> None:
    turn = message(db, known.c4, "how long")
    saved = review.save(db, turn.id, EDITOR, text="  how long to [Berlin]  ", intent="delivery_period")
    assert saved.text == "how long to [Berlin]"  # brackets without markup after them are plain text to Rasa
    saved = review.save(db, turn.id, EDITOR, text="  ship a tent ", intent="delivery_period",
                        spans=[review.Span(9, 13, "product")])
    assert (saved.text, saved.entities) == ("ship a tent", [{"start": 7, "end": 11, "entity": "product"}])


def test_markup_reads_as_rasa_reads_it() -> None:
    assert review.parse_markup("track [SA-100001](order_number) for [jo@example.com](email)") == (
        "track SA-100001 for jo@example.com",
        [review.Span(6, 15, "order_number"), review.Span(20, 34, "email")])
    assert review.parse_markup("how long to [Berlin]?") == ("how long to [Berlin]?", [])
    with pytest.raises(Invalid, match="synonym"):
        review.parse_markup("a [red](color:crimson) tent")
    with pytest.raises(Invalid, match="synonym"):
        review.parse_markup('a [red]{"entity": "color"} tent')
    text, spans = "a [x] b", [review.Span(0, 1, "product")]
    assert review.to_markup(text, spans) == "[a](product) [x] b"


def test_the_domain_is_read_from_the_yaml_files(tmp_path: Path) -> None:
    nlu = review.load_domain(ROOT / "domain")
    assert {"greet", "track_order", "recommend", "faq"} <= set(nlu.intents) and "nlu_fallback" not in nlu.intents
    assert {"order_number", "email", "product"} <= set(nlu.entities)
    (tmp_path / "a.yml").write_text('version: "3.1"\nintents:\n  - greet\n  - inform:\n      use_entities: []\n'
                                    "entities:\n  - city:\n      roles: [from, to]\n")
    (tmp_path / "b.yaml").write_text("intents: [greet, bye]\n")
    assert review.load_domain(tmp_path) == review.NluDomain(("bye", "greet", "inform"), ("city",))


def test_yaml_escapes_what_needs_escaping(db: Session, known: story.Story) -> None:
    turn = message(db, known.c4, "how long")
    tricky = "- \"quoted\": it's #1 & naïve {x}: 100% | > *star* @home ..."
    review.save(db, turn.id, EDITOR, text=tricky, intent="delivery_period")
    hello = message(db, known.c1, "hello")
    review.save(db, hello.id, EDITOR, text="trailing colon:", intent="greet")
    document, _written, _skipped = export_training.export(db, training_dir=None)
    parsed = yaml.safe_load(document)
    assert parsed["version"] == "3.1"
    assert parsed["nlu"] == [{"intent": "delivery_period", "examples": f"- {tricky}\n"},
                             {"intent": "greet", "examples": "- trailing colon:\n"}]


def test_examples_already_in_the_training_data_are_left_out(db: Session, known: story.Story, tmp_path: Path) -> None:
    data = tmp_path / "training_data"
    (data / "nlu").mkdir(parents=True)
    (data / "nlu" / "orders.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: track_order\n  examples: |\n    - where is [SA-100001](order_number)\n'
        "    - has my order shipped yet\n")
    (data / "nlu" / "reviewed.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hello there\n')  # the file being replaced
    review.save(db, message(db, known.c1, "hello").id, EDITOR, text="hello there", intent="greet")
    review.save(db, message(db, known.c1, "thanks").id, EDITOR, text="where is SA-100001", intent="faq")
    review.save(db, message(db, known.c4, "how long").id, EDITOR, text="has my order shipped yet",
                intent="track_order")
    document, written, skipped = export_training.export(db, data, exclude=data / "nlu" / "reviewed.yml")
    assert [e.text for e in written] == ["hello there"]
    assert [(s.example.text, s.reason.split(" in ")[0]) for s in skipped] == [
        ("where is SA-100001", "an example of 'track_order'"), ("has my order shipped yet", "already an example")]


def test_the_command_writes_the_file(db: Session, known: story.Story, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    review.save(db, message(db, known.c3, "do you ship").id, EDITOR, text="do you ship to Mars?",
                intent="delivery_options", spans=[review.Span(15, 19, "product")])
    review.save(db, message(db, known.c1, "recommend").id, EDITOR,
                text="recommend a tent, mail me at sam@example.net", intent="recommend",
                spans=[review.Span(12, 16, "product")])
    review.save(db, message(db, known.c3, "blorp").id, EDITOR, drop=True)  # not exported
    monkeypatch.setattr("commerce.db.get_sessionmaker", lambda: lambda: _Borrowed(db))
    out = tmp_path / "nlu" / "reviewed.yml"

    assert export_training.main(["--out", str(out), "--training-data", str(tmp_path / "none")]) == 0

    assert "wrote 2 reviewed examples" in capsys.readouterr().out
    assert yaml.safe_load(out.read_text())["nlu"] == [
        {"intent": "delivery_options", "examples": "- do you ship to [Mars](product)?\n"},
        {"intent": "recommend", "examples": "- recommend a [tent](product), mail me at sam@example.net\n"}]
    assert not list(out.parent.glob(".*.tmp"))


class _Borrowed:
    """The test's session as the command's `with sessionmaker() as session` (not closed by it)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def __enter__(self) -> Session:
        return self.session

    def __exit__(self, *exc: object) -> None:
        return None


def test_a_deleted_turn_keeps_its_review(db: Session, known: story.Story) -> None:
    turn = message(db, known.c4, "how long")
    review.save(db, turn.id, EDITOR, text="how long is delivery", intent="delivery_period")
    db.delete(turn)
    db.flush()
    db.expire_all()
    kept = db.scalars(select(NluCorrection).where(NluCorrection.conversation_id == known.c4)).one()
    assert kept.turn_id is None and [e.text for e in export_training.reviewed_examples(db)] == ["how long is delivery"]
    assert kept.reviewed_at > story.NOON2 - timedelta(days=1)
