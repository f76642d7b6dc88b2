"""The data version that cached figures are keyed by, and the index of the payments list.

`data_version` holds one row whose random token changes with every commit that changes
figures (app/core/figures_cache.py): the dashboard, a call's totals and the payments' count
are computed once per change instead of at every view. `ix_payment_paid_on_id` serves the
payments list's part after the attestation queue, the latest first, a keyset page at a time
(the queue itself is served by `ix_payment_state_paid_on`).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 18:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'data_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_data_version')),
    )
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.create_index('ix_payment_paid_on_id', ['paid_on', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_index('ix_payment_paid_on_id')
    op.drop_table('data_version')
