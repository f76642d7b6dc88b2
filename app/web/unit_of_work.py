"""One commit per request, in one place.

A view loads, authorises and calls operations, which flush and never commit. When the view
has answered with a success (2xx or a redirect), the request's changes are committed here
and the e-mail they queued is sent; on an error status, an exception or a refused operation
the whole request is rolled back, so a refusal never leaves half a change behind.
"""

from __future__ import annotations

from flask import Flask, Response, flash, g, request

from app.core import mail
from app.core.errors import DomainError
from app.extensions import db
from app.web.messages import sentence
from app.web.outage import DATABASE_FREE_ENDPOINTS


def init_app(app: Flask) -> None:
    """Commit or roll back at the end of every request."""
    app.after_request(_finish)
    app.teardown_request(_roll_back_after_exception)


def abandon() -> None:
    """Roll back what the request has done, and commit nothing it does after."""
    db.session.rollback()
    g.uow_refused = True


def refuse(error: DomainError, form=None, field: str | None = None) -> None:
    """Roll the request back and show a refused operation's message: at the field of `form`
    the error names (`error.field`, else `field`), else in the form's summary, else as a
    flashed message."""
    abandon()
    text = sentence(error)
    if form is None:
        flash(text, "error")
        return
    place = form.field_for(error.field) or (field if field is not None and field in form
                                             else None)
    if place is not None:
        form[place].errors = [*form[place].errors, text]
    else:
        form.form_errors.append(text)


def checkpoint() -> None:
    """Commit what the request has done so far and start afresh.

    Only for a view that deliberately keeps a first change even when a second one is refused
    (the applicant's draft is saved even if the submission that follows is refused)."""
    db.session.commit()


def _finish(response: Response) -> Response:
    # A commit that fails because the database has gone raises: the 500 handler turns it
    # into the 503 page (app/web/outage.py), and the teardown rolls the request back.
    if request.endpoint in DATABASE_FREE_ENDPOINTS:
        return response  # the probes and the stylesheet have nothing to commit or send
    if response.status_code >= 400 or g.get("uow_refused"):
        db.session.rollback()
        return response
    db.session.commit()
    if mail.deliver_pending():
        db.session.commit()  # marks what was sent: a second, separate change
    return response


def _roll_back_after_exception(error: BaseException | None) -> None:
    if error is not None:
        db.session.rollback()
