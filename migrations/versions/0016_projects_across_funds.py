"""Projects across funds and years: a call line paying grants that another allocation's call
decided (the exchange format's `decided_in`).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 19:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decided_in_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_line_decided_in_id'), ['decided_in_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_line_decided_in_id_allocation'),
                                    'allocation', ['decided_in_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('line', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_line_decided_in_id_allocation'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_line_decided_in_id'))
        batch_op.drop_column('decided_in_id')
