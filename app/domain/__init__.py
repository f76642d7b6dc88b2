"""The rules of the money, in plain Python: no Flask, no SQLAlchemy."""
