from __future__ import annotations

from sqlalchemy.orm import Session

from knowledge_base import unanswered
from knowledge_base.answering import embed
from knowledge_base.encoder import to_bytes
from knowledge_base.models import QueueReason, QueueStatus, UnansweredQuestion


def queue(db: Session, *questions: str) -> None:
    for question in questions:
        db.add(UnansweredQuestion(question=question, reason=QueueReason.ABSTAINED, confidence=0.1,
                                  query_vector=to_bytes(embed(question)[None, :]), status=QueueStatus.OPEN))
    db.commit()


def test_similar_questions_are_grouped_biggest_group_first(db: Session) -> None:
    queue(db, "do you sell gift cards", "can I buy a gift voucher", "are gift cards available",
          "what is the weather tomorrow", "is there a store in Berlin I can visit")
    groups = unanswered.clusters(db)
    assert groups[0].size == 3
    assert {q.question for q in groups[0].questions} == {"do you sell gift cards", "can I buy a gift voucher",
                                                         "are gift cards available"}
    assert groups[0].representative in {q.question for q in groups[0].questions}
    assert sum(g.size for g in groups) == 5 and len(groups) == 3


def test_a_single_question_is_its_own_group(db: Session) -> None:
    queue(db, "do you sell gift cards")
    assert [g.size for g in unanswered.clusters(db)] == [1]
