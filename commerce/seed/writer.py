"""Buffered bulk inserts in foreign-key order, plus wiping and sequence repair."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.orm import Session

from commerce import models

# Parents before children: a flush writes tables in this order.
TABLE_ORDER: tuple[type[models.Base], ...] = (
    models.Category,
    models.Brand,
    models.Product,
    models.Customer,
    models.Address,
    models.Order,
    models.OrderItem,
    models.Shipment,
    models.Invoice,
    models.ReturnRequest,
    models.Refund,
    models.VisitSession,
    models.BehaviourEvent,
    models.HandoffTicket,
)


class BulkWriter:
    def __init__(self, session: Session, batch_size: int = 5000) -> None:
        self.session = session
        self.batch_size = batch_size
        self.buffers: dict[type[models.Base], list[dict[str, Any]]] = {m: [] for m in TABLE_ORDER}
        self.counts: dict[str, int] = {m.__tablename__: 0 for m in TABLE_ORDER}
        self._pending = 0

    def add(self, model: type[models.Base], row: dict[str, Any]) -> None:
        self.buffers[model].append(row)
        self._pending += 1
        if self._pending >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        for model in TABLE_ORDER:
            rows = self.buffers[model]
            if rows:
                # render_nulls keeps every row's column set the same; otherwise the ORM starts a new
                # statement each time the set of None values changes, and orders alternate constantly.
                self.session.execute(insert(model).execution_options(render_nulls=True), rows)
                self.counts[model.__tablename__] += len(rows)
                rows.clear()
        self._pending = 0


def is_seeded(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(models.Product)) != 0


def wipe(session: Session) -> None:
    for model in reversed(TABLE_ORDER):
        if model is models.Category:
            # The tree references itself: children go before their parents.
            session.execute(delete(model).where(models.Category.parent_id.is_not(None)))
        session.execute(delete(model))


def repair_sequences(session: Session) -> None:
    """Rows are written with explicit ids; move PostgreSQL's id sequences past them."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for model in TABLE_ORDER:
        table = model.__tablename__
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        )
