from __future__ import annotations

from sqlalchemy.orm import Session

from commerce.behaviour import repository
from commerce.behaviour.schemas import BatchAccepted, EventBatch


def ingest(session: Session, batch: EventBatch) -> BatchAccepted:
    visit = batch.visit
    session_id = repository.get_or_create_visit(session, visit.model_dump())
    skus = {e.product_sku.strip().upper() for e in batch.events if e.product_sku}
    known = repository.product_ids(session, skus)
    rows = [
        {
            "session_id": session_id,
            "occurred_at": e.occurred_at,
            "kind": e.kind,
            "page_type": e.page_type,
            "page": e.page,
            "duration_seconds": e.duration_seconds,
            # Events about products we do not know (retired, mistyped) are kept without the link.
            "product_id": known.get(e.product_sku.strip().upper()) if e.product_sku else None,
            "search_query": e.search_query,
            "quantity": e.quantity,
            "order_id": None,
            "value_cents": e.value_cents,
        }
        for e in batch.events
    ]
    repository.add_events(session, rows)
    session.commit()
    return BatchAccepted(session_key=visit.session_key, accepted=len(rows))
