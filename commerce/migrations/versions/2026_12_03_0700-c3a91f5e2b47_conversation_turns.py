"""conversation turns

The analytics event trail (issue 11): redacted conversation turns copied from Rasa's SQL tracker store, and
how far each tracker store has been copied.

Revision ID: c3a91f5e2b47
Revises: e5d2a7c41b90
Create Date: 2026-12-03 07:00:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
import commerce.db

revision: str = 'c3a91f5e2b47'
down_revision: str | None = 'e5d2a7c41b90'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('conversation_turns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=255), nullable=False),
    sa.Column('occurred_at', commerce.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.Enum('user', 'bot', 'recommendation', 'action', 'handoff', 'fallback', 'form', name='turn_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('intent', sa.String(length=100), nullable=True),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.Column('action_name', sa.String(length=100), nullable=True),
    sa.Column('channel', sa.String(length=32), nullable=True),
    sa.Column('text', sa.String(length=1000), nullable=True),
    sa.Column('item_count', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_turns')),
    sa.UniqueConstraint('source', 'event_id', name='uq_conversation_turns_source_event')
    )
    with op.batch_alter_table('conversation_turns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_turns_occurred_at'), ['occurred_at'], unique=False)
        batch_op.create_index('ix_conversation_turns_kind_time', ['kind', 'occurred_at'], unique=False)
        batch_op.create_index('ix_conversation_turns_conversation_time', ['conversation_id', 'occurred_at'], unique=False)

    op.create_table('analytics_ingest_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('last_event_id', sa.Integer(), nullable=False),
    sa.Column('gap_since', commerce.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', commerce.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_analytics_ingest_state')),
    sa.UniqueConstraint('source', name=op.f('uq_analytics_ingest_state_source'))
    )


def downgrade() -> None:
    op.drop_table('analytics_ingest_state')
    with op.batch_alter_table('conversation_turns', schema=None) as batch_op:
        batch_op.drop_index('ix_conversation_turns_conversation_time')
        batch_op.drop_index('ix_conversation_turns_kind_time')
        batch_op.drop_index(batch_op.f('ix_conversation_turns_occurred_at'))
    op.drop_table('conversation_turns')
