"""The formats a report is rendered in: PDF, CSV, Excel and HTML."""
