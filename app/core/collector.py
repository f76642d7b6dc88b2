"""Work that makes millions of objects at once (a report of thousands of rows), with Python's
cycle collector paused while it runs.

The collector runs a full collection after every so many new objects, and each one walks
every object alive. A report's objects (rows read, paragraphs, the pages laid out) stay alive
until it is done, so each collection walked a heap grown with the report: a report of n rows
cost about n² in collections, a third of the time of a follow-up of 5 000 grants (and more on
PostgreSQL, whose driver makes more objects a row). Those objects are freed by their reference
counts (the ORM's, ReportLab's and openpyxl's hold few cycles), so pausing costs next to no
memory; the collector runs again once the last such work in the process has ended. Works that
keep overlapping (a web worker serving reports to many at once) would keep it paused for as
long as they overlap: a work that starts when the pause has lasted `LONGEST_PAUSE` seconds
runs one collection first, so the cycles that do arise wait at most that long.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

LONGEST_PAUSE = 10.0  # seconds

_lock = threading.Lock()
_running = 0  # such works running now, in any thread
_enabled_before = False
_paused_at = 0.0  # time.monotonic() when the pause began or last collected


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector while the block runs (also as a decorator); nested and
    concurrent blocks share one pause, which ends with the last of them."""
    global _running, _enabled_before, _paused_at
    collect = False
    with _lock:
        if _running == 0:
            _enabled_before = gc.isenabled()
            gc.disable()
            _paused_at = time.monotonic()
        elif _enabled_before and time.monotonic() - _paused_at > LONGEST_PAUSE:
            _paused_at, collect = time.monotonic(), True
        _running += 1
    if collect:
        gc.collect()
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0 and _enabled_before:
                gc.enable()
