"""The `stimulansmedel/1` exchange format (spec/import-format.md): what a document holds
(schema), reading and checking one without the database (yaml_text, reading), writing one
(writing), and moving the ledger in and out of it (importing, an operation; exporting, a
query)."""
