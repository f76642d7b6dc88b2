"""Is the cycle collector paused while a report is built, and on again after, however the
builds nest or overlap?"""

from __future__ import annotations

import gc
import threading

import pytest

from app.core import collector
from app.core.collector import collector_paused


def test_the_collector_is_paused_inside_and_on_again_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer build still runs
    assert gc.isenabled()


def test_a_build_that_fails_turns_the_collector_on_again():
    @collector_paused()
    def build():
        assert not gc.isenabled()
        raise ValueError("no report")

    with pytest.raises(ValueError):
        build()
    assert gc.isenabled()


def test_overlapping_builds_in_two_threads_share_one_pause():
    """The first build to end must not turn the collector on under the other."""
    started, first_done = threading.Event(), threading.Event()
    seen: list[bool] = []

    def second():
        with collector_paused():
            started.set()
            first_done.wait(5)
            seen.append(gc.isenabled())

    with collector_paused():
        thread = threading.Thread(target=second)
        thread.start()
        started.wait(5)
    first_done.set()
    thread.join(5)
    assert seen == [False]
    assert gc.isenabled()


def test_a_collector_turned_off_before_stays_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_works_that_keep_overlapping_collect_once_the_pause_is_long(monkeypatch):
    """A web worker serving reports to many at once keeps the pause on while they overlap: a
    work starting after LONGEST_PAUSE runs one collection first, so cycles wait no longer."""
    collections = []
    monkeypatch.setattr(collector.gc, "collect", lambda *a: collections.append(1) or 0)
    clock = [1000.0]
    monkeypatch.setattr(collector.time, "monotonic", lambda: clock[0])
    with collector.collector_paused():
        with collector.collector_paused():
            assert collections == []  # within the pause's first seconds: none
        clock[0] += collector.LONGEST_PAUSE + 1
        with collector.collector_paused():
            assert collections == [1]
        with collector.collector_paused():
            assert collections == [1]  # the clock starts again from that collection
