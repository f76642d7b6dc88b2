"""Accounts: users and roles, applicant organisations, logging in, registration and invitations."""
