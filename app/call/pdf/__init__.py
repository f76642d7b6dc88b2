"""The call's PDFs: an application as the coordinators read it, and a call's decision log."""
