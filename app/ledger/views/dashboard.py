"""The coordinators' pages of the ledger: the overview, importing a file, downloading reports."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from app import select_locale
from app.core.errors import DomainError, ImportRefused
from app.core.reading.figures import remember
from app.jobs.kinds import FUND_REPORT, YEAR_WORKBOOK
from app.jobs.views.delivery import report_response
from app.ledger.exchange.importing import import_document
from app.ledger.exchange.yaml_text import decode_text
from app.ledger.forms import ImportForm
from app.ledger.overview import (
    GoalAreaSpread,
    YearEntry,
    YearSummary,
    build_overview,
    choose_year,
    goal_area_spread,
    ledger_years,
)
from app.ledger.queries import load_ledger
from app.ledger.rules import COUNTY
from app.ledger.views import bp
from app.web.access import coordinator_required, current_actor, staff_required
from app.web.charts import BarChart, HorizontalBarChart, grouped_bar_chart, horizontal_bar_chart
from app.web.exports import MONEY, NUMBER, Column, export_response
from app.web.messages import sentence
from app.web.unit_of_work import abandon, refuse
from app.year_reports import downloads as reports

REPORT_KINDS = ("followup", "budget")


def missing_report(exc: DomainError):
    """The page of a report that does not exist (an unknown fund, a year without it)."""
    return render_template("error.html", code=404, title=_("Rapporten finns inte"),
                           text=sentence(exc)), 404


# The dashboard's list of allocations as a download: the table's columns with year and state.
OVERVIEW_COLUMNS = [
    Column(_l("År"), lambda r: r[0].year, NUMBER, 8),
    Column(_l("Fond"), lambda r: r[1].fund, width=30),
    Column(_l("Erhållet"), lambda r: r[1].received, MONEY, 16),
    Column(_l("Överfört in"), lambda r: r[1].carried_in, MONEY, 16),
    Column(_l("Täckt av annan fond"), lambda r: r[1].covered, MONEY, 16),
    Column(_l("Budgeterat"), lambda r: r[1].budgeted, MONEY, 16),
    Column(_l("Använt"), lambda r: r[1].used, MONEY, 16),
    Column(_l("Resultat"), lambda r: r[1].result, MONEY, 16),
    Column(_l("Överfört till nästa år"), lambda r: r[1].carried_out, MONEY, 16),
    Column(_l("Stängt"), lambda r: _("ja") if r[0].closed else _("nej"), width=10),
    # Last, so the columns scripts already read keep their places; never sum across it.
    Column(_l("Mottagare"), lambda r: r[1].recipient, width=20),
]


# The picture of a year: each fund's received, budgeted, granted, paid and used money.
CHART_SERIES = ["received", "budgeted", "granted", "paid", "used"]
CHART_SERIES_NAMES = {
    "received": _l("Erhållet"),
    "budgeted": _l("Budgeterat"),
    "granted": _l("Beviljat"),
    "paid": _l("Utbetalt"),
    "used": _l("Använt"),
}


def year_chart(summary: YearSummary) -> BarChart:
    """Lay out the year's chart: received, budgeted, granted, paid and used of each fund."""
    return grouped_bar_chart(
        [(row.fund, {s: getattr(row, s) or 0 for s in CHART_SERIES}) for row in summary.rows],
        CHART_SERIES,
    )


GOAL_AREA_SERIES = ["budget", "outcome", "granted"]
GOAL_AREA_SERIES_NAMES = {
    "budget": _l("Budget"),
    "outcome": _l("Utfall"),
    "granted": _l("Beviljat till projekt"),
}


def goal_area_chart(spread: GoalAreaSpread, no_area: str) -> HorizontalBarChart:
    """Lay out the goal areas' budget, outcome and grants as horizontal bars."""
    return horizontal_bar_chart(
        [(row.name or no_area, {s: getattr(row, s) or 0 for s in GOAL_AREA_SERIES})
         for row in spread.rows],
        GOAL_AREA_SERIES,
    )


@bp.get("/")
@staff_required
def dashboard():
    """Show the chosen year's funds (`?year=`; by default the latest open year): received,
    budgeted, used, result, carry-over and warnings, its picture and how its money spread over
    the goal areas, with links to the other years. A fixed number of queries, reading only
    the chosen year's money, however many years the ledger holds; the year is rendered once
    per change of the data and reused until the next (app/core/reading/figures.py).

    `?format=xlsx` or `?format=csv` downloads every year's list of allocations instead.
    """
    fmt = request.args.get("format")
    if fmt is not None:
        rows = [(summary, row) for summary in build_overview().years for row in summary.rows]
        return export_response("oversikt", OVERVIEW_COLUMNS, rows, fmt,
                               title=_("Översikt"))
    asked = request.args.get("year", type=int)
    # The years known, kept as JSON: which year is shown follows from them, so the rendered
    # year is kept per year shown, not per number someone typed.
    entries = [YearEntry(**e) for e in json.loads(remember(
        "dashboard-years", (), lambda: json.dumps([asdict(e) for e in ledger_years()])))]
    chosen = choose_year(entries, asked)
    role = (current_user.is_admin, current_user.can_edit_money)
    # Whose money: the coordinators' own county-level funds unless another is asked for.
    recipient = request.args.get("recipient") or COUNTY

    def page() -> str:
        html = remember("dashboard-year", (chosen, recipient, select_locale(), *role),
                        lambda: _year_html(entries, chosen, recipient))
        return render_template("ledger/dashboard.html", year_html=Markup(html))

    # The whole page is kept too, for this session alone: the layout around the year costs
    # more than the year itself once that is kept. Not while a message waits to be shown.
    if session.get("_flashes"):
        return page()
    return remember("dashboard-page", (_session_page_key(),), page)


def _session_page_key() -> str:
    """What the layout around a page shows of this request and session: the address (the
    language form returns to it), the account as the header names it, the language and the
    session's CSRF token (the page's forms carry it), as one digest."""
    parts = (request.full_path, current_user.id, current_user.session_version,
             current_user.label, current_user.role.value, select_locale(),
             session.get("csrf_token", ""))
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _year_html(entries: list[YearEntry], chosen: int | None, recipient: str) -> str:
    """Render the dashboard's year `chosen` (None: nothing imported yet) of `recipient`'s
    money, with its links; from its arguments alone, since it is kept (app/core/reading/figures.py)."""
    summary = spread = None
    recipients: list[str] = []
    if chosen is not None:
        ledger = load_ledger([chosen], sums_only=True)
        found = [y for y in build_overview(ledger).years if y.year == chosen]
        summary = found[0] if found else YearSummary(chosen, [])
        # The coordinators' own funds by default; another recipient's money on its own.
        recipients = summary.recipients
        if recipients and recipient not in recipients:
            recipient = recipients[0]
        summary = summary.of_recipient(recipient) if recipients else summary
        if summary.rows:
            spread = goal_area_spread(chosen, ledger, recipient if recipients else None)
    return render_template(
        "ledger/dashboard_year.html", y=summary, year_entries=entries,
        chart=year_chart(summary) if summary and summary.rows else None,
        report_kinds=REPORT_KINDS, report_formats=_report_formats(),
        series_names=CHART_SERIES_NAMES, spread=spread,
        spread_chart=goal_area_chart(spread, _("Utan målområde")) if spread else None,
        spread_names=GOAL_AREA_SERIES_NAMES, recipients=recipients, recipient=recipient,
    )


@bp.get("/years/<int:year>/workbook.xlsx")
@staff_required
def year_workbook(year: int):
    """Send the whole year as one Excel workbook: every fund's follow-up, budget and projects
    (a large year is built by a worker: the person is sent to its progress page)."""
    try:
        return report_response(YEAR_WORKBOOK, {"year": year, "lang": select_locale()})
    except DomainError as exc:
        return missing_report(exc)


@bp.route("/import", methods=["GET", "POST"])
@coordinator_required
def import_file():
    """Import a file of allocations; a refused file changes nothing and lists every problem."""
    form = ImportForm()
    problems = []
    if form.validate_on_submit():
        try:
            text = _read_text(form.file.data)
            result = import_document(text, current_actor(), replace=form.replace.data)
        except ImportRefused as exc:
            abandon()
            problems = exc.problems
        except DomainError as exc:
            refuse(exc, form=form, field="file")
        else:
            for label in result.created:
                flash(_("Importerade %(label)s.", label=result.name_of(label)), "success")
            for label in result.replaced:
                flash(_("Ersatte %(label)s.", label=result.name_of(label)), "success")
            for warning in result.warnings:
                flash(_("Varning: %(problem)s", problem=str(warning)), "warning")
            return redirect(url_for("funds.dashboard"))
    status = 422 if problems or form.errors else 200
    return render_template("ledger/import.html", form=form, problems=problems), status


@bp.get("/reports/<kind>/<earmark>/<int:year>.<fmt>")
@staff_required
def report(kind: str, earmark: str, year: int, fmt: str):
    """Send a fund's follow-up or budget of a year as a PDF, CSV or Excel file (a large one is
    built by a worker: the person is sent to its progress page)."""
    if kind not in REPORT_KINDS or fmt not in _report_formats():
        abort(404)
    parameters = {"kind": kind, "earmark": earmark, "year": year, "fmt": fmt,
                  "lang": select_locale()}
    try:
        return report_response(FUND_REPORT, parameters)
    except DomainError as exc:
        return missing_report(exc)


def _report_formats() -> tuple[str, ...]:
    return tuple(reports.REPORT_MIMETYPES)


def _read_text(upload) -> str:
    """Return an uploaded file's text, refusing anything that is not UTF-8 at the field."""
    try:
        return decode_text(upload.read())
    except ImportRefused as exc:
        problem = exc.problems[0]
        raise DomainError(_("%(problem)s (rad %(line)s)", problem=problem.message,
                            line=problem.line)) from None
