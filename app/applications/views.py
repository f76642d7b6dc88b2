"""Applicants\x27 pages."""
