"""Two-factor secrets are kept encrypted (sealed with SEALING_KEYS, else a key derived from
SECRET_KEY): the column grows to hold the sealed text, and the secrets stored open are
sealed.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 22:00:00

"""
from alembic import op
import sqlalchemy as sa

from app.core.types import SEALED, seal, unseal


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

_user = sa.table('user', sa.column('id', sa.Integer), sa.column('totp_secret', sa.String))


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=64),
                              type_=sa.String(length=255), existing_nullable=True)
    connection = op.get_bind()
    open_secrets = connection.execute(
        sa.select(_user.c.id, _user.c.totp_secret).where(
            _user.c.totp_secret.is_not(None), ~_user.c.totp_secret.startswith(SEALED))).all()
    for user_id, secret in open_secrets:
        connection.execute(_user.update().where(_user.c.id == user_id)
                           .values(totp_secret=seal(secret)))


def downgrade():
    connection = op.get_bind()
    sealed = connection.execute(
        sa.select(_user.c.id, _user.c.totp_secret).where(
            _user.c.totp_secret.startswith(SEALED))).all()
    for user_id, secret in sealed:
        connection.execute(_user.update().where(_user.c.id == user_id)
                           .values(totp_secret=unseal(secret)))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=255),
                              type_=sa.String(length=64), existing_nullable=True)
