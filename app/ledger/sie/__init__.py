"""Payments out to the region's accounting system as SIE 4 files (docs/sie.md).

writer.py the file itself (pure: rows in, bytes out); rules.py what an account, a cost object
and a period may be; models.py the tables (their audit actions are LedgerAction's SIE_*
members); accounts.py an administrator's settings (the region, the bank account, each
earmark's accounts and objects); exports.py exporting a period and making an earlier export
again; forms.py the coordinators' forms; cli.py `flask payments sie`.
"""
