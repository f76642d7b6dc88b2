"""Coordinators' pages of the calls: the list, creating and changing a call, moving it through
its states, and a call's page with its pool and its applications."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.call import calls as call_service
from app.call import pool, queries
from app.call.forms import CallCorrectionForm, CallForm
from app.call.models import Call
from app.call.rules import CALL_TRANSITIONS, ApplicationState, CallState
from app.call.views import bp
from app.core.errors import DomainError
from app.extensions import db
from app.ledger.forms import ConfirmForm
from app.web.access import coordinator_required, current_actor, staff_required
from app.web.exports import DATE, MONEY, NUMBER, Column, export_response
from app.web.unit_of_work import refuse

PER_PAGE = 25
# The buttons that move a call, in the order of its life, with what the confirmation says.
CALL_ACTIONS = {
    CallState.OPEN: (_l("Öppna utlysningen"), _l(
        "Utlysningen blir synlig för sökande och tar emot ansökningar mellan öppnings- och "
        "stängningstiden.")),
    CallState.CLOSED: (_l("Stäng utlysningen"), _l("Inga fler ansökningar kan skickas in.")),
    CallState.DECIDED: (_l("Markera som beslutad"),
                        _l("Utlysningen markeras som färdigbeslutad.")),
}

CALL_COLUMNS = [
    Column(_l("Utlysning"), lambda c: c.title, width=40),
    Column(_l("Pott"), lambda c: f"{c.line.allocation.label}: {c.line.activity}", width=50),
    Column(_l("Öppnar"), lambda c: c.opens_at, DATE, 18),
    Column(_l("Stänger"), lambda c: c.closes_at, DATE, 18),
    Column(_l("Status"), lambda c: c.state.label, width=14),
    Column(_l("Pottens storlek"), lambda c: c.line.amount, MONEY, 16),
]
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


@bp.get("/")
@staff_required
def index():
    """List the calls with their state and pool (or download the list)."""
    calls = queries.all_calls()
    if request.args.get("format"):
        return export_response("utlysningar", CALL_COLUMNS, calls, request.args["format"],
                               title=_("Utlysningar"))
    return render_template("call/index.html", calls=calls)


def _call_form_page(call: Call | None):
    lines = queries.call_lines()
    if call is not None and call.line not in lines:
        lines.append(call.line)
    years = sorted({line.allocation.year for line in lines}, reverse=True)
    # The years' lists, without retired areas, unless the call already has them.
    own = set(call.goal_areas) if call is not None else set()
    areas = [a for year in years for a in queries.goal_areas_of_year(year)
             if not a.retired or a in own]
    form = CallForm(data=CallForm.data_of(call), lines=lines, goal_areas=areas,
                    left=queries.pots_left(lines))
    if form.validate_on_submit():
        try:
            if call is None:
                call = call_service.create_call(form.call_input(), current_actor())
            else:
                call_service.update_call(call.id, form.call_input(), current_actor())
        except DomainError as exc:
            refuse(exc, form=form)
        else:
            flash(_("Utlysningen är sparad."), "success")
            return redirect(url_for("calls.call", call_id=call.id))
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


@bp.route("/<int:call_id>/correct", methods=["GET", "POST"])
@coordinator_required
def correct(call_id: int):
    """Correct an open call's closing time and texts; its applicants are told by e-mail."""
    call = db.get_or_404(Call, call_id)
    if call.state is not CallState.OPEN:
        flash(_("Bara en öppen utlysning kan rättas."), "error")
        return redirect(url_for("calls.call", call_id=call.id))
    form = CallCorrectionForm(data=CallCorrectionForm.data_of(call))
    if form.validate_on_submit():
        try:
            changed = call_service.correct_open_call(call.id, form.correction(),
                                                     current_actor(), datetime.now(UTC))
        except DomainError as exc:
            refuse(exc, form=form)
        else:
            flash(_("Utlysningen är rättad (%(changed)s); de sökande med utkast eller "
                    "ansökningar har fått e-post om det.", changed=", ".join(changed)),
                  "success")
            return redirect(url_for("calls.call", call_id=call.id))
    return render_template("call/correct.html", form=form, call=call), \
        422 if form.errors else 200


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
    back = url_for("calls.call", call_id=call.id)
    if form.validate_on_submit():
        try:
            call_service.set_state(call.id, state, current_actor())
        except DomainError as exc:
            refuse(exc)
        else:
            flash(_("Utlysningen är nu: %(state)s.", state=state.label), "success")
        return redirect(back)
    label, text = CALL_ACTIONS[state]
    return render_template("call/confirm.html", form=form, call=call, heading=label,
                           text=text, back=back)


@bp.get("/<int:call_id>")
@staff_required
def call(call_id: int):
    """Show a call's pool in total and per goal area, and its applications, filtered, a page
    at a time (`?after=<id>` or `?before=<id>` of the row the page follows or precedes).

    `?format=xlsx` or `?format=csv` downloads every application the filters let through.
    """
    call = db.get_or_404(Call, call_id)
    goal_area = request.args.get("goal_area", type=int)
    organisation = request.args.get("organisation", type=int)
    owner = (request.args.get("owner") or "").strip()[:100] or None
    state = request.args.get("state") or None
    chosen = {"goal_area_id": goal_area, "organisation_id": organisation, "state": state,
              "owner": owner}
    fmt = request.args.get("format")
    if fmt is not None:
        return export_response(f"utlysning-{call.id}-ansokningar", APPLICATION_COLUMNS,
                               queries.review_rows(call.id, **chosen), fmt, title=call.title)
    page = queries.review_list(call.id, **chosen, per_page=PER_PAGE,
                               after=request.args.get("after", type=int),
                               before=request.args.get("before", type=int))
    granted, scores = queries.granted_and_scores([a.id for a in page.items])
    filters = {"goal_area": goal_area, "organisation": organisation, "state": state,
               "owner": owner}
    return render_template(
        "call/call.html", call=call, summary=pool.pool_summary(call), page=page,
        filters=filters, granted=granted, scores=scores,
        download_filters={k: v for k, v in filters.items() if v},
        states=[s for s in ApplicationState if s is not ApplicationState.DRAFT],
        actions=[(s, CALL_ACTIONS[s][0]) for s in CALL_ACTIONS
                 if s in CALL_TRANSITIONS[call.state]],
    )
