"""Year-end reports: each fund's follow-up and budget read from the ledger (queries, data),
laid out once (document) and written as PDF, CSV or Excel; downloads names and renders them."""
