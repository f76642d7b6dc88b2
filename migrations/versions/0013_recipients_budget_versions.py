"""Recipients of allocations, the budget's status and its versions tied to decisions, a
decision known only by its month, and a grant's report due date.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('allocation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recipient', sa.String(length=200), nullable=False,
                                      server_default='county'))
        batch_op.add_column(sa.Column('budget_status', sa.Enum(
            'preliminary', 'decided', name='budgetstatus', native_enum=False, length=20),
            nullable=True))
        batch_op.add_column(sa.Column('decision_month_only', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('decision_diary_number', sa.String(length=60),
                                      nullable=True))
    with op.batch_alter_table('grant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('report_due', sa.Date(), nullable=True))
    op.create_table(
        'budget_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('allocation_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('status', sa.Enum('preliminary', 'decided', name='budgetstatus',
                                    native_enum=False, length=20), nullable=False),
        sa.Column('decision_body', sa.String(length=200), nullable=True),
        sa.Column('decision_date', sa.Date(), nullable=True),
        sa.Column('decision_month_only', sa.Boolean(), nullable=False),
        sa.Column('decision_paragraph', sa.String(length=200), nullable=True),
        sa.Column('decision_diary_number', sa.String(length=60), nullable=True),
        sa.Column('decision_text', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.String(length=254), nullable=False),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decided_by', sa.String(length=254), nullable=True),
        sa.ForeignKeyConstraint(['allocation_id'], ['allocation.id'],
                                name=op.f('fk_budget_version_allocation_id_allocation'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_version')),
        sa.UniqueConstraint('allocation_id', 'number',
                            name=op.f('uq_budget_version_allocation_id_number')),
    )
    with op.batch_alter_table('budget_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_version_allocation_id'), ['allocation_id'],
                              unique=False)
    op.create_table(
        'budget_version_line',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('line_id', sa.Integer(), nullable=True),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('activity', sa.Text(), nullable=False),
        sa.Column('goal_area', sa.String(length=300), nullable=True),
        sa.Column('kind', sa.Enum('activity', 'call', 'transfer', name='linekind',
                                  native_enum=False, length=20), nullable=False),
        sa.Column('budget', sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(['version_id'], ['budget_version.id'],
                                name=op.f('fk_budget_version_line_version_id_budget_version'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['line_id'], ['line.id'],
                                name=op.f('fk_budget_version_line_line_id_line'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_version_line')),
    )
    with op.batch_alter_table('budget_version_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_version_line_version_id'), ['version_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_budget_version_line_line_id'), ['line_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('budget_version_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_version_line_line_id'))
        batch_op.drop_index(batch_op.f('ix_budget_version_line_version_id'))
    op.drop_table('budget_version_line')
    with op.batch_alter_table('budget_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_version_allocation_id'))
    op.drop_table('budget_version')
    with op.batch_alter_table('grant', schema=None) as batch_op:
        batch_op.drop_column('report_due')
    with op.batch_alter_table('allocation', schema=None) as batch_op:
        batch_op.drop_column('decision_diary_number')
        batch_op.drop_column('decision_month_only')
        batch_op.drop_column('budget_status')
        batch_op.drop_column('recipient')
