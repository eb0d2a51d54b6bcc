"""nlu corrections

Conversation review (issue 11): a reviewer's correction of a shopper message (text, intent, entity spans) or
the decision to drop it; the reviewed examples are exported as Rasa NLU training data.

Revision ID: 4b8e1d6f2a93
Revises: c3a91f5e2b47
Create Date: 2026-12-03 07:15:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
import commerce.db

revision: str = '4b8e1d6f2a93'
down_revision: str | None = 'c3a91f5e2b47'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('nlu_corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('turn_id', sa.Integer(), nullable=True),
    sa.Column('conversation_id', sa.String(length=255), nullable=False),
    sa.Column('original_intent', sa.String(length=100), nullable=True),
    sa.Column('original_confidence', sa.Float(), nullable=True),
    sa.Column('status', sa.Enum('example', 'dropped', name='correction_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('text', sa.String(length=1000), nullable=True),
    sa.Column('intent', sa.String(length=100), nullable=True),
    sa.Column('entities', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('reviewer_email', sa.String(length=254), nullable=False),
    sa.Column('reviewed_at', commerce.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['turn_id'], ['conversation_turns.id'], name=op.f('fk_nlu_corrections_turn_id_conversation_turns'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nlu_corrections')),
    sa.UniqueConstraint('turn_id', name=op.f('uq_nlu_corrections_turn_id'))
    )
    with op.batch_alter_table('nlu_corrections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nlu_corrections_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index('ix_nlu_corrections_status_intent', ['status', 'intent'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('nlu_corrections', schema=None) as batch_op:
        batch_op.drop_index('ix_nlu_corrections_status_intent')
        batch_op.drop_index(batch_op.f('ix_nlu_corrections_conversation_id'))
    op.drop_table('nlu_corrections')
