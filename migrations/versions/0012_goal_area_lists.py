"""Goal areas as a list per year that coordinators manage: retiring an area, its former names;
and an administrator's reason for a payment after its fund's last spending day.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 18:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('goal_area', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'goal_area_rename',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('goal_area_id', sa.Integer(), nullable=False),
        sa.Column('old_name', sa.String(length=300), nullable=False),
        sa.Column('new_name', sa.String(length=300), nullable=False),
        sa.Column('renamed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('renamed_by', sa.String(length=254), nullable=False),
        sa.ForeignKeyConstraint(['goal_area_id'], ['goal_area.id'],
                                name=op.f('fk_goal_area_rename_goal_area_id_goal_area'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_goal_area_rename')),
    )
    with op.batch_alter_table('goal_area_rename', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goal_area_rename_goal_area_id'), ['goal_area_id'],
                              unique=False)
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('window_override', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_column('window_override')
    with op.batch_alter_table('goal_area_rename', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goal_area_rename_goal_area_id'))
    op.drop_table('goal_area_rename')
    with op.batch_alter_table('goal_area', schema=None) as batch_op:
        batch_op.drop_column('retired_at')
