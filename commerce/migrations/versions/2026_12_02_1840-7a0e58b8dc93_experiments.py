"""experiments

A/B tests (issue 11): experiments with their variants, split and fixed horizon; the first exposure of each unit
to its variant, and the first outcome of each exposed unit per metric.

Revision ID: 7a0e58b8dc93
Revises: b7e4c2d9a1f0
Create Date: 2026-12-02 18:40:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
import commerce.db

revision: str = '7a0e58b8dc93'
down_revision: str | None = 'b7e4c2d9a1f0'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('experiments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.String(length=1000), nullable=False),
    sa.Column('subject', sa.Enum('recommendation_model', 'offer_policy', 'kb_retrieval', name='experiment_subject', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('metric', sa.String(length=40), nullable=False),
    sa.Column('variants', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('salt', sa.String(length=32), nullable=False),
    sa.Column('status', sa.Enum('draft', 'running', 'stopped', name='experiment_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('horizon_per_arm', sa.Integer(), nullable=False),
    sa.Column('started_at', commerce.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('stopped_at', commerce.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', commerce.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', commerce.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_experiments')),
    sa.UniqueConstraint('key', name=op.f('uq_experiments_key'))
    )
    with op.batch_alter_table('experiments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_experiments_subject'), ['subject'], unique=False)

    op.create_table('experiment_exposures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('experiment_id', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=80), nullable=False),
    sa.Column('variant', sa.String(length=30), nullable=False),
    sa.Column('exposed_at', commerce.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['experiment_id'], ['experiments.id'], name=op.f('fk_experiment_exposures_experiment_id_experiments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_experiment_exposures')),
    sa.UniqueConstraint('experiment_id', 'unit', name='uq_experiment_exposures_unit')
    )
    with op.batch_alter_table('experiment_exposures', schema=None) as batch_op:
        batch_op.create_index('ix_experiment_exposures_variant', ['experiment_id', 'variant'], unique=False)

    op.create_table('experiment_outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('experiment_id', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=80), nullable=False),
    sa.Column('variant', sa.String(length=30), nullable=False),
    sa.Column('metric', sa.String(length=40), nullable=False),
    sa.Column('occurred_at', commerce.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['experiment_id'], ['experiments.id'], name=op.f('fk_experiment_outcomes_experiment_id_experiments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_experiment_outcomes')),
    sa.UniqueConstraint('experiment_id', 'unit', 'metric', name='uq_experiment_outcomes_unit')
    )
    with op.batch_alter_table('experiment_outcomes', schema=None) as batch_op:
        batch_op.create_index('ix_experiment_outcomes_variant', ['experiment_id', 'metric', 'variant'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('experiment_outcomes', schema=None) as batch_op:
        batch_op.drop_index('ix_experiment_outcomes_variant')

    op.drop_table('experiment_outcomes')
    with op.batch_alter_table('experiment_exposures', schema=None) as batch_op:
        batch_op.drop_index('ix_experiment_exposures_variant')

    op.drop_table('experiment_exposures')
    with op.batch_alter_table('experiments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_experiments_subject'))

    op.drop_table('experiments')
