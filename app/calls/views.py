"""Coordinators\x27 pages of the project call."""
