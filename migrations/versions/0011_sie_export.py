"""SIE export of payments: each earmark's accounts and cost objects, and the exports made.

Revision ID: 0011
Revises: 0006
Create Date: 2026-12-01 16:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sie_earmark_accounts',
        sa.Column('earmark_id', sa.Integer(), nullable=False),
        sa.Column('cost_account', sa.String(length=10), nullable=False),
        sa.Column('cost_account_name', sa.String(length=100), nullable=False),
        sa.Column('responsibility', sa.String(length=20), nullable=True),
        sa.Column('responsibility_name', sa.String(length=100), nullable=True),
        sa.Column('activity', sa.String(length=20), nullable=True),
        sa.Column('activity_name', sa.String(length=100), nullable=True),
        sa.Column('project', sa.String(length=20), nullable=True),
        sa.Column('project_name', sa.String(length=100), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by', sa.String(length=254), nullable=False),
        sa.ForeignKeyConstraint(['earmark_id'], ['earmark.id'],
                                name=op.f('fk_sie_earmark_accounts_earmark_id_earmark'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('earmark_id', name=op.f('pk_sie_earmark_accounts')),
    )
    op.create_table(
        'sie_export',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('date_from', sa.Date(), nullable=False),
        sa.Column('date_to', sa.Date(), nullable=False),
        sa.Column('generated_on', sa.Date(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.String(length=254), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('payment_count', sa.Integer(), nullable=False),
        sa.Column('net_amount', sa.BigInteger(), nullable=False),
        sa.Column('checksum', sa.String(length=64), nullable=False),
        sa.Column('rows', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['user.id'],
                                name=op.f('fk_sie_export_created_by_id_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sie_export')),
    )
    with op.batch_alter_table('sie_export', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sie_export_year'), ['year'], unique=False)
    op.create_table(
        'sie_export_payment',
        sa.Column('export_id', sa.Integer(), nullable=False),
        sa.Column('payment_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['export_id'], ['sie_export.id'],
                                name=op.f('fk_sie_export_payment_export_id_sie_export'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['payment_id'], ['payment.id'],
                                name=op.f('fk_sie_export_payment_payment_id_payment'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('export_id', 'payment_id', name=op.f('pk_sie_export_payment')),
    )
    with op.batch_alter_table('sie_export_payment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sie_export_payment_payment_id'), ['payment_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('sie_export_payment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sie_export_payment_payment_id'))
    op.drop_table('sie_export_payment')
    with op.batch_alter_table('sie_export', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sie_export_year'))
    op.drop_table('sie_export')
    op.drop_table('sie_earmark_accounts')
