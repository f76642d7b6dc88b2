"""The project call: organisations, calls, applications, reviews, decisions, captured e-mail.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 20:03:13.974474

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    
    op.create_table('organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.Enum('municipality', 'region_unit', 'health_centre', 'school', 'association', 'other', name='organisationkind', native_enum=False, length=30), nullable=False),
    sa.Column('org_number', sa.String(length=11), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['merged_into_id'], ['organisation.id'], name=op.f('fk_organisation_merged_into_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation')),
    sa.UniqueConstraint('org_number', name=op.f('uq_organisation_org_number'))
    )
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_name'), ['name'], unique=False)

    op.create_table('outbound_email',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('to', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbound_email'))
    )
    with op.batch_alter_table('outbound_email', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbound_email_to'), ['to'], unique=False)

    op.create_table('project_call',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('requirements', sa.Text(), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('max_per_project', sa.BigInteger(), nullable=True),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('criteria', sa.JSON(), nullable=False),
    sa.Column('state', sa.Enum('draft', 'open', 'closed', 'decided', name='callstate', native_enum=False, length=30), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=254), nullable=False),
    sa.ForeignKeyConstraint(['line_id'], ['line.id'], name=op.f('fk_project_call_line_id_line')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_call'))
    )
    with op.batch_alter_table('project_call', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_call_line_id'), ['line_id'], unique=False)

    op.create_table('application',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('draft', 'submitted', 'under_review', 'returned', 'granted', 'partly_granted', 'rejected', 'withdrawn', name='applicationstate', native_enum=False, length=30), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('background', sa.Text(), nullable=False),
    sa.Column('aim', sa.Text(), nullable=False),
    sa.Column('target_group', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=300), nullable=False),
    sa.Column('partners', sa.JSON(), nullable=False),
    sa.Column('user_participation', sa.Text(), nullable=False),
    sa.Column('long_term_plan', sa.Text(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('indicators', sa.JSON(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('proposed_amount', sa.BigInteger(), nullable=True),
    sa.Column('return_message', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['call_id'], ['project_call.id'], name=op.f('fk_application_call_id_project_call')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_application_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_application_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application'))
    )
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_state'), ['state'], unique=False)

    op.create_table('call_goal_area',
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('goal_area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['project_call.id'], name=op.f('fk_call_goal_area_call_id_project_call'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['goal_area_id'], ['goal_area.id'], name=op.f('fk_call_goal_area_goal_area_id_goal_area')),
    sa.PrimaryKeyConstraint('call_id', 'goal_area_id', name=op.f('pk_call_goal_area'))
    )
    op.create_table('application_budget_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('category', sa.Enum('staff', 'training', 'material', 'other', name='budgetcategory', native_enum=False, length=30), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_application_budget_line_application_id_application'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_budget_line'))
    )
    with op.batch_alter_table('application_budget_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_budget_line_application_id'), ['application_id'], unique=False)

    op.create_table('application_goal_area',
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('goal_area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_application_goal_area_application_id_application'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['goal_area_id'], ['goal_area.id'], name=op.f('fk_application_goal_area_goal_area_id_goal_area')),
    sa.PrimaryKeyConstraint('application_id', 'goal_area_id', name=op.f('pk_application_goal_area'))
    )
    op.create_table('application_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_application_version_application_id_application'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_version')),
    sa.UniqueConstraint('application_id', 'version', name=op.f('uq_application_version_application_id_version'))
    )
    with op.batch_alter_table('application_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_version_application_id'), ['application_id'], unique=False)

    op.create_table('attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('storage_name', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_attachment_application_id_application'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_attachment_uploaded_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment')),
    sa.UniqueConstraint('storage_name', name=op.f('uq_attachment_storage_name'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_application_id'), ['application_id'], unique=False)

    op.create_table('review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_review_application_id_application'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['user.id'], name=op.f('fk_review_reviewer_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review')),
    sa.UniqueConstraint('application_id', 'reviewer_id', name=op.f('uq_review_application_id_reviewer_id'))
    )
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_application_id'), ['application_id'], unique=False)

    op.create_table('decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Enum('granted', 'partly_granted', 'rejected', name='decisionoutcome', native_enum=False, length=30), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('conditions', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('body', sa.String(length=200), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('paragraph', sa.String(length=40), nullable=False),
    sa.Column('diary_number', sa.String(length=60), nullable=False),
    sa.Column('decided_by', sa.String(length=254), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_decision_application_id_application')),
    sa.ForeignKeyConstraint(['call_id'], ['project_call.id'], name=op.f('fk_decision_call_id_project_call')),
    sa.ForeignKeyConstraint(['grant_id'], ['grant.id'], name=op.f('fk_decision_grant_id_grant'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision')),
    sa.UniqueConstraint('application_id', name=op.f('uq_decision_application_id')),
    sa.UniqueConstraint('call_id', 'sequence', name=op.f('uq_decision_call_id_sequence'))
    )
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_call_id'), ['call_id'], unique=False)

    with op.batch_alter_table('grant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('application_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_grant_application_id'), ['application_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_grant_application_id_application'), 'application', ['application_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('email_confirmed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_user_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_user_organisation_id_organisation'), 'organisation', ['organisation_id'], ['id'], ondelete='SET NULL')
    # Accounts made before e-mail confirmation existed were made by an administrator: trusted.
    op.execute('UPDATE "user" SET email_confirmed_at = created_at WHERE email_confirmed_at IS NULL')


def downgrade():
    
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_user_organisation_id_organisation'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_user_organisation_id'))
        batch_op.drop_column('email_confirmed_at')
        batch_op.drop_column('organisation_id')

    with op.batch_alter_table('grant', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_grant_application_id_application'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_grant_application_id'))
        batch_op.drop_column('application_id')

    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_call_id'))

    op.drop_table('decision')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_application_id'))

    op.drop_table('review')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_application_id'))

    op.drop_table('attachment')
    with op.batch_alter_table('application_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_version_application_id'))

    op.drop_table('application_version')
    op.drop_table('application_goal_area')
    with op.batch_alter_table('application_budget_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_budget_line_application_id'))

    op.drop_table('application_budget_line')
    op.drop_table('call_goal_area')
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_state'))
        batch_op.drop_index(batch_op.f('ix_application_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_application_call_id'))

    op.drop_table('application')
    with op.batch_alter_table('project_call', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_call_line_id'))

    op.drop_table('project_call')
    with op.batch_alter_table('outbound_email', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbound_email_to'))

    op.drop_table('outbound_email')
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_name'))

    op.drop_table('organisation')

