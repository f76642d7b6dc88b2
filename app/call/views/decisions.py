"""Coordinators' pages of the decisions: deciding an application, and a call's decision log
as a page, a download and a PDF "Beslutsunderlag"."""

from __future__ import annotations

from flask import flash, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import select_locale
from app.call import decision_log, pool
from app.call import decisions as decision_service
from app.call.forms import DecisionForm
from app.call.models import Call
from app.call.rules import ApplicationState
from app.call.views import bp
from app.call.views.review import application_or_404, back_to
from app.core.errors import DomainError
from app.extensions import db
from app.jobs.kinds import DECISIONS_PDF
from app.jobs.views.delivery import report_response
from app.web.access import coordinator_required, current_actor, staff_required
from app.web.exports import DATE, MONEY, NUMBER, Column, export_response
from app.web.unit_of_work import refuse

PER_PAGE = 50
DECISION_COLUMNS = [
    Column(_l("Nr"), lambda d: d.sequence, NUMBER, 6),
    Column(_l("Datum"), lambda d: d.decided_on, DATE, 12),
    Column(_l("Organ"), lambda d: d.body, width=14),
    Column(_l("Paragraf"), lambda d: d.paragraph, width=10),
    Column(_l("Diarienummer"), lambda d: d.diary_number, width=18),
    Column(_l("Ansökan"), lambda d: d.title, width=40),
    Column(_l("Organisation"), lambda d: d.organisation, width=30),
    Column(_l("Beslut"), lambda d: d.outcome.label, width=18),
    Column(_l("Villkor eller skäl"), lambda d: d.conditions or d.reason, width=40),
    Column(_l("Belopp"), lambda d: d.amount, MONEY, 14),
]


@bp.route("/applications/<int:application_id>/decide", methods=["GET", "POST"])
@coordinator_required
def decide(application_id: int):
    """Decide an application under review: grant, grant in part, or reject."""
    application = application_or_404(application_id)
    if application.state is not ApplicationState.UNDER_REVIEW:
        flash(_("Bara en ansökan som är under bedömning kan beslutas."), "error")
        return back_to(application)
    form = DecisionForm(data={"amount": application.proposed_amount})
    if form.validate_on_submit():
        try:
            decision_service.decide(
                application.id, form.outcome.data, form.amount.data, form.conditions.data,
                form.reason.data, form.body.data, form.decided_on.data, form.paragraph.data,
                form.diary_number.data, current_actor())
        except DomainError as exc:
            refuse(exc, form=form)
        else:
            flash(_("Beslutet är registrerat."), "success")
            return back_to(application)
    summary = pool.pool_summary(application.call)
    return render_template("call/decide.html", form=form, application=application,
                           summary=summary), 422 if form.errors else 200


@bp.get("/<int:call_id>/decisions")
@staff_required
def decisions(call_id: int):
    """List a call's decisions in order, a page at a time, with the totals of all (or download
    the whole list)."""
    call = db.get_or_404(Call, call_id)
    if request.args.get("format"):
        return export_response(f"utlysning-{call.id}-beslut", DECISION_COLUMNS,
                               decision_log.decision_log(call).decisions, request.args["format"],
                               title=_("Beslut"))
    page, totals = decision_log.decision_page(call, after=request.args.get("after", type=int),
                                         before=request.args.get("before", type=int),
                                         per_page=PER_PAGE)
    return render_template("call/decisions.html", call=call, page=page, totals=totals)


@bp.get("/<int:call_id>/decisions.pdf")
@staff_required
def decisions_pdf(call_id: int):
    """Send the decision log as a PDF "Beslutsunderlag" (a long one is built by a worker:
    the person is sent to its progress page)."""
    call = db.get_or_404(Call, call_id)
    return report_response(DECISIONS_PDF, {"call_id": call.id, "lang": select_locale()})
