"""Following granted projects: project reports, their review, and closing a project."""
