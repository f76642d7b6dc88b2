"""Sessions that end on the server, and the shared count of login attempts.

`user.session_version` is part of the id every session cookie carries: logging out or a new
password raises it, so a copied cookie opens nothing. `throttle_hit` counts failed logins and
registrations (and records lockouts) for every worker when no Redis is configured.

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='1',
                                      nullable=False))
    op.create_table('throttle_hit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=30), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_throttle_hit'))
    )
    with op.batch_alter_table('throttle_hit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_throttle_hit_at'), ['at'], unique=False)
        batch_op.create_index('ix_throttle_hit_scope_key_at', ['scope', 'key', 'at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('throttle_hit', schema=None) as batch_op:
        batch_op.drop_index('ix_throttle_hit_scope_key_at')
        batch_op.drop_index(batch_op.f('ix_throttle_hit_at'))
    op.drop_table('throttle_hit')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('session_version')
