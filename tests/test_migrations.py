"""Do the Alembic migrations build exactly the schema the models describe, both ways?"""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app.extensions import db


def test_the_migrated_schema_matches_the_models(ctx):
    """Would `flask db migrate` find nothing to add? (A model change without a migration fails.)"""
    with db.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert differences == []


def test_migrations_go_down_and_up_again(app):
    """Can every migration be undone and redone, leaving the seeded earmarks in place?"""
    from tests.conftest import reset_database

    with app.app_context():
        db.session.remove()
        downgrade(revision="base")
        upgrade()
        codes = db.session.scalars(db.text("SELECT code FROM earmark ORDER BY sort_order")).all()
        db.session.remove()
    assert codes == ["brukarmiljonen", "samverkan", "suicidprevention"]
    reset_database(app)
