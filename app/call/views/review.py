"""Coordinators' pages of the review of one application: the application as submitted, taking
it under review, returning it for completion, my assessment and the proposed amount."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.call import queries
from app.call import review as review_service
from app.call.forms import ProposalForm, ReturnForm, assessment_form
from app.call.models import Application
from app.call.rules import DECIDED_STATES, ApplicationState, was_sent_in
from app.call.views import bp
from app.core.errors import DomainError
from app.extensions import db
from app.ledger.forms import ConfirmForm
from app.web.access import coordinator_required, current_actor, staff_required
from app.web.unit_of_work import refuse

A = ApplicationState


def application_or_404(application_id: int) -> Application:
    """Load an application sent in to the call; 404 for a draft, which is its applicants' own
    until they send it."""
    application = db.get_or_404(Application, application_id)
    if not was_sent_in(application):
        abort(404)
    return application


def back_to(application: Application):
    """Redirect to the application's review page."""
    return redirect(url_for("calls.application", application_id=application.id))


@bp.get("/applications/<int:application_id>")
@staff_required
def application(application_id: int):
    """Show an application as submitted, what changed after a return, and its assessments."""
    application = application_or_404(application_id)
    return render_template(
        "call/application.html", page=queries.review_page(application), application=application,
        call=application.call, decided=application.state in DECIDED_STATES, A=A,
        confirm=ConfirmForm(),
    )


@bp.post("/applications/<int:application_id>/start")
@coordinator_required
def start_review(application_id: int):
    """Take a submitted application under review."""
    application = application_or_404(application_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        review_service.start_review(application.id, current_actor())
    except DomainError as exc:
        refuse(exc)
    else:
        flash(_("Ansökan är under bedömning."), "success")
    return back_to(application)


@bp.route("/applications/<int:application_id>/return", methods=["GET", "POST"])
@coordinator_required
def return_application(application_id: int):
    """Send an application back for completion, with a message to its applicants."""
    application = application_or_404(application_id)
    form = ReturnForm()
    if form.validate_on_submit():
        try:
            review_service.return_for_completion(application.id, form.message.data,
                                                 current_actor())
        except DomainError as exc:
            refuse(exc, form=form)
        else:
            flash(_("Ansökan är återsänd för komplettering; de sökande har fått e-post."),
                  "success")
            return back_to(application)
    return render_template("call/return.html", form=form, application=application), \
        422 if form.errors else 200


@bp.route("/applications/<int:application_id>/assessment", methods=["GET", "POST"])
@coordinator_required
def assess(application_id: int):
    """Record or change my assessment: a score per criterion and a comment."""
    application = application_or_404(application_id)
    criteria = list(application.call.criteria or [])
    mine = queries.review_of(application.id, current_user.id)
    data = None
    if mine is not None:
        data = {"comment": mine.comment,
                **{f"score_{i}": mine.scores.get(c) for i, c in enumerate(criteria)}}
    form = assessment_form(criteria, data)
    if form.validate_on_submit():
        scores = {c: form[f"score_{i}"].data for i, c in enumerate(criteria)}
        try:
            review_service.record_review(application.id, current_user.id, scores,
                                         form.comment.data, current_actor())
        except DomainError as exc:
            refuse(exc, form=form)
        else:
            flash(_("Din bedömning är sparad."), "success")
            return back_to(application)
    return render_template("call/assess.html", form=form, application=application), \
        422 if form.errors else 200


@bp.route("/applications/<int:application_id>/proposal", methods=["GET", "POST"])
@coordinator_required
def propose(application_id: int):
    """Set the amount proposed for an application (empty clears it)."""
    application = application_or_404(application_id)
    form = ProposalForm(data={"amount": application.proposed_amount})
    if form.validate_on_submit():
        try:
            review_service.set_proposed_amount(application.id, form.amount.data, current_actor())
        except DomainError as exc:
            refuse(exc, form=form)
        else:
            flash(_("Förslaget är sparat."), "success")
            return back_to(application)
    return render_template("call/propose.html", form=form, application=application), \
        422 if form.errors else 200
