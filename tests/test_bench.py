"""Does the benchmark still run? Its smallest path, on a throw-away SQLite file; not timed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_benchmark_runs_its_smallest_path_and_ends_with_its_figures_as_json():
    # Never the suite's own database: the benchmark empties the one DATABASE_URL names.
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "TEST_DATABASE_URL")}
    done = subprocess.run(
        [sys.executable, "bench/run.py", "--small-only", "--no-load", "--small", "3",
         "--runs", "1", "--report-grants", "5", "--import-grants", "5"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    pages = figures["pages"]["small"]
    assert {name: page["status"] for name, page in pages.items()} == {
        name: 200 for name in pages}, "every page of the table answers 200"
    assert "dashboard" in pages and pages["dashboard"]["queries"] > 0
    assert figures["reports"]["follow-up PDF, 5 grants"]["pages"] >= 1
    assert "error" not in figures["reports"]["import, 5 grants"]
    assert "page" in done.stdout and "queries small" in done.stdout
