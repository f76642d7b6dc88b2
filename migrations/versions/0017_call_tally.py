"""The kept sums of each call's applications (issue 14): per call, state and goal area (0 for
all of them) the number of applications sent in, what they propose and what their budgets
apply for, filled from the applications there are.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 21:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

_SENT = """
    FROM application a {join}
    WHERE a.state <> 'draft' AND a.submitted_at IS NOT NULL
    GROUP BY a.call_id, a.state{area}"""
_SUMS = """count(*), sum(coalesce(a.proposed_amount, 0)),
    sum(coalesce((SELECT sum(b.amount) FROM application_budget_line b
                  WHERE b.application_id = a.id), 0))"""


def upgrade():
    op.create_table(
        'call_tally',
        sa.Column('call_id', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=30), nullable=False),
        sa.Column('goal_area_id', sa.Integer(), nullable=False),
        sa.Column('applications', sa.Integer(), nullable=False),
        sa.Column('proposed', sa.BigInteger(), nullable=False),
        sa.Column('applied', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['call_id'], ['project_call.id'],
                                name=op.f('fk_call_tally_call_id_project_call'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('call_id', 'state', 'goal_area_id',
                                name=op.f('pk_call_tally')),
    )
    op.execute(
        "INSERT INTO call_tally (call_id, state, goal_area_id, applications, proposed, applied) "
        f"SELECT a.call_id, a.state, 0, {_SUMS} {_SENT.format(join='', area='')} "
        f"UNION ALL SELECT a.call_id, a.state, g.goal_area_id, {_SUMS} "
        + _SENT.format(join="JOIN application_goal_area g ON g.application_id = a.id",
                       area=", g.goal_area_id"))


def downgrade():
    op.drop_table('call_tally')
