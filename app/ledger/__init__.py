"""The ledger of the funds: earmarks, goal areas, allocations, lines, grants, payments and
requisitions, closing years, and the exchange format.

models.py the tables and LedgerAction; rules.py the money's rules in plain Python (a payment
may not exceed its grant: check_payment); guards.py what every change checks first; lines.py,
payments.py, years.py, earmarks.py and exchange/importing.py the operations (they flush and
audit, never commit); queries.py, project_money.py, overview.py, checks.py and
exchange/exporting.py the reading; views/ the pages (payments: views/payments.py).
"""

from app.ledger.allocations import models as _budget_versions  # noqa: E402,F401  (their tables)
