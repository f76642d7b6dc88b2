"""Working off report jobs: the worker's own unit of work, which commits the claim, each
step's progress and the end, and hands new jobs to whoever builds them.

Where a job is built:
- `REDIS_URL` set (`REPORT_QUEUE=rq`): its id goes to an RQ queue and `flask jobs work` runs
  RQ's worker;
- else the `report_job` table is the queue and `flask jobs work` polls it;
- with `REPORT_JOBS_IN_THREAD` (on by default in development only, where nobody starts a
  worker), the web process builds it in a background thread after answering.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from flask import Flask, current_app
from redis import Redis
from rq import Queue, SimpleWorker

from app.core.errors import DomainError
from app.extensions import db
from app.jobs import kinds, queue
from app.jobs.models import ReportJob
from app.web.messages import sentence

log = logging.getLogger(__name__)

#: What a job that broke unexpectedly says; the traceback goes to the worker's log.
UNEXPECTED = ("Rapporten kunde inte skapas på grund av ett oväntat fel. Felet har loggats; "
              "försök igen om en stund.")


def run(job: ReportJob) -> None:
    """Build a claimed job's report, committing its claim, its progress and its end."""
    job_id = job.id
    db.session.commit()  # the claim: the page now shows it running

    def progress(percent: int) -> None:
        queue.set_progress(job, percent)
        db.session.commit()

    try:
        built = kinds.build(job.kind, dict(job.parameters), progress)
    except DomainError as exc:
        _fail(job_id, sentence(exc))
    except Exception:
        log.exception("report job %s (%s) failed", job_id, job.kind)
        _fail(job_id, UNEXPECTED)
    else:
        queue.finish(job, built)
        db.session.commit()


def _fail(job_id: int, message: str) -> None:
    db.session.rollback()
    queue.fail(db.session.get(ReportJob, job_id), message)
    db.session.commit()


def work_one() -> ReportJob | None:
    """Claim the oldest queued job from the table and build it; None when none waits."""
    job = queue.claim()
    if job is None:
        db.session.rollback()
        return None
    run(job)
    return job


def perform(job_id: int) -> None:
    """Build one job by its id (what RQ's worker and the web process's thread call)."""
    job = queue.claim(job_id)
    if job is None:  # already taken, or gone
        db.session.rollback()
        return
    run(job)
    db.session.remove()


def work_table(*, burst: bool, poll_seconds: float,
               keep_going: Callable[[], bool] = lambda: True) -> int:
    """Work off the table's queue, waiting `poll_seconds` when it is empty; with `burst`
    stop when it is. Return how many jobs were built."""
    done = 0
    while keep_going():
        job = work_one()
        db.session.remove()
        if job is not None:
            done += 1
            continue
        if burst:
            break
        time.sleep(poll_seconds)
    return done


def rq_queue(app: Flask) -> Queue:
    """Return the RQ queue of report jobs named by the settings."""
    return Queue(app.config["REPORT_QUEUE_NAME"],
                 connection=Redis.from_url(app.config["REDIS_URL"]))


def work_rq(*, burst: bool) -> None:
    """Run RQ's worker on the report queue, in this process and its application context
    (SimpleWorker: a forked child would share the database connections of its parent)."""
    jobs = rq_queue(current_app)
    SimpleWorker([jobs], connection=jobs.connection).work(burst=burst)


def uses_rq(app: Flask) -> bool:
    return app.config.get("REPORT_QUEUE") == "rq"


def dispatch(app: Flask, job_id: int) -> None:
    """Hand a committed job to whoever builds it (called once the request has committed)."""
    if uses_rq(app):
        try:
            rq_queue(app).enqueue(perform, job_id, job_timeout=app.config["REPORT_JOB_TIMEOUT"],
                                  result_ttl=0)
        except Exception:  # Redis is down: say so on the job's page rather than wait forever
            log.exception("could not queue report job %s on Redis", job_id)
            with app.app_context():
                job = queue.claim(job_id)
                if job is not None:
                    queue.fail(job, "Rapportkön svarar inte just nu. Försök igen om en stund.")
                    db.session.commit()
        return
    if app.config.get("REPORT_JOBS_IN_THREAD"):
        threading.Thread(target=_perform_in_thread, args=(app, job_id), daemon=True,
                         name=f"report-job-{job_id}").start()
    # Otherwise the job waits in the table for `flask jobs work`.


def _perform_in_thread(app: Flask, job_id: int) -> None:
    with app.app_context():
        perform(job_id)
