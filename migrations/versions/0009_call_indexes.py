"""Indexes for the call's lists and the audit log, so a page reads only its own rows.

The review list pages a call's applications by (submitted_at, id); its totals count and sum
them by state from indexes alone (the applications', and the budget lines' with the amount);
"Mina ansökningar" pages an organisation's by (created_at, id); the audit log pages by
(at, id), also within a year or an action. Each composite index replaces the single-column
index that is its head.

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-01 16:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.create_index('ix_application_call_submitted',
                              ['call_id', 'submitted_at', 'id'], unique=False)
        batch_op.create_index('ix_application_call_state',
                              ['call_id', 'state', 'submitted_at', 'id', 'proposed_amount'],
                              unique=False)
        batch_op.create_index('ix_application_organisation_created',
                              ['organisation_id', 'created_at', 'id'], unique=False)
        batch_op.drop_index('ix_application_call_id')
        batch_op.drop_index('ix_application_organisation_id')
    with op.batch_alter_table('application_budget_line', schema=None) as batch_op:
        batch_op.create_index('ix_application_budget_line_amount', ['application_id', 'amount'],
                              unique=False)
        batch_op.drop_index('ix_application_budget_line_application_id')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entry_at_id', ['at', 'id'], unique=False)
        batch_op.create_index('ix_audit_entry_year_at', ['year', 'at', 'id'], unique=False)
        batch_op.create_index('ix_audit_entry_action_at', ['action', 'at', 'id'], unique=False)
        batch_op.drop_index('ix_audit_entry_at')
        batch_op.drop_index('ix_audit_entry_year')
        batch_op.drop_index('ix_audit_entry_action')


def downgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entry_action', ['action'], unique=False)
        batch_op.create_index('ix_audit_entry_year', ['year'], unique=False)
        batch_op.create_index('ix_audit_entry_at', ['at'], unique=False)
        batch_op.drop_index('ix_audit_entry_action_at')
        batch_op.drop_index('ix_audit_entry_year_at')
        batch_op.drop_index('ix_audit_entry_at_id')
    with op.batch_alter_table('application_budget_line', schema=None) as batch_op:
        batch_op.create_index('ix_application_budget_line_application_id', ['application_id'],
                              unique=False)
        batch_op.drop_index('ix_application_budget_line_amount')
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.create_index('ix_application_organisation_id', ['organisation_id'], unique=False)
        batch_op.create_index('ix_application_call_id', ['call_id'], unique=False)
        batch_op.drop_index('ix_application_organisation_created')
        batch_op.drop_index('ix_application_call_state')
        batch_op.drop_index('ix_application_call_submitted')
