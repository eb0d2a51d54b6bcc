"""handoff_tickets.idempotency_key: a ticket sent again is found, not opened twice

The assistant keeps a ticket it could not deliver in its outbox and sends it again with the same key once the
backend answers; the unique key makes that (and any retried request) open one ticket.

Revision ID: e5d2a7c41b90
Revises: 7a0e58b8dc93
Create Date: 2026-12-03 06:50:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e5d2a7c41b90"
down_revision: str | None = "7a0e58b8dc93"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("handoff_tickets") as batch:
        batch.add_column(sa.Column("idempotency_key", sa.String(64), nullable=True))
        batch.create_unique_constraint("uq_handoff_tickets_idempotency_key", ["idempotency_key"])


def downgrade() -> None:
    with op.batch_alter_table("handoff_tickets") as batch:
        batch.drop_constraint("uq_handoff_tickets_idempotency_key", type_="unique")
        batch.drop_column("idempotency_key")
