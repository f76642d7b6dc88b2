"""Applicants' pages: open calls, drafts, submission, attachments.

Every view with an application loads it through `_load`, which answers 404 to an applicant of
another organisation, so no route tells whether the application exists.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from app.call import applications as service
from app.call import attachments, organisations, queries
from app.call.forms import ApplicationForm, AttachmentForm
from app.call.models import Application, Attachment, BudgetCategory, Call
from app.call.pdf.application import build_application_pdf
from app.call.rules import (
    DECIDED_STATES,
    EDITABLE_STATES,
    ApplicationState,
    CallState,
    error_places,
    file_too_large,
    format_size,
    is_open,
    may_read_application,
)
from app.call.versions import snapshot
from app.call.views import applicant_bp as bp
from app.core.errors import DomainError
from app.core.money import format_amount
from app.extensions import db
from app.ledger.models import Grant
from app.ledger.queries import is_year_closed
from app.web.access import current_actor
from app.web.messages import sentence
from app.web.unit_of_work import abandon, checkpoint, refuse

PER_PAGE = 20
MIN_BUDGET_ROWS = 6
MAX_BUDGET_ROWS = 60


def _now() -> datetime:
    return datetime.now(UTC)


def _load(app_id: int, *, write: bool = False) -> Application:
    """Load an application the current user may see; 404 for another organisation's, and
    for staff a draft (its applicants' own until it is sent)."""
    application = db.get_or_404(Application, app_id)
    if not may_read_application(current_user, application):
        abort(404)
    if write and current_user.is_staff:
        abort(403)  # staff read applications sent in; only the applicants change them
    return application


def _visible_call(call_id: int) -> Call:
    call = db.get_or_404(Call, call_id)
    if call.state is CallState.DRAFT and not (current_user.is_authenticated
                                              and current_user.is_staff):
        abort(404)
    return call


@bp.get("/utlysningar")
def open_calls():
    """List the calls open for applications now (public)."""
    return render_template("call/applicant/calls.html", calls=queries.open_calls(_now()))


@bp.get("/utlysningar/<int:call_id>")
def call_detail(call_id: int):
    """Show a call: what it is for, its rules and times (public)."""
    call = _visible_call(call_id)
    year_closed = is_year_closed(call.line.allocation.year)
    return render_template("call/applicant/call.html", call=call, year_closed=year_closed,
                           open_now=not year_closed and is_open(call.state, call.opens_at,
                                                                call.closes_at, _now()))


@bp.post("/utlysningar/<int:call_id>/ansok")
@login_required
def start(call_id: int):
    """Start a draft application to the call for the applicant's organisation."""
    if not current_user.is_applicant:
        abort(403)
    call = _visible_call(call_id)
    try:
        application = service.start(call, current_user, _now())
    except DomainError as error:
        refuse(error)
        return redirect(url_for(".call_detail", call_id=call.id))
    return redirect(url_for(".edit", app_id=application.id))


@bp.get("/ansokningar")
@login_required
def my_applications():
    """List the applications of the applicant's organisation."""
    if not current_user.is_applicant:
        abort(403)
    page = db.paginate(organisations.organisation_applications(current_user.organisation_id),
                       per_page=PER_PAGE, error_out=False)
    money = queries.grants_of_applications([a.id for a in page.items])
    return render_template("call/applicant/list.html", page=page, money=money,
                           any_paid=any(m.paid_gross for m in money.values()))


def _draft_input(form: MultiDict, call: Call) -> service.DraftInput:
    """Read the posted form into the service's input, all values as text."""
    texts = {name: form.get(name, "") for name in service.TEXT_FIELDS}
    budget = []
    for i in range(MAX_BUDGET_ROWS):
        if f"budget-{i}-amount" not in form and f"budget-{i}-year" not in form:
            continue
        budget.append({key: form.get(f"budget-{i}-{key}", "")
                       for key in ("year", "category", "description", "amount")})
    answers = {q["key"]: form.get(f"answer-{q['key']}", "") for q in call.questions or []}
    return service.DraftInput(texts=texts, partners=form.get("partners", ""),
                              indicators=form.get("indicators", ""),
                              goal_areas=form.getlist("goal_areas"),
                              period_start=form.get("period_start", ""),
                              period_end=form.get("period_end", ""),
                              budget=budget, answers=answers,
                              continues_grant=form.get("continues_grant_id", ""))


def _padded(rows: list[dict], default_year: int) -> list[dict]:
    rows = list(rows)
    filled = len([r for r in rows if r.get("amount") or r.get("description")])
    while len(rows) < max(MIN_BUDGET_ROWS, filled + 2):
        rows.append({"year": str(default_year), "category": "staff", "description": "",
                     "amount": ""})
    return rows[:MAX_BUDGET_ROWS]


def _form_for(draft: service.DraftInput) -> ApplicationForm:
    return ApplicationForm(formdata=None, **draft.texts, partners=draft.partners,
                           indicators=draft.indicators, period_start=draft.period_start,
                           period_end=draft.period_end)


def _attachment_hint(application: Application) -> str:
    """What the upload field says of the caps, and how much of them is used."""
    limits = attachments.attachment_limits(application.id)
    return _("PDF, Word, Excel eller bild (.png, .jpg), högst %(size)s per fil. Uppladdat: "
             "%(used_count)d av högst %(count)d filer, %(used)s av högst %(total)s.",
             size=format_size(limits.max_bytes), count=limits.max_count,
             total=format_size(limits.max_total), used_count=limits.count,
             used=format_size(limits.total))


def _render_edit(application: Application, form: ApplicationForm, rows: list[dict],
                 selected: list[str], answers: dict, errors: dict[str, str], status: int = 200,
                 *, attachment_form: AttachmentForm | None = None,
                 continues: str | None = None):
    """The draft's form; `continues` is the earlier grant chosen when the draft's own fields
    were not what was posted (an upload)."""
    default_year = (application.call.opens_at.year if application.call.opens_at else _now().year)
    if continues is None:
        continues = (request.form.get("continues_grant_id", "") if request.method == "POST"
                     else str(application.continues_grant_id or ""))
    for name, message in errors.items():
        if name in form:
            form[name].errors = [*form[name].errors, sentence(DomainError(message))]
    return render_template(
        "call/applicant/edit.html", application=application, form=form,
        rows=_padded(rows, default_year), selected=set(selected), answers=answers,
        errors={k: sentence(DomainError(v)) for k, v in errors.items()},
        categories=list(BudgetCategory),
        attachment_form=attachment_form or AttachmentForm(formdata=None),
        attachment_hint=_attachment_hint(application), editable=True,
        continuable=queries.continuable_grants(application), continues=continues,
    ), status


def _render_draft(application: Application, status: int = 200, *,
                  attachment_form: AttachmentForm | None = None):
    """The draft's form as the draft holds it, with what it keeps as typed marked."""
    draft = service.draft_input_of(application)
    return _render_edit(application, _form_for(draft), draft.budget, draft.goal_areas,
                        draft.answers, service.draft_errors(application), status,
                        attachment_form=attachment_form, continues=draft.continues_grant)


@bp.route("/ansokningar/<int:app_id>", methods=["GET", "POST"])
@login_required
def edit(app_id: int):
    """Show an application: a form while it is being written, read-only otherwise."""
    application = _load(app_id, write=request.method == "POST")
    editable = current_user.is_applicant and application.state in EDITABLE_STATES
    if not editable:
        if request.method == "POST":
            flash(_("Ansökan är inskickad och kan inte ändras."), "error")
            return redirect(url_for(".edit", app_id=app_id))
        return render_template("call/applicant/show.html", application=application,
                               decision=queries.decision_of(application.id),
                               grant=queries.grant_of(application.id),
                               money=queries.grants_of_applications([application.id])
                               .get(application.id),
                               continues=db.session.get(Grant, application.continues_grant_id)
                               if application.continues_grant_id else None,
                               can_withdraw=current_user.is_applicant
                               and application.state not in DECIDED_STATES
                               and application.state is not ApplicationState.WITHDRAWN)
    if request.method == "POST":
        form = ApplicationForm()
        data = _draft_input(request.form, application.call)
        if not form.validate():  # only the CSRF token is checked here
            return _render_edit(application, form, data.budget, data.goal_areas, data.answers,
                                {}, 400)
        try:
            errors = service.save_draft(application, data, current_actor())
        except service.DraftErrors as refused:
            abandon()
            application = _load(app_id)
            flash(_("Inget sparades: rätta felen nedan."), "error")
            return _render_edit(application, form, data.budget, data.goal_areas, data.answers,
                                refused.errors, 400)
        # The draft keeps what could be read even though the page answers 400 for the rest:
        # commit it here, since the unit of work rolls back an error answer.
        checkpoint()
        if errors:
            flash(_("Utkastet är sparat. Det som inte kunde läsas finns kvar som du skrev det "
                    "och är markerat: %(where)s.", where=error_places(errors)), "warning")
            return _render_edit(application, form, data.budget, data.goal_areas, data.answers,
                                errors, 400)
        if request.form.get("next") == "review":
            return redirect(url_for(".review", app_id=app_id))
        flash(_("Utkastet är sparat."), "success")
        return redirect(url_for(".edit", app_id=app_id))
    return _render_draft(application)


@bp.post("/ansokningar/<int:app_id>/autosave")
def autosave(app_id: int):
    """Save the draft from the page's script; answer JSON (401 when the session has ended)."""
    if not current_user.is_authenticated:
        return jsonify(ok=False, error=_("Du är utloggad.")), 401
    application = _load(app_id, write=True)
    if application.state not in EDITABLE_STATES:
        return jsonify(ok=False, error=_("Ansökan är inskickad och kan inte ändras.")), 409
    data = _draft_input(request.form, application.call)
    try:
        errors = service.save_draft(application, data, current_actor())
    except service.DraftErrors as refused:
        abandon()
        return jsonify(ok=False, errors={k: sentence(DomainError(v))
                                         for k, v in refused.errors.items()}), 400
    return jsonify(ok=True, saved_at=format_datetime(_now(), "HH:mm"),
                   errors={k: sentence(DomainError(v)) for k, v in errors.items()},
                   total=format_amount(application.amount_applied))


@bp.route("/ansokningar/<int:app_id>/skicka", methods=["GET", "POST"])
@login_required
def review(app_id: int):
    """Show what is missing before submission; submit when nothing is."""
    application = _load(app_id, write=request.method == "POST")
    if application.state not in EDITABLE_STATES or not current_user.is_applicant:
        return redirect(url_for(".edit", app_id=app_id))
    missing = service.missing(application)
    if request.method == "POST":
        try:
            service.submit(application, current_user, _now())
        except DomainError as error:
            refuse(error)
            return redirect(url_for(".review", app_id=app_id))
        flash(_("Ansökan är inskickad. Ett kvitto har skickats till din e-post."), "success")
        return redirect(url_for(".edit", app_id=app_id))
    call = application.call
    return render_template("call/applicant/review.html", application=application, missing=missing,
                           content=queries.readable_content(snapshot(application)),
                           open_now=is_open(call.state, call.opens_at, call.closes_at, _now()))


@bp.get("/ansokningar/<int:app_id>/versioner/<int:version>")
@login_required
def version(app_id: int, version: int):
    """Show one submitted version of an application as it was sent in (the receipt's link)."""
    application = _load(app_id)
    frozen = queries.version_of(application.id, version)
    if frozen is None:
        abort(404)
    return render_template("call/applicant/version.html", application=application,
                           frozen=frozen, content=queries.readable_content(frozen.data))


@bp.route("/ansokningar/<int:app_id>/aterta", methods=["GET", "POST"])
@login_required
def withdraw(app_id: int):
    """Ask, then withdraw an application that is not yet decided."""
    application = _load(app_id, write=True)
    if request.method == "POST":
        try:
            service.withdraw(application, current_actor())
        except DomainError as error:
            refuse(error)
        else:
            flash(_("Ansökan är återtagen."), "success")
        return redirect(url_for(".edit", app_id=app_id))
    return render_template("call/applicant/withdraw.html", application=application)


def _upload_refused(application: Application, message: str, status: int):
    """The draft's page again, with why the file was not attached at the file field."""
    if application.state not in EDITABLE_STATES or not current_user.is_applicant:
        flash(message, "error")
        return redirect(url_for(".edit", app_id=application.id))
    form = AttachmentForm(formdata=None)
    form.file.errors = [message]
    flash(_("Bilagan laddades inte upp: se felet vid fältet Bilaga."), "error")
    return _render_draft(application, status, attachment_form=form)


@bp.post("/ansokningar/<int:app_id>/bilagor")
@login_required
def upload(app_id: int):
    """Attach a file to an application being written."""
    application = _load(app_id, write=True)
    file = request.files.get("file")
    try:
        if file is None or not file.filename:
            raise DomainError(_("välj en fil att ladda upp"))
        limit = current_app.config["ATTACHMENT_MAX_BYTES"]
        # One byte more than allowed is enough to tell that the file is too large.
        data = file.stream.read(limit + 1)
        attachments.add_attachment(application, file.filename, data, current_actor())
    except DomainError as error:
        abandon()
        return _upload_refused(_load(app_id), sentence(error), 400)
    flash(_("Bilagan är uppladdad."), "success")
    return redirect(url_for(".edit", app_id=app_id) + "#bilagor")


@bp.errorhandler(RequestEntityTooLarge)
def _request_too_large(error: RequestEntityTooLarge):
    """A request larger than MAX_CONTENT_LENGTH: an upload far over the per-file limit is
    refused at its field like one just over it; anything else gets the error page."""
    application = None
    if request.endpoint == "applications.upload" and current_user.is_authenticated:
        application = db.session.get(Application, (request.view_args or {}).get("app_id"))
    if application is None or current_user.is_staff or not may_read_application(
            current_user, application):
        return render_template("error.html", code=413, title=_("Filen är för stor"),
                               text=_("Filen är större än vad som tillåts.")), 413
    return _upload_refused(application, sentence(DomainError(
        file_too_large(current_app.config["ATTACHMENT_MAX_BYTES"]))), 413)


def _attachment(application: Application, att_id: int) -> Attachment:
    attachment = db.session.get(Attachment, att_id)
    if attachment is None or attachment.application_id != application.id:
        abort(404)
    return attachment


@bp.get("/ansokningar/<int:app_id>/bilagor/<int:att_id>")
@login_required
def download(app_id: int, att_id: int):
    """Send an attachment as a download, never shown inline."""
    attachment = _attachment(_load(app_id), att_id)
    # Read whole (files are size-limited) so no file handle outlives the request.
    data = attachments.attachment_path(attachment).read_bytes()
    response = send_file(io.BytesIO(data),
                         mimetype=attachment.content_type, as_attachment=True,
                         download_name=attachment.original_name, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/ansokningar/<int:app_id>/bilagor/<int:att_id>/ta-bort")
@login_required
def delete_attachment(app_id: int, att_id: int):
    """Remove an attachment while the application is being written."""
    attachment = _attachment(_load(app_id, write=True), att_id)
    try:
        attachments.delete_attachment(attachment, current_actor())
    except DomainError as error:
        refuse(error)
    else:
        flash(_("Bilagan är borttagen."), "success")
    return redirect(url_for(".edit", app_id=app_id) + "#bilagor")


@bp.get("/ansokningar/<int:app_id>.pdf")
@login_required
def pdf(app_id: int):
    """Download the application as a PDF."""
    application = _load(app_id)
    response = make_response(build_application_pdf(application))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="ansokan-{application.id}.pdf"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
