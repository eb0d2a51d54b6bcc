"""knowledge base

The FAQ store (entries, versions, users, sessions, audit), the answers the bot gave, their ratings, query
clusters, the unanswered queue, and kb_state: one row whose tokens tell each backend process when its
in-memory search index is stale.

Revision ID: 94996ac3a254
Revises: 9d4b7e21c0a3
Create Date: 2026-11-28 17:11:34.264375+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import commerce.db

revision: str = '94996ac3a254'
down_revision: str | None = '9d4b7e21c0a3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('kb_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('question', sa.String(length=300), nullable=False),
    sa.Column('phrasings', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('tags', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('links', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', 'archived', name='kb_entry_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', commerce.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', commerce.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('vectors', sa.LargeBinary(), nullable=True),
    sa.Column('vectors_model', sa.String(length=64), nullable=True),
    sa.Column('index_stamp', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_entries')),
    sa.UniqueConstraint('slug', name=op.f('uq_kb_entries_slug'))
    )
    with op.batch_alter_table('kb_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kb_entries_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_kb_entries_status'), ['status'], unique=False)

    op.create_table('kb_query_clusters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('centroid', sa.LargeBinary(), nullable=False),
    sa.Column('label', sa.String(length=500), nullable=False),
    sa.Column('created_at', commerce.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_query_clusters'))
    )
    op.create_table('kb_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('index_token', sa.String(length=32), nullable=False),
    sa.Column('clusters_token', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_state'))
    )
    op.create_table('kb_users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('role', sa.Enum('editor', 'admin', name='kb_role', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', commerce.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', commerce.db.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_users')),
    sa.UniqueConstraint('email', name=op.f('uq_kb_users_email'))
    )
    op.create_table('kb_answers',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('entry_version', sa.Integer(), nullable=False),
    sa.Column('question', sa.String(length=500), nullable=False),
    sa.Column('conversation_id', sa.String(length=128), nullable=True),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('query_vector', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', commerce.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['kb_entries.id'], name=op.f('fk_kb_answers_entry_id_kb_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_answers'))
    )
    with op.batch_alter_table('kb_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kb_answers_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_kb_answers_entry_id'), ['entry_id'], unique=False)

    op.create_table('kb_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_email', sa.String(length=254), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('subject_type', sa.String(length=20), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', commerce.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['kb_users.id'], name=op.f('fk_kb_audit_actor_id_kb_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_audit'))
    )
    with op.batch_alter_table('kb_audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kb_audit_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_kb_audit_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_kb_audit_subject', ['subject_type', 'subject_id'], unique=False)

    op.create_table('kb_entry_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('question', sa.String(length=300), nullable=False),
    sa.Column('phrasings', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('tags', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('links', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', 'archived', name='kb_version_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_email', sa.String(length=254), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('created_at', commerce.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['kb_users.id'], name=op.f('fk_kb_entry_versions_author_id_kb_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['entry_id'], ['kb_entries.id'], name=op.f('fk_kb_entry_versions_entry_id_kb_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_entry_versions')),
    sa.UniqueConstraint('entry_id', 'version', name='uq_kb_entry_versions_entry_version')
    )
    op.create_table('kb_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('csrf_token', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', commerce.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', commerce.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['kb_users.id'], name=op.f('fk_kb_sessions_user_id_kb_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_kb_sessions_token_hash'))
    )
    with op.batch_alter_table('kb_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kb_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('kb_unanswered',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question', sa.String(length=500), nullable=False),
    sa.Column('conversation_id', sa.String(length=128), nullable=True),
    sa.Column('reason', sa.Enum('abstained', 'low_confidence', name='kb_queue_reason', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('best_entry_id', sa.Integer(), nullable=True),
    sa.Column('query_vector', sa.LargeBinary(), nullable=False),
    sa.Column('status', sa.Enum('open', 'resolved', 'dismissed', name='kb_queue_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('resolved_entry_id', sa.Integer(), nullable=True),
    sa.Column('created_at', commerce.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['best_entry_id'], ['kb_entries.id'], name=op.f('fk_kb_unanswered_best_entry_id_kb_entries'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resolved_entry_id'], ['kb_entries.id'], name=op.f('fk_kb_unanswered_resolved_entry_id_kb_entries'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_unanswered'))
    )
    with op.batch_alter_table('kb_unanswered', schema=None) as batch_op:
        batch_op.create_index('ix_kb_unanswered_status_time', ['status', 'created_at'], unique=False)

    op.create_table('kb_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.String(length=32), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('query_cluster_id', sa.Integer(), nullable=True),
    sa.Column('conversation_id', sa.String(length=128), nullable=False),
    sa.Column('helpful', sa.Boolean(), nullable=False),
    sa.Column('comment', sa.String(length=1000), nullable=True),
    sa.Column('client_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', commerce.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['kb_answers.id'], name=op.f('fk_kb_ratings_answer_id_kb_answers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entry_id'], ['kb_entries.id'], name=op.f('fk_kb_ratings_entry_id_kb_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['query_cluster_id'], ['kb_query_clusters.id'], name=op.f('fk_kb_ratings_query_cluster_id_kb_query_clusters'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_ratings')),
    sa.UniqueConstraint('conversation_id', 'entry_id', name='uq_kb_ratings_conversation_entry')
    )
    with op.batch_alter_table('kb_ratings', schema=None) as batch_op:
        batch_op.create_index('ix_kb_ratings_client_time', ['client_hash', 'created_at'], unique=False)
        batch_op.create_index('ix_kb_ratings_conversation_time', ['conversation_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_kb_ratings_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_kb_ratings_entry_cluster', ['entry_id', 'query_cluster_id', 'helpful'], unique=False)

    op.bulk_insert(
        sa.table('kb_state', sa.column('id', sa.Integer), sa.column('index_token', sa.String),
                 sa.column('clusters_token', sa.String)),
        [{'id': 1, 'index_token': 'initial', 'clusters_token': 'initial'}],
    )



def downgrade() -> None:
    with op.batch_alter_table('kb_ratings', schema=None) as batch_op:
        batch_op.drop_index('ix_kb_ratings_entry_cluster')
        batch_op.drop_index(batch_op.f('ix_kb_ratings_created_at'))
        batch_op.drop_index('ix_kb_ratings_conversation_time')
        batch_op.drop_index('ix_kb_ratings_client_time')

    op.drop_table('kb_ratings')
    with op.batch_alter_table('kb_unanswered', schema=None) as batch_op:
        batch_op.drop_index('ix_kb_unanswered_status_time')

    op.drop_table('kb_unanswered')
    with op.batch_alter_table('kb_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kb_sessions_user_id'))

    op.drop_table('kb_sessions')
    op.drop_table('kb_entry_versions')
    with op.batch_alter_table('kb_audit', schema=None) as batch_op:
        batch_op.drop_index('ix_kb_audit_subject')
        batch_op.drop_index(batch_op.f('ix_kb_audit_created_at'))
        batch_op.drop_index(batch_op.f('ix_kb_audit_action'))

    op.drop_table('kb_audit')
    with op.batch_alter_table('kb_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kb_answers_entry_id'))
        batch_op.drop_index(batch_op.f('ix_kb_answers_created_at'))

    op.drop_table('kb_answers')
    op.drop_table('kb_users')
    op.drop_table('kb_state')
    op.drop_table('kb_query_clusters')
    with op.batch_alter_table('kb_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kb_entries_status'))
        batch_op.drop_index(batch_op.f('ix_kb_entries_category'))

    op.drop_table('kb_entries')
