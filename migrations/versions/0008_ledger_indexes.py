"""Indexes for the ledger's pages: a call's projects in order, one grant's attested money, the
payments list by state and date, an allocation's lines in order, what is carried into a year,
and a grant's reports by state (issue 14: pages whose time does not grow with the data).

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-01 16:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_line_allocation_id_position", "line", ["allocation_id", "position"]),
    ("ix_grant_line_id_position", "grant", ["line_id", "position", "id"]),
    ("ix_carry_over_to_year", "carry_over", ["to_year"]),
    ("ix_payment_grant_id_state", "payment", ["grant_id", "state"]),
    ("ix_payment_state_paid_on", "payment", ["state", "paid_on", "id"]),
    ("ix_project_report_grant_id_state", "project_report", ["grant_id", "state"]),
]


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade():
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
