"""`flask jobs work` and `flask jobs purge` (registered by app/cli.py)."""

from __future__ import annotations

import signal

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db

jobs_cli = AppGroup("jobs", help="Rapporter som skapas i bakgrunden.")


@jobs_cli.command("work")
@click.option("--burst", is_flag=True, help="Sluta när kön är tom (annars väntar den på fler).")
@click.option("--poll", "poll_seconds", type=float, default=None,
              help="Sekunder mellan varje titt i en tom kö (databasen som kö).")
def work_command(burst: bool, poll_seconds: float | None) -> None:
    """Build the queued reports: RQ's worker when REDIS_URL is set, else poll the table."""
    from app.jobs import worker

    if worker.uses_rq(current_app):
        click.echo(f"Arbetar med kön {current_app.config['REPORT_QUEUE_NAME']!r} på Redis.")
        worker.work_rq(burst=burst)
        return
    stopping = []
    # A stop from the service manager ends the loop after the report being built.
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    click.echo("Arbetar med kön i databasen.")
    try:
        done = worker.work_table(
            burst=burst, poll_seconds=poll_seconds or current_app.config["REPORT_POLL_SECONDS"],
            keep_going=lambda: not stopping)
    except KeyboardInterrupt:
        db.session.rollback()
        return
    click.echo(f"Klart: {done} rapporter skapade.")


@jobs_cli.command("purge")
def purge_command() -> None:
    """Delete the reports finished over a day ago; fail the ones whose worker died."""
    from app.jobs import queue

    deleted, failed = queue.purge()
    db.session.commit()
    click.echo(f"Tog bort {deleted} gamla rapporter; {failed} avbrutna markerade som misslyckade.")
