"""What one area tells the areas above it without knowing them: a lower area sends, a higher
one listens (blinker's signals, which Flask itself uses).

`year_closed` is sent by the ledger inside the operation that closes a year, before its flush
is committed: a receiver's changes are part of the same unit of work and roll back with it. A
receiver returns a short Swedish text of what it did (or None), which the sender adds to the
year's audit entry.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: sent as year_closed.send(year, actor=actor) when a year has been closed
year_closed = _signals.signal("year-closed")


def done_by_receivers(results: list[tuple[object, object]]) -> list[str]:
    """The texts the receivers of a signal returned, in order, leaving out the silent ones."""
    return [str(text) for _receiver, text in results if text]
