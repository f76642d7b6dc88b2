"""The fund ledger: earmarks, goal areas, allocations, lines, grants, closings, users, audit.

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 19:08:36.053008

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    
    op.create_table('earmark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('remainder_rule', sa.String(length=20), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_earmark')),
    sa.UniqueConstraint('code', name=op.f('uq_earmark_code'))
    )
    op.create_table('goal_area',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal_area')),
    sa.UniqueConstraint('year', 'name', name=op.f('uq_goal_area_year_name'))
    )
    with op.batch_alter_table('goal_area', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goal_area_year'), ['year'], unique=False)

    op.create_table('user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=300), nullable=False),
    sa.Column('role', sa.Enum('admin', 'coordinator', 'viewer', name='role', native_enum=False, length=20), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user')),
    sa.UniqueConstraint('email', name=op.f('uq_user_email'))
    )
    op.create_table('year_closing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_by', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_year_closing')),
    sa.UniqueConstraint('year', name=op.f('uq_year_closing_year'))
    )
    op.create_table('allocation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('earmark_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=200), nullable=True),
    sa.Column('received', sa.BigInteger(), nullable=False),
    sa.Column('spend_until', sa.Date(), nullable=False),
    sa.Column('anchored', sa.Text(), nullable=True),
    sa.Column('decision_body', sa.String(length=200), nullable=True),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('decision_reference', sa.String(length=200), nullable=True),
    sa.Column('decision_text', sa.Text(), nullable=True),
    sa.Column('stated_total', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['earmark_id'], ['earmark.id'], name=op.f('fk_allocation_earmark_id_earmark')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_allocation')),
    sa.UniqueConstraint('earmark_id', 'year', name=op.f('uq_allocation_earmark_id_year'))
    )
    with op.batch_alter_table('allocation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_allocation_earmark_id'), ['earmark_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_allocation_year'), ['year'], unique=False)

    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=254), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_audit_entry_actor_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_year'), ['year'], unique=False)

    op.create_table('carry_over',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('closing_id', sa.Integer(), nullable=False),
    sa.Column('from_allocation_id', sa.Integer(), nullable=False),
    sa.Column('earmark_id', sa.Integer(), nullable=False),
    sa.Column('to_year', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('rule', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['closing_id'], ['year_closing.id'], name=op.f('fk_carry_over_closing_id_year_closing'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['earmark_id'], ['earmark.id'], name=op.f('fk_carry_over_earmark_id_earmark')),
    sa.ForeignKeyConstraint(['from_allocation_id'], ['allocation.id'], name=op.f('fk_carry_over_from_allocation_id_allocation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_carry_over')),
    sa.UniqueConstraint('from_allocation_id', name=op.f('uq_carry_over_from_allocation_id'))
    )
    with op.batch_alter_table('carry_over', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_carry_over_closing_id'), ['closing_id'], unique=False)

    op.create_table('line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('allocation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('goal_area_id', sa.Integer(), nullable=True),
    sa.Column('activity', sa.Text(), nullable=False),
    sa.Column('kind', sa.Enum('activity', 'call', 'transfer', name='linekind', native_enum=False, length=20), nullable=False),
    sa.Column('budget', sa.BigInteger(), nullable=True),
    sa.Column('spent', sa.BigInteger(), nullable=True),
    sa.Column('covers_allocation_id', sa.Integer(), nullable=True),
    sa.Column('owner', sa.String(length=300), nullable=True),
    sa.Column('partners', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['allocation_id'], ['allocation.id'], name=op.f('fk_line_allocation_id_allocation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['covers_allocation_id'], ['allocation.id'], name=op.f('fk_line_covers_allocation_id_allocation')),
    sa.ForeignKeyConstraint(['goal_area_id'], ['goal_area.id'], name=op.f('fk_line_goal_area_id_goal_area')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_line'))
    )
    with op.batch_alter_table('line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_line_allocation_id'), ['allocation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_line_covers_allocation_id'), ['covers_allocation_id'], unique=False)

    op.create_table('grant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=300), nullable=False),
    sa.Column('partners', sa.JSON(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('paid', sa.BigInteger(), nullable=True),
    sa.Column('returned', sa.BigInteger(), nullable=True),
    sa.Column('status', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['line_id'], ['line.id'], name=op.f('fk_grant_line_id_line'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant'))
    )
    with op.batch_alter_table('grant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_line_id'), ['line_id'], unique=False)

    op.create_table('grant_goal_area',
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('goal_area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['goal_area_id'], ['goal_area.id'], name=op.f('fk_grant_goal_area_goal_area_id_goal_area')),
    sa.ForeignKeyConstraint(['grant_id'], ['grant.id'], name=op.f('fk_grant_goal_area_grant_id_grant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('grant_id', 'goal_area_id', name=op.f('pk_grant_goal_area'))
    )

    earmark = sa.table(
        "earmark",
        sa.column("code", sa.String), sa.column("name", sa.String),
        sa.column("description", sa.Text), sa.column("remainder_rule", sa.String),
        sa.column("sort_order", sa.Integer), sa.column("active", sa.Boolean),
    )
    # The three county-level earmarks the coordinators report on (DOMAIN.md); more are added
    # by an administrator, not by code.
    op.bulk_insert(earmark, [
        {"code": "brukarmiljonen", "name": "Brukarmiljonen",
         "description": "Stärkt brukarmedverkan: bidrag till JLB och medlemsorganisationer, "
                        "brukarstyrda projekt.",
         "remainder_rule": "carry_over", "sort_order": 10, "active": True},
        {"code": "samverkan", "name": "Samverkansmedel",
         "description": "Regional samordning, gemensamma aktiviteter och projektutlysningen "
                        "för lokala samverkansprojekt.",
         "remainder_rule": "carry_over", "sort_order": 20, "active": True},
        {"code": "suicidprevention", "name": "Suicidpreventiva medel",
         "description": "Samordning av suicidprevention, utåtriktat arbete och utbildning.",
         "remainder_rule": "carry_over", "sort_order": 30, "active": True},
    ])


def downgrade():
    
    op.drop_table('grant_goal_area')
    with op.batch_alter_table('grant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grant_line_id'))

    op.drop_table('grant')
    with op.batch_alter_table('line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_line_covers_allocation_id'))
        batch_op.drop_index(batch_op.f('ix_line_allocation_id'))

    op.drop_table('line')
    with op.batch_alter_table('carry_over', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_carry_over_closing_id'))

    op.drop_table('carry_over')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_year'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_at'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_action'))

    op.drop_table('audit_entry')
    with op.batch_alter_table('allocation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_allocation_year'))
        batch_op.drop_index(batch_op.f('ix_allocation_earmark_id'))

    op.drop_table('allocation')
    op.drop_table('year_closing')
    op.drop_table('user')
    with op.batch_alter_table('goal_area', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goal_area_year'))

    op.drop_table('goal_area')
    op.drop_table('earmark')

