"""The applicant's side of project follow-up."""

from app.projects import bp  # noqa: F401
