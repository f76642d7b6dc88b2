"""Coordinators' pages of the project call: calls, review, decisions, the decision log and
organisations.

Every view loads, authorises, then acts through a service; a change is committed once, the
e-mails it queued are delivered, and the answer is a redirect. A refusal of the service
(DomainError) is shown on the form with everything typed kept.
"""

from __future__ import annotations

from io import BytesIO

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from app.accounts.models import ORGANISATION_KIND_LABELS, Organisation, User
from app.call.organisations import merge_organisations
from app.call import calls as call_service
from app.call import decisions as decision_service
from app.call import review as review_service
from app.call.decision_log_pdf import build_decision_log_pdf
from app.call.forms import (
    CallForm,
    DecisionForm,
    MergeForm,
    ProposalForm,
    ReturnForm,
    assessment_form,
)
from app.call.models import Application, Call, Decision, Review
from app.call.rules import (
    CALL_TRANSITIONS,
    DECIDED_STATES,
    ApplicationState,
    CallState,
)
from app.call.views import bp
from app.core.errors import DomainError
from app.extensions import db
from app.ledger.forms import ConfirmForm
from app.web.access import coordinator_required, current_actor, staff_required
from app.web.exports import DATE, MONEY, NUMBER, Column, export_response
from app.web.messages import sentence
from app.web.unit_of_work import abandon

A = ApplicationState
# The buttons that move a call, in the order of its life, with what the confirmation says.
CALL_ACTIONS = {
    CallState.OPEN: (_l("Öppna utlysningen"), _l(
        "Utlysningen blir synlig för sökande och tar emot ansökningar mellan öppnings- och "
        "stängningstiden.")),
    CallState.CLOSED: (_l("Stäng utlysningen"), _l("Inga fler ansökningar kan skickas in.")),
    CallState.DECIDED: (_l("Markera som beslutad"),
                        _l("Utlysningen markeras som färdigbeslutad.")),
}


def _done(endpoint: str, message: str | None = None, **values):
    """Commit the request's one change, send its e-mails, and redirect."""
    if message:
        flash(message, "success")
    return redirect(url_for(endpoint, **values))


def _application_or_404(application_id: int) -> Application:
    application = db.get_or_404(Application, application_id)
    if application.state is A.DRAFT:
        abort(404)  # a draft is the applicants' own until they send it
    return application


# --- calls ---------------------------------------------------------------------------------

CALL_COLUMNS = [
    Column(_l("Utlysning"), lambda c: c.title, width=40),
    Column(_l("Pott"), lambda c: f"{c.line.allocation.label}: {c.line.activity}", width=50),
    Column(_l("Öppnar"), lambda c: c.opens_at, DATE, 18),
    Column(_l("Stänger"), lambda c: c.closes_at, DATE, 18),
    Column(_l("Status"), lambda c: c.state.label, width=14),
    Column(_l("Pottens storlek"), lambda c: c.line.amount, MONEY, 16),
]


@bp.get("/")
@staff_required
def index():
    """List the calls with their state and pool (or download the list)."""
    calls = call_service.all_calls()
    if request.args.get("format"):
        return export_response("utlysningar", CALL_COLUMNS, calls, request.args["format"],
                               title=_("Utlysningar"))
    return render_template("call/index.html", calls=calls)


def _call_form_page(call: Call | None):
    lines = call_service.call_lines()
    if call is not None and call.line not in lines:
        lines.append(call.line)
    years = sorted({line.allocation.year for line in lines}, reverse=True)
    areas = [a for year in years for a in call_service.goal_areas_of_year(year)]
    form = CallForm(data=CallForm.data_of(call), lines=lines, goal_areas=areas)
    if form.validate_on_submit():
        try:
            if call is None:
                call = call_service.create_call(form.call_input(), current_actor())
            else:
                call_service.update_call(call.id, form.call_input(), current_actor())
        except DomainError as exc:
            abandon()
            form.form_errors.append(sentence(exc))
        else:
            return _done("calls.call", _("Utlysningen är sparad."), call_id=call.id)
    status = 422 if form.errors else 200
    return render_template("call/form.html", form=form, call=call), status


@bp.route("/new", methods=["GET", "POST"])
@coordinator_required
def new():
    """Create a call as a draft."""
    return _call_form_page(None)


@bp.route("/<int:call_id>/edit", methods=["GET", "POST"])
@coordinator_required
def edit(call_id: int):
    """Change a call while it is a draft."""
    call = db.get_or_404(Call, call_id)
    if call.state is not CallState.DRAFT:
        flash(_("Bara en utlysning som är ett utkast kan ändras."), "error")
        return redirect(url_for("calls.call", call_id=call.id))
    return _call_form_page(call)


@bp.route("/<int:call_id>/state/<target>", methods=["GET", "POST"])
@coordinator_required
def change_state(call_id: int, target: str):
    """Ask to open, close or mark a call decided; do it when confirmed."""
    call = db.get_or_404(Call, call_id)
    try:
        state = CallState(target)
    except ValueError:
        abort(404)
    if state not in CALL_ACTIONS:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            call_service.set_state(call.id, state, current_actor())
        except DomainError as exc:
            abandon()
            flash(sentence(exc), "error")
            return redirect(url_for("calls.call", call_id=call.id))
        return _done("calls.call", _("Utlysningen är nu: %(state)s.",
                                     state=state.label), call_id=call.id)
    label, text = CALL_ACTIONS[state]
    return render_template("call/confirm.html", form=form, call=call, heading=label,
                           text=text, back=url_for("calls.call", call_id=call.id))


# --- review --------------------------------------------------------------------------------

def _granted_and_scores(application_ids: list[int]) -> tuple[dict[int, int], dict[int, float]]:
    """Return what each application was granted (decided ones) and its mean score over every
    reviewer's scores, rounded to a tenth (two queries whatever the number)."""
    if not application_ids:
        return {}, {}
    granted = dict(db.session.execute(
        select(Decision.application_id, Decision.amount)
        .where(Decision.application_id.in_(application_ids))
    ).all())
    scores: dict[int, list[int]] = {}
    for application_id, given in db.session.execute(
        select(Review.application_id, Review.scores)
        .where(Review.application_id.in_(application_ids))
    ):
        scores.setdefault(application_id, []).extend(
            v for v in (given or {}).values() if isinstance(v, int))
    means = {a: round(sum(v) / len(v), 1) for a, v in scores.items() if v}
    return granted, means


# The review list as a download: a row is (application, granted, mean score).
APPLICATION_COLUMNS = [
    Column(_l("Organisation"), lambda r: r[0].organisation.name, width=30),
    Column(_l("Projekt"), lambda r: r[0].title, width=44),
    Column(_l("Status"), lambda r: r[0].state.label, width=20),
    Column(_l("Sökt"), lambda r: r[0].amount_applied, MONEY, 16),
    Column(_l("Föreslaget"), lambda r: r[0].proposed_amount, MONEY, 16),
    Column(_l("Beviljat"), lambda r: r[1], MONEY, 16),
    Column(_l("Målområden"), lambda r: [a.name for a in r[0].goal_areas], width=36),
    Column(_l("Poäng"), lambda r: r[2], NUMBER, 10),
]
EXPORT_ALL = 1_000_000  # one page holding every application of the call


@bp.get("/<int:call_id>")
@staff_required
def call(call_id: int):
    """Show a call's pool in total and per goal area, and its applications, filtered.

    `?format=xlsx` or `?format=csv` downloads every application the filters let through.
    """
    call = db.get_or_404(Call, call_id)
    goal_area = request.args.get("goal_area", type=int)
    organisation = request.args.get("organisation", type=int)
    state = request.args.get("state") or None
    fmt = request.args.get("format")
    page = review_service.list_applications(
        call.id, goal_area_id=goal_area, organisation_id=organisation, state=state,
        page=1 if fmt else request.args.get("page", 1, type=int),
        **({"per_page": EXPORT_ALL} if fmt else {}))
    granted, scores = _granted_and_scores([a.id for a in page.items])
    if fmt is not None:
        rows = [(a, granted.get(a.id), scores.get(a.id)) for a in page.items]
        return export_response(f"utlysning-{call.id}-ansokningar", APPLICATION_COLUMNS, rows,
                               fmt, title=call.title)
    filters = {"goal_area": goal_area, "organisation": organisation, "state": state}
    return render_template(
        "call/call.html", call=call, summary=review_service.pool_summary(call), page=page,
        organisations=review_service.organisations_of_call(call.id),
        filters=filters, granted=granted, scores=scores,
        download_filters={k: v for k, v in filters.items() if v},
        states=[s for s in ApplicationState if s is not A.DRAFT],
        actions=[(s, CALL_ACTIONS[s][0]) for s in CALL_ACTIONS
                 if s in CALL_TRANSITIONS[call.state]],
    )


@bp.get("/applications/<int:application_id>")
@staff_required
def application(application_id: int):
    """Show an application as submitted, what changed after a return, and its assessments."""
    application = _application_or_404(application_id)
    page = review_service.review_page(application)
    return render_template(
        "call/application.html", page=page, application=application, call=application.call,
        decided=application.state in DECIDED_STATES, A=A,
        kind_labels=ORGANISATION_KIND_LABELS, confirm=ConfirmForm(),
    )


def _back_to(application: Application):
    return redirect(url_for("calls.application", application_id=application.id))


@bp.post("/applications/<int:application_id>/start")
@coordinator_required
def start_review(application_id: int):
    """Take a submitted application under review."""
    application = _application_or_404(application_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        review_service.start_review(application.id, current_actor())
    except DomainError as exc:
        abandon()
        flash(sentence(exc), "error")
        return _back_to(application)
    return _done("calls.application", _("Ansökan är under bedömning."),
                 application_id=application.id)


@bp.route("/applications/<int:application_id>/return", methods=["GET", "POST"])
@coordinator_required
def return_application(application_id: int):
    """Send an application back for completion, with a message to its applicants."""
    application = _application_or_404(application_id)
    form = ReturnForm()
    if form.validate_on_submit():
        try:
            review_service.return_for_completion(application.id, form.message.data,
                                                 current_actor())
        except DomainError as exc:
            abandon()
            form.form_errors.append(sentence(exc))
        else:
            return _done("calls.application",
                         _("Ansökan är återsänd för komplettering; de sökande har fått e-post."),
                         application_id=application.id)
    return render_template("call/return.html", form=form, application=application), \
        422 if form.errors else 200


@bp.route("/applications/<int:application_id>/assessment", methods=["GET", "POST"])
@coordinator_required
def assess(application_id: int):
    """Record or change my assessment: a score per criterion and a comment."""
    application = _application_or_404(application_id)
    criteria = list(application.call.criteria or [])
    mine = db.session.scalar(select(Review).where(Review.application_id == application.id,
                                                  Review.reviewer_id == current_user.id))
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
            abandon()
            form.form_errors.append(sentence(exc))
        else:
            return _done("calls.application", _("Din bedömning är sparad."),
                         application_id=application.id)
    return render_template("call/assess.html", form=form, application=application), \
        422 if form.errors else 200


@bp.route("/applications/<int:application_id>/proposal", methods=["GET", "POST"])
@coordinator_required
def propose(application_id: int):
    """Set the amount proposed for an application (empty clears it)."""
    application = _application_or_404(application_id)
    form = ProposalForm(data={"amount": application.proposed_amount})
    if form.validate_on_submit():
        try:
            review_service.set_proposed_amount(application.id, form.amount.data, current_actor())
        except DomainError as exc:
            abandon()
            form.form_errors.append(sentence(exc))
        else:
            return _done("calls.application", _("Förslaget är sparat."),
                         application_id=application.id)
    return render_template("call/propose.html", form=form, application=application), \
        422 if form.errors else 200


# --- decisions -----------------------------------------------------------------------------

@bp.route("/applications/<int:application_id>/decide", methods=["GET", "POST"])
@coordinator_required
def decide(application_id: int):
    """Decide an application under review: grant, grant in part, or reject."""
    application = _application_or_404(application_id)
    if application.state is not A.UNDER_REVIEW:
        flash(_("Bara en ansökan som är under bedömning kan beslutas."), "error")
        return _back_to(application)
    form = DecisionForm(data={"amount": application.proposed_amount})
    if form.validate_on_submit():
        try:
            decision_service.decide(
                application.id, form.outcome.data, form.amount.data, form.conditions.data,
                form.reason.data, form.body.data, form.decided_on.data, form.paragraph.data,
                form.diary_number.data, current_actor())
        except DomainError as exc:
            abandon()
            form.form_errors.append(sentence(exc))
        else:
            return _done("calls.application", _("Beslutet är registrerat."),
                         application_id=application.id)
    summary = review_service.pool_summary(application.call)
    return render_template("call/decide.html", form=form, application=application,
                           summary=summary), 422 if form.errors else 200


DECISION_COLUMNS = [
    Column(_l("Nr"), lambda d: d.sequence, NUMBER, 6),
    Column(_l("Datum"), lambda d: d.decided_on, DATE, 12),
    Column(_l("Organ"), lambda d: d.body, width=14),
    Column(_l("Paragraf"), lambda d: d.paragraph, width=10),
    Column(_l("Diarienummer"), lambda d: d.diary_number, width=18),
    Column(_l("Ansökan"), lambda d: d.application.title, width=40),
    Column(_l("Organisation"), lambda d: d.application.organisation.name, width=30),
    Column(_l("Beslut"), lambda d: d.outcome.label, width=18),
    Column(_l("Villkor eller skäl"), lambda d: d.conditions or d.reason, width=40),
    Column(_l("Belopp"), lambda d: d.amount, MONEY, 14),
]


@bp.get("/<int:call_id>/decisions")
@staff_required
def decisions(call_id: int):
    """List every decision of a call in order, with the totals (or download the list)."""
    call = db.get_or_404(Call, call_id)
    log = decision_service.decision_log(call)
    if request.args.get("format"):
        return export_response(f"utlysning-{call.id}-beslut", DECISION_COLUMNS, log.decisions,
                               request.args["format"], title=_("Beslut"))
    return render_template("call/decisions.html", call=call, log=log)


@bp.get("/<int:call_id>/decisions.pdf")
@staff_required
def decisions_pdf(call_id: int):
    """Send the decision log as a PDF "Beslutsunderlag"."""
    call = db.get_or_404(Call, call_id)
    content = build_decision_log_pdf(decision_service.decision_log(call))
    response = send_file(BytesIO(content), mimetype="application/pdf", as_attachment=True,
                         download_name=f"beslutsunderlag-utlysning-{call.id}.pdf")
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- organisations -------------------------------------------------------------------------

def _organisations() -> list[tuple[Organisation, int, int]]:
    """Return the organisations not merged away, with their numbers of users and applications."""
    users = (select(func.count()).where(User.organisation_id == Organisation.id)
             .correlate(Organisation).scalar_subquery())
    applications = (select(func.count()).where(Application.organisation_id == Organisation.id)
                    .correlate(Organisation).scalar_subquery())
    return db.session.execute(
        select(Organisation, users, applications)
        .where(Organisation.merged_into_id.is_(None)).order_by(Organisation.name, Organisation.id)
    ).all()


ORGANISATION_COLUMNS = [
    Column(_l("Namn"), lambda r: r[0].name, width=40),
    Column(_l("Slag"), lambda r: str(ORGANISATION_KIND_LABELS[r[0].kind]), width=20),
    Column(_l("Organisationsnummer"), lambda r: r[0].org_number, width=16),
    Column(_l("Konton"), lambda r: r[1], NUMBER, 10),
    Column(_l("Ansökningar"), lambda r: r[2], NUMBER, 12),
]


@bp.get("/organisations")
@coordinator_required
def organisations():
    """List the applicant organisations (or download the list)."""
    rows = _organisations()
    if request.args.get("format"):
        return export_response("organisationer", ORGANISATION_COLUMNS, rows,
                               request.args["format"], title=_("Organisationer"))
    return render_template("call/organisations.html", rows=rows,
                           kind_labels=ORGANISATION_KIND_LABELS)


@bp.route("/organisations/merge", methods=["GET", "POST"])
@coordinator_required
def merge():
    """Merge a duplicate organisation into the one kept, once confirmed."""
    rows = _organisations()
    form = MergeForm(organisations=[row[0] for row in rows])
    if form.validate_on_submit():
        if request.form.get("confirmed") != "yes":
            duplicate = db.session.get(Organisation, form.duplicate.data)
            keep = db.session.get(Organisation, form.keep.data)
            return render_template("call/merge_confirm.html", form=form, duplicate=duplicate,
                                   keep=keep, counts={o.id: (u, a) for o, u, a in rows})
        try:
            kept = merge_organisations(form.duplicate.data, form.keep.data, current_actor())
        except DomainError as exc:
            abandon()
            form.form_errors.append(sentence(exc))
        else:
            return _done("calls.organisations",
                         _("Organisationerna är sammanslagna till %(name)s.", name=kept.name))
    return render_template("call/merge.html", form=form), 422 if form.errors else 200
